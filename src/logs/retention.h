// CloudWatch Logs retention for one log group: events older than the group's
// retention period are deleted (the control plane's sweep calls this with
// cutoff = now - retention_in_days).
//
// Only streams that nobody appends to any more (their task has stopped) are
// changed on disk. Their records older than `cutoff` are dropped by writing
// the rest to a temporary file (0600) and renaming it over the stream, so a
// reader sees the old file or the new one, never half of one; a stream left
// with nothing is deleted, and so are the group's directories it empties.
//
// Open streams are left alone: the shim holds them open with O_APPEND, and a
// rename would detach it, so its next lines would go to the unlinked old
// file and be lost. Readers hide their expired events instead
// (ReadLogGroup's `expired_before`); they are dropped from disk once the task
// has stopped. The caller must therefore list every stream whose shim may
// still write, and must not create stream directories of `group` meanwhile
// (the control loop does both on one thread).
//
// A line's P fragments and its F record go together, dated by the first
// fragment. Records that do not parse cannot be dated and are kept.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <string_view>

#include "base/status.h"
#include "base/time.h"

namespace drydock::logs {

struct RetentionReport {
  int files_rewritten = 0;
  int files_deleted = 0;
  int64_t events_dropped = 0;
};

// kInvalidArgument for a bad group name; kIo when a file cannot be read or
// replaced (the streams handled before it stay handled, and the file itself
// is unchanged).
Result<RetentionReport> ApplyRetention(const std::string& logs_dir, std::string_view group,
                                       TimePoint cutoff,
                                       const std::set<std::string>& open_stream_names);

}  // namespace drydock::logs
