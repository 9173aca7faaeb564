#include "alb/balancer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <map>

namespace drydock::alb {
namespace {

TEST(AlbPicker, RoundRobinIsFairOver1000Picks) {
  TargetPicker picker;
  const std::vector<size_t> routable = {0, 2, 3, 7};
  const std::vector<int> outstanding(8, 0);
  std::map<size_t, int> counts;
  size_t previous = 99;
  for (int i = 0; i < 1000; ++i) {
    const size_t pick = picker.Pick(routable, outstanding, Algorithm::kRoundRobin);
    EXPECT_NE(pick, previous);
    previous = pick;
    ++counts[pick];
  }
  EXPECT_EQ(counts, (std::map<size_t, int>{{0, 250}, {2, 250}, {3, 250}, {7, 250}}));
}

TEST(AlbPicker, RoundRobinOrder) {
  TargetPicker picker;
  const std::vector<int> none;
  std::vector<size_t> picks;
  for (int i = 0; i < 6; ++i) picks.push_back(picker.Pick({1, 4, 5}, none, Algorithm::kRoundRobin));
  EXPECT_EQ(picks, (std::vector<size_t>{1, 4, 5, 1, 4, 5}));
}

TEST(AlbPicker, RoundRobinCarriesOnWhenTheSetChanges) {
  TargetPicker picker;
  const std::vector<int> none;
  EXPECT_EQ(picker.Pick({0, 1, 2, 3}, none, Algorithm::kRoundRobin), 0u);
  EXPECT_EQ(picker.Pick({0, 1, 2, 3}, none, Algorithm::kRoundRobin), 1u);
  // Target 2 leaves: the rotation goes on to 3 rather than restarting at 0.
  EXPECT_EQ(picker.Pick({0, 1, 3}, none, Algorithm::kRoundRobin), 3u);
  EXPECT_EQ(picker.Pick({0, 1, 3}, none, Algorithm::kRoundRobin), 0u);
  // The last picked target leaves: the next higher index comes next.
  EXPECT_EQ(picker.Pick({1, 3}, none, Algorithm::kRoundRobin), 1u);
  EXPECT_EQ(picker.Pick({3}, none, Algorithm::kRoundRobin), 3u);
  EXPECT_EQ(picker.Pick({0, 2}, none, Algorithm::kRoundRobin), 0u);
}

TEST(AlbPicker, RoundRobinStaysFairUnderChurn) {
  // A target that flaps in and out of the routable set must not starve or
  // flood the others: between two picks of any target, every target routable
  // the whole time is picked at most once.
  TargetPicker picker;
  const std::vector<int> none;
  std::map<size_t, int> counts;
  for (int i = 0; i < 1000; ++i) {
    const std::vector<size_t> routable =
        (i / 7) % 2 == 0 ? std::vector<size_t>{0, 1, 2} : std::vector<size_t>{0, 2};
    ++counts[picker.Pick(routable, none, Algorithm::kRoundRobin)];
  }
  // Targets 0 and 2 are always routable and get equal shares (within one).
  EXPECT_LE(std::abs(counts[0] - counts[2]), 1);
  EXPECT_GT(counts[1], 0);
  EXPECT_EQ(counts[0] + counts[1] + counts[2], 1000);
}

TEST(AlbPicker, LeastOutstandingPicksFewest) {
  TargetPicker picker;
  const std::vector<int> outstanding = {5, 2, 9, 2, 0};
  EXPECT_EQ(picker.Pick({0, 1, 2, 3}, outstanding, Algorithm::kLeastOutstandingRequests), 1u);
  EXPECT_EQ(picker.Pick({0, 1, 2, 3, 4}, outstanding, Algorithm::kLeastOutstandingRequests), 4u);
  EXPECT_EQ(picker.Pick({0, 2}, outstanding, Algorithm::kLeastOutstandingRequests), 0u);
}

TEST(AlbPicker, LeastOutstandingTiesRotate) {
  TargetPicker picker;
  const std::vector<int> outstanding = {3, 1, 1, 1};
  std::map<size_t, int> counts;
  for (int i = 0; i < 999; ++i) {
    ++counts[picker.Pick({0, 1, 2, 3}, outstanding, Algorithm::kLeastOutstandingRequests)];
  }
  EXPECT_EQ(counts, (std::map<size_t, int>{{1, 333}, {2, 333}, {3, 333}}));
}

TEST(AlbPicker, LeastOutstandingBalancesLoadOver1000Picks) {
  // Each pick adds an outstanding request; every fourth pick, the busiest
  // target finishes one. Counts never drift apart by more than one.
  TargetPicker picker;
  std::vector<int> outstanding = {0, 0, 0};
  for (int i = 0; i < 1000; ++i) {
    const size_t pick = picker.Pick({0, 1, 2}, outstanding, Algorithm::kLeastOutstandingRequests);
    ++outstanding[pick];
    const int high = *std::max_element(outstanding.begin(), outstanding.end());
    const int low = *std::min_element(outstanding.begin(), outstanding.end());
    ASSERT_LE(high - low, 1) << "after pick " << i;
    if (i % 4 == 3) {
      --*std::max_element(outstanding.begin(), outstanding.end());
    }
  }
}

}  // namespace
}  // namespace drydock::alb
