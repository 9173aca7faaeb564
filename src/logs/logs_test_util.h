// Shared by the logs and CLI tests: writing stream files as the shim does.
#pragma once

#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <vector>

#include "logs/log_paths.h"
#include "runtime/log_format.h"

namespace drydock::logs::testing {

// A record `ms` milliseconds after 2026-01-01T00:00:00Z.
inline runtime::LogLine Record(int64_t ms, std::string text,
                               runtime::LogStream stream = runtime::LogStream::kStdout,
                               bool partial = false) {
  return {TimePoint(std::chrono::sys_days(std::chrono::January / 1 / 2026)) + Duration(ms), stream,
          partial, std::move(text)};
}

// Appends raw bytes to `path`, creating its directories.
inline void AppendBytes(const std::string& path, const std::string& bytes) {
  ASSERT_TRUE(EnsureStreamDirectory(path).ok()) << path;
  std::ofstream(path, std::ios::binary | std::ios::app) << bytes;
}

// Appends `records` to the file of `stream` in `group`.
inline void AppendRecords(const std::string& logs_dir, const std::string& group,
                          const std::string& stream, const std::vector<runtime::LogLine>& records) {
  Result<std::string> path = StreamFilePath(logs_dir, group, stream);
  ASSERT_TRUE(path.ok()) << path.status().message();
  std::string bytes;
  for (const runtime::LogLine& record : records) bytes += runtime::FormatLogLine(record);
  AppendBytes(*path, bytes);
}

}  // namespace drydock::logs::testing
