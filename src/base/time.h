// Cluster time. Every controller reasons in "AWS time": durations are the
// ones AWS documents (30 s health-check interval, 300 s warm-up, ...). The
// runtime maps AWS time to real time (--time-scale N runs it N times faster)
// or to a virtual clock (simulation), so controllers never see the scale.
#pragma once

#include <chrono>
#include <string>

namespace drydock {

using Duration = std::chrono::milliseconds;
// Milliseconds since the Unix epoch, in cluster time.
using TimePoint = std::chrono::sys_time<Duration>;

constexpr Duration Seconds(int64_t s) { return std::chrono::seconds(s); }

// RFC 3339 UTC with milliseconds: "2026-11-26T22:24:21.123Z".
std::string FormatTime(TimePoint t);

}  // namespace drydock
