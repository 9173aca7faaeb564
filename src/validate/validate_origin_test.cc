// The origin's configuration: no errors, exactly the expected warnings.
#include <gtest/gtest.h>

#include "validate/validate.h"
#include "validate/validate_test_util.h"

namespace drydock::validate {
namespace {

using testing::OriginConfig;
using testing::Rules;

TEST(ValidateOriginTest, NoErrorsOnlyTheDeploymentCapacityWarnings) {
  const config::Diagnostics diagnostics = Validate(OriginConfig());
  EXPECT_FALSE(config::HasErrors(diagnostics));
  EXPECT_EQ(Rules(diagnostics),
            (std::vector<std::string>{"capacity-during-deployment", "capacity-during-deployment"}));
}

}  // namespace
}  // namespace drydock::validate
