// The HTTPS listener's settings (tls_rules.cc).
#include <gtest/gtest.h>

#include "validate/validate.h"
#include "validate/validate_test_util.h"

namespace drydock::validate {
namespace {

using config::Severity;
using testing::Has;
using testing::Only;
using testing::OriginConfig;

constexpr const char* kCertificate =
    "arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-0000-4000-8000-000000000001";

config::Config HttpsConfig() {
  config::Config config = OriginConfig();
  config.settings.https_listen_address = "127.0.0.1:8443";
  config.sources.Record("https_listen_address", {30, 24, 0});
  return config;
}

TEST(ValidateTlsTest, TheOriginAndADefaultHttpsListenerAreClean) {
  for (const config::Config& config : {OriginConfig(), HttpsConfig()}) {
    const config::Diagnostics diagnostics = Validate(config);
    for (const char* rule : {"https-listen-address", "ssl-policy", "certificate-pair",
                             "redirect-needs-https", "redirect-aws-only", "https-setting-unused"}) {
      EXPECT_FALSE(Has(diagnostics, rule)) << rule;
    }
  }
}

TEST(ValidateTlsTest, MalformedOrSharedAddress) {
  config::Config config = HttpsConfig();
  config.settings.https_listen_address = "localhost";
  config::Diagnostic d = Only(Validate(config), "https-listen-address");
  EXPECT_EQ(d.severity, Severity::kError);
  EXPECT_EQ(d.setting, "https_listen_address");
  EXPECT_EQ(d.pos.line, 30);
  EXPECT_NE(d.fix.find("127.0.0.1:8443"), std::string::npos);
  config.settings.https_listen_address = config.settings.listen_address;
  d = Only(Validate(config), "https-listen-address");
  EXPECT_NE(d.message.find("listen_address"), std::string::npos);
}

TEST(ValidateTlsTest, UnknownPolicyGetsADidYouMean) {
  config::Config config = HttpsConfig();
  config.settings.ssl_policy = "ELBSecurityPolicy-TLS13-1-2-2021-6";
  config::Diagnostic d = Only(Validate(config), "ssl-policy");
  EXPECT_EQ(d.setting, "ssl_policy");
  EXPECT_NE(d.fix.find("did you mean \"ELBSecurityPolicy-TLS13-1-2-2021-06\""), std::string::npos)
      << d.fix;
  config.settings.ssl_policy = "ELBSecurityPolicy-2016-08";  // TLS 1.0: never served
  d = Only(Validate(config), "ssl-policy");
  EXPECT_NE(d.message.find("TLS 1.3 policies"), std::string::npos) << d.message;
  config.settings.ssl_policy = "ELBSecurityPolicy-TLS13-1-3-2021-06";
  EXPECT_FALSE(Has(Validate(config), "ssl-policy"));
}

TEST(ValidateTlsTest, CertificateAndKeyGoTogether) {
  config::Config config = HttpsConfig();
  config.settings.certificate_file = "a.pem";
  config::Diagnostic d = Only(Validate(config), "certificate-pair");
  EXPECT_EQ(d.setting, "certificate_file");
  config.settings.private_key_file = "a.key";
  EXPECT_FALSE(Has(Validate(config), "certificate-pair"));
  config.settings.additional_certificates = {{"b.pem", ""}};
  d = Only(Validate(config), "certificate-pair");
  EXPECT_EQ(d.setting, "additional_certificates.0");
}

TEST(ValidateTlsTest, RedirectNeedsAnHttpsListener) {
  config::Config config = OriginConfig();
  config.settings.redirect_http_to_https = true;
  const config::Diagnostic d = Only(Validate(config), "redirect-needs-https");
  EXPECT_EQ(d.severity, Severity::kError);
  EXPECT_NE(d.fix.find("https_listen_address"), std::string::npos);
  EXPECT_NE(d.fix.find("certificate_arn"), std::string::npos);
  config = HttpsConfig();
  config.settings.redirect_http_to_https = true;
  EXPECT_FALSE(Has(Validate(config), "redirect-needs-https"));
  EXPECT_FALSE(Has(Validate(config), "redirect-aws-only"));
  config.settings.certificate_arn = kCertificate;
  EXPECT_FALSE(Has(Validate(config), "redirect-needs-https"));
  EXPECT_FALSE(Has(Validate(config), "redirect-aws-only"));
}

// certificate_arn alone gives the AWS target its HTTPS listener and redirect;
// locally there is no HTTPS listener, so the HTTP one keeps serving.
TEST(ValidateTlsTest, RedirectWithOnlyTheAwsListenerIsAWarning) {
  config::Config config = OriginConfig();
  config.settings.redirect_http_to_https = true;
  config.settings.certificate_arn = kCertificate;
  const config::Diagnostics diagnostics = Validate(config);
  EXPECT_FALSE(Has(diagnostics, "redirect-needs-https"));
  const config::Diagnostic d = Only(diagnostics, "redirect-aws-only");
  EXPECT_EQ(d.severity, Severity::kWarning);
  EXPECT_EQ(d.setting, "redirect_http_to_https");
  EXPECT_NE(d.message.find("keeps serving"), std::string::npos) << d.message;
  EXPECT_NE(d.fix.find("https_listen_address"), std::string::npos) << d.fix;
}

TEST(ValidateTlsTest, ExtraCertificateArnsWithoutCertificateArnAreUnused) {
  config::Config config = OriginConfig();
  config.settings.additional_certificate_arns = {kCertificate};
  config.sources.Record("additional_certificate_arns", {31, 31, 0});
  config::Diagnostic d = Only(Validate(config), "https-setting-unused");
  EXPECT_EQ(d.severity, Severity::kWarning);
  EXPECT_EQ(d.setting, "additional_certificate_arns");
  EXPECT_EQ(d.pos.line, 31);
  EXPECT_NE(d.fix.find("certificate_arn"), std::string::npos) << d.fix;
  config.settings.certificate_arn = kCertificate;
  EXPECT_FALSE(Has(Validate(config), "https-setting-unused"));
}

// ssl_policy is also the AWS listener's: used (and checked) with certificate_arn alone.
TEST(ValidateTlsTest, SslPolicyServesTheAwsListenerToo) {
  config::Config config = OriginConfig();
  config.settings.certificate_arn = kCertificate;
  config.settings.ssl_policy = "ELBSecurityPolicy-TLS13-1-3-2021-06";
  config.sources.Record("ssl_policy", {31, 14, 0});
  EXPECT_FALSE(Has(Validate(config), "https-setting-unused"));
  config.settings.ssl_policy = "ELBSecurityPolicy-2016-08";
  EXPECT_TRUE(Has(Validate(config), "ssl-policy"));
}

TEST(ValidateTlsTest, HttpsSettingsWithoutAListenerAreWarnings) {
  config::Config config = OriginConfig();
  config.settings.ssl_policy = "ELBSecurityPolicy-TLS13-1-3-2021-06";
  config.sources.Record("ssl_policy", {31, 14, 0});
  const config::Diagnostic d = Only(Validate(config), "https-setting-unused");
  EXPECT_EQ(d.severity, Severity::kWarning);
  EXPECT_EQ(d.setting, "ssl_policy");
  EXPECT_NE(d.fix.find("certificate_arn"), std::string::npos) << d.fix;
}

}  // namespace
}  // namespace drydock::validate
