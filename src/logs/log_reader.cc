#include "logs/log_reader.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <map>

#include "logs/log_paths.h"

namespace drydock::logs {
namespace internal {

// One stream file's reading position.
struct Cursor {
  ino_t inode = 0;
  off_t offset = 0;  // bytes consumed: always the end of a complete record
  // A line still in P fragments, per runtime::LogStream: the text so far,
  // with the time of its first fragment.
  std::array<std::optional<LogEvent>, 2> fragments;
};

struct TailState {
  std::string logs_dir;
  std::string group;
  std::optional<TimePoint> since;
  std::optional<TimePoint> expired_before;
  std::map<std::string, Cursor> cursors;  // by stream name
  int64_t malformed_records = 0;
  std::vector<LogEvent> undelivered;  // read by a Poll that then failed

  // Appends to `out` the events completed since the last call, stream by
  // stream in name order. A stream that cannot be read does not stop the
  // others; the first error is returned.
  Status ReadNew(std::vector<LogEvent>* out);
  // Appends the lines still in fragments, as they are.
  void FlushFragments(std::vector<LogEvent>* out);

 private:
  Status ReadStream(const std::string& stream_name, Cursor& cursor, std::vector<LogEvent>* out);
  void AddRecord(const std::string& stream_name, Cursor& cursor, std::string_view record,
                 std::vector<LogEvent>* out);
  void Emit(LogEvent event, std::vector<LogEvent>* out) const;
};

Status TailState::ReadNew(std::vector<LogEvent>* out) {
  Result<std::vector<std::string>> names = ListStreamNames(logs_dir, group);
  if (!names.ok()) return names.status();
  // Forget streams whose file is gone (retention deleted it).
  std::erase_if(cursors, [&](const auto& entry) {
    return !std::binary_search(names->begin(), names->end(), entry.first);
  });
  Status first_error;
  for (const std::string& name : *names) {
    Status status = ReadStream(name, cursors[name], out);
    if (first_error.ok()) first_error = std::move(status);
  }
  return first_error;
}

Status TailState::ReadStream(const std::string& stream_name, Cursor& cursor,
                             std::vector<LogEvent>* out) {
  Result<std::string> path = StreamFilePath(logs_dir, group, stream_name);
  if (!path.ok()) return path.status();
  const int fd = open(path->c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return Status::Ok();  // deleted since it was listed
    return IoError("cannot open log file " + *path + ": " + std::strerror(errno));
  }
  struct stat info {};
  if (fstat(fd, &info) != 0) {
    const int error = errno;
    close(fd);
    return IoError("cannot read log file " + *path + ": " + std::strerror(error));
  }
  if ((cursor.inode != 0 && cursor.inode != info.st_ino) || info.st_size < cursor.offset) {
    // Rewritten by retention, which keeps only records already read.
    cursor = Cursor{};
    cursor.offset = info.st_size;
  }
  cursor.inode = info.st_ino;
  std::string pending;  // bytes after the last complete record
  std::array<char, 64 * 1024> chunk;
  while (true) {
    const ssize_t n =
        pread(fd, chunk.data(), chunk.size(), cursor.offset + static_cast<off_t>(pending.size()));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int error = errno;
      close(fd);
      return IoError("cannot read log file " + *path + ": " + std::strerror(error));
    }
    if (n == 0) break;
    pending.append(chunk.data(), static_cast<size_t>(n));
    size_t begin = 0;
    for (size_t newline = pending.find('\n'); newline != std::string::npos;
         newline = pending.find('\n', begin)) {
      AddRecord(stream_name, cursor, std::string_view(pending).substr(begin, newline - begin), out);
      begin = newline + 1;
    }
    cursor.offset += static_cast<off_t>(begin);
    pending.erase(0, begin);
  }
  close(fd);
  return Status::Ok();
}

void TailState::AddRecord(const std::string& stream_name, Cursor& cursor, std::string_view record,
                          std::vector<LogEvent>* out) {
  Result<runtime::LogLine> line = runtime::ParseLogLine(record);
  if (!line.ok()) {
    ++malformed_records;
    return;
  }
  std::optional<LogEvent>& fragment = cursor.fragments[static_cast<size_t>(line->stream)];
  if (!fragment) {
    fragment = LogEvent{line->time, stream_name, line->stream, ""};
  }
  fragment->text += line->text;
  if (line->partial) return;
  Emit(std::move(*fragment), out);
  fragment.reset();
}

void TailState::FlushFragments(std::vector<LogEvent>* out) {
  for (auto& [name, cursor] : cursors) {
    for (std::optional<LogEvent>& fragment : cursor.fragments) {
      if (fragment) Emit(std::move(*fragment), out);
      fragment.reset();
    }
  }
}

void TailState::Emit(LogEvent event, std::vector<LogEvent>* out) const {
  if (since && event.time < *since) return;
  if (expired_before && event.time < *expired_before) return;
  out->push_back(std::move(event));
}

}  // namespace internal

namespace {

void SortByTime(std::vector<LogEvent>& events) {
  std::stable_sort(events.begin(), events.end(),
                   [](const LogEvent& a, const LogEvent& b) { return a.time < b.time; });
}

Result<std::unique_ptr<internal::TailState>> NewState(const std::string& logs_dir,
                                                      std::string_view group,
                                                      std::optional<TimePoint> since,
                                                      std::optional<TimePoint> expired_before) {
  Result<std::string> dir = GroupDirectory(logs_dir, group);  // checks the name
  if (!dir.ok()) return dir.status();
  auto state = std::make_unique<internal::TailState>();
  state->logs_dir = logs_dir;
  state->group = std::string(group);
  state->since = since;
  state->expired_before = expired_before;
  return state;
}

}  // namespace

Result<LogEvents> ReadLogGroup(const std::string& logs_dir, std::string_view group,
                               std::optional<TimePoint> since,
                               std::optional<TimePoint> expired_before) {
  Result<std::unique_ptr<internal::TailState>> state =
      NewState(logs_dir, group, since, expired_before);
  if (!state.ok()) return state.status();
  LogEvents result;
  DRYDOCK_RETURN_IF_ERROR((*state)->ReadNew(&result.events));
  (*state)->FlushFragments(&result.events);
  SortByTime(result.events);
  result.malformed_records = (*state)->malformed_records;
  return result;
}

Result<LogTail> LogTail::Open(const std::string& logs_dir, std::string_view group,
                              std::optional<TimePoint> since) {
  Result<std::unique_ptr<internal::TailState>> state =
      NewState(logs_dir, group, since, std::nullopt);
  if (!state.ok()) return state.status();
  return LogTail(std::move(*state));
}

LogTail::LogTail(std::unique_ptr<internal::TailState> state) : state_(std::move(state)) {}
LogTail::LogTail(LogTail&& other) noexcept = default;
LogTail& LogTail::operator=(LogTail&& other) noexcept = default;
LogTail::~LogTail() = default;

Result<std::vector<LogEvent>> LogTail::Poll() {
  std::vector<LogEvent> events = std::move(state_->undelivered);
  state_->undelivered.clear();
  if (Status status = state_->ReadNew(&events); !status.ok()) {
    state_->undelivered = std::move(events);
    return status;
  }
  SortByTime(events);
  return events;
}

int64_t LogTail::malformed_records() const { return state_->malformed_records; }

}  // namespace drydock::logs
