#include "config/spec/conversions.h"

#include <gtest/gtest.h>

#include <string>

namespace drydock::config {
namespace {

TEST(DecoderConversionTest, NumberStrings) {
  struct Case {
    const char* text;
    std::optional<double> expected;
  };
  const Case kCases[] = {
      {"2", 2},       {"-1", -1},     {"+3", 3},      {"2.5", 2.5},     {"1e3", 1000},
      {"1E-2", 0.01}, {".5", 0.5},    {"5.", 5},      {"007", 7},       {"", std::nullopt},
      {" 2", std::nullopt},  {"2 ", std::nullopt},   {"0x10", std::nullopt},
      {"inf", std::nullopt}, {"nan", std::nullopt},  {"1e", std::nullopt},
      {".", std::nullopt},   {"-", std::nullopt},    {"1_000", std::nullopt},
      {"two", std::nullopt}, {"1e999", std::nullopt}, {"--1", std::nullopt},
  };
  for (const Case& c : kCases) {
    EXPECT_EQ(ParseNumberString(c.text), c.expected) << "\"" << c.text << "\"";
  }
}

TEST(DecoderConversionTest, BoolStrings) {
  EXPECT_EQ(ParseBoolString("true"), true);
  EXPECT_EQ(ParseBoolString("1"), true);
  EXPECT_EQ(ParseBoolString("false"), false);
  EXPECT_EQ(ParseBoolString("0"), false);
  EXPECT_EQ(ParseBoolString("True"), std::nullopt);
  EXPECT_EQ(ParseBoolString("yes"), std::nullopt);
  EXPECT_EQ(ParseBoolString(""), std::nullopt);
}

TEST(DecoderConversionTest, NumbersToStrings) {
  EXPECT_EQ(NumberToString(2), "2");
  EXPECT_EQ(NumberToString(-15), "-15");
  EXPECT_EQ(NumberToString(0.1), "0.1");
  EXPECT_EQ(NumberToString(2.5), "2.5");
  EXPECT_EQ(NumberToString(8080), "8080");
  EXPECT_EQ(NumberToString(1e20), "100000000000000000000");
}

}  // namespace
}  // namespace drydock::config
