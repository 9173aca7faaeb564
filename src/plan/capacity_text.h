// The capacity report's conclusions as sentences for people (used by both the
// text and the JSON output, so both say the same thing).
#pragma once

#include <string>
#include <vector>

#include "config/spec/settings.h"
#include "plan/capacity.h"

namespace drydock::plan {

// REQUIRES: report has scenarios and a provider estimate (BuildCapacity).
std::vector<std::string> CapacityConclusions(const config::Settings& settings,
                                             const CapacityReport& report);

// "2 On-Demand + 0 Spot" for a group size.
std::string MixPhrase(const config::Settings& settings, int size);

}  // namespace drydock::plan
