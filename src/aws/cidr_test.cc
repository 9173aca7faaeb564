#include "aws/cidr.h"

#include <gtest/gtest.h>

namespace drydock::aws {
namespace {

TEST(CidrTest, ParsesAndPrints) {
  Result<Ipv4Cidr> cidr = ParseIpv4Cidr("10.0.0.0/16");
  ASSERT_TRUE(cidr.ok());
  EXPECT_EQ(cidr->ToString(), "10.0.0.0/16");
  EXPECT_TRUE(cidr->IsCanonical());
  EXPECT_TRUE(IsPrivateRange(*cidr));
}

TEST(CidrTest, RejectsMalformed) {
  for (const char* bad : {"10.0.0.0", "10.0.0/16", "10.0.0.256/16", "10.0.0.0/33", "10.0.0.0/",
                          "a.b.c.d/8", "10.0.0.0.0/8", "010.0.0.0/8", "", "/16", "10.0.0.0/-1"}) {
    EXPECT_FALSE(ParseIpv4Cidr(bad).ok()) << bad;
  }
}

TEST(CidrTest, NonCanonicalDetected) {
  Result<Ipv4Cidr> cidr = ParseIpv4Cidr("10.0.0.1/16");
  ASSERT_TRUE(cidr.ok());
  EXPECT_FALSE(cidr->IsCanonical());
  EXPECT_EQ(cidr->Canonical().ToString(), "10.0.0.0/16");
}

TEST(CidrTest, CidrSubnetMatchesTerraform) {
  // cidrsubnet("10.0.0.0/16", 8, 2) == "10.0.2.0/24"
  EXPECT_EQ(CidrSubnet(*ParseIpv4Cidr("10.0.0.0/16"), 8, 2).ToString(), "10.0.2.0/24");
  // cidrsubnet("172.16.0.0/12", 4, 15) == "172.31.0.0/16"
  EXPECT_EQ(CidrSubnet(*ParseIpv4Cidr("172.16.0.0/12"), 4, 15).ToString(), "172.31.0.0/16");
}

TEST(CidrTest, LayoutForOriginVpc) {
  SubnetLayout layout = LayoutSubnets(*ParseIpv4Cidr("10.0.0.0/16"), 2);
  ASSERT_EQ(layout.public_subnets.size(), 2u);
  EXPECT_EQ(layout.public_subnets[0].ToString(), "10.0.0.0/24");
  EXPECT_EQ(layout.public_subnets[1].ToString(), "10.0.1.0/24");
  EXPECT_EQ(layout.private_subnets[0].ToString(), "10.0.2.0/24");
  EXPECT_EQ(layout.private_subnets[1].ToString(), "10.0.3.0/24");
}

TEST(CidrTest, LayoutTooSmall) {
  EXPECT_EQ(LayoutSubnets(*ParseIpv4Cidr("10.0.0.0/26"), 2).public_subnets.size(), 2u);
  EXPECT_TRUE(LayoutSubnets(*ParseIpv4Cidr("10.0.0.0/27"), 2).public_subnets.empty());
  EXPECT_TRUE(LayoutSubnets(*ParseIpv4Cidr("10.0.0.0/28"), 1).public_subnets.empty());
}

}  // namespace
}  // namespace drydock::aws
