// What the control plane and a task's shim exchange (docs/runtime.md):
//  - the spec, control plane -> shim, through an anonymous memfd on the
//    shim's fd 3 (never argv, which any user can read in /proc);
//  - the start report, shim -> control plane, one message on a pipe at fd 4;
//  - the exit status, shim -> whoever watches, in an exit.json file written
//    atomically (write, fsync, rename) before the shim exits;
//  - the kill request: SIGKILL cannot be forwarded, so the control plane
//    sends ShimKillSignal() and the shim kills the task's group and cgroup.
#pragma once

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
// Writes `status` to `path` atomically (0600). kIo says what failed.
Status WriteExitStatusFile(const std::string& path, const ExitStatus& status, int task_pid);
// kNotFound if the file does not exist (the task has not ended, or its shim
// died before writing it); kInvalidArgument if it is corrupt.
Result<ExitStatus> ReadExitStatusFile(const std::string& path);

}  // namespace drydock::runtime
