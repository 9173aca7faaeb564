#include "base/time.h"

#include <cstdio>

namespace drydock {

std::string FormatTime(TimePoint t) {
  const auto days = std::chrono::floor<std::chrono::days>(t);
  const std::chrono::year_month_day date{days};
  const auto since_midnight = t - days;
  const auto h = std::chrono::duration_cast<std::chrono::hours>(since_midnight);
  const auto m = std::chrono::duration_cast<std::chrono::minutes>(since_midnight - h);
  const auto s = std::chrono::duration_cast<std::chrono::seconds>(since_midnight - h - m);
  const auto ms = since_midnight - h - m - s;
  char buffer[40];
  std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ",
                static_cast<int>(date.year()), static_cast<unsigned>(date.month()),
                static_cast<unsigned>(date.day()), static_cast<int>(h.count()),
                static_cast<int>(m.count()), static_cast<int>(s.count()),
                static_cast<int>(ms.count()));
  return buffer;
}

}  // namespace drydock
