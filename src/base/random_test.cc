#include "base/random.h"

#include <gtest/gtest.h>

#include <set>

namespace drydock {
namespace {

TEST(RandomTest, SameSeedSameSequence) {
  Random a(42), b(42);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(a.Next(), b.Next());
}

TEST(RandomTest, StreamsAreIndependentAndStable) {
  Random root(7);
  Random placement = root.Stream("placement");
  Random again = root.Stream("placement");
  Random other = root.Stream("asg");
  EXPECT_EQ(placement.Next(), again.Next());
  EXPECT_NE(root.Stream("placement").Next(), other.Next());
}

TEST(RandomTest, BelowStaysInRangeAndCoversIt) {
  Random r(1);
  std::set<uint64_t> seen;
  for (int i = 0; i < 1000; ++i) {
    uint64_t v = r.Below(6);
    ASSERT_LT(v, 6u);
    seen.insert(v);
  }
  EXPECT_EQ(seen.size(), 6u);
}

TEST(RandomTest, NextDoubleInUnitInterval) {
  Random r(3);
  for (int i = 0; i < 1000; ++i) {
    double d = r.NextDouble();
    ASSERT_GE(d, 0.0);
    ASSERT_LT(d, 1.0);
  }
}

}  // namespace
}  // namespace drydock
