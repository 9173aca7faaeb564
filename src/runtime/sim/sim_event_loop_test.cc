#include "runtime/sim/sim_event_loop.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace drydock::runtime {
namespace {

const TimePoint kStart = TimePoint(Duration(1'700'000'000'000));

class SimEventLoopTest : public ::testing::Test {
 protected:
  SimClock clock_{kStart};
  SimEventLoop loop_{clock_};
  std::vector<std::string> trace_;

  Callback Record(std::string what) {
    return [this, what] { trace_.push_back(what + "@" + std::to_string((clock_.Now() - kStart).count())); };
  }
};

TEST_F(SimEventLoopTest, TimersRunInDeadlineOrderAndJumpTheClock) {
  loop_.ScheduleAfter(Seconds(30), Record("c"));
  loop_.ScheduleAfter(Seconds(10), Record("a"));
  loop_.ScheduleAt(kStart + Seconds(20), Record("b"));
  loop_.Run();
  EXPECT_EQ(trace_, (std::vector<std::string>{"a@10000", "b@20000", "c@30000"}));
  EXPECT_EQ(clock_.Now(), kStart + Seconds(30));
}

TEST_F(SimEventLoopTest, TiesAreBrokenBySchedulingOrder) {
  for (const char* name : {"first", "second", "third"}) loop_.ScheduleAfter(Seconds(5), Record(name));
  loop_.Run();
  EXPECT_EQ(trace_, (std::vector<std::string>{"first@5000", "second@5000", "third@5000"}));
}

TEST_F(SimEventLoopTest, CancelledTimersNeverRun) {
  const TimerId id = loop_.ScheduleAfter(Seconds(1), Record("cancelled"));
  loop_.ScheduleAfter(Seconds(2), Record("kept"));
  EXPECT_TRUE(loop_.Cancel(id));
  EXPECT_FALSE(loop_.Cancel(id));
  EXPECT_FALSE(loop_.Cancel(12345));
  loop_.Run();
  EXPECT_EQ(trace_, (std::vector<std::string>{"kept@2000"}));
}

TEST_F(SimEventLoopTest, PostedWorkRunsInOrderOnTheNextTurn) {
  loop_.Post([this] {
    trace_.push_back("p1");
    loop_.Post(Record("p3-next-turn"));
  });
  loop_.Post(Record("p2"));
  loop_.RunUntilIdle();
  EXPECT_EQ(trace_, (std::vector<std::string>{"p1", "p2@0", "p3-next-turn@0"}));
}

TEST_F(SimEventLoopTest, TimerDueNowAddedByATimerWaitsForTheNextTurn) {
  loop_.ScheduleAfter(Seconds(1), [this] {
    trace_.push_back("outer");
    loop_.ScheduleAfter(Duration(0), Record("inner"));
    loop_.Post(Record("posted"));
  });
  loop_.Run();
  // The post runs in the same turn's posted step; the new timer a turn later.
  EXPECT_EQ(trace_, (std::vector<std::string>{"outer", "posted@1000", "inner@1000"}));
}

TEST_F(SimEventLoopTest, RunForEndsExactlyAtTheRequestedTime) {
  loop_.ScheduleAfter(Seconds(3), Record("in"));
  loop_.ScheduleAfter(Seconds(10), Record("at-end"));
  loop_.ScheduleAfter(Seconds(11), Record("after"));
  loop_.RunFor(Seconds(10));
  EXPECT_EQ(trace_, (std::vector<std::string>{"in@3000", "at-end@10000"}));
  EXPECT_EQ(clock_.Now(), kStart + Seconds(10));
  EXPECT_EQ(loop_.pending_timers(), 1u);
}

TEST_F(SimEventLoopTest, RunUntilIdleDoesNotAdvanceTime) {
  loop_.ScheduleAfter(Seconds(1), Record("later"));
  loop_.ScheduleAfter(Duration(0), Record("now"));
  loop_.RunUntilIdle();
  EXPECT_EQ(trace_, (std::vector<std::string>{"now@0"}));
  EXPECT_EQ(clock_.Now(), kStart);
}

TEST_F(SimEventLoopTest, StopEndsRunAfterTheCurrentTurn) {
  loop_.ScheduleAfter(Seconds(1), [this] { loop_.Stop(); });
  loop_.ScheduleAfter(Seconds(2), Record("not yet"));
  loop_.Run();
  EXPECT_TRUE(trace_.empty());
  EXPECT_EQ(clock_.Now(), kStart + Seconds(1));
  loop_.Run();  // the stop was consumed: this run continues
  EXPECT_EQ(trace_, (std::vector<std::string>{"not yet@2000"}));
}

// A little workload whose timers re-arm themselves and cancel each other.
std::vector<std::string> RunWorkload() {
  SimClock clock(kStart);
  SimEventLoop loop(clock);
  std::vector<std::string> trace;
  std::vector<TimerId> ids;
  for (int i = 0; i < 20; ++i) {
    ids.push_back(loop.ScheduleAfter(Duration((i * 37) % 7 * 100), [&, i] {
      trace.push_back(std::to_string(i) + "@" + std::to_string((clock.Now() - kStart).count()));
      if (i % 3 == 0) loop.Cancel(ids[(i + 5) % ids.size()]);
      if (i % 4 == 0) loop.Post([&trace, i] { trace.push_back("post" + std::to_string(i)); });
    }));
  }
  loop.Run();
  return trace;
}

TEST_F(SimEventLoopTest, SameScheduleGivesTheSameOrder) {
  const std::vector<std::string> first = RunWorkload();
  EXPECT_EQ(first, RunWorkload());
  EXPECT_GT(first.size(), 10u);
}

}  // namespace
}  // namespace drydock::runtime
