// CloudWatch Logs retention values (rulebook section 10).
#pragma once

#include <vector>

namespace drydock::aws {

// The 22 values PutRetentionPolicy accepts, ascending.
const std::vector<int>& AllowedRetentionDays();

// True for one of the 22 values, or 0 (Terraform's "never expire", which
// removes the retention policy instead of setting one).
bool IsAllowedRetention(int days);

// The allowed values nearest to `days`: the largest at or below and the
// smallest above (one of them when `days` is outside the range), ascending.
std::vector<int> NearestRetentions(int days);

}  // namespace drydock::aws
