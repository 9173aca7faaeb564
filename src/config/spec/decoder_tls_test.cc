// The HTTPS settings through the real HCL and JSON parsers, including the
// list of certificate objects.
#include <gtest/gtest.h>

#include <string>

#include "config/loader.h"
#include "config/spec/loader_test_util.h"

namespace drydock::config {
namespace {

using testing::DescribeDiagnostics;
using testing::kOneServiceHcl;

TEST(DecoderTlsTest, HclSettingsAndCertificateList) {
  const std::string text = std::string(
                               "https_listen_address = \"127.0.0.1:8443\"\n"
                               "certificate_file = \"a.pem\"\n"
                               "private_key_file = \"a.key\"\n"
                               "additional_certificates = [\n"
                               "  { certificate_file = \"b.pem\", private_key_file = \"b.key\" },\n"
                               "  { certificate_file = \"c.pem\", private_key_file = \"c.key\" },\n"
                               "]\n"
                               "ssl_policy = \"ELBSecurityPolicy-TLS13-1-3-2021-06\"\n"
                               "redirect_http_to_https = true\n") +
                           kOneServiceHcl;
  LoadResult result = LoadConfigText(text, "t.tfvars");
  ASSERT_TRUE(result.config) << DescribeDiagnostics(result.diagnostics);
  EXPECT_TRUE(result.diagnostics.empty()) << DescribeDiagnostics(result.diagnostics);
  const Settings& s = result.config->settings;
  EXPECT_EQ(s.https_listen_address, "127.0.0.1:8443");
  EXPECT_EQ(s.certificate_file, "a.pem");
  EXPECT_EQ(s.private_key_file, "a.key");
  ASSERT_EQ(s.additional_certificates.size(), 2u);
  EXPECT_EQ(s.additional_certificates[1].certificate_file, "c.pem");
  EXPECT_EQ(s.additional_certificates[1].private_key_file, "c.key");
  EXPECT_EQ(s.ssl_policy, "ELBSecurityPolicy-TLS13-1-3-2021-06");
  EXPECT_TRUE(s.redirect_http_to_https);
  EXPECT_EQ(result.config->sources.PositionOf("additional_certificates.1").line, 6);
}

TEST(DecoderTlsTest, JsonSettingsAndCertificateList) {
  const std::string text =
      "{\"https_listen_address\": \"127.0.0.1:8443\", \"redirect_http_to_https\": true,\n"
      " \"additional_certificates\": [{\"certificate_file\": \"b.pem\", \"private_key_file\": \"b.key\"}],\n"
      " \"services\": {\"api\": {\"desired_count\": 1, \"path_pattern\": [\"/api*\"], \"priority\": 110,\n"
      "  \"container_port\": 80, \"cpu\": 256, \"memory\": 512}}}\n";
  LoadResult result = LoadConfigText(text, "t.tfvars.json");
  ASSERT_TRUE(result.config) << DescribeDiagnostics(result.diagnostics);
  EXPECT_TRUE(result.diagnostics.empty()) << DescribeDiagnostics(result.diagnostics);
  ASSERT_EQ(result.config->settings.additional_certificates.size(), 1u);
  EXPECT_EQ(result.config->settings.additional_certificates[0].private_key_file, "b.key");
  EXPECT_TRUE(result.config->settings.redirect_http_to_https);
}

TEST(DecoderTlsTest, CertificateListErrors) {
  LoadResult not_a_list = LoadConfigText(
      std::string("additional_certificates = { certificate_file = \"b.pem\" }\n") + kOneServiceHcl, "t.tfvars");
  EXPECT_NE(DescribeDiagnostics(not_a_list.diagnostics).find("type-mismatch"), std::string::npos)
      << DescribeDiagnostics(not_a_list.diagnostics);
  LoadResult missing_key = LoadConfigText(
      std::string("additional_certificates = [{ certificate_file = \"b.pem\" }]\n") + kOneServiceHcl, "t.tfvars");
  const std::string missing = DescribeDiagnostics(missing_key.diagnostics);
  EXPECT_NE(missing.find("missing-setting"), std::string::npos) << missing;
  EXPECT_NE(missing.find("private_key_file"), std::string::npos) << missing;
  LoadResult misspelt = LoadConfigText(
      std::string("additional_certificates = [{ certificate_file = \"b.pem\", "
                  "private_key = \"b.key\" }]\n") + kOneServiceHcl, "t.tfvars");
  EXPECT_NE(DescribeDiagnostics(misspelt.diagnostics).find("private_key_file"), std::string::npos)
      << DescribeDiagnostics(misspelt.diagnostics);
}

}  // namespace
}  // namespace drydock::config
