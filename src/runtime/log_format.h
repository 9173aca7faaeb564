// The task log format, written by the shim and read by `drydock logs`. One
// record per line, CRI-style with millisecond wall-clock timestamps:
//
//   2026-11-26T22:24:21.123Z stdout F hello world
//   <RFC 3339 UTC, ms>       <stream> <tag> <text>
//
// tag F: a full line (the task's newline is not stored). tag P: a fragment of
// a line longer than kMaxLogLineBytes; the next record of the same stream
// continues it. Pure functions; no I/O.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

#include "base/status.h"
#include "base/time.h"

namespace drydock::runtime {

enum class LogStream { kStdout, kStderr };

struct LogLine {
  TimePoint time{};
  LogStream stream = LogStream::kStdout;
  bool partial = false;
  std::string text;
};

// Lines longer than this are split into P records (as Docker and CRI do).
inline constexpr size_t kMaxLogLineBytes = 16 * 1024;

std::string_view LogStreamName(LogStream stream);
// The record, newline-terminated.
std::string FormatLogLine(const LogLine& line);
// Parses one record (with or without its trailing newline). kInvalidArgument
// says what is malformed.
Result<LogLine> ParseLogLine(std::string_view record);
// Parses "2026-11-26T22:24:21.123Z" (exactly this shape, as FormatTime writes).
Result<TimePoint> ParseLogTime(std::string_view text);

// Cuts one stream's bytes into lines. Feed() may be called with any chunking;
// the emitted lines do not depend on it.
class LogLineSplitter {
 public:
  using Emit = std::function<void(std::string_view text, bool partial)>;

  void Feed(std::string_view bytes, const Emit& emit);
  // Emits an unterminated last line, if any, as a full line.
  void Flush(const Emit& emit);

 private:
  std::string pending_;
};

}  // namespace drydock::runtime
