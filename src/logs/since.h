// `drydock logs --since DURATION`: how far back to show.
#pragma once

#include <string_view>

#include "base/status.h"
#include "base/time.h"

namespace drydock::logs {

// A positive whole number and a unit: "30s", "10m", "2h", "1d" (at most 100
// years). kInvalidArgument with an example otherwise.
Result<Duration> ParseSince(std::string_view text);

}  // namespace drydock::logs
