// What the control plane and a task's shim exchange (docs/runtime.md):
//  - the spec, control plane -> shim, through an anonymous memfd on the
//    shim's fd 3 (never argv, which any user can read in /proc);
//  - the start report, shim -> control plane, one message on a pipe at fd 4;
//  - the exit status, shim -> whoever watches, in an exit.json file written
//    atomically (write, fsync, rename) before the shim exits;
//  - the kill request: SIGKILL cannot be forwarded, so the control plane
//    sends ShimKillSignal() and the shim kills the task's group and cgroup.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/status.h"
#include "runtime/process_launcher.h"

namespace drydock::runtime {

inline constexpr int kShimSpecFd = 3;
inline constexpr int kShimReportFd = 4;

// SIGRTMIN + 2 (glibc reserves the first two real-time signals).
int ShimKillSignal();
// Signals the shim forwards to the task's main process.
bool IsForwardedSignal(int signal);

// NUL-separated "key\0value\0" records after a version tag.
std::string EncodeShimSpec(const ProcessSpec& spec);
Result<ProcessSpec> DecodeShimSpec(std::string_view bytes);

// The shim's one message after starting (or failing to start) the task.
struct ShimReport {
  bool started = false;
  int task_pid = 0;        // when started
  std::string note;        // when started: "" or "limits not enforced: ..."
  StatusCode code = StatusCode::kOk;  // when not started
  std::string message;     // when not started
};
// "started <pid>\n<note>" or "failed <code>\n<message>".
std::string EncodeShimReport(const ShimReport& report);
Result<ShimReport> DecodeShimReport(std::string_view text);

// exit.json: {"version":1,"taskPid":..,"kind":"exited|signaled|failed_to_start",
// "exitCode":n|null,"signal":n|null,"signalName":".."|null,"timeMs":..,
// "time":"RFC 3339","message":".."}
std::string ExitStatusToJson(const ExitStatus& status, int task_pid);
Result<ExitStatus> ExitStatusFromJson(std::string_view json);
// The shim's identity file, "<status_path>.shim": "<pid> <start_ticks>\n",
// written atomically before the task starts. With it a control plane that
// only recorded the status path can still adopt (AdoptByStatusPath).
std::string ShimIdentityPath(const std::string& status_path);
Status WriteShimIdentityFile(const std::string& path, int pid, uint64_t start_ticks);
struct ShimIdentity {
  int pid = 0;
  uint64_t start_ticks = 0;
};
// kNotFound if absent; kInvalidArgument if corrupt.
Result<ShimIdentity> ReadShimIdentityFile(const std::string& path);

// Writes `content` to `path` atomically: a 0600 temp file, fsync, rename,
// fsync of the directory. kIo says what failed.
Status WriteFileAtomically(const std::string& path, std::string_view content);
// Writes `status` to `path` atomically (0600). kIo says what failed.
Status WriteExitStatusFile(const std::string& path, const ExitStatus& status, int task_pid);
// kNotFound if the file does not exist (the task has not ended, or its shim
// died before writing it); kInvalidArgument if it is corrupt.
Result<ExitStatus> ReadExitStatusFile(const std::string& path);

}  // namespace drydock::runtime
