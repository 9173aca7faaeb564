#include "base/strings.h"

#include <gtest/gtest.h>

namespace drydock {
namespace {

TEST(ParseUint, AcceptsOnlyWholeDecimalNumbers) {
  EXPECT_EQ(ParseUint("0"), 0u);
  EXPECT_EQ(ParseUint("18446744073709551615"), UINT64_MAX);
  EXPECT_EQ(ParseUint(""), std::nullopt);
  EXPECT_EQ(ParseUint("-1"), std::nullopt);
  EXPECT_EQ(ParseUint("+1"), std::nullopt);
  EXPECT_EQ(ParseUint("12a"), std::nullopt);
  EXPECT_EQ(ParseUint(" 1"), std::nullopt);
  EXPECT_EQ(ParseUint("18446744073709551616"), std::nullopt);  // overflows
}

TEST(ClosestMatch, SuggestsOnlyPlausibleTypos) {
  EXPECT_EQ(ClosestMatch("desired_cuont", {"desired_count", "priority"}), "desired_count");
  EXPECT_EQ(ClosestMatch("xyz", {"desired_count", "priority"}), "");
  EXPECT_EQ(EditDistance("kitten", "sitting"), 3u);
}

TEST(StringsTest, Fnv1a64HexIsTheKnownFnvValue) {
  EXPECT_EQ(Fnv1a64Hex(""), "cbf29ce484222325");  // the FNV-1a 64 offset basis
  EXPECT_EQ(Fnv1a64Hex("a"), "af63dc4c8601ec8c");
  EXPECT_NE(Fnv1a64Hex("ab"), Fnv1a64Hex("ba"));
}

}  // namespace
}  // namespace drydock
