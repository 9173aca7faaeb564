// Real tasks under real shims (drydock_test_shim). Each test bounds its waits
// (RealTaskTest::RunUntil) and kills every process group it started.
#include "runtime/real/real_process_launcher.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <csignal>
#include <fstream>

#include "runtime/real/cgroup.h"
#include "runtime/real/proc_stat.h"
#include "runtime/real/shim_protocol.h"
#include "runtime/testing/real_task_fixture.h"

namespace drydock::runtime {
namespace {

using RealProcessLauncherTest = RealTaskTest;

TEST_F(RealProcessLauncherTest, EnvironmentIsExactlyWhatWasGiven) {
  ProcessSpec spec = Spec("env", {"/usr/bin/env"});
  spec.env = {{"PORT", "8080"}, {"B", "two words"}, {"EMPTY", ""}};
  Result<ProcessHandle> handle = Launch(spec);
  ASSERT_TRUE(handle.ok()) << handle.status().message();
  ASSERT_TRUE(AwaitExit("env"));
  EXPECT_EQ(ExitOf("env")->kind, ExitStatus::Kind::kExited);
  EXPECT_EQ(Texts(ReadLog(spec.stdout_path), LogStream::kStdout),
            (std::vector<std::string>{"PORT=8080", "B=two words", "EMPTY="}));
}

TEST_F(RealProcessLauncherTest, OutputLinesAreTimestampedPerStream) {
  ProcessSpec spec = Spec("out", {"/bin/sh", "-c", "echo one; echo err >&2; echo two; printf tail"});
  spec.stderr_path = dir_ + "/stderr.log";
  const TimePoint before = RealClock::WallNow();
  ASSERT_TRUE(Launch(spec).ok());
  ASSERT_TRUE(AwaitExit("out"));
  const TimePoint after = RealClock::WallNow();
  const std::vector<LogLine> out = ReadLog(spec.stdout_path);
  const std::vector<LogLine> err = ReadLog(spec.stderr_path);
  EXPECT_EQ(Texts(out, LogStream::kStdout), (std::vector<std::string>{"one", "two", "tail"}));
  EXPECT_TRUE(Texts(out, LogStream::kStderr).empty());
  EXPECT_EQ(Texts(err, LogStream::kStderr), (std::vector<std::string>{"err"}));
  for (const LogLine& line : out) {
    // Loose: only that the stamp is this run's wall-clock time.
    EXPECT_GE(line.time, before - Seconds(60));
    EXPECT_LE(line.time, after + Seconds(60));
  }
  struct stat info{};
  ASSERT_EQ(stat(spec.stdout_path.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
}

TEST_F(RealProcessLauncherTest, ReportsExitCodeWorkingDirAndPathLookup) {
  // "sh" is a bare name: found through the default PATH, since env has none.
  ProcessSpec spec = Spec("code", {"sh", "-c", "pwd; exit 3"});
  ASSERT_TRUE(Launch(spec).ok());
  ASSERT_TRUE(AwaitExit("code"));
  EXPECT_EQ(ExitOf("code")->kind, ExitStatus::Kind::kExited);
  EXPECT_EQ(ExitOf("code")->exit_code, 3);
  EXPECT_EQ(Texts(ReadLog(spec.stdout_path), LogStream::kStdout), std::vector<std::string>{dir_});
  Result<ExitStatus> recorded = ReadExitStatusFile(spec.status_path);
  ASSERT_TRUE(recorded.ok());
  EXPECT_EQ(recorded->exit_code, 3);
}

TEST_F(RealProcessLauncherTest, ReportsDeathBySignal) {
  ASSERT_TRUE(Launch(Spec("sig", {"/bin/sh", "-c", "kill -SEGV $$"})).ok());
  ASSERT_TRUE(AwaitExit("sig"));
  EXPECT_EQ(ExitOf("sig")->kind, ExitStatus::Kind::kSignaled);
  EXPECT_EQ(ExitOf("sig")->signal, SIGSEGV);
  EXPECT_EQ(ExitOf("sig")->ContainerExitCode(), 128 + SIGSEGV);
}

TEST_F(RealProcessLauncherTest, ForwardsSigtermToTheTask) {
  const std::string script = "trap 'echo got TERM; exit 42' TERM; echo ready; " + WaitForFile("never");
  ProcessSpec spec = Spec("term", {"/bin/sh", "-c", script});
  Result<ProcessHandle> handle = Launch(spec);
  ASSERT_TRUE(handle.ok()) << handle.status().message();
  ASSERT_TRUE(RunUntil([&] { return !ReadLog(spec.stdout_path).empty(); }));  // trap installed
  EXPECT_TRUE(launcher_->IsAlive(*handle));
  ASSERT_TRUE(launcher_->Signal(*handle, SIGTERM).ok());
  ASSERT_TRUE(AwaitExit("term"));
  EXPECT_EQ(ExitOf("term")->kind, ExitStatus::Kind::kExited);
  EXPECT_EQ(ExitOf("term")->exit_code, 42);
  EXPECT_EQ(Texts(ReadLog(spec.stdout_path), LogStream::kStdout),
            (std::vector<std::string>{"ready", "got TERM"}));
  EXPECT_FALSE(launcher_->IsAlive(*handle));
  EXPECT_EQ(launcher_->Signal(*handle, SIGTERM).code(), StatusCode::kNotFound);
}

TEST_F(RealProcessLauncherTest, SigkillTakesTheWholeProcessGroup) {
  // The task ignores SIGTERM and has a background child.
  const std::string script = "trap '' TERM; sleep 30 & echo $!; " + WaitForFile("never");
  ProcessSpec spec = Spec("kill", {"/bin/sh", "-c", script});
  Result<ProcessHandle> handle = Launch(spec);
  ASSERT_TRUE(handle.ok()) << handle.status().message();
  ASSERT_TRUE(RunUntil([&] { return !ReadLog(spec.stdout_path).empty(); }));
  const int child = std::stoi(ReadLog(spec.stdout_path)[0].text);
  Result<ProcStat> child_stat = ReadProcStat(child);
  ASSERT_TRUE(child_stat.ok());
  ASSERT_TRUE(launcher_->Signal(*handle, SIGTERM).ok());  // ignored
  ASSERT_TRUE(launcher_->Signal(*handle, SIGKILL).ok());
  ASSERT_TRUE(AwaitExit("kill"));
  EXPECT_EQ(ExitOf("kill")->kind, ExitStatus::Kind::kSignaled);
  EXPECT_EQ(ExitOf("kill")->signal, SIGKILL);
  EXPECT_FALSE(IsLiveProcess(child, child_stat->start_ticks));
}

TEST_F(RealProcessLauncherTest, RefusesSignalsItCannotDeliver) {
  Result<ProcessHandle> handle = Launch(Spec("stop", {"/bin/sh", "-c", WaitForFile("go")}));
  ASSERT_TRUE(handle.ok());
  EXPECT_EQ(launcher_->Signal(*handle, SIGSTOP).code(), StatusCode::kInvalidArgument);
  Touch("go");
  ASSERT_TRUE(AwaitExit("stop"));
}

TEST_F(RealProcessLauncherTest, ExecFailureIsAnActionableError) {
  ProcessSpec spec = Spec("missing", {"/nonexistent/program", "x"});
  Result<ProcessHandle> handle = Launch(spec);
  ASSERT_FALSE(handle.ok());
  EXPECT_EQ(handle.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(handle.status().message().find("cannot execute '/nonexistent/program'"), std::string::npos)
      << handle.status().message();
  ProcessSpec not_found = Spec("nopath", {"no-such-program-drydock"});
  EXPECT_NE(Launch(not_found).status().message().find("not found in PATH"), std::string::npos);
  ProcessSpec bad_dir = Spec("baddir", {"/bin/true"});
  bad_dir.working_dir = dir_ + "/absent";
  EXPECT_NE(Launch(bad_dir).status().message().find("cannot change to working directory"),
            std::string::npos);
  // The failed start is recorded for an adopter too; the shims are reaped.
  ASSERT_TRUE(RunUntil([&] { return launcher_->watched_count() == 0; }));
  Result<ExitStatus> recorded = ReadExitStatusFile(spec.status_path);
  ASSERT_TRUE(recorded.ok());
  EXPECT_EQ(recorded->kind, ExitStatus::Kind::kFailedToStart);
}

TEST_F(RealProcessLauncherTest, RefusesBadSpecsAndReusedStatusFiles) {
  ProcessSpec spec = Spec("bad id", {"/bin/true"});
  EXPECT_EQ(Launch(spec).status().code(), StatusCode::kInvalidArgument);
  spec = Spec("reuse", {"/bin/true"});
  ASSERT_TRUE(Launch(spec).ok());
  ASSERT_TRUE(AwaitExit("reuse"));
  EXPECT_EQ(Launch(spec).status().code(), StatusCode::kFailedPrecondition);
}

TEST_F(RealProcessLauncherTest, WorksWithoutPidfdsByPollingProc) {
  launcher_ = std::make_unique<RealProcessLauncher>(*loop_, Options(/*use_pidfd=*/false));
  ASSERT_TRUE(Launch(Spec("polled", {"/bin/sh", "-c", "exit 5"})).ok());
  ASSERT_TRUE(AwaitExit("polled"));
  EXPECT_EQ(ExitOf("polled")->exit_code, 5);
  EXPECT_EQ(launcher_->watched_count(), 0u);
}

TEST_F(RealProcessLauncherTest, ShimKilledWithoutStatusIsReportedLostAndTakesTheTask) {
  Result<ProcessHandle> handle = Launch(Spec("lost", {"/bin/sh", "-c", WaitForFile("never")}));
  ASSERT_TRUE(handle.ok());
  Result<ProcStat> task = ReadProcStat(handle->task_pid);
  ASSERT_TRUE(task.ok());
  ASSERT_EQ(kill(handle->pid, SIGKILL), 0);
  ASSERT_TRUE(AwaitExit("lost"));
  EXPECT_EQ(ExitOf("lost")->kind, ExitStatus::Kind::kLost);
  EXPECT_NE(ExitOf("lost")->message.find("without writing"), std::string::npos);
  EXPECT_FALSE(ExitOf("lost")->ContainerExitCode().has_value());
  // An unsupervised task would have no logs and no status: it dies with its shim.
  EXPECT_TRUE(RunUntil([&] { return !IsLiveProcess(handle->task_pid, task->start_ticks); }));
}

using CgroupRealTest = RealTaskTest;

TEST_F(CgroupRealTest, LimitsAreAppliedAndCleanedUp) {
  // Unique per test process: concurrent test runs share the cgroup tree.
  const std::string id = "limited-" + std::to_string(getpid());
  ProcessSpec spec = Spec(id, {"/bin/sh", "-c", "echo started; " + WaitForFile("go")});
  spec.limits = {256, 64};
  Result<ProcessHandle> handle = Launch(spec);
  ASSERT_TRUE(handle.ok()) << handle.status().message();
  if (!handle->limits_note.empty()) {
    Touch("go");
    GTEST_SKIP() << "cgroups not writable here: " << handle->limits_note;
  }
  const CgroupLayout layout = DetectCgroupLayout();
  std::vector<std::pair<std::string, std::string>> expected;  // file -> value
  std::vector<std::string> dirs;
  if (layout.version == CgroupVersion::kV1) {
    dirs = {layout.cpu_dir + "/drydock/" + id, layout.memory_dir + "/drydock/" + id};
    expected = {{dirs[0] + "/cpu.shares", "256"},
                {dirs[0] + "/cpu.cfs_quota_us", "25000"},
                {dirs[1] + "/memory.limit_in_bytes", std::to_string(64u << 20)}};
  } else {
    dirs = {layout.v2_dir + "/drydock/" + id};
    expected = {{dirs[0] + "/cpu.max", "25000 100000"},
                {dirs[0] + "/memory.max", std::to_string(64u << 20)}};
  }
  for (const auto& [file, value] : expected) {
    std::ifstream in(file);
    std::string text;
    std::getline(in, text);
    EXPECT_EQ(text, value) << file;
  }
  for (const std::string& dir : dirs) {
    std::ifstream procs(dir + "/cgroup.procs");
    std::string pid;
    std::getline(procs, pid);
    EXPECT_EQ(pid, std::to_string(handle->task_pid)) << dir;
  }
  Touch("go");
  ASSERT_TRUE(AwaitExit(id));
  for (const std::string& dir : dirs) EXPECT_FALSE(std::filesystem::exists(dir)) << dir;
}

}  // namespace
}  // namespace drydock::runtime
