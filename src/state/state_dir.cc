#include "state/state_dir.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <set>
#include <utility>

#include "base/scoped_fd.h"

namespace drydock::state {
namespace {

constexpr mode_t kDirectoryMode = 0700;
constexpr mode_t kFileMode = 0600;

std::string Errno(int error) { return std::strerror(error); }

std::string Octal(mode_t mode) {
  char text[8];
  std::snprintf(text, sizeof(text), "%04o", static_cast<unsigned>(mode & 07777));
  return text;
}

Status NotOwned(const std::string& what, const std::string& path, uid_t owner) {
  return {StatusCode::kFailedPrecondition,
          what + " " + path + " belongs to uid " + std::to_string(owner) +
              ", not to you (uid " + std::to_string(geteuid()) +
              "); drydock keeps private files there, so use a --state-dir of your own"};
}

// Entries drydock itself creates in a state directory (see docs/state.md).
bool IsDrydockEntry(std::string_view name) {
  static const std::set<std::string_view> kEntries = {
      ".", "..", "state.db", "state.db-wal", "state.db-shm", "state.db-journal",
      "control.sock", "control.lock", "logs", "tasks",
      "control.token", "iam.db", "iam.db-wal", "iam.db-shm", "secrets"};
  return kEntries.count(name) > 0;
}

// True when the directory open at `fd` holds nothing but drydock's entries.
Result<bool> HoldsOnlyDrydockEntries(int fd, const std::string& path) {
  int copy = dup(fd);  // closedir() closes the descriptor it was given
  DIR* dir = copy >= 0 ? fdopendir(copy) : nullptr;
  if (dir == nullptr) {
    int error = errno;
    if (copy >= 0) close(copy);
    return IoError("cannot list state directory " + path + ": " + Errno(error));
  }
  bool only_ours = true;
  while (dirent* entry = readdir(dir)) {
    if (!IsDrydockEntry(entry->d_name)) only_ours = false;
  }
  closedir(dir);
  return only_ours;
}

// Checks the directory open at `fd`: ours, a directory, and 0700 (fixed when
// `may_fix` says so).
Status CheckDirectory(int fd, const std::string& path, bool top_level, bool may_fix) {
  struct stat info;
  if (fstat(fd, &info) != 0) return IoError("cannot stat " + path + ": " + Errno(errno));
  if (!S_ISDIR(info.st_mode)) {
    return {StatusCode::kFailedPrecondition, path + " exists and is not a directory"};
  }
  if (info.st_uid != geteuid()) return NotOwned("state directory", path, info.st_uid);
  if ((info.st_mode & 07777) == kDirectoryMode || !may_fix) return Status::Ok();
  if (top_level && (info.st_mode & 077) != 0) {
    Result<bool> only_ours = HoldsOnlyDrydockEntries(fd, path);
    if (!only_ours.ok()) return only_ours.status();
    if (!*only_ours) {
      return {StatusCode::kFailedPrecondition,
              "state directory " + path + " is open to other users (mode " +
                  Octal(info.st_mode) + ") and holds files drydock did not create; if it is " +
                  "meant to be a state directory run `chmod 700 " + path +
                  "`, else use another --state-dir"};
    }
  }
  if (fchmod(fd, kDirectoryMode) != 0) {
    return IoError("cannot set mode 0700 on " + path + ": " + Errno(errno));
  }
  return Status::Ok();
}

// mkdir(path, 0700) under `parent_fd` (AT_FDCWD for an absolute path), then
// opens and checks it. Returns the open directory.
Result<int> MakePrivateDirectory(int parent_fd, const char* name, const std::string& path,
                                 bool top_level) {
  bool created = mkdirat(parent_fd, name, kDirectoryMode) == 0;
  if (!created && errno != EEXIST) {
    return IoError("cannot create directory " + path + ": " + Errno(errno));
  }
  // Undo the umask before opening: with a umask like 0277 we could not even
  // list the directory we just made.
  if (created && fchmodat(parent_fd, name, kDirectoryMode, 0) != 0) {
    return IoError("cannot set mode 0700 on " + path + ": " + Errno(errno));
  }
  ScopedFd fd(openat(parent_fd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.get() < 0) {
    if (errno == ENOTDIR) {
      return Status(StatusCode::kFailedPrecondition, path + " exists and is not a directory");
    }
    return IoError("cannot open directory " + path + ": " + Errno(errno));
  }
  DRYDOCK_RETURN_IF_ERROR(CheckDirectory(fd.get(), path, top_level, /*may_fix=*/true));
  return fd.release();
}

Result<std::string> AbsolutePath(std::string_view path) {
  if (path.empty()) return InvalidArgument("the state directory path is empty");
  std::error_code error;
  std::filesystem::path absolute = std::filesystem::absolute(std::filesystem::path(path), error);
  if (error) {
    return IoError("cannot resolve state directory " + std::string(path) + ": " +
                   error.message());
  }
  std::string text = absolute.lexically_normal().string();
  while (text.size() > 1 && text.back() == '/') text.pop_back();
  return text;
}

}  // namespace

std::string ResolveStateDirPath(std::string_view flag_value, const char* env_value) {
  if (!flag_value.empty()) return std::string(flag_value);
  if (env_value != nullptr && env_value[0] != '\0') return env_value;
  return std::string(kDefaultStateDir);
}

Result<StateDir> StateDir::Create(std::string_view path) {
  Result<std::string> absolute = AbsolutePath(path);
  if (!absolute.ok()) return absolute.status();
  std::filesystem::path parent = std::filesystem::path(*absolute).parent_path();
  std::error_code error;
  std::filesystem::create_directories(parent, error);
  if (error) {
    return IoError("cannot create " + parent.string() + " for the state directory: " +
                   error.message());
  }
  Result<int> dir = MakePrivateDirectory(AT_FDCWD, absolute->c_str(), *absolute, true);
  if (!dir.ok()) return dir.status();
  ScopedFd dir_fd(*dir);
  for (const char* name : {"logs", "tasks"}) {
    Result<int> sub = MakePrivateDirectory(dir_fd.get(), name, *absolute + "/" + name, false);
    if (!sub.ok()) return sub.status();
    close(*sub);
  }
  return StateDir(*absolute);
}

Result<StateDir> StateDir::OpenExisting(std::string_view path) {
  Result<std::string> absolute = AbsolutePath(path);
  if (!absolute.ok()) return absolute.status();
  ScopedFd fd(open(absolute->c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.get() < 0) {
    if (errno == ENOENT) {
      return NotFound("no drydock state directory at " + *absolute +
                      "; start a cluster there with `drydock up`, or pass --state-dir");
    }
    return IoError("cannot open state directory " + *absolute + ": " + Errno(errno));
  }
  DRYDOCK_RETURN_IF_ERROR(CheckDirectory(fd.get(), *absolute, true, /*may_fix=*/false));
  return StateDir(*absolute);
}

Result<int> OpenPrivateFile(const std::string& path, int extra_flags) {
  ScopedFd fd(open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | extra_flags, kFileMode));
  if (fd.get() < 0) return IoError("cannot open " + path + ": " + Errno(errno));
  struct stat info;
  if (fstat(fd.get(), &info) != 0) return IoError("cannot stat " + path + ": " + Errno(errno));
  if (info.st_uid != geteuid()) return NotOwned("file", path, info.st_uid);
  // fchmod, not the open mode alone: the umask may have removed bits from a
  // new file (harmless) and an existing file may have been wider.
  if ((info.st_mode & 07777) != kFileMode && fchmod(fd.get(), kFileMode) != 0) {
    return IoError("cannot set mode 0600 on " + path + ": " + Errno(errno));
  }
  return fd.release();
}

Status TightenFileMode(const std::string& path) {
  struct stat info;
  if (stat(path.c_str(), &info) != 0) {
    if (errno == ENOENT) return Status::Ok();
    return IoError("cannot stat " + path + ": " + Errno(errno));
  }
  if (info.st_uid != geteuid()) return NotOwned("file", path, info.st_uid);
  if ((info.st_mode & 07777) == kFileMode) return Status::Ok();
  if (chmod(path.c_str(), kFileMode) != 0) {
    return IoError("cannot set mode 0600 on " + path + ": " + Errno(errno));
  }
  return Status::Ok();
}

}  // namespace drydock::state
