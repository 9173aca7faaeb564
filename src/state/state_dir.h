// The state directory (default ./.drydock) holds everything a cluster keeps
// on disk: the SQLite database, the control plane's socket and lock, task
// logs and per-task files. It may later hold secrets, so it is private:
// the directory and its subdirectories are 0700, files are 0600, whatever
// the umask. docs/state.md describes the layout and the rules.
#pragma once

#include <string>
#include <string_view>

#include "base/status.h"

namespace drydock::state {

inline constexpr std::string_view kDefaultStateDir = "./.drydock";
inline constexpr std::string_view kStateDirEnvironmentVariable = "DRYDOCK_STATE_DIR";

// The state directory a command uses: `flag_value` (--state-dir) when not
// empty, else `env_value` ($DRYDOCK_STATE_DIR) when not null or empty, else
// ./.drydock. Pure: the caller reads the flag and the environment.
std::string ResolveStateDirPath(std::string_view flag_value, const char* env_value);

class StateDir {
 public:
  // For the control plane (`drydock up`). Creates the directory with mode
  // 0700 (missing parents as `mkdir -p` would) or checks an existing one,
  // then creates or checks logs/ and tasks/. An existing directory must
  // belong to the effective user. If it is open to group or others it is
  // tightened to 0700 when it is empty or holds only drydock's own entries;
  // otherwise it is refused (kFailedPrecondition), because a directory that
  // holds other files is probably not meant to be a state directory.
  static Result<StateDir> Create(std::string_view path);

  // For read-only commands (status, events, logs): checks that the directory
  // exists (kNotFound otherwise) and belongs to the effective user; creates
  // and changes nothing.
  static Result<StateDir> OpenExisting(std::string_view path);

  // Absolute, without a trailing '/'.
  const std::string& path() const { return path_; }
  std::string DatabasePath() const { return path_ + "/state.db"; }
  std::string SocketPath() const { return path_ + "/control.sock"; }
  std::string LockPath() const { return path_ + "/control.lock"; }
  // The bearer token both APIs (control.sock, proxy.sock) require
  // (runtime/real/control_token.h, docs/control-api.md).
  std::string ControlTokenPath() const { return path_ + "/control.token"; }
  // IAM's roles and policies (iam/iam_store.h, docs/iam.md).
  std::string IamDatabasePath() const { return path_ + "/iam.db"; }
  // The load balancer process (`drydock proxy`): its API socket and log.
  std::string ProxySocketPath() const { return path_ + "/proxy.sock"; }
  std::string ProxyLogPath() const { return path_ + "/proxy.log"; }
  std::string LogsDir() const { return path_ + "/logs"; }
  std::string TasksDir() const { return path_ + "/tasks"; }

 private:
  explicit StateDir(std::string path) : path_(std::move(path)) {}
  std::string path_;
};

// Opens `path` read-write with O_CLOEXEC (plus `extra_flags`), creating it
// with mode 0600. An existing file must belong to the effective user and
// gets its mode set to 0600 if it was wider. The caller owns the returned
// descriptor.
Result<int> OpenPrivateFile(const std::string& path, int extra_flags = 0);

// Sets an existing file's mode to 0600 (a no-op when it does not exist).
// For files another library creates, such as SQLite's -wal and -shm.
Status TightenFileMode(const std::string& path);

}  // namespace drydock::state
