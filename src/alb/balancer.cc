#include "alb/balancer.h"

#include <algorithm>
#include <cassert>

namespace drydock::alb {

size_t TargetPicker::NextAfterLast(const std::vector<size_t>& candidates) const {
  if (!picked_any_) return candidates.front();
  const auto next = std::upper_bound(candidates.begin(), candidates.end(), last_);
  return next == candidates.end() ? candidates.front() : *next;
}

size_t TargetPicker::Pick(const std::vector<size_t>& routable, const std::vector<int>& outstanding,
                          Algorithm algorithm) {
  assert(!routable.empty());
  assert(std::is_sorted(routable.begin(), routable.end()));
  size_t chosen = 0;
  if (algorithm == Algorithm::kRoundRobin) {
    chosen = NextAfterLast(routable);
  } else {
    int fewest = 0;
    std::vector<size_t> least;
    for (size_t index : routable) {
      assert(index < outstanding.size());
      const int count = outstanding[index];
      if (least.empty() || count < fewest) {
        fewest = count;
        least.assign(1, index);
      } else if (count == fewest) {
        least.push_back(index);
      }
    }
    chosen = NextAfterLast(least);
  }
  picked_any_ = true;
  last_ = chosen;
  return chosen;
}

}  // namespace drydock::alb
