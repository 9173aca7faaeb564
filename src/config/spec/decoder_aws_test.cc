// The AWS-only top-level settings (certificate ARNs, WAF, VPC endpoints,
// alarm topic) through the real HCL and JSON parsers.
#include <gtest/gtest.h>

#include <string>

#include "config/loader.h"
#include "config/spec/loader_test_util.h"

namespace drydock::config {
namespace {

using testing::DescribeDiagnostics;
using testing::kOneServiceHcl;

constexpr const char* kCertificate =
    "arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-0000-4000-8000-000000000001";

TEST(DecoderAwsTest, DefaultsAddNothing) {
  LoadResult result = LoadConfigText(kOneServiceHcl, "t.tfvars");
  ASSERT_TRUE(result.config) << DescribeDiagnostics(result.diagnostics);
  const Settings& s = result.config->settings;
  EXPECT_EQ(s.certificate_arn, "");
  EXPECT_TRUE(s.additional_certificate_arns.empty());
  EXPECT_FALSE(s.enable_waf);
  EXPECT_FALSE(s.enable_vpc_endpoints);
  EXPECT_EQ(s.alarm_sns_topic_arn, "");
}

TEST(DecoderAwsTest, HclSettings) {
  const std::string text = std::string("certificate_arn = \"") + kCertificate + "\"\n" +
                           "additional_certificate_arns = [\n"
                           "  \"arn:aws:acm:us-east-1:123456789012:certificate/b\",\n"
                           "  \"arn:aws:iam::123456789012:server-certificate/c\",\n"
                           "]\n"
                           "enable_waf = true\n"
                           "enable_vpc_endpoints = true\n"
                           "alarm_sns_topic_arn = \"arn:aws:sns:us-east-1:123456789012:ops\"\n" +
                           kOneServiceHcl;
  LoadResult result = LoadConfigText(text, "t.tfvars");
  ASSERT_TRUE(result.config) << DescribeDiagnostics(result.diagnostics);
  EXPECT_TRUE(result.diagnostics.empty()) << DescribeDiagnostics(result.diagnostics);
  const Settings& s = result.config->settings;
  EXPECT_EQ(s.certificate_arn, kCertificate);
  ASSERT_EQ(s.additional_certificate_arns.size(), 2u);
  EXPECT_EQ(s.additional_certificate_arns[1], "arn:aws:iam::123456789012:server-certificate/c");
  EXPECT_TRUE(s.enable_waf);
  EXPECT_TRUE(s.enable_vpc_endpoints);
  EXPECT_EQ(s.alarm_sns_topic_arn, "arn:aws:sns:us-east-1:123456789012:ops");
  EXPECT_EQ(result.config->sources.PositionOf("enable_waf").line, 6);
  EXPECT_EQ(result.config->sources.PositionOf("alarm_sns_topic_arn").line, 8);
}

TEST(DecoderAwsTest, JsonSettings) {
  const std::string text =
      std::string("{\"certificate_arn\": \"") + kCertificate +
      "\", \"additional_certificate_arns\": [],\n"
      " \"enable_waf\": false, \"enable_vpc_endpoints\": true,\n"
      " \"services\": {\"api\": {\"desired_count\": 1, \"path_pattern\": [\"/api*\"], "
      "\"priority\": 110,\n"
      "  \"container_port\": 80, \"cpu\": 256, \"memory\": 512}}}\n";
  LoadResult result = LoadConfigText(text, "t.tfvars.json");
  ASSERT_TRUE(result.config) << DescribeDiagnostics(result.diagnostics);
  EXPECT_TRUE(result.diagnostics.empty()) << DescribeDiagnostics(result.diagnostics);
  EXPECT_EQ(result.config->settings.certificate_arn, kCertificate);
  EXPECT_FALSE(result.config->settings.enable_waf);
  EXPECT_TRUE(result.config->settings.enable_vpc_endpoints);
}

TEST(DecoderAwsTest, WrongTypesAreErrors) {
  LoadResult waf = LoadConfigText(std::string("enable_waf = \"yes\"\n") + kOneServiceHcl, "t.tfvars");
  EXPECT_NE(DescribeDiagnostics(waf.diagnostics).find("enable_waf"), std::string::npos)
      << DescribeDiagnostics(waf.diagnostics);
  LoadResult arns = LoadConfigText(
      std::string("additional_certificate_arns = \"arn:aws:acm:x\"\n") + kOneServiceHcl, "t.tfvars");
  EXPECT_NE(DescribeDiagnostics(arns.diagnostics).find("type-mismatch"), std::string::npos)
      << DescribeDiagnostics(arns.diagnostics);
  LoadResult misspelt =
      LoadConfigText(std::string("enable_vpc_endpoint = true\n") + kOneServiceHcl, "t.tfvars");
  EXPECT_NE(DescribeDiagnostics(misspelt.diagnostics).find("enable_vpc_endpoints"), std::string::npos)
      << DescribeDiagnostics(misspelt.diagnostics);
}

}  // namespace
}  // namespace drydock::config
