// The ARNs the AWS target passes through (arn_rules.cc).
#include <gtest/gtest.h>

#include <string>
#include <utility>

#include "validate/validate.h"
#include "validate/validate_test_util.h"

namespace drydock::validate {
namespace {

using config::Severity;
using testing::Has;
using testing::Only;
using testing::OriginConfig;

constexpr const char* kAcmCertificate =
    "arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-0000-4000-8000-000000000001";

TEST(ValidateArnTest, WellFormedArnsAreClean) {
  config::Config config = OriginConfig();
  config.settings.certificate_arn = kAcmCertificate;
  config.settings.additional_certificate_arns = {
      "arn:aws:acm:eu-west-1:123456789012:certificate/b",
      "arn:aws:iam::123456789012:server-certificate/cloudfront/c.example_2026"};
  config.settings.alarm_sns_topic_arn = "arn:aws:sns:us-east-1:123456789012:ops-alarms_1";
  const config::Diagnostics diagnostics = Validate(config);
  EXPECT_FALSE(Has(diagnostics, "certificate-arn"));
  EXPECT_FALSE(Has(diagnostics, "sns-topic-arn"));
}

TEST(ValidateArnTest, ChinaAndGovCloudPartitionsAreArns) {
  config::Config config = OriginConfig();
  config.settings.certificate_arn = "arn:aws-cn:acm:cn-north-1:123456789012:certificate/a";
  config.settings.alarm_sns_topic_arn = "arn:aws-us-gov:sns:us-gov-west-1:123456789012:ops";
  const config::Diagnostics diagnostics = Validate(config);
  EXPECT_FALSE(Has(diagnostics, "certificate-arn"));
  EXPECT_FALSE(Has(diagnostics, "sns-topic-arn"));
  config.settings.certificate_arn = "arn:aws-xx:acm:us-east-1:123456789012:certificate/a";
  EXPECT_TRUE(Has(Validate(config), "certificate-arn"));
}

TEST(ValidateArnTest, EmptyMeansNone) {
  const config::Diagnostics diagnostics = Validate(OriginConfig());
  EXPECT_FALSE(Has(diagnostics, "certificate-arn"));
  EXPECT_FALSE(Has(diagnostics, "sns-topic-arn"));
}

TEST(ValidateArnTest, CertificateArnSaysWhatIsWrong) {
  config::Config config = OriginConfig();
  config.sources.Record("certificate_arn", {31, 19, 0});
  const std::pair<const char*, const char*> cases[] = {
      {"my-certificate", "is not an ARN"},
      {"arn:aws:acm:us-east-1:1234:certificate/x", "\"1234\", which is not 12 digits"},
      {"arn:aws:acm::123456789012:certificate/x", "has no region"},
      {"arn:aws:acm:us-east-1:123456789012:cert/x", "does not end in certificate/<id>"},
      {"arn:aws:acm:us-east-1:123456789012:certificate/", "does not end in certificate/<id>"},
      {"arn:aws:iam:us-east-1:123456789012:server-certificate/c", "IAM ARNs have none"},
      {"arn:aws:iam::123456789012:role/c", "does not end in server-certificate/<name>"},
      {"arn:aws:sns:us-east-1:123456789012:ops", "not of an ACM or IAM server certificate"},
  };
  for (const auto& [arn, problem] : cases) {
    config.settings.certificate_arn = arn;
    const config::Diagnostic d = Only(Validate(config), "certificate-arn");
    EXPECT_EQ(d.severity, Severity::kError) << arn;
    EXPECT_EQ(d.setting, "certificate_arn") << arn;
    EXPECT_EQ(d.pos.line, 31) << arn;
    EXPECT_NE(d.message.find(problem), std::string::npos) << d.message;
    EXPECT_NE(d.fix.find("arn:aws:acm:us-east-1:123456789012:certificate/<id>"), std::string::npos)
        << d.fix;
  }
}

TEST(ValidateArnTest, EachExtraCertificateArnIsChecked) {
  config::Config config = OriginConfig();
  config.settings.certificate_arn = kAcmCertificate;
  config.settings.additional_certificate_arns = {kAcmCertificate, "arn:aws:acm:us-east-1:x"};
  const config::Diagnostic d = Only(Validate(config), "certificate-arn");
  EXPECT_EQ(d.setting, "additional_certificate_arns[1]");
  EXPECT_NE(d.message.find("\"arn:aws:acm:us-east-1:x\" is not an ARN"), std::string::npos)
      << d.message;
}

TEST(ValidateArnTest, TopicArnSaysWhatIsWrong) {
  config::Config config = OriginConfig();
  const std::pair<const char*, const char*> cases[] = {
      {"ops-alarms", "is not an ARN"},
      {"arn:aws:sqs:us-east-1:123456789012:ops", "not of an SNS topic"},
      {"arn:aws:sns:us-east-1:12345678901x:ops", "not 12 digits"},
      {"arn:aws:sns::123456789012:ops", "has no region"},
      {"arn:aws:sns:us-east-1:123456789012:ops.fifo", "topic names are 1..256"},
      {"arn:aws:sns:us-east-1:123456789012:", "topic names are 1..256"},
  };
  for (const auto& [arn, problem] : cases) {
    config.settings.alarm_sns_topic_arn = arn;
    const config::Diagnostic d = Only(Validate(config), "sns-topic-arn");
    EXPECT_EQ(d.severity, Severity::kError) << arn;
    EXPECT_EQ(d.setting, "alarm_sns_topic_arn") << arn;
    EXPECT_NE(d.message.find(problem), std::string::npos) << d.message;
    EXPECT_NE(d.fix.find("arn:aws:sns:us-east-1:123456789012:alarms"), std::string::npos) << d.fix;
  }
}

}  // namespace
}  // namespace drydock::validate
