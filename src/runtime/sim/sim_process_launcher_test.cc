#include "runtime/sim/sim_process_launcher.h"

#include <gtest/gtest.h>

#include <csignal>
#include <optional>
#include <string>
#include <vector>

#include "runtime/sim/sim_event_loop.h"

namespace drydock::runtime {
namespace {

const TimePoint kLauncherStart = TimePoint(Duration(1'700'000'000'000));

ProcessSpec MakeSpec(const std::string& task_id) {
  ProcessSpec spec;
  spec.task_id = task_id;
  spec.argv = {"/usr/bin/app", "--port", "8080"};
  spec.env = {{"PORT", "8080"}};
  spec.working_dir = "/tasks/" + task_id;
  spec.stdout_path = "/tasks/" + task_id + "/stdout.log";
  spec.stderr_path = spec.stdout_path;
  spec.status_path = "/tasks/" + task_id + "/exit.json";
  return spec;
}

class SimProcessLauncherTest : public ::testing::Test {
 protected:
  SimClock clock_{kLauncherStart};
  SimEventLoop loop_{clock_};
  SimProcessLauncher launcher_{loop_, clock_};
  std::vector<std::pair<std::string, ExitStatus>> exits_;

  ProcessLauncher::ExitCallback Collect(const std::string& name) {
    return [this, name](const ExitStatus& status) { exits_.emplace_back(name, status); };
  }
  ProcessHandle MustLaunch(const std::string& task_id) {
    Result<ProcessHandle> handle = launcher_.Launch(MakeSpec(task_id), Collect(task_id));
    EXPECT_TRUE(handle.ok()) << handle.status().message();
    return handle.ok() ? *handle : ProcessHandle{};
  }
};

TEST_F(SimProcessLauncherTest, ExitsAfterItsBehaviorSaysWithThatCode) {
  launcher_.SetNextBehavior("t1", SimBehavior::ExitAfter(Seconds(90), 3));
  const ProcessHandle handle = MustLaunch("t1");
  EXPECT_TRUE(launcher_.IsAlive(handle));
  loop_.RunFor(Seconds(89));
  EXPECT_TRUE(exits_.empty());
  loop_.RunFor(Seconds(2));
  ASSERT_EQ(exits_.size(), 1u);
  EXPECT_EQ(exits_[0].second.kind, ExitStatus::Kind::kExited);
  EXPECT_EQ(exits_[0].second.exit_code, 3);
  EXPECT_EQ(exits_[0].second.time, kLauncherStart + Seconds(90));
  EXPECT_FALSE(launcher_.IsAlive(handle));
}

TEST_F(SimProcessLauncherTest, FailToStartIsAnErrorAndLeavesAStatus) {
  launcher_.SetNextBehavior("bad", SimBehavior::FailToStart("exec format error"));
  Result<ProcessHandle> handle = launcher_.Launch(MakeSpec("bad"), Collect("bad"));
  ASSERT_FALSE(handle.ok());
  EXPECT_EQ(handle.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(handle.status().message().find("exec format error"), std::string::npos);
  const Adoption adoption = launcher_.Adopt(1000, 0, MakeSpec("bad").status_path, nullptr);
  EXPECT_EQ(adoption.outcome, Adoption::Outcome::kExited);
  EXPECT_EQ(adoption.exit.kind, ExitStatus::Kind::kFailedToStart);
}

TEST_F(SimProcessLauncherTest, RejectsInvalidSpecsLikeTheRealLauncher) {
  ProcessSpec spec = MakeSpec("bad/id");
  EXPECT_EQ(launcher_.Launch(spec, nullptr).status().code(), StatusCode::kInvalidArgument);
  spec = MakeSpec("ok");
  spec.argv.clear();
  EXPECT_EQ(launcher_.Launch(spec, nullptr).status().code(), StatusCode::kInvalidArgument);
}

TEST_F(SimProcessLauncherTest, SigtermKillsByDefault) {
  const ProcessHandle handle = MustLaunch("t1");
  ASSERT_TRUE(launcher_.Signal(handle, SIGTERM).ok());
  loop_.RunUntilIdle();
  ASSERT_EQ(exits_.size(), 1u);
  EXPECT_EQ(exits_[0].second.kind, ExitStatus::Kind::kSignaled);
  EXPECT_EQ(exits_[0].second.signal, SIGTERM);
  EXPECT_EQ(exits_[0].second.ContainerExitCode(), 143);
  EXPECT_EQ(launcher_.Signal(handle, SIGTERM).code(), StatusCode::kNotFound);
}

TEST_F(SimProcessLauncherTest, GracefulShutdownTakesItsDelayAndCode) {
  launcher_.SetDefaultBehavior(SimBehavior::GracefulShutdown(Seconds(5), 0));
  const ProcessHandle handle = MustLaunch("t1");
  ASSERT_TRUE(launcher_.Signal(handle, SIGTERM).ok());
  loop_.RunFor(Seconds(4));
  EXPECT_TRUE(exits_.empty());
  loop_.RunFor(Seconds(1));
  ASSERT_EQ(exits_.size(), 1u);
  EXPECT_EQ(exits_[0].second.kind, ExitStatus::Kind::kExited);
  EXPECT_EQ(exits_[0].second.exit_code, 0);
}

TEST_F(SimProcessLauncherTest, HangOnSigtermNeedsSigkill) {
  launcher_.SetBehaviorPolicy([](const ProcessSpec&) { return SimBehavior::HangOnSigterm(); });
  const ProcessHandle handle = MustLaunch("t1");
  ASSERT_TRUE(launcher_.Signal(handle, SIGTERM).ok());
  loop_.RunFor(Seconds(30));  // ECS's default stop timeout passes
  EXPECT_TRUE(exits_.empty());
  EXPECT_TRUE(launcher_.IsAlive(handle));
  ASSERT_TRUE(launcher_.Signal(handle, SIGKILL).ok());
  loop_.RunUntilIdle();
  ASSERT_EQ(exits_.size(), 1u);
  EXPECT_EQ(exits_[0].second.signal, SIGKILL);
  EXPECT_EQ(launcher_.Find(handle.pid)->signals_received, (std::vector<int>{SIGTERM, SIGKILL}));
}

TEST_F(SimProcessLauncherTest, UnsupportedSignalsAreRefused) {
  const ProcessHandle handle = MustLaunch("t1");
  EXPECT_EQ(launcher_.Signal(handle, SIGSTOP).code(), StatusCode::kInvalidArgument);
}

TEST_F(SimProcessLauncherTest, CommandsExitAndCrashAtVirtualTimes) {
  const ProcessHandle a = MustLaunch("a");
  const ProcessHandle b = MustLaunch("b");
  launcher_.ScheduleExit(a.pid, kLauncherStart + Seconds(60), 0);
  loop_.ScheduleAfter(Seconds(30), [&] { ASSERT_TRUE(launcher_.CrashProcess(b.pid, SIGKILL).ok()); });
  loop_.Run();
  ASSERT_EQ(exits_.size(), 2u);
  EXPECT_EQ(exits_[0].first, "b");
  EXPECT_EQ(exits_[0].second.time, kLauncherStart + Seconds(30));
  EXPECT_EQ(exits_[1].first, "a");
  EXPECT_EQ(exits_[1].second.time, kLauncherStart + Seconds(60));
  EXPECT_EQ(launcher_.running_count(), 0);
  EXPECT_EQ(launcher_.ExitProcess(a.pid, 0).code(), StatusCode::kNotFound);
}

TEST_F(SimProcessLauncherTest, ControlPlaneCrashThenAdoption) {
  const ProcessHandle running = MustLaunch("running");
  launcher_.SetNextBehavior("ends", SimBehavior::ExitAfter(Seconds(10), 1));
  const ProcessHandle ends = MustLaunch("ends");
  launcher_.SimulateControlPlaneCrash();
  loop_.RunFor(Seconds(20));
  EXPECT_TRUE(exits_.empty());  // nobody was listening

  const Adoption adopted = launcher_.Adopt(running.pid, running.start_ticks, running.status_path,
                                           Collect("running"));
  EXPECT_EQ(adopted.outcome, Adoption::Outcome::kRunning);
  const Adoption ended = launcher_.Adopt(ends.pid, ends.start_ticks, ends.status_path, nullptr);
  EXPECT_EQ(ended.outcome, Adoption::Outcome::kExited);
  EXPECT_EQ(ended.exit.exit_code, 1);
  ASSERT_TRUE(launcher_.ExitProcess(running.pid, 0).ok());
  loop_.RunUntilIdle();
  ASSERT_EQ(exits_.size(), 1u);
  EXPECT_EQ(exits_[0].first, "running");
}

TEST_F(SimProcessLauncherTest, AdoptsByStatusPath) {
  const ProcessHandle handle = MustLaunch("t1");
  launcher_.SimulateControlPlaneCrash();
  const Adoption adoption = launcher_.AdoptByStatusPath(handle.status_path, Collect("t1"));
  ASSERT_EQ(adoption.outcome, Adoption::Outcome::kRunning);
  EXPECT_EQ(adoption.handle.pid, handle.pid);
  EXPECT_EQ(launcher_.AdoptByStatusPath("/tasks/none/exit.json", nullptr).outcome,
            Adoption::Outcome::kGone);
}

TEST_F(SimProcessLauncherTest, WrongStartTicksAreNotAdopted) {
  const ProcessHandle handle = MustLaunch("t1");
  const Adoption adoption =
      launcher_.Adopt(handle.pid, handle.start_ticks + 1, handle.status_path, nullptr);
  EXPECT_EQ(adoption.outcome, Adoption::Outcome::kGone);
  EXPECT_FALSE(adoption.reason.empty());
  EXPECT_EQ(launcher_.Adopt(4242, 0, "/nowhere/exit.json", nullptr).outcome, Adoption::Outcome::kGone);
}

TEST_F(SimProcessLauncherTest, StatusPathsAreSingleUse) {
  const ProcessHandle handle = MustLaunch("t1");
  ASSERT_TRUE(launcher_.Signal(handle, SIGKILL).ok());
  EXPECT_EQ(launcher_.Launch(MakeSpec("t1"), nullptr).status().code(), StatusCode::kFailedPrecondition);
}

std::vector<std::string> RunSwarm() {
  SimClock clock(kLauncherStart);
  SimEventLoop loop(clock);
  SimProcessLauncher launcher(loop, clock);
  launcher.SetBehaviorPolicy([](const ProcessSpec& spec) {
    const int n = spec.task_id.back() - '0';
    return SimBehavior::ExitAfter(Seconds(n * 7 % 5 + 1), n);
  });
  std::vector<std::string> trace;
  for (int i = 0; i < 10; ++i) {
    const std::string id = "task" + std::to_string(i);
    (void)launcher.Launch(MakeSpec(id), [&trace, &clock, id](const ExitStatus& status) {
      trace.push_back(id + ":" + status.Describe() + "@" +
                      std::to_string((clock.Now() - kLauncherStart).count()));
    });
  }
  loop.Run();
  return trace;
}

TEST_F(SimProcessLauncherTest, IsDeterministic) {
  const std::vector<std::string> first = RunSwarm();
  EXPECT_EQ(first.size(), 10u);
  EXPECT_EQ(first, RunSwarm());
}

}  // namespace
}  // namespace drydock::runtime
