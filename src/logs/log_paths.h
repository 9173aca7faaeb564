// CloudWatch Logs names for task output and where their files live.
//
// ECS's awslogs driver names a task's log stream `<prefix>/<container>/<task-id>`
// in the group the task definition names; drydock uses group `/ecs/<service>`
// and prefix `ecs` (the container is named after the service). On disk each
// stream is one file of log records (runtime/log_format.h), with the group's
// and the stream's slashes kept as directories: group "/ecs/api" and stream
// "ecs/api/0123456789abcdef0123456789abcdef" are the file
//
//   <logs-dir>/ecs/api/ecs/api/0123456789abcdef0123456789abcdef.log
//
// docs/observe.md describes the layout.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace drydock::logs {

// "/ecs/api".
std::string LogGroupName(std::string_view service);
// "ecs/api/<task-id>".
std::string LogStreamName(std::string_view container, std::string_view task_id);

// The directory that holds `group`'s streams: "<logs_dir>/ecs/api".
// kInvalidArgument unless `group` is a CloudWatch log group name (1-512 of
// [A-Za-z0-9._/#-]) made of path segments that are neither empty (one leading
// '/' aside) nor "." nor "..".
Result<std::string> GroupDirectory(std::string_view logs_dir, std::string_view group);

// The file of one stream: "<logs_dir>/ecs/api/ecs/api/<task-id>.log".
// `stream` must be a CloudWatch log stream name (1-512 bytes, no ':' or '*')
// whose '/'-separated segments are neither empty nor "." nor "..", and
// without control characters; kInvalidArgument otherwise.
Result<std::string> StreamFilePath(std::string_view logs_dir, std::string_view group,
                                   std::string_view stream);

// The names of `group`'s streams that have a file, sorted; none when the
// group has no directory yet. kIo when a directory cannot be listed.
Result<std::vector<std::string>> ListStreamNames(std::string_view logs_dir, std::string_view group);

// Creates the missing directories above `file_path` (mode 0700, whatever the
// umask), as `mkdir -p $(dirname file_path)` would. An existing one is left
// as it is; a non-directory in the way is kIo.
Status EnsureStreamDirectory(const std::string& file_path);

// The suffix of stream files; retention's temporary files end otherwise.
inline constexpr std::string_view kStreamFileSuffix = ".log";

}  // namespace drydock::logs
