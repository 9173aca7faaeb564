#include "aws/log_retention.h"

#include <algorithm>

namespace drydock::aws {

const std::vector<int>& AllowedRetentionDays() {
  static const std::vector<int> kDays = {1,    3,    5,    7,    14,   30,  60,  90,
                                         120,  150,  180,  365,  400,  545, 731, 1096,
                                         1827, 2192, 2557, 2922, 3288, 3653};
  return kDays;
}

bool IsAllowedRetention(int days) {
  const std::vector<int>& allowed = AllowedRetentionDays();
  return days == 0 || std::binary_search(allowed.begin(), allowed.end(), days);
}

std::vector<int> NearestRetentions(int days) {
  const std::vector<int>& allowed = AllowedRetentionDays();
  auto above = std::upper_bound(allowed.begin(), allowed.end(), days);
  std::vector<int> nearest;
  if (above != allowed.begin()) nearest.push_back(*(above - 1));
  if (above != allowed.end()) nearest.push_back(*above);
  return nearest;
}

}  // namespace drydock::aws
