#include "logs/since.h"

#include <charconv>
#include <string>

namespace drydock::logs {

Result<Duration> ParseSince(std::string_view text) {
  const Status bad = InvalidArgument("bad duration '" + std::string(text) +
                                     "': expected a whole number and a unit s, m, h or d, "
                                     "like 30s, 10m, 2h or 1d");
  if (text.size() < 2) return bad;
  int64_t seconds_per_unit = 0;
  switch (text.back()) {
    case 's': seconds_per_unit = 1; break;
    case 'm': seconds_per_unit = 60; break;
    case 'h': seconds_per_unit = 3600; break;
    case 'd': seconds_per_unit = 86400; break;
    default: return bad;
  }
  const std::string_view digits = text.substr(0, text.size() - 1);
  int64_t count = 0;
  auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), count);
  if (error != std::errc() || end != digits.data() + digits.size() || count <= 0) return bad;
  constexpr int64_t kMaxSeconds = int64_t{100} * 366 * 86400;
  if (count > kMaxSeconds / seconds_per_unit) {
    return InvalidArgument("duration '" + std::string(text) + "' is longer than 100 years");
  }
  return Seconds(count * seconds_per_unit);
}

}  // namespace drydock::logs
