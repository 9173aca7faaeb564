#include "aws/log_retention.h"

#include <gtest/gtest.h>

namespace drydock::aws {
namespace {

TEST(AwsLogRetentionTest, TwentyTwoValuesPlusNever) {
  EXPECT_EQ(AllowedRetentionDays().size(), 22u);
  EXPECT_TRUE(IsAllowedRetention(0));
  EXPECT_TRUE(IsAllowedRetention(14));
  EXPECT_TRUE(IsAllowedRetention(3653));
  EXPECT_FALSE(IsAllowedRetention(10));
  EXPECT_FALSE(IsAllowedRetention(-1));
  EXPECT_FALSE(IsAllowedRetention(3654));
}

TEST(AwsLogRetentionTest, Nearest) {
  EXPECT_EQ(NearestRetentions(10), (std::vector<int>{7, 14}));
  EXPECT_EQ(NearestRetentions(-5), (std::vector<int>{1}));
  EXPECT_EQ(NearestRetentions(5000), (std::vector<int>{3653}));
}

}  // namespace
}  // namespace drydock::aws
