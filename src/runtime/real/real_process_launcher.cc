#include "runtime/real/real_process_launcher.h"

#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <spawn.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cassert>
#include <cerrno>
#include <cmath>
#include <csignal>
#include <cstring>

#include "base/strings.h"
#include "runtime/real/proc_stat.h"
#include "runtime/real/shim_protocol.h"

namespace drydock::runtime {
namespace {

// Raw syscalls: glibc 2.36's <sys/pidfd.h> lacks extern "C" and cannot be
// linked from C++ (fixed in 2.37).
int PidfdOpen(int pid) { return static_cast<int>(syscall(SYS_pidfd_open, pid, 0)); }

int PidfdSendSignal(int pidfd, int signal) {
  return static_cast<int>(syscall(SYS_pidfd_send_signal, pidfd, signal, nullptr, 0));
}

bool FileExists(const std::string& path) { return access(path.c_str(), F_OK) == 0; }

bool ParentDirExists(const std::string& path) {
  const std::string dir = path.substr(0, std::max<size_t>(1, path.find_last_of('/')));
  struct stat info{};
  return stat(dir.c_str(), &info) == 0 && S_ISDIR(info.st_mode);
}

bool PidfdReadable(int pidfd) {
  pollfd fd{pidfd, POLLIN, 0};
  return poll(&fd, 1, 0) > 0;
}

// A memfd holding the encoded spec, at an fd >= 10 (see SpawnShim).
Result<int> MakeSpecFd(const ProcessSpec& spec) {
  const std::string bytes = EncodeShimSpec(spec);
  const int memfd = memfd_create("drydock-shim-spec", MFD_CLOEXEC);
  if (memfd < 0) return IoError(ErrnoMessage("memfd_create"));
  std::string_view rest = bytes;
  while (!rest.empty()) {
    const ssize_t wrote = write(memfd, rest.data(), rest.size());
    if (wrote < 0 && errno == EINTR) continue;
    if (wrote <= 0) {
      Status status = IoError(ErrnoMessage("cannot write the shim spec"));
      close(memfd);
      return status;
    }
    rest.remove_prefix(static_cast<size_t>(wrote));
  }
  const int high = fcntl(memfd, F_DUPFD_CLOEXEC, 10);
  close(memfd);
  if (high < 0) return IoError(ErrnoMessage("fcntl(F_DUPFD_CLOEXEC)"));
  return high;
}

void InitSpawnAttributes(posix_spawnattr_t& attributes) {
  posix_spawnattr_init(&attributes);
  // A new session: no terminal signals, no process group shared with us.
  posix_spawnattr_setflags(&attributes, static_cast<short>(POSIX_SPAWN_SETSID | POSIX_SPAWN_SETSIGMASK |
                                                           POSIX_SPAWN_SETSIGDEF));
  sigset_t none;
  sigemptyset(&none);
  posix_spawnattr_setsigmask(&attributes, &none);
  sigset_t defaults;
  sigemptyset(&defaults);
  for (int signo = 1; signo <= SIGRTMAX; ++signo) {
    if (signo != SIGKILL && signo != SIGSTOP) sigaddset(&defaults, signo);  // glibc skips its own
  }
  posix_spawnattr_setsigdefault(&attributes, &defaults);
}

}  // namespace

std::vector<std::string> RealProcessLauncher::DefaultShimCommand() {
  char buffer[PATH_MAX];
  const ssize_t length = readlink("/proc/self/exe", buffer, sizeof buffer - 1);
  std::string exe = length > 0 ? std::string(buffer, static_cast<size_t>(length)) : "/proc/self/exe";
  return {exe, "shim"};
}

RealProcessLauncher::RealProcessLauncher(RealEventLoop& loop, Options options)
    : loop_(loop), options_(std::move(options)) {
  assert(!options_.shim_command.empty());
}

RealProcessLauncher::~RealProcessLauncher() {
  if (poll_timer_ != 0) loop_.Cancel(poll_timer_);
  for (auto& [pid, watch] : watches_) {
    if (watch.pidfd < 0) continue;
    loop_.Unwatch(watch.pidfd);
    close(watch.pidfd);
  }
}

Result<int> RealProcessLauncher::SpawnShim(const ProcessSpec& spec, int& report_fd) {
  Result<int> spec_fd = MakeSpecFd(spec);
  if (!spec_fd.ok()) return spec_fd.status();
  int pipe_fds[2];
  if (pipe2(pipe_fds, O_CLOEXEC) != 0) {
    close(*spec_fd);
    return IoError(ErrnoMessage("pipe2"));
  }
  // Above 4, so that no dup2 below has source == target (which would keep CLOEXEC).
  const int report_write = fcntl(pipe_fds[1], F_DUPFD_CLOEXEC, 10);
  close(pipe_fds[1]);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, *spec_fd, kShimSpecFd);
  posix_spawn_file_actions_adddup2(&actions, report_write, kShimReportFd);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
  posix_spawnattr_t attributes;
  InitSpawnAttributes(attributes);
  std::vector<std::string> args = options_.shim_command;
  for (const char* extra : {"--spec-fd", "3", "--report-fd", "4"}) args.emplace_back(extra);
  std::vector<char*> argv;
  for (std::string& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  char* envp[] = {nullptr};
  pid_t pid = 0;
  const int error = posix_spawn(&pid, argv[0], &actions, &attributes, argv.data(), envp);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  close(*spec_fd);
  close(report_write);
  if (error != 0) {
    close(pipe_fds[0]);
    return Status(StatusCode::kUnavailable, "cannot start the task supervisor '" + args[0] +
                                                "': " + std::strerror(error));
  }
  report_fd = pipe_fds[0];
  return static_cast<int>(pid);
}

Result<std::string> RealProcessLauncher::AwaitReport(int report_fd, int shim_pid) {
  // Real time on purpose: this bounds a local fork/exec, not an AWS duration.
  const auto deadline = std::chrono::steady_clock::now() + options_.start_timeout;
  std::string text;
  char buffer[4096];
  for (;;) {
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    pollfd fd{report_fd, POLLIN, 0};
    const int ready = left.count() > 0 ? poll(&fd, 1, static_cast<int>(left.count())) : 0;
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) {
      kill(shim_pid, SIGKILL);
      return Status(StatusCode::kUnavailable,
                    "the task supervisor did not report within " +
                        std::to_string(options_.start_timeout.count()) + " ms; it was killed");
    }
    const ssize_t got = read(report_fd, buffer, sizeof buffer);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) return text;
    text.append(buffer, static_cast<size_t>(got));
  }
}

Result<ProcessHandle> RealProcessLauncher::Launch(const ProcessSpec& spec, ExitCallback on_exit) {
  DRYDOCK_RETURN_IF_ERROR(ValidateProcessSpec(spec));
  if (FileExists(spec.status_path)) {
    return Status(StatusCode::kFailedPrecondition,
                  "status file " + spec.status_path + " already exists; use a fresh path per launch");
  }
  if (!ParentDirExists(spec.status_path)) {
    return InvalidArgument("the directory of status file " + spec.status_path + " does not exist");
  }
  int report_fd = -1;
  Result<int> pid = SpawnShim(spec, report_fd);
  if (!pid.ok()) return pid.status();
  Result<std::string> text = AwaitReport(report_fd, *pid);
  close(report_fd);
  Result<ShimReport> report = text.ok() ? DecodeShimReport(*text) : Result<ShimReport>(text.status());
  // Our unreaped child: its stat stays readable even if it has already exited.
  Result<ProcStat> stat = ReadProcStat(*pid);
  ProcessHandle handle;
  handle.pid = *pid;
  handle.start_ticks = stat.ok() ? stat->start_ticks : 0;
  handle.status_path = spec.status_path;
  const int pidfd = options_.use_pidfd ? PidfdOpen(*pid) : -1;
  if (!report.ok() || !report->started) {
    (void)StartWatching(handle, pidfd, /*is_child=*/true, nullptr);  // only to reap it
    if (!report.ok()) return report.status();
    return Status(report->code, "cannot start task " + spec.task_id + ": " + report->message);
  }
  handle.task_pid = report->task_pid;
  handle.limits_note = report->note;
  DRYDOCK_RETURN_IF_ERROR(StartWatching(handle, pidfd, /*is_child=*/true, std::move(on_exit)));
  return handle;
}

Status RealProcessLauncher::StartWatching(const ProcessHandle& handle, int pidfd, bool is_child,
                                          ExitCallback on_exit) {
  Watch watch{handle, pidfd, is_child, std::move(on_exit)};
  const int pid = handle.pid;
  if (pidfd >= 0 && !loop_.WatchReadable(pidfd, [this, pid] { OnShimExited(pid); }).ok()) {
    close(pidfd);
    watch.pidfd = -1;
  }
  const bool polled = watch.pidfd < 0;
  watches_[pid] = std::move(watch);
  if (polled) EnsurePolling();
  return Status::Ok();
}

void RealProcessLauncher::OnShimExited(int pid) {
  auto it = watches_.find(pid);
  if (it == watches_.end()) return;
  Watch watch = std::move(it->second);
  watches_.erase(it);
  if (watch.pidfd >= 0) {
    loop_.Unwatch(watch.pidfd);
    close(watch.pidfd);
  }
  if (watch.is_child) waitpid(pid, nullptr, WNOHANG);
  if (!watch.on_exit) return;
  Result<ExitStatus> status = ReadExitStatusFile(watch.handle.status_path);
  if (status.ok()) {
    watch.on_exit(*status);
    return;
  }
  ExitStatus lost;
  lost.kind = ExitStatus::Kind::kLost;
  lost.message = status.status().code() == StatusCode::kNotFound
                     ? "task supervisor " + std::to_string(pid) + " ended without writing " +
                           watch.handle.status_path + " (was it killed?); the task's exit is unknown"
                     : status.status().message();
  watch.on_exit(lost);
}

void RealProcessLauncher::EnsurePolling() {
  if (poll_timer_ != 0) return;
  const bool any = std::any_of(watches_.begin(), watches_.end(),
                               [](const auto& entry) { return entry.second.pidfd < 0; });
  if (!any) return;
  // poll_interval is real time; timers take cluster time.
  const double cluster_ms =
      static_cast<double>(options_.poll_interval.count()) * loop_.clock().time_scale();
  const Duration interval(std::max<int64_t>(1, static_cast<int64_t>(std::llround(cluster_ms))));
  poll_timer_ = loop_.ScheduleAfter(interval, [this] { PollShims(); });
}

void RealProcessLauncher::PollShims() {
  poll_timer_ = 0;
  std::vector<int> exited;
  for (const auto& [pid, watch] : watches_) {
    if (watch.pidfd < 0 && !IsLiveProcess(pid, watch.handle.start_ticks)) exited.push_back(pid);
  }
  for (int pid : exited) OnShimExited(pid);
  EnsurePolling();
}

Adoption RealProcessLauncher::FinishedAdoption(const std::string& status_path,
                                               const std::string& gone_reason) {
  Adoption adoption;
  Result<ExitStatus> status = ReadExitStatusFile(status_path);
  if (status.ok()) {
    adoption.outcome = Adoption::Outcome::kExited;
    adoption.exit = *status;
    return adoption;
  }
  adoption.outcome = Adoption::Outcome::kGone;
  adoption.reason = gone_reason + "; " +
                    (status.status().code() == StatusCode::kNotFound
                         ? "no exit status at " + status_path +
                               ": the task's supervisor died without recording how the task ended"
                         : status.status().message());
  return adoption;
}

Adoption RealProcessLauncher::Adopt(int pid, uint64_t start_ticks, const std::string& status_path,
                                    ExitCallback on_exit) {
  const std::string who = "task supervisor " + std::to_string(pid);
  if (pid <= 0) return FinishedAdoption(status_path, "invalid pid " + std::to_string(pid));
  // Open the pidfd before checking the identity: if the check passes and the
  // pidfd is not yet readable, the pidfd refers to the process we checked.
  const int pidfd = options_.use_pidfd ? PidfdOpen(pid) : -1;
  Result<ProcStat> stat = ReadProcStat(pid);
  std::string problem;
  if (!stat.ok()) {
    problem = "no process " + std::to_string(pid);
  } else if (stat->start_ticks != start_ticks) {
    problem = "pid " + std::to_string(pid) + " now belongs to another process (start ticks " +
              std::to_string(stat->start_ticks) + ", recorded " + std::to_string(start_ticks) + ")";
  } else if (stat->state == 'Z' || stat->state == 'X' || (pidfd >= 0 && PidfdReadable(pidfd))) {
    problem = who + " has exited";
  } else if (FileExists(status_path)) {
    problem = who + " is finishing";  // the task has ended; the status is what counts
  }
  if (!problem.empty()) {
    if (pidfd >= 0) close(pidfd);
    return FinishedAdoption(status_path, problem);
  }
  if (auto it = watches_.find(pid); it != watches_.end()) {
    if (pidfd >= 0) close(pidfd);
    it->second.on_exit = std::move(on_exit);  // already watched: take over the callback
    return Adoption{Adoption::Outcome::kRunning, it->second.handle, {}, ""};
  }
  ProcessHandle handle{pid, start_ticks, 0, status_path, ""};
  (void)StartWatching(handle, pidfd, stat->ppid == getpid(), std::move(on_exit));
  return Adoption{Adoption::Outcome::kRunning, handle, {}, ""};
}

Adoption RealProcessLauncher::AdoptByStatusPath(const std::string& status_path,
                                                ExitCallback on_exit) {
  Result<ShimIdentity> identity = ReadShimIdentityFile(ShimIdentityPath(status_path));
  if (identity.ok()) return Adopt(identity->pid, identity->start_ticks, status_path, std::move(on_exit));
  const std::string reason = identity.status().code() == StatusCode::kNotFound
                                 ? "no task supervisor was started for " + status_path
                                 : identity.status().message();
  return FinishedAdoption(status_path, reason);
}

Status RealProcessLauncher::Signal(const ProcessHandle& handle, int signal) {
  if (signal != SIGKILL && !IsForwardedSignal(signal)) {
    return InvalidArgument(SignalName(signal) + " cannot be sent to a task; use SIGTERM, SIGINT, "
                           "SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2 or SIGKILL");
  }
  if (!IsLiveProcess(handle.pid, handle.start_ticks)) {
    return NotFound("task supervisor " + std::to_string(handle.pid) + " is not running");
  }
  // SIGKILL cannot be forwarded; the shim turns its kill request into it.
  const int sent = signal == SIGKILL ? ShimKillSignal() : signal;
  auto it = watches_.find(handle.pid);
  const bool via_pidfd = it != watches_.end() && it->second.pidfd >= 0;
  const int result = via_pidfd ? PidfdSendSignal(it->second.pidfd, sent)
                               : kill(handle.pid, sent);
  if (result == 0) return Status::Ok();
  if (errno == ESRCH) return NotFound("task supervisor " + std::to_string(handle.pid) + " is not running");
  return IoError(ErrnoMessage("cannot signal task supervisor " + std::to_string(handle.pid)));
}

bool RealProcessLauncher::IsAlive(const ProcessHandle& handle) {
  return IsLiveProcess(handle.pid, handle.start_ticks) && !FileExists(handle.status_path);
}

}  // namespace drydock::runtime
