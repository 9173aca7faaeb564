// Region, VPC, availability zones, network mode, listen address and names.
#include <gtest/gtest.h>

#include "validate/validate.h"
#include "validate/validate_test_util.h"

namespace drydock::validate {
namespace {

using config::Severity;
using testing::Has;
using testing::Only;
using testing::OriginConfig;
using testing::ServiceNamed;
using testing::WithRule;

config::Diagnostics WithCidr(const std::string& cidr, int az_count = 2) {
  config::Config config = OriginConfig();
  config.settings.vpc_cidr = cidr;
  config.settings.availability_zone_count = az_count;
  return Validate(config);
}

TEST(ValidateNetworkTest, CidrSyntaxSaysWhy) {
  const config::Diagnostic d = Only(WithCidr("10.0.0.300/16"), "vpc-cidr-syntax");
  EXPECT_EQ(d.severity, Severity::kError);
  EXPECT_EQ(d.setting, "vpc_cidr");
  EXPECT_EQ(d.pos.line, 3);
  EXPECT_NE(d.message.find("300"), std::string::npos) << d.message;
  EXPECT_TRUE(Has(WithCidr("10.0.0.0"), "vpc-cidr-syntax"));
  EXPECT_TRUE(Has(WithCidr("banana"), "vpc-cidr-syntax"));
}

TEST(ValidateNetworkTest, CidrPrefixRange) {
  EXPECT_EQ(Only(WithCidr("10.0.0.0/8"), "vpc-cidr-prefix-range").severity, Severity::kError);
  EXPECT_TRUE(Has(WithCidr("10.0.0.0/29"), "vpc-cidr-prefix-range"));
  EXPECT_FALSE(Has(WithCidr("10.0.0.0/16"), "vpc-cidr-prefix-range"));
  EXPECT_FALSE(Has(WithCidr("10.0.0.0/26"), "vpc-cidr-prefix-range"));
}

TEST(ValidateNetworkTest, CidrTooSmallSaysHowManyAndSuggestsAPrefix) {
  const config::Diagnostic d = Only(WithCidr("10.0.0.0/27"), "vpc-cidr-too-small");
  EXPECT_EQ(d.severity, Severity::kError);
  EXPECT_NE(d.message.find("holds 2 subnets"), std::string::npos) << d.message;
  EXPECT_NE(d.message.find("needs 4"), std::string::npos) << d.message;
  EXPECT_NE(d.fix.find("/26"), std::string::npos) << d.fix;
  EXPECT_NE(d.fix.find("10.0.0.0/26"), std::string::npos) << d.fix;
  EXPECT_FALSE(Has(WithCidr("10.0.0.0/26"), "vpc-cidr-too-small"));
  // Six zones need 12 subnets: a /24 holds 16.
  EXPECT_TRUE(Has(WithCidr("10.0.0.0/25", 6), "vpc-cidr-too-small"));
  EXPECT_FALSE(Has(WithCidr("10.0.0.0/24", 6), "vpc-cidr-too-small"));
}

TEST(ValidateNetworkTest, NonCanonicalCidrGivesTheCanonicalForm) {
  const config::Diagnostic d = Only(WithCidr("10.0.5.0/16"), "vpc-cidr-not-canonical");
  EXPECT_EQ(d.severity, Severity::kError);
  EXPECT_NE(d.fix.find("\"10.0.0.0/16\""), std::string::npos) << d.fix;
}

TEST(ValidateNetworkTest, PublicCidrIsAWarning) {
  const config::Diagnostic d = Only(WithCidr("8.8.0.0/16"), "vpc-cidr-public-range");
  EXPECT_EQ(d.severity, Severity::kWarning);
  EXPECT_FALSE(Has(WithCidr("172.16.0.0/16"), "vpc-cidr-public-range"));
  EXPECT_FALSE(Has(WithCidr("192.168.0.0/16"), "vpc-cidr-public-range"));
}

TEST(ValidateNetworkTest, AvailabilityZones) {
  EXPECT_TRUE(Has(WithCidr("10.0.0.0/16", 0), "availability-zone-count-range"));
  EXPECT_TRUE(Has(WithCidr("10.0.0.0/16", 7), "availability-zone-count-range"));
  EXPECT_FALSE(Has(WithCidr("10.0.0.0/16", 6), "availability-zone-count-range"));
  const config::Diagnostic d = Only(WithCidr("10.0.0.0/16", 1), "single-availability-zone");
  EXPECT_EQ(d.severity, Severity::kWarning);
  EXPECT_FALSE(Has(WithCidr("10.0.0.0/16", 2), "single-availability-zone"));
}

TEST(ValidateNetworkTest, Region) {
  config::Config config = OriginConfig();
  for (const char* good : {"us-east-1", "eu-central-2", "us-gov-west-1", "ap-southeast-4"}) {
    config.settings.region = good;
    EXPECT_FALSE(Has(Validate(config), "region-format")) << good;
  }
  for (const char* bad : {"us-east", "useast1", "US-EAST-1", "", "us-east-1a", "u-east-1"}) {
    config.settings.region = bad;
    EXPECT_TRUE(Has(Validate(config), "region-format")) << bad;
  }
  config.settings.region = "us-easst-1";
  EXPECT_FALSE(Has(Validate(config), "region-format"));  // well-formed; regions get added
  config.settings.region = "us_east_1";
  EXPECT_NE(Only(Validate(config), "region-format").fix.find("us-east-1"), std::string::npos);
}

TEST(ValidateNetworkTest, NetworkMode) {
  config::Config config = OriginConfig();
  config.settings.network_mode = "brige";
  const config::Diagnostic d = Only(Validate(config), "network-mode-value");
  EXPECT_NE(d.fix.find("\"bridge\""), std::string::npos);
  for (const char* mode : {"awsvpc", "bridge", "host"}) {
    config.settings.network_mode = mode;
    EXPECT_FALSE(Has(Validate(config), "network-mode-value"));
  }
}

TEST(ValidateNetworkTest, ListenAddress) {
  config::Config config = OriginConfig();
  for (const char* good : {"127.0.0.1:8080", "localhost:1", "[::1]:65535", "0.0.0.0:80"}) {
    config.settings.listen_address = good;
    EXPECT_FALSE(Has(Validate(config), "listen-address")) << good;
  }
  for (const char* bad : {"8080", ":8080", "127.0.0.1:", "127.0.0.1:0", "127.0.0.1:65536",
                          "127.0.0.1:http", "::1:80"}) {
    config.settings.listen_address = bad;
    EXPECT_TRUE(Has(Validate(config), "listen-address")) << bad;
  }
}

TEST(ValidateNetworkTest, IdleTimeout) {
  config::Config config = OriginConfig();
  config.settings.alb_idle_timeout = 4001;
  EXPECT_TRUE(Has(Validate(config), "alb-idle-timeout-range"));
  config.settings.alb_idle_timeout = 0;
  EXPECT_TRUE(Has(Validate(config), "alb-idle-timeout-range"));
  config.settings.alb_idle_timeout = 4000;
  EXPECT_FALSE(Has(Validate(config), "alb-idle-timeout-range"));
}

TEST(ValidateNamesTest, ServiceNameWithUnderscoreBreaksTheTargetGroupName) {
  config::Config config = OriginConfig();
  ServiceNamed(config, "api").name = "my_api";
  const config::Diagnostics diagnostics = Validate(config);
  EXPECT_FALSE(Has(diagnostics, "service-name"));  // ECS accepts underscores
  const config::Diagnostic d = Only(diagnostics, "target-group-name");
  EXPECT_EQ(d.severity, Severity::kError);
  EXPECT_NE(d.message.find("\"my_api-tg\""), std::string::npos) << d.message;
  EXPECT_NE(d.fix.find("\"my-api\""), std::string::npos) << d.fix;
}

TEST(ValidateNamesTest, LongServiceName) {
  config::Config config = OriginConfig();
  ServiceNamed(config, "api").name = std::string(30, 'a');  // "-tg" makes 33
  const config::Diagnostic d = Only(Validate(config), "target-group-name");
  EXPECT_NE(d.message.find("33 characters"), std::string::npos) << d.message;
  ServiceNamed(config, std::string(30, 'a')).name = std::string(29, 'a');
  EXPECT_FALSE(Has(Validate(config), "target-group-name"));
}

TEST(ValidateNamesTest, ServiceNameEcsRules) {
  config::Config config = OriginConfig();
  ServiceNamed(config, "api").name = "api.v2";
  EXPECT_EQ(Only(Validate(config), "service-name").severity, Severity::kError);
}

TEST(ValidateNamesTest, ClusterAndLoadBalancerNames) {
  config::Config config = OriginConfig();
  config.settings.cluster_name = "prod_cluster";
  config::Diagnostics diagnostics = Validate(config);
  EXPECT_FALSE(Has(diagnostics, "cluster-name"));
  config::Diagnostic d = Only(diagnostics, "load-balancer-name");
  EXPECT_EQ(d.setting, "cluster_name");
  EXPECT_EQ(d.pos.line, 5);
  EXPECT_NE(d.message.find("\"prod_cluster-alb\""), std::string::npos);
  config.settings.cluster_name = std::string(29, 'c');  // 33 with "-alb"
  EXPECT_TRUE(Has(Validate(config), "load-balancer-name"));
  config.settings.cluster_name = "prod cluster";
  EXPECT_TRUE(Has(Validate(config), "cluster-name"));
  config.settings.cluster_name = "";
  EXPECT_TRUE(Has(Validate(config), "cluster-name"));
}

}  // namespace
}  // namespace drydock::validate
