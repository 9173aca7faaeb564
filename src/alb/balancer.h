// Target selection within a target group (rulebook section 6, "Slow start":
// algorithms round_robin, the default, and least_outstanding_requests).
// weighted_random and slow start are not implemented.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace drydock::alb {

enum class Algorithm { kRoundRobin, kLeastOutstandingRequests };

// Picks a target for each new request. Deterministic: no randomness.
//
// Round robin keeps a cursor on target *indices*, not positions in the
// routable list: each pick takes the smallest routable index after the last
// one picked (wrapping). When a target leaves or joins the routable set, the
// rotation carries on from where it was instead of restarting, so every
// routable target gets its turn once per cycle.
//
// Least outstanding requests picks the routable target with the fewest
// outstanding requests; ties are broken by the same round-robin cursor.
//
// Not thread-safe; one picker per target group.
class TargetPicker {
 public:
  // REQUIRES: `routable` non-empty and ascending (as RoutableTargets returns);
  // every index in it < outstanding.size() when the algorithm is
  // kLeastOutstandingRequests. Returns an element of `routable`.
  size_t Pick(const std::vector<size_t>& routable, const std::vector<int>& outstanding,
              Algorithm algorithm);

 private:
  // The first element of `candidates` (ascending) after last_, wrapping.
  size_t NextAfterLast(const std::vector<size_t>& candidates) const;

  bool picked_any_ = false;
  size_t last_ = 0;  // target index of the previous pick
};

}  // namespace drydock::alb
