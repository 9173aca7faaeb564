#include "logs/retention.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <optional>
#include <sstream>
#include <vector>

#include "logs/log_paths.h"
#include "runtime/log_format.h"

namespace drydock::logs {
namespace {

Status Errno(const std::string& what) { return IoError(what + ": " + std::strerror(errno)); }

Result<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return IoError("cannot read log file " + path);
  std::ostringstream contents;
  contents << in.rdbuf();
  if (in.bad()) return IoError("cannot read log file " + path);
  return contents.str();
}

struct Record {
  std::string_view bytes;               // with its newline, if any
  std::optional<TimePoint> event_time;  // unset: cannot be dated, kept
};

// Cuts `contents` into records and dates each by the event it belongs to.
// Counts in `expired_events` the events that start before `cutoff`.
std::vector<Record> DateRecords(std::string_view contents, TimePoint cutoff,
                                int64_t* expired_events) {
  std::vector<Record> records;
  struct Chain {
    TimePoint time;
    std::vector<size_t> records;
  };
  std::array<std::optional<Chain>, 2> chains;  // lines in P fragments, per stream
  auto close_chain = [&](std::optional<Chain>& chain) {
    for (size_t i : chain->records) records[i].event_time = chain->time;
    if (chain->time < cutoff) ++*expired_events;
    chain.reset();
  };
  size_t begin = 0;
  while (begin < contents.size()) {
    const size_t newline = contents.find('\n', begin);
    const size_t end = newline == std::string_view::npos ? contents.size() : newline + 1;
    records.push_back({contents.substr(begin, end - begin), std::nullopt});
    begin = end;
    if (newline == std::string_view::npos) break;  // being written when the task died
    Result<runtime::LogLine> line = runtime::ParseLogLine(records.back().bytes);
    if (!line.ok()) continue;
    std::optional<Chain>& chain = chains[static_cast<size_t>(line->stream)];
    if (!chain) chain = Chain{line->time, {}};
    chain->records.push_back(records.size() - 1);
    if (!line->partial) close_chain(chain);
  }
  for (std::optional<Chain>& chain : chains) {
    if (chain) close_chain(chain);
  }
  return records;
}

Status WriteAtomically(const std::string& path, const std::string& contents) {
  const std::string temp = path + ".tmp";  // not a stream file: it does not end in .log
  const int fd = open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) return Errno("cannot create " + temp);
  Status status;
  if (fchmod(fd, 0600) != 0) status = Errno("cannot set the mode of " + temp);
  for (size_t done = 0; status.ok() && done < contents.size();) {
    const ssize_t n = write(fd, contents.data() + done, contents.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) status = Errno("cannot write " + temp);
    done += n > 0 ? static_cast<size_t>(n) : 0;
  }
  if (status.ok() && fsync(fd) != 0) status = Errno("cannot write " + temp);
  if (close(fd) != 0 && status.ok()) status = Errno("cannot write " + temp);
  if (status.ok() && rename(temp.c_str(), path.c_str()) != 0) {
    status = Errno("cannot replace " + path);
  }
  if (!status.ok()) unlink(temp.c_str());
  return status;
}

// Removes the directories from `file_path`'s parent up to `group_dir`
// (included) while they are empty.
void RemoveEmptyDirectories(const std::string& file_path, const std::string& group_dir) {
  std::string dir = file_path.substr(0, file_path.rfind('/'));
  while (dir.size() >= group_dir.size() && rmdir(dir.c_str()) == 0 && dir != group_dir) {
    dir.resize(dir.rfind('/'));
  }
}

}  // namespace

Result<RetentionReport> ApplyRetention(const std::string& logs_dir, std::string_view group,
                                       TimePoint cutoff,
                                       const std::set<std::string>& open_stream_names) {
  Result<std::string> group_dir = GroupDirectory(logs_dir, group);
  if (!group_dir.ok()) return group_dir.status();
  Result<std::vector<std::string>> names = ListStreamNames(logs_dir, group);
  if (!names.ok()) return names.status();
  RetentionReport report;
  for (const std::string& name : *names) {
    if (open_stream_names.contains(name)) continue;
    Result<std::string> path = StreamFilePath(logs_dir, group, name);
    if (!path.ok()) return path.status();
    Result<std::string> contents = ReadFile(*path);
    if (!contents.ok()) return contents.status();
    int64_t expired = 0;
    const std::vector<Record> records = DateRecords(*contents, cutoff, &expired);
    std::string kept;
    for (const Record& record : records) {
      if (!record.event_time || *record.event_time >= cutoff) kept += record.bytes;
    }
    if (kept.size() == contents->size()) continue;
    if (kept.empty()) {
      if (unlink(path->c_str()) != 0) return Errno("cannot delete " + *path);
      RemoveEmptyDirectories(*path, *group_dir);
      ++report.files_deleted;
    } else {
      DRYDOCK_RETURN_IF_ERROR(WriteAtomically(*path, kept));
      ++report.files_rewritten;
    }
    report.events_dropped += expired;
  }
  return report;
}

}  // namespace drydock::logs
