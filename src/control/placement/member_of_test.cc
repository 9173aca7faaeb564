#include "control/placement/member_of.h"

#include <gtest/gtest.h>

namespace drydock::control {
namespace {

const std::map<std::string, std::string> kT3aInZoneB = {
    {"ecs.instance-type", "t3a.medium"},
    {"ecs.availability-zone", "us-east-1b"},
    {"ec2InstanceId", "i-0123"},
};

bool Matches(const char* expression) {
  Result<MemberOfExpression> parsed = ParseMemberOf(expression);
  EXPECT_TRUE(parsed.ok()) << expression << ": " << (parsed.ok() ? "" : parsed.status().message());
  return parsed.ok() && MatchesMemberOf(*parsed, kT3aInZoneB);
}

TEST(PlacementMemberOf, Operators) {
  EXPECT_TRUE(Matches("attribute:ecs.instance-type == t3a.medium"));
  EXPECT_FALSE(Matches("attribute:ecs.instance-type == t3.medium"));
  EXPECT_TRUE(Matches("attribute:ecs.instance-type != t3.medium"));
  EXPECT_TRUE(Matches("attribute:ecs.instance-type =~ t3a.*"));
  EXPECT_FALSE(Matches("attribute:ecs.instance-type =~ t3.*"));
  EXPECT_TRUE(Matches("attribute:ecs.instance-type !~ t2.*"));
  EXPECT_TRUE(Matches("attribute:ecs.availability-zone in [us-east-1a, us-east-1b]"));
  EXPECT_FALSE(Matches("attribute:ecs.availability-zone not in [us-east-1b]"));
  EXPECT_TRUE(Matches("attribute:ecs.availability-zone in (us-east-1b)"));
  EXPECT_TRUE(Matches("ec2InstanceId == i-0123"));
}

TEST(PlacementMemberOf, AndBindsTighterThanOr) {
  EXPECT_TRUE(
      Matches("attribute:ecs.instance-type == t2.micro or "
              "attribute:ecs.instance-type =~ t3a.* and "
              "attribute:ecs.availability-zone == us-east-1b"));
  EXPECT_FALSE(
      Matches("attribute:ecs.instance-type =~ t3a.* && "
              "attribute:ecs.availability-zone == us-east-1a"));
  EXPECT_TRUE(
      Matches("attribute:ecs.availability-zone == us-east-1a || "
              "attribute:ecs.availability-zone==us-east-1b"));
}

TEST(PlacementMemberOf, MissingAttributes) {
  EXPECT_FALSE(Matches("attribute:stack == prod"));
  EXPECT_TRUE(Matches("attribute:stack != prod"));
}

TEST(PlacementMemberOf, Errors) {
  EXPECT_FALSE(ParseMemberOf("").ok());
  EXPECT_FALSE(ParseMemberOf("ecs.instance-type == t3.medium").ok());
  EXPECT_FALSE(ParseMemberOf("attribute:ecs.instance-type").ok());
  EXPECT_FALSE(ParseMemberOf("attribute:ecs.instance-type >= 3").ok());
  EXPECT_FALSE(ParseMemberOf("attribute:a in [x, y").ok());
  EXPECT_FALSE(ParseMemberOf("attribute:a == x xor attribute:b == y").ok());
}

TEST(PlacementMemberOf, Glob) {
  EXPECT_TRUE(GlobMatches("t3.*", "t3.medium"));
  EXPECT_TRUE(GlobMatches("*.medium", "t3a.medium"));
  EXPECT_TRUE(GlobMatches("*", ""));
  EXPECT_TRUE(GlobMatches("m*.*large", "m5.2xlarge"));
  EXPECT_FALSE(GlobMatches("t3.*", "t3a.medium"));
  EXPECT_FALSE(GlobMatches("t3", "t3.medium"));
}

}  // namespace
}  // namespace drydock::control
