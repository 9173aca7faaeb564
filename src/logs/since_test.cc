#include "logs/since.h"

#include <gtest/gtest.h>

namespace drydock::logs {
namespace {

TEST(ParseSinceTest, AcceptsSecondsMinutesHoursDays) {
  EXPECT_EQ(*ParseSince("30s"), Seconds(30));
  EXPECT_EQ(*ParseSince("10m"), Seconds(600));
  EXPECT_EQ(*ParseSince("2h"), Seconds(7200));
  EXPECT_EQ(*ParseSince("1d"), Seconds(86400));
}

TEST(ParseSinceTest, RejectsEverythingElseWithAnExample) {
  for (const char* text : {"", "s", "10", "0s", "-5m", "+5m", "1.5h", "5w", "5 m", "m5", "1h30m",
                           "99999999999999999999s"}) {
    Result<Duration> parsed = ParseSince(text);
    ASSERT_FALSE(parsed.ok()) << text;
    EXPECT_EQ(parsed.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(parsed.status().message().find("10m"), std::string::npos) << text;
  }
  Result<Duration> huge = ParseSince("40000d");
  ASSERT_FALSE(huge.ok());
  EXPECT_NE(huge.status().message().find("100 years"), std::string::npos);
}

}  // namespace
}  // namespace drydock::logs
