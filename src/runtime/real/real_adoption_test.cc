// A control plane that dies (here: a forked child that launches a task and
// _exits) leaves its tasks running; a new one adopts them by pid + start
// ticks and still learns how they end.
#include <gtest/gtest.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>

#include "runtime/real/proc_stat.h"
#include "runtime/real/real_process_launcher.h"
#include "runtime/testing/real_task_fixture.h"

namespace drydock::runtime {
namespace {

struct LaunchedInChild {
  int pid = 0;
  uint64_t start_ticks = 0;
  int task_pid = 0;
};

class RealAdoptionTest : public RealTaskTest {
 protected:

  // Forks a stand-in for init (a subreaper, so that the orphaned shim has a
  // parent that reaps it, as init would) which forks the "control plane":
  // it launches `spec`, reports the handle through a pipe and _exits without
  // any cleanup. The shim is then neither our child nor our grandchild's
  // child: exactly what a restarted control plane sees.
  LaunchedInChild LaunchFromDoomedControlPlane(const ProcessSpec& spec) {
    int fds[2];
    EXPECT_EQ(pipe(fds), 0);
    reaper_ = fork();
    if (reaper_ == 0) {
      close(fds[0]);
      prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
      if (fork() == 0) RunDoomedControlPlane(spec, fds[1]);
      close(fds[1]);
      // Reap the control plane, then the adopted shim, then leave.
      while (waitpid(-1, nullptr, 0) > 0 || errno == EINTR) {
      }
      _exit(0);
    }
    close(fds[1]);
    LaunchedInChild launched;
    const ssize_t got = read(fds[0], &launched, sizeof launched);
    close(fds[0]);
    EXPECT_EQ(got, static_cast<ssize_t>(sizeof launched));
    groups_.push_back(launched.pid);
    groups_.push_back(launched.task_pid);
    return launched;
  }

  [[noreturn]] static void RunDoomedControlPlane(const ProcessSpec& spec, int report_fd) {
    RealClock clock(1.0, RealClock::WallNow());
    Result<std::unique_ptr<RealEventLoop>> loop = RealEventLoop::Create(clock);
    LaunchedInChild launched;
    if (loop.ok()) {
      RealProcessLauncher launcher(**loop, Options());
      Result<ProcessHandle> handle = launcher.Launch(spec, nullptr);
      if (handle.ok()) launched = {handle->pid, handle->start_ticks, handle->task_pid};
    }
    [[maybe_unused]] ssize_t wrote = write(report_fd, &launched, sizeof launched);
    _exit(0);  // the crash: no destructors, no cleanup
  }

  int reaper_ = 0;
};

TEST_F(RealAdoptionTest, TaskSurvivesTheControlPlaneAndIsAdopted) {
  const std::string script = "echo before; " + WaitForFile("go") + "; echo after; exit 7";
  const ProcessSpec spec = Spec("survivor", {"/bin/sh", "-c", script});
  const LaunchedInChild launched = LaunchFromDoomedControlPlane(spec);
  ASSERT_GT(launched.pid, 0);
  // The control plane is gone; the shim has been reparented.
  ASSERT_TRUE(RunUntil([&] {
    Result<ProcStat> stat = ReadProcStat(launched.pid);
    return stat.ok() && stat->ppid == reaper_;
  }));

  const Adoption adoption = launcher_->Adopt(
      launched.pid, launched.start_ticks, spec.status_path,
      [this](const ExitStatus& status) { exits_.emplace_back("survivor", status); });
  ASSERT_EQ(adoption.outcome, Adoption::Outcome::kRunning) << adoption.reason;
  EXPECT_TRUE(launcher_->IsAlive(adoption.handle));

  Touch("go");
  ASSERT_TRUE(AwaitExit("survivor"));
  EXPECT_EQ(ExitOf("survivor")->kind, ExitStatus::Kind::kExited);
  EXPECT_EQ(ExitOf("survivor")->exit_code, 7);
  // Output written after the crash was still captured.
  EXPECT_EQ(Texts(ReadLog(spec.stdout_path), LogStream::kStdout),
            (std::vector<std::string>{"before", "after"}));
}

TEST_F(RealAdoptionTest, AdoptsByStatusPathAlone) {
  // The control plane died before it could record the shim's pid.
  const ProcessSpec spec = Spec("unrecorded", {"/bin/sh", "-c", WaitForFile("go") + "; exit 9"});
  const LaunchedInChild launched = LaunchFromDoomedControlPlane(spec);
  ASSERT_GT(launched.pid, 0);
  const Adoption adoption = launcher_->AdoptByStatusPath(
      spec.status_path, [this](const ExitStatus& status) { exits_.emplace_back("unrecorded", status); });
  ASSERT_EQ(adoption.outcome, Adoption::Outcome::kRunning) << adoption.reason;
  EXPECT_EQ(adoption.handle.pid, launched.pid);
  EXPECT_EQ(adoption.handle.start_ticks, launched.start_ticks);
  Touch("go");
  ASSERT_TRUE(AwaitExit("unrecorded"));
  EXPECT_EQ(ExitOf("unrecorded")->exit_code, 9);
  const Adoption never = launcher_->AdoptByStatusPath(dir_ + "/never-started.exit.json", nullptr);
  EXPECT_EQ(never.outcome, Adoption::Outcome::kGone);
  EXPECT_NE(never.reason.find("no task supervisor was started"), std::string::npos) << never.reason;
}

TEST_F(RealAdoptionTest, AdoptedTaskCanBeStopped) {
  const ProcessSpec spec = Spec("stoppable", {"/bin/sh", "-c", WaitForFile("never")});
  const LaunchedInChild launched = LaunchFromDoomedControlPlane(spec);
  ASSERT_GT(launched.pid, 0);
  const Adoption adoption = launcher_->Adopt(
      launched.pid, launched.start_ticks, spec.status_path,
      [this](const ExitStatus& status) { exits_.emplace_back("stoppable", status); });
  ASSERT_EQ(adoption.outcome, Adoption::Outcome::kRunning) << adoption.reason;
  ASSERT_TRUE(launcher_->Signal(adoption.handle, SIGTERM).ok());
  ASSERT_TRUE(AwaitExit("stoppable"));
  EXPECT_EQ(ExitOf("stoppable")->kind, ExitStatus::Kind::kSignaled);
  EXPECT_EQ(ExitOf("stoppable")->signal, SIGTERM);
}

TEST_F(RealAdoptionTest, WrongStartTicksAreNotAdopted) {
  const ProcessSpec spec = Spec("reused", {"/bin/sh", "-c", WaitForFile("go")});
  const LaunchedInChild launched = LaunchFromDoomedControlPlane(spec);
  ASSERT_GT(launched.pid, 0);
  const Adoption adoption =
      launcher_->Adopt(launched.pid, launched.start_ticks + 1, spec.status_path, nullptr);
  EXPECT_EQ(adoption.outcome, Adoption::Outcome::kGone);
  EXPECT_NE(adoption.reason.find("another process"), std::string::npos) << adoption.reason;
  EXPECT_EQ(launcher_->watched_count(), 0u);
  Touch("go");
  ASSERT_TRUE(RunUntil([&] { return !IsLiveProcess(launched.pid, launched.start_ticks); }));
}

TEST_F(RealAdoptionTest, TaskThatEndedWhileNobodyWatchedReportsItsStatus) {
  const ProcessSpec spec = Spec("ended", {"/bin/sh", "-c", "exit 4"});
  const LaunchedInChild launched = LaunchFromDoomedControlPlane(spec);
  ASSERT_GT(launched.pid, 0);
  ASSERT_TRUE(RunUntil([&] { return !IsLiveProcess(launched.pid, launched.start_ticks); }));
  const Adoption adoption = launcher_->Adopt(launched.pid, launched.start_ticks, spec.status_path, nullptr);
  ASSERT_EQ(adoption.outcome, Adoption::Outcome::kExited) << adoption.reason;
  EXPECT_EQ(adoption.exit.exit_code, 4);
}

TEST_F(RealAdoptionTest, VanishedSupervisorWithoutStatusIsGone) {
  const Adoption adoption = launcher_->Adopt(1 << 23, 12345, dir_ + "/none.exit.json", nullptr);
  EXPECT_EQ(adoption.outcome, Adoption::Outcome::kGone);
  EXPECT_NE(adoption.reason.find("died without recording"), std::string::npos) << adoption.reason;
}

}  // namespace
}  // namespace drydock::runtime
