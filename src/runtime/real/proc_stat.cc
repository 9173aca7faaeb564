#include "runtime/real/proc_stat.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <string>

namespace drydock::runtime {
namespace {

// Splits off the next space-separated field.
std::string_view NextField(std::string_view& rest) {
  while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
  const size_t end = rest.find(' ');
  std::string_view field = rest.substr(0, end);
  rest.remove_prefix(end == std::string_view::npos ? rest.size() : end);
  return field;
}

template <typename T>
bool ParseNumber(std::string_view text, T& out) {
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), out);
  return error == std::errc() && end == text.data() + text.size();
}

}  // namespace

Result<ProcStat> ParseProcStat(std::string_view text) {
  const size_t paren = text.rfind(')');
  if (paren == std::string_view::npos) return InvalidArgument("malformed /proc stat: no ')'");
  std::string_view rest = text.substr(paren + 1);
  // Fields after the command: 3 state, 4 ppid, 5 pgrp, ..., 22 starttime.
  ProcStat stat;
  const std::string_view state = NextField(rest);
  if (state.size() != 1) return InvalidArgument("malformed /proc stat: bad state");
  stat.state = state[0];
  bool ok = ParseNumber(NextField(rest), stat.ppid) && ParseNumber(NextField(rest), stat.pgrp);
  for (int field = 6; ok && field < 22; ++field) ok = !NextField(rest).empty();
  ok = ok && ParseNumber(NextField(rest), stat.start_ticks);
  if (!ok) return InvalidArgument("malformed /proc stat: fields 4..22");
  return stat;
}

Result<ProcStat> ReadProcStat(int pid) {
  const std::string path = "/proc/" + std::to_string(pid) + "/stat";
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT || errno == ESRCH) return NotFound("no process " + std::to_string(pid));
    return IoError("cannot open " + path + ": " + std::strerror(errno));
  }
  char buffer[1024];
  const ssize_t got = read(fd, buffer, sizeof buffer - 1);
  const int read_errno = errno;
  close(fd);
  if (got <= 0) {
    // ESRCH: the process was reaped between open and read.
    if (got < 0 && read_errno != ESRCH) {
      return IoError("cannot read " + path + ": " + std::strerror(read_errno));
    }
    return NotFound("no process " + std::to_string(pid));
  }
  return ParseProcStat(std::string_view(buffer, static_cast<size_t>(got)));
}

bool IsLiveProcess(int pid, uint64_t start_ticks) {
  if (pid <= 0) return false;
  Result<ProcStat> stat = ReadProcStat(pid);
  return stat.ok() && stat->start_ticks == start_ticks && stat->state != 'Z' && stat->state != 'X';
}

}  // namespace drydock::runtime
