#include "runtime/log_format.h"

#include <charconv>

namespace drydock::runtime {
namespace {

bool ParseDigits(std::string_view text, size_t pos, size_t count, int& out) {
  if (pos + count > text.size()) return false;
  const char* begin = text.data() + pos;
  auto [end, error] = std::from_chars(begin, begin + count, out);
  return error == std::errc() && end == begin + count;
}

}  // namespace

std::string_view LogStreamName(LogStream stream) {
  return stream == LogStream::kStdout ? "stdout" : "stderr";
}

std::string FormatLogLine(const LogLine& line) {
  std::string out = FormatTime(line.time);
  out.reserve(out.size() + line.text.size() + 12);
  out += ' ';
  out += LogStreamName(line.stream);
  out += line.partial ? " P " : " F ";
  out += line.text;
  out += '\n';
  return out;
}

Result<TimePoint> ParseLogTime(std::string_view text) {
  // 2026-11-26T22:24:21.123Z
  int year, month, day, hour, minute, second, milli;
  const bool shape = text.size() == 24 && text[4] == '-' && text[7] == '-' && text[10] == 'T' &&
                     text[13] == ':' && text[16] == ':' && text[19] == '.' && text[23] == 'Z';
  if (!shape || !ParseDigits(text, 0, 4, year) || !ParseDigits(text, 5, 2, month) ||
      !ParseDigits(text, 8, 2, day) || !ParseDigits(text, 11, 2, hour) ||
      !ParseDigits(text, 14, 2, minute) || !ParseDigits(text, 17, 2, second) ||
      !ParseDigits(text, 20, 3, milli)) {
    return InvalidArgument("bad timestamp '" + std::string(text) +
                           "', expected like 2026-11-26T22:24:21.123Z");
  }
  const std::chrono::year_month_day date{std::chrono::year(year),
                                         std::chrono::month(static_cast<unsigned>(month)),
                                         std::chrono::day(static_cast<unsigned>(day))};
  if (!date.ok() || hour > 23 || minute > 59 || second > 60) {
    return InvalidArgument("timestamp '" + std::string(text) + "' is out of range");
  }
  return TimePoint(std::chrono::sys_days(date)) + std::chrono::hours(hour) +
         std::chrono::minutes(minute) + std::chrono::seconds(second) + Duration(milli);
}

Result<LogLine> ParseLogLine(std::string_view record) {
  if (!record.empty() && record.back() == '\n') record.remove_suffix(1);
  // "<24-char time> <stdout|stderr> <F|P> " is 34 characters before the text.
  constexpr size_t kPrefix = 24 + 1 + 6 + 1 + 1 + 1;
  if (record.size() < kPrefix || record[24] != ' ' || record[31] != ' ' || record[33] != ' ') {
    return InvalidArgument("not a drydock log record: '" + std::string(record.substr(0, 60)) + "'");
  }
  Result<TimePoint> time = ParseLogTime(record.substr(0, 24));
  if (!time.ok()) return time.status();
  LogLine line;
  line.time = *time;
  const std::string_view stream = record.substr(25, 6);
  if (stream == "stdout") {
    line.stream = LogStream::kStdout;
  } else if (stream == "stderr") {
    line.stream = LogStream::kStderr;
  } else {
    return InvalidArgument("unknown log stream '" + std::string(stream) + "'");
  }
  const char tag = record[32];
  if (tag != 'F' && tag != 'P') return InvalidArgument(std::string("unknown log tag '") + tag + "'");
  line.partial = tag == 'P';
  line.text = std::string(record.substr(kPrefix));
  return line;
}

void LogLineSplitter::Feed(std::string_view bytes, const Emit& emit) {
  while (!bytes.empty()) {
    const size_t newline = bytes.find('\n');
    const size_t take = newline == std::string_view::npos ? bytes.size() : newline;
    const size_t room = kMaxLogLineBytes - pending_.size();
    if (take > room) {
      // The line outgrows the limit: emit a fragment of exactly the limit. (At
      // exactly the limit we wait: a newline next makes it a full line.)
      pending_.append(bytes.substr(0, room));
      bytes.remove_prefix(room);
      emit(pending_, true);
      pending_.clear();
      continue;
    }
    pending_.append(bytes.substr(0, take));
    if (newline == std::string_view::npos) return;
    emit(pending_, false);
    pending_.clear();
    bytes.remove_prefix(take + 1);
  }
}

void LogLineSplitter::Flush(const Emit& emit) {
  if (pending_.empty()) return;
  emit(pending_, false);
  pending_.clear();
}

}  // namespace drydock::runtime
