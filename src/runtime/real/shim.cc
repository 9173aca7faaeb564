#include "runtime/real/shim.h"

#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "base/strings.h"
#include "runtime/log_format.h"
#include "runtime/real/cgroup.h"
#include "runtime/real/proc_stat.h"
#include "runtime/real/real_clock.h"
#include "runtime/real/shim_protocol.h"

namespace drydock::runtime {
namespace {

using SteadyClock = std::chrono::steady_clock;

// How long output is still collected after the task has exited.
constexpr std::chrono::milliseconds kDrainTime{1000};
constexpr const char* kDefaultPath = "/usr/local/bin:/usr/bin:/bin";

enum ChildStage : int { kStageChdir = 1, kStageExec = 2 };

bool ParseFdFlag(int argc, char** argv, const char* flag, int& out) {
  for (int i = 1; i + 1 < argc; ++i) {
    if (std::strcmp(argv[i], flag) == 0) {
      char* end = nullptr;
      const long value = std::strtol(argv[i + 1], &end, 10);
      if (end == argv[i + 1] || *end != '\0' || value < 0 || value > 1 << 20) return false;
      out = static_cast<int>(value);
      return true;
    }
  }
  return true;  // absent: keep the default
}

Result<std::string> ReadSpecBytes(int fd) {
  std::string bytes;
  char buffer[8192];
  off_t offset = 0;
  for (;;) {
    const ssize_t got = pread(fd, buffer, sizeof buffer, offset);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) return IoError(ErrnoMessage("cannot read the shim spec"));
    if (got == 0) return bytes;
    bytes.append(buffer, static_cast<size_t>(got));
    offset += got;
  }
}

// Closes every inherited fd >= 3 except `keep_a` and `keep_b`.
void CloseInheritedFds(int keep_a, int keep_b) {
  const int low = std::min(keep_a, keep_b), high = std::max(keep_a, keep_b);
  if (low > 3) close_range(3, static_cast<unsigned>(low - 1), 0);
  if (high > low + 1) close_range(static_cast<unsigned>(low + 1), static_cast<unsigned>(high - 1), 0);
  close_range(static_cast<unsigned>(high + 1), ~0U, 0);
}

std::string EnvValue(const ProcessSpec& spec, const std::string& name) {
  for (const auto& [key, value] : spec.env) {
    if (key == name) return value;
  }
  return "";
}

// argv[0] as execve needs it: a path is used as is (relative to the working
// directory), a bare name is looked up in the task's own PATH.
Result<std::string> ResolveProgram(const ProcessSpec& spec) {
  const std::string& name = spec.argv[0];
  if (name.find('/') != std::string::npos) return name;
  std::string path = EnvValue(spec, "PATH");
  if (path.empty()) path = kDefaultPath;
  size_t start = 0;
  while (start <= path.size()) {
    const size_t end = std::min(path.find(':', start), path.size());
    std::string dir = path.substr(start, end - start);
    if (dir.empty()) dir = ".";
    if (dir[0] != '/') dir = spec.working_dir + "/" + dir;
    const std::string candidate = dir + "/" + name;
    struct stat info{};
    if (stat(candidate.c_str(), &info) == 0 && S_ISREG(info.st_mode) &&
        access(candidate.c_str(), X_OK) == 0) {
      return candidate;
    }
    start = end + 1;
  }
  return Status(StatusCode::kFailedPrecondition,
                "cannot execute '" + name + "': not found in PATH=" + path +
                    "; use an absolute path or set PATH in the task's environment");
}

// Everything the forked child needs, built before fork() so that the child
// makes only async-signal-safe calls.
struct ExecPlan {
  std::string program;
  std::string working_dir;
  std::vector<std::string> strings;
  std::vector<char*> argv;
  std::vector<char*> envp;
};

ExecPlan MakeExecPlan(const ProcessSpec& spec, std::string program) {
  ExecPlan plan;
  plan.program = std::move(program);
  plan.working_dir = spec.working_dir;
  plan.strings = spec.argv;
  for (const auto& [name, value] : spec.env) plan.strings.push_back(name + "=" + value);
  for (size_t i = 0; i < plan.strings.size(); ++i) {
    (i < spec.argv.size() ? plan.argv : plan.envp).push_back(plan.strings[i].data());
  }
  plan.argv.push_back(nullptr);
  plan.envp.push_back(nullptr);
  return plan;
}

struct ChildFds {
  int go_read, go_write, error_write, stdout_write, stderr_write, dev_null;
};

[[noreturn]] void FailChild(int error_fd, int stage) {
  const int report[2] = {stage, errno};
  [[maybe_unused]] ssize_t wrote = write(error_fd, report, sizeof report);
  _exit(127);
}

// Runs in the forked child: waits until the shim has placed it in its
// cgroup, then becomes the task.
[[noreturn]] void ExecChild(const ExecPlan& plan, const ChildFds& fds, pid_t shim_pid) {
  setpgid(0, 0);
  // The task dies with its shim: a task nobody supervises (no log capture,
  // no exit status) must not linger. A kill -9 of the control plane does not
  // touch the shim, so tasks survive that.
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (getppid() != shim_pid) _exit(127);  // the shim died before prctl
  close(fds.go_write);
  char byte;
  while (read(fds.go_read, &byte, 1) < 0 && errno == EINTR) {
  }
  if (chdir(plan.working_dir.c_str()) != 0) FailChild(fds.error_write, kStageChdir);
  dup2(fds.dev_null, STDIN_FILENO);
  dup2(fds.stdout_write, STDOUT_FILENO);
  dup2(fds.stderr_write, STDERR_FILENO);
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);
  signal(SIGPIPE, SIG_DFL);
  close_range(3, ~0U, CLOSE_RANGE_CLOEXEC);
  execve(plan.program.c_str(), plan.argv.data(), plan.envp.data());
  FailChild(fds.error_write, kStageExec);
}

class Shim {
 public:
  Shim(ProcessSpec spec, int report_fd) : spec_(std::move(spec)), report_fd_(report_fd) {}
  int Run();

 private:
  Status OpenLogs();
  Status WriteIdentity();
  Status BlockSignals();
  Status StartTask();
  Status ForkTask(const ExecPlan& plan, int pipes[4][2]);
  void Report(const ShimReport& report);
  void Pump();
  void OnSignals();
  void OnOutput(int index);
  void Emit(LogStream stream, std::string_view text, bool partial);
  void Reap();
  void RecordExit(int wait_status);
  void KillEverything();
  void KillAdoptedOrphans();
  int Finish();

  ProcessSpec spec_;
  int report_fd_;
  int log_fds_[2] = {-1, -1};
  int output_fds_[2] = {-1, -1};
  LogLineSplitter splitters_[2];
  int signal_fd_ = -1;
  int task_pid_ = 0;
  TaskCgroup cgroup_;
  std::optional<ExitStatus> exit_;
  SteadyClock::time_point drain_deadline_;
};

int Shim::Run() {
  signal(SIGPIPE, SIG_IGN);  // a dead control plane must not kill us via the report pipe
  // Signals first: from here on SIGTERM is forwarded, not fatal to the shim.
  Status status = BlockSignals();
  if (status.ok()) status = OpenLogs();
  if (status.ok()) status = WriteIdentity();
  if (status.ok()) {
    cgroup_ = TaskCgroup::Create(DetectCgroupLayout(), spec_.task_id, spec_.limits);
    status = StartTask();
  }
  if (!status.ok()) {
    Report({false, 0, "", status.code(), status.message()});
    exit_ = ExitStatus{ExitStatus::Kind::kFailedToStart, 0, 0, RealClock::WallNow(), status.message()};
    return Finish();
  }
  Report({true, task_pid_, cgroup_.note(), StatusCode::kOk, ""});
  Pump();
  return Finish();
}

Status Shim::OpenLogs() {
  const int flags = O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC;
  log_fds_[0] = open(spec_.stdout_path.c_str(), flags, 0600);
  if (log_fds_[0] < 0) return IoError(ErrnoMessage("cannot open log file " + spec_.stdout_path));
  if (spec_.stderr_path == spec_.stdout_path) {
    log_fds_[1] = log_fds_[0];
    return Status::Ok();
  }
  log_fds_[1] = open(spec_.stderr_path.c_str(), flags, 0600);
  if (log_fds_[1] < 0) return IoError(ErrnoMessage("cannot open log file " + spec_.stderr_path));
  return Status::Ok();
}

// Lets a restarted control plane find this shim from the status path alone
// (it may have died between starting us and recording our pid).
Status Shim::WriteIdentity() {
  Result<ProcStat> self = ReadProcStat(getpid());
  if (!self.ok()) return self.status();
  return WriteShimIdentityFile(ShimIdentityPath(spec_.status_path), getpid(), self->start_ticks);
}

Status Shim::BlockSignals() {
  sigset_t mask;
  sigemptyset(&mask);
  for (int signo : {SIGCHLD, SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2}) sigaddset(&mask, signo);
  sigaddset(&mask, ShimKillSignal());
  if (sigprocmask(SIG_BLOCK, &mask, nullptr) != 0) return IoError(ErrnoMessage("sigprocmask"));
  signal_fd_ = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
  if (signal_fd_ < 0) return IoError(ErrnoMessage("signalfd"));
  // Orphans of the task (daemonized grandchildren) become our children, so
  // that they can be killed and reaped when the task ends.
  prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
  return Status::Ok();
}

Status Shim::StartTask() {
  Result<std::string> program = ResolveProgram(spec_);
  if (!program.ok()) return program.status();
  const ExecPlan plan = MakeExecPlan(spec_, std::move(*program));
  int pipes[4][2];  // stdout, stderr, go, exec error
  for (auto& pipe_fds : pipes) {
    if (pipe2(pipe_fds, O_CLOEXEC) != 0) return IoError(ErrnoMessage("pipe2"));
  }
  Status forked = ForkTask(plan, pipes);
  if (!forked.ok()) return forked;
  output_fds_[0] = pipes[0][0];
  output_fds_[1] = pipes[1][0];
  // The child holds the go pipe until it is in its cgroup.
  setpgid(task_pid_, task_pid_);
  cgroup_.AddProcess(task_pid_);
  close(pipes[2][1]);
  int failure[2] = {0, 0};
  ssize_t got;
  while ((got = read(pipes[3][0], failure, sizeof failure)) < 0 && errno == EINTR) {
  }
  close(pipes[3][0]);
  if (got <= 0) return Status::Ok();  // EOF: execve succeeded
  Reap();
  const std::string what = failure[0] == kStageChdir
                               ? "cannot change to working directory '" + spec_.working_dir + "'"
                               : "cannot execute '" + plan.program + "'";
  return Status(StatusCode::kFailedPrecondition, what + ": " + std::strerror(failure[1]));
}

Status Shim::ForkTask(const ExecPlan& plan, int pipes[4][2]) {
  const int dev_null = open("/dev/null", O_RDWR | O_CLOEXEC);
  if (dev_null < 0) return IoError(ErrnoMessage("cannot open /dev/null"));
  const pid_t shim_pid = getpid();
  const pid_t pid = fork();
  if (pid < 0) return IoError(ErrnoMessage("fork"));
  if (pid == 0) {
    ExecChild(plan, {pipes[2][0], pipes[2][1], pipes[3][1], pipes[0][1], pipes[1][1], dev_null},
              shim_pid);
  }
  task_pid_ = pid;
  close(dev_null);
  for (int fd : {pipes[0][1], pipes[1][1], pipes[2][0], pipes[3][1]}) close(fd);
  return Status::Ok();
}

void Shim::Report(const ShimReport& report) {
  const std::string text = EncodeShimReport(report);
  [[maybe_unused]] ssize_t wrote = write(report_fd_, text.data(), text.size());
  close(report_fd_);
}

void Shim::Pump() {
  for (;;) {
    int timeout_ms = -1;
    if (exit_) {
      const bool drained = output_fds_[0] < 0 && output_fds_[1] < 0;
      const auto left = std::chrono::ceil<std::chrono::milliseconds>(drain_deadline_ - SteadyClock::now());
      if (drained || left.count() <= 0) return;
      timeout_ms = static_cast<int>(left.count());
    }
    pollfd fds[3] = {{signal_fd_, POLLIN, 0}, {output_fds_[0], POLLIN, 0}, {output_fds_[1], POLLIN, 0}};
    if (poll(fds, 3, timeout_ms) < 0 && errno != EINTR) return;
    if (fds[0].revents != 0) OnSignals();
    for (int index = 0; index < 2; ++index) {
      if (fds[index + 1].revents != 0) OnOutput(index);
    }
  }
}

void Shim::OnSignals() {
  signalfd_siginfo info{};
  while (read(signal_fd_, &info, sizeof info) == static_cast<ssize_t>(sizeof info)) {
    const int signo = static_cast<int>(info.ssi_signo);
    if (signo == SIGCHLD) {
      Reap();
    } else if (signo == ShimKillSignal()) {
      if (!exit_) KillEverything();
    } else if (!exit_ && IsForwardedSignal(signo)) {
      kill(task_pid_, signo);
    }
  }
}

void Shim::OnOutput(int index) {
  char buffer[65536];
  const ssize_t got = read(output_fds_[index], buffer, sizeof buffer);
  if (got < 0 && (errno == EINTR || errno == EAGAIN)) return;
  const LogStream stream = index == 0 ? LogStream::kStdout : LogStream::kStderr;
  const auto emit = [&](std::string_view text, bool partial) { Emit(stream, text, partial); };
  if (got > 0) {
    splitters_[index].Feed(std::string_view(buffer, static_cast<size_t>(got)), emit);
    return;
  }
  splitters_[index].Flush(emit);
  close(output_fds_[index]);
  output_fds_[index] = -1;
}

void Shim::Emit(LogStream stream, std::string_view text, bool partial) {
  const std::string record = FormatLogLine({RealClock::WallNow(), stream, partial, std::string(text)});
  const int fd = log_fds_[stream == LogStream::kStdout ? 0 : 1];
  // One write per record: with O_APPEND, records of the two streams never interleave.
  std::string_view rest = record;
  while (!rest.empty()) {
    const ssize_t wrote = write(fd, rest.data(), rest.size());
    if (wrote < 0 && errno == EINTR) continue;
    if (wrote <= 0) return;  // disk full or similar: drop the line, keep the task running
    rest.remove_prefix(static_cast<size_t>(wrote));
  }
}

void Shim::Reap() {
  if (!exit_ && task_pid_ > 0) {
    // Peek first: while the task is an unreaped zombie its pid still pins the
    // process group id, so killing the group cannot hit a recycled id.
    siginfo_t info{};
    if (waitid(P_PID, static_cast<id_t>(task_pid_), &info, WEXITED | WNOHANG | WNOWAIT) == 0 &&
        info.si_pid == task_pid_) {
      kill(-task_pid_, SIGKILL);
    }
  }
  int status = 0;
  pid_t pid;
  while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
    if (pid == task_pid_ && !exit_) RecordExit(status);
  }
}

void Shim::RecordExit(int wait_status) {
  ExitStatus exit;
  exit.time = RealClock::WallNow();
  if (WIFSIGNALED(wait_status)) {
    exit.kind = ExitStatus::Kind::kSignaled;
    exit.signal = WTERMSIG(wait_status);
  } else {
    exit.kind = ExitStatus::Kind::kExited;
    exit.exit_code = WEXITSTATUS(wait_status);
  }
  exit_ = exit;
  drain_deadline_ = SteadyClock::now() + kDrainTime;
  // As when a container's init exits: nothing of the task outlives it.
  cgroup_.KillAll([this] { Reap(); });
  KillAdoptedOrphans();
}

void Shim::KillEverything() {
  kill(-task_pid_, SIGKILL);
  cgroup_.KillAll([this] { Reap(); });
  KillAdoptedOrphans();
}

void Shim::KillAdoptedOrphans() {
  DIR* proc = opendir("/proc");
  if (proc == nullptr) return;
  const int self = getpid();
  while (dirent* entry = readdir(proc)) {
    char* end = nullptr;
    const long pid = std::strtol(entry->d_name, &end, 10);
    if (end == entry->d_name || *end != '\0' || pid == task_pid_) continue;
    Result<ProcStat> stat = ReadProcStat(static_cast<int>(pid));
    if (stat.ok() && stat->ppid == self && stat->state != 'Z') kill(static_cast<pid_t>(pid), SIGKILL);
  }
  closedir(proc);
}

int Shim::Finish() {
  for (int index = 0; index < 2; ++index) {
    const LogStream stream = index == 0 ? LogStream::kStdout : LogStream::kStderr;
    splitters_[index].Flush([&](std::string_view text, bool partial) { Emit(stream, text, partial); });
    if (output_fds_[index] >= 0) close(output_fds_[index]);
  }
  Reap();
  // Removing the cgroup first means: once exit.json exists, nothing is left.
  cgroup_.Remove();
  const bool ok = WriteExitStatusFile(spec_.status_path, *exit_, task_pid_).ok();
  if (log_fds_[1] != log_fds_[0] && log_fds_[1] >= 0) close(log_fds_[1]);
  if (log_fds_[0] >= 0) close(log_fds_[0]);
  return ok ? 0 : 1;
}

}  // namespace

int RunShim(int argc, char** argv) {
  int spec_fd = kShimSpecFd;
  int report_fd = kShimReportFd;
  if (!ParseFdFlag(argc, argv, "--spec-fd", spec_fd) ||
      !ParseFdFlag(argc, argv, "--report-fd", report_fd) || spec_fd == report_fd) {
    return 2;
  }
  CloseInheritedFds(spec_fd, report_fd);
  Result<std::string> bytes = ReadSpecBytes(spec_fd);
  close(spec_fd);
  Result<ProcessSpec> spec = bytes.ok() ? DecodeShimSpec(*bytes) : Result<ProcessSpec>(bytes.status());
  if (!spec.ok()) {
    const std::string text = EncodeShimReport({false, 0, "", spec.status().code(), spec.status().message()});
    [[maybe_unused]] ssize_t wrote = write(report_fd, text.data(), text.size());
    return 2;
  }
  Shim shim(std::move(*spec), report_fd);
  return shim.Run();
}

}  // namespace drydock::runtime
