#include "aws/asg_mix.h"

#include <gtest/gtest.h>

namespace drydock::aws {
namespace {

TEST(AsgMixTest, RulebookTableBaseOneTwentyPercent) {
  // Sizes 1..10 with base 1 and 20 %: the rulebook's worked table.
  const int expected_on_demand[] = {1, 2, 2, 2, 2, 2, 3, 3, 3, 3};
  for (int size = 1; size <= 10; ++size) {
    PurchaseMix mix = MixForGroupSize(size, 1, 20);
    EXPECT_EQ(mix.on_demand, expected_on_demand[size - 1]) << "size " << size;
    EXPECT_EQ(mix.on_demand + mix.spot, size);
  }
}

TEST(AsgMixTest, BaseIsCappedByGroupSize) {
  PurchaseMix mix = MixForGroupSize(10, 12, 0);
  EXPECT_EQ(mix.on_demand, 10);
  EXPECT_EQ(mix.spot, 0);
}

TEST(AsgMixTest, ExtremePercentages) {
  EXPECT_EQ(MixForGroupSize(7, 0, 0).spot, 7);
  EXPECT_EQ(MixForGroupSize(7, 0, 100).on_demand, 7);
  EXPECT_EQ(MixForGroupSize(0, 1, 20).on_demand, 0);
}

}  // namespace
}  // namespace drydock::aws
