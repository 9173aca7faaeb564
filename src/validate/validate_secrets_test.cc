// Container secrets: variable names, valueFrom syntax, the vault they read.
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

TEST(ValidateSecretsTest, TheOriginsWholeVaultIsClean) {
  config::Config config = OriginConfig();
  ServiceNamed(config, "api").secrets = {{"SECRETS", "api"}};
  const config::Diagnostics diagnostics = Validate(config);
  for (const char* rule : {"secret-variable-name", "secret-value-from", "secret-other-vault",
                           "secret-overridden-locally", "secret-name-in-environment"}) {
    EXPECT_FALSE(Has(diagnostics, rule)) << rule;
  }
}

TEST(ValidateSecretsTest, EveryDocumentedFormOfTheOwnVaultIsAccepted) {
  config::Config config = OriginConfig();
  ServiceNamed(config, "api").secrets = {
      {"A", "api:PORT::"},
      {"B", "api::AWSPREVIOUS:"},
      {"C", "api:::01234567-89ab-4def-8123-456789abcdef"},
      {"D", "arn:aws:secretsmanager:us-east-1:000000000000:secret:api-AbCdEf:PORT:AWSCURRENT:"}};
  const config::Diagnostics diagnostics = Validate(config);
  EXPECT_FALSE(Has(diagnostics, "secret-value-from"));
  EXPECT_FALSE(Has(diagnostics, "secret-other-vault"));
}

TEST(ValidateSecretsTest, BadNamesAndReferencesAreErrors) {
  config::Config config = OriginConfig();
  ServiceNamed(config, "api").secrets = {{"1BAD", "api"}};
  const config::Diagnostic name = Only(Validate(config), "secret-variable-name");
  EXPECT_EQ(name.severity, Severity::kError);
  EXPECT_EQ(name.setting, "services.api.secrets.1BAD");

  ServiceNamed(config, "api").secrets = {{"TOKEN", "api::AWSCURRENT:01234567-89ab-4def-8123-456789abcdef"}};
  const config::Diagnostic both = Only(Validate(config), "secret-value-from");
  EXPECT_EQ(both.severity, Severity::kError);
  EXPECT_NE(both.fix.find("\"api:PORT::\""), std::string::npos) << both.fix;
}

TEST(ValidateSecretsTest, AnotherServicesVaultIsAWarningThatNamesTheFailure) {
  config::Config config = OriginConfig();
  ServiceNamed(config, "api").secrets = {{"NGINX", "nginx"}};
  const config::Diagnostic d = Only(Validate(config), "secret-other-vault");
  EXPECT_EQ(d.severity, Severity::kWarning);
  EXPECT_NE(d.message.find("ResourceInitializationError"), std::string::npos) << d.message;

  ServiceNamed(config, "api").secrets = {
      {"NGINX", "arn:aws:secretsmanager:us-east-1:000000000000:secret:nginx-AbCdEf"}};
  EXPECT_TRUE(Has(Validate(config), "secret-other-vault"));
}

TEST(ValidateSecretsTest, CollisionsWithTheEnvironmentAndTheAgent) {
  config::Config config = OriginConfig();
  config::ServiceSettings& api = ServiceNamed(config, "api");
  api.environment = {{"TOKEN", "x"}};
  api.secrets = {{"TOKEN", "api:TOKEN::"}, {"PORT", "api:PORT::"}};
  const config::Diagnostics diagnostics = Validate(config);
  EXPECT_EQ(Only(diagnostics, "secret-name-in-environment").severity, Severity::kError);
  const config::Diagnostic port = Only(diagnostics, "secret-overridden-locally");
  EXPECT_EQ(port.severity, Severity::kWarning);
  EXPECT_EQ(port.setting, "services.api.secrets.PORT");
}

}  // namespace
}  // namespace drydock::validate
