#include "logs/log_paths.h"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <system_error>

#include "base/strings.h"

namespace drydock::logs {
namespace {

constexpr size_t kMaxNameBytes = 512;     // CloudWatch's limit for group and stream names
constexpr size_t kMaxSegmentBytes = 255;  // NAME_MAX of Linux file systems

bool IsGroupChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == '-' || c == '/' || c == '#';
}

// Checks that every '/'-separated segment of `path` can be a directory or
// file name of its own: not empty, not "." or "..", at most `max_last` bytes
// for the last one and kMaxSegmentBytes for the others.
Status CheckSegments(std::string_view what, std::string_view name, std::string_view path,
                     size_t max_last) {
  size_t begin = 0;
  while (true) {
    const size_t end = path.find('/', begin);
    const bool last = end == std::string_view::npos;
    const std::string_view segment =
        path.substr(begin, last ? std::string_view::npos : end - begin);
    if (segment.empty() || segment == "." || segment == "..") {
      return InvalidArgument(std::string(what) + " '" + std::string(name) +
                             "' has an empty, '.' or '..' path segment");
    }
    if (segment.size() > (last ? max_last : kMaxSegmentBytes)) {
      return InvalidArgument(std::string(what) + " '" + std::string(name) +
                             "' has a path segment longer than a file name may be");
    }
    if (last) return Status::Ok();
    begin = end + 1;
  }
}

Status CheckGroup(std::string_view group) {
  if (group.empty() || group.size() > kMaxNameBytes) {
    return InvalidArgument("log group name must be 1 to 512 characters, got " +
                           std::to_string(group.size()));
  }
  for (char c : group) {
    if (!IsGroupChar(c)) {
      return InvalidArgument("log group name '" + std::string(group) +
                             "' may only hold letters, digits and . _ - / #");
    }
  }
  const std::string_view relative = group.front() == '/' ? group.substr(1) : group;
  return CheckSegments("log group name", group, relative, kMaxSegmentBytes);
}

Status CheckStream(std::string_view stream) {
  if (stream.empty() || stream.size() > kMaxNameBytes) {
    return InvalidArgument("log stream name must be 1 to 512 characters, got " +
                           std::to_string(stream.size()));
  }
  for (char c : stream) {
    if (c == ':' || c == '*' || static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      return InvalidArgument("log stream name '" + std::string(stream) +
                             "' may not hold ':', '*' or control characters");
    }
  }
  return CheckSegments("log stream name", stream, stream,
                       kMaxSegmentBytes - kStreamFileSuffix.size());
}

// Adds the stream files under `dir` (named `prefix` + their path below it) to
// `names`. Symbolic links are not followed; a directory that vanishes while
// being listed (retention removed it) is skipped.
Status ListStreamFiles(const std::filesystem::path& dir, const std::string& prefix,
                       std::vector<std::string>* names) {
  namespace fs = std::filesystem;
  std::error_code error;
  fs::directory_iterator it(dir, error);
  if (error == std::errc::no_such_file_or_directory) return Status::Ok();
  if (error) return IoError("cannot list " + dir.string() + ": " + error.message());
  for (; it != fs::directory_iterator(); it.increment(error)) {
    const std::string name = it->path().filename().string();
    const fs::file_type type = it->symlink_status(error).type();
    if (type == fs::file_type::directory) {
      DRYDOCK_RETURN_IF_ERROR(ListStreamFiles(it->path(), prefix + name + "/", names));
    } else if (type == fs::file_type::regular && EndsWith(name, kStreamFileSuffix) &&
               name.size() > kStreamFileSuffix.size()) {
      names->push_back(prefix + name.substr(0, name.size() - kStreamFileSuffix.size()));
    }
  }
  if (error) return IoError("cannot list " + dir.string() + ": " + error.message());
  return Status::Ok();
}

}  // namespace

std::string LogGroupName(std::string_view service) { return "/ecs/" + std::string(service); }

std::string LogStreamName(std::string_view container, std::string_view task_id) {
  return "ecs/" + std::string(container) + "/" + std::string(task_id);
}

Result<std::string> GroupDirectory(std::string_view logs_dir, std::string_view group) {
  DRYDOCK_RETURN_IF_ERROR(CheckGroup(group));
  std::string dir(logs_dir);
  if (group.front() != '/') dir += '/';
  dir += group;
  return dir;
}

Result<std::string> StreamFilePath(std::string_view logs_dir, std::string_view group,
                                   std::string_view stream) {
  Result<std::string> dir = GroupDirectory(logs_dir, group);
  if (!dir.ok()) return dir.status();
  DRYDOCK_RETURN_IF_ERROR(CheckStream(stream));
  return *dir + "/" + std::string(stream) + std::string(kStreamFileSuffix);
}

Result<std::vector<std::string>> ListStreamNames(std::string_view logs_dir,
                                                 std::string_view group) {
  Result<std::string> dir = GroupDirectory(logs_dir, group);
  if (!dir.ok()) return dir.status();
  std::vector<std::string> names;
  DRYDOCK_RETURN_IF_ERROR(ListStreamFiles(*dir, "", &names));
  std::sort(names.begin(), names.end());
  return names;
}

Status EnsureStreamDirectory(const std::string& file_path) {
  const size_t last_slash = file_path.rfind('/');
  if (last_slash == std::string::npos || last_slash == 0) return Status::Ok();
  const std::string dir = file_path.substr(0, last_slash);
  // Every prefix ending before a '/', then the directory itself.
  for (size_t end = dir.find('/', 1);; end = dir.find('/', end + 1)) {
    const std::string prefix = dir.substr(0, end);
    if (mkdir(prefix.c_str(), 0700) == 0) {
      if (chmod(prefix.c_str(), 0700) != 0) {
        return IoError("cannot set the mode of " + prefix + ": " + std::strerror(errno));
      }
    } else if (errno != EEXIST) {
      return IoError("cannot create directory " + prefix + ": " + std::strerror(errno));
    } else {
      struct stat info {};
      if (stat(prefix.c_str(), &info) != 0 || !S_ISDIR(info.st_mode)) {
        return IoError("cannot create directory " + prefix + ": a file of that name is in the way");
      }
    }
    if (end == std::string::npos) return Status::Ok();
  }
}

}  // namespace drydock::logs
