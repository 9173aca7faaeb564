// Reading a log group as CloudWatch's FilterLogEvents shows it: the events of
// every stream of the group, merged by time. Each stream is a file of records
// (runtime/log_format.h) that a shim appends to while its task runs.
//
// - A line the task printed is one event: its P fragments and the F record
//   that ends it are joined (per stdout/stderr, which share the file), and the
//   event has the time of its first fragment.
// - Only newline-terminated records are read: a record being written is left
//   for the next read.
// - A record that does not parse is skipped and counted, never fatal: one bad
//   line must not hide a task's output.
// - Events are merged by time; equal times keep stream-name order, then file
//   order (a stable merge).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "base/time.h"
#include "runtime/log_format.h"

namespace drydock::logs {

struct LogEvent {
  TimePoint time{};         // wall clock, UTC, as the shim stamped it
  std::string stream_name;  // "ecs/api/<task-id>"
  runtime::LogStream stream = runtime::LogStream::kStdout;
  std::string text;
};

struct LogEvents {
  std::vector<LogEvent> events;
  int64_t malformed_records = 0;  // records skipped because they did not parse
};

// Every event of `group` under `logs_dir` at or after `since`, hiding those
// before `expired_before` (the group's retention: expired events of streams
// still open stay on disk, see retention.h). A group without files yet has no
// events. A line whose F record has not been written yet is shown with the
// fragments written so far. kInvalidArgument for a bad group name, kIo when a
// file cannot be read.
Result<LogEvents> ReadLogGroup(const std::string& logs_dir, std::string_view group,
                               std::optional<TimePoint> since,
                               std::optional<TimePoint> expired_before);

namespace internal {
struct TailState;  // log_reader.cc
}  // namespace internal

// Follows a log group (`drydock logs --follow`). The first Poll returns every
// event at or after `since`; later ones the events completed since the
// previous Poll, in streams old and new. A line still in P fragments waits
// until its F record arrives. A stream file that is replaced or shrinks
// (retention rewrote it) is resumed at its new end: retention only removes
// records, and only from streams nobody appends to. Not thread-safe.
class LogTail {
 public:
  // kInvalidArgument for a bad group name.
  static Result<LogTail> Open(const std::string& logs_dir, std::string_view group,
                              std::optional<TimePoint> since);

  LogTail(LogTail&& other) noexcept;
  LogTail& operator=(LogTail&& other) noexcept;
  ~LogTail();

  // kIo when a file cannot be read; the events read meanwhile come with the
  // next Poll.
  Result<std::vector<LogEvent>> Poll();

  int64_t malformed_records() const;

 private:
  explicit LogTail(std::unique_ptr<internal::TailState> state);
  std::unique_ptr<internal::TailState> state_;
};

}  // namespace drydock::logs
