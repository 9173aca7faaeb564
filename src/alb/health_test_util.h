// Test-only values shared by the health-check tests (health_test.cc,
// load_balancer_test.cc): a start time and the two outcomes of a check.
#pragma once

#include <string>

#include "alb/health.h"

namespace drydock::alb::testing {

inline const TimePoint kT0 = TimePoint(Seconds(1'800'000'000));

inline const CheckResult kPass{.passed = true, .reason = "", .description = ""};
inline const CheckResult kFail{.passed = false,
                               .reason = std::string(kReasonResponseCodeMismatch),
                               .description = "Health checks failed with these codes: [500]"};

}  // namespace drydock::alb::testing
