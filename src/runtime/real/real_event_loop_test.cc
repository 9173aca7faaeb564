#include "runtime/real/real_event_loop.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace drydock::runtime {
namespace {

// Time scale 1000: an AWS minute is 60 ms of real time, so tests stay fast
// without asserting any duration.
class RealEventLoopTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<std::unique_ptr<RealEventLoop>> loop = RealEventLoop::Create(clock_);
    ASSERT_TRUE(loop.ok()) << loop.status().message();
    loop_ = std::move(*loop);
  }

  Callback Record(std::string what) {
    return [this, what] { trace_.push_back(what); };
  }

  RealClock clock_{1000.0, RealClock::WallNow()};
  std::unique_ptr<RealEventLoop> loop_;
  std::vector<std::string> trace_;
};

TEST_F(RealEventLoopTest, TimersFireInDeadlineOrder) {
  const TimePoint now = clock_.Now();
  loop_->ScheduleAt(now + Seconds(30), Record("c"));
  loop_->ScheduleAfter(Seconds(10), Record("a"));
  loop_->ScheduleAt(now + Seconds(20), Record("b"));
  loop_->ScheduleAt(now + Seconds(20), Record("b2"));  // tie: scheduling order
  loop_->RunFor(Seconds(60));
  EXPECT_EQ(trace_, (std::vector<std::string>{"a", "b", "b2", "c"}));
  EXPECT_GE(clock_.Now(), now + Seconds(60));
}

TEST_F(RealEventLoopTest, CancelledTimerNeverRuns) {
  const TimerId id = loop_->ScheduleAfter(Seconds(5), Record("cancelled"));
  loop_->ScheduleAfter(Seconds(10), Record("kept"));
  EXPECT_TRUE(loop_->Cancel(id));
  EXPECT_FALSE(loop_->Cancel(id));
  loop_->RunFor(Seconds(20));
  EXPECT_EQ(trace_, (std::vector<std::string>{"kept"}));
}

TEST_F(RealEventLoopTest, PostedWorkRunsInOrderAfterTheCurrentTurn) {
  loop_->Post([this] {
    trace_.push_back("p1");
    loop_->Post(Record("p3"));
  });
  loop_->Post(Record("p2"));
  loop_->RunUntilIdle();
  EXPECT_EQ(trace_, (std::vector<std::string>{"p1", "p2", "p3"}));
}

TEST_F(RealEventLoopTest, RunUntilIdleDoesNotWaitForFutureTimers) {
  loop_->ScheduleAfter(Seconds(3600), Record("an hour later"));
  loop_->ScheduleAfter(Duration(0), Record("now"));
  loop_->RunUntilIdle();
  EXPECT_EQ(trace_, (std::vector<std::string>{"now"}));
}

TEST_F(RealEventLoopTest, PostFromAnotherThreadWakesTheLoop) {
  // Without the wake-up this Run() would sleep until the safety timer (an
  // AWS hour = 3.6 s here) and the trace would say so.
  loop_->ScheduleAfter(Seconds(3600), [this] {
    trace_.push_back("safety timer");
    loop_->Stop();
  });
  std::thread poster([this] {
    loop_->Post([this] {
      trace_.push_back("from thread");
      loop_->Stop();
    });
  });
  loop_->Run();
  poster.join();
  EXPECT_EQ(trace_, (std::vector<std::string>{"from thread"}));
}

TEST_F(RealEventLoopTest, WatchesFdReadiness) {
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  ASSERT_TRUE(loop_->WatchReadable(fds[0], [&] {
    char byte;
    ASSERT_EQ(read(fds[0], &byte, 1), 1);
    trace_.push_back(std::string("read ") + byte);
    loop_->Unwatch(fds[0]);
  }).ok());
  EXPECT_EQ(loop_->WatchReadable(fds[0], [] {}).code(), StatusCode::kAlreadyExists);
  loop_->ScheduleAfter(Seconds(1), [&] { ASSERT_EQ(write(fds[1], "x", 1), 1); });
  // Not RunFor(): on a loaded machine its end could come before the poll
  // that sees the byte. Bounded by real time instead.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (trace_.empty() && std::chrono::steady_clock::now() < deadline) loop_->RunFor(Seconds(10));
  EXPECT_EQ(trace_, (std::vector<std::string>{"read x"}));
  close(fds[0]);
  close(fds[1]);
}

TEST_F(RealEventLoopTest, WatchesWritability) {
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  ASSERT_TRUE(loop_->WatchWritable(fds[1], [&] {
    trace_.push_back("writable");
    loop_->Unwatch(fds[1]);
  }).ok());
  loop_->RunUntilIdle();
  EXPECT_EQ(trace_, (std::vector<std::string>{"writable"}));
  close(fds[0]);
  close(fds[1]);
}

TEST_F(RealEventLoopTest, DeliversSignalsThroughTheLoop) {
  ASSERT_TRUE(loop_->WatchSignal(SIGUSR2, [this] {
    trace_.push_back("SIGUSR2");
    loop_->Stop();
  }).ok());
  loop_->ScheduleAfter(Seconds(3600), [this] { loop_->Stop(); });  // safety
  ASSERT_EQ(kill(getpid(), SIGUSR2), 0);
  loop_->Run();
  EXPECT_EQ(trace_, (std::vector<std::string>{"SIGUSR2"}));
  loop_.reset();  // unblocks SIGUSR2 again
  sigset_t blocked;
  pthread_sigmask(SIG_BLOCK, nullptr, &blocked);
  EXPECT_EQ(sigismember(&blocked, SIGUSR2), 0);
}

TEST_F(RealEventLoopTest, StopBeforeRunMakesItReturnAtOnce) {
  loop_->Post(Record("ran"));
  loop_->Stop();
  loop_->Run();
  EXPECT_TRUE(trace_.empty());  // stopped before the first turn
  loop_->RunUntilIdle();
  EXPECT_EQ(trace_, (std::vector<std::string>{"ran"}));
}

}  // namespace
}  // namespace drydock::runtime
