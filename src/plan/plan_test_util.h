// Test helpers for the plan layer: the origin configuration built by hand
// (the defaults of Settings are the origin's values; the services are added).
#pragma once

#include <string>

#include "config/spec/origin_fixture.h"
#include "config/spec/settings.h"

namespace drydock::plan::testing {

using config::testing::OriginService;

inline config::Config OriginConfig() {
  return config::testing::OriginConfig("examples/origin/terraform.tfvars");
}

}  // namespace drydock::plan::testing
