#include "aws/ssl_policies.h"

#include <array>

namespace drydock::aws {
namespace {

// The three TLS 1.3 suites every TLS 1.3 policy of the table lists.
constexpr std::string_view kTls13 =
    "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256";

constexpr std::array<SslPolicy, 3> kPolicies = {{
    {"ELBSecurityPolicy-TLS13-1-2-2021-06", 12, 13,
     "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES128-SHA256:"
     "ECDHE-RSA-AES128-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
     "ECDHE-ECDSA-AES256-SHA384:ECDHE-RSA-AES256-SHA384:AES128-GCM-SHA256:AES128-SHA256:"
     "AES256-GCM-SHA384:AES256-SHA256",
     kTls13},
    {"ELBSecurityPolicy-TLS13-1-2-Res-2021-06", 12, 13,
     "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:"
     "ECDHE-RSA-AES256-GCM-SHA384",
     kTls13},
    {"ELBSecurityPolicy-TLS13-1-3-2021-06", 13, 13, "", kTls13},
}};

}  // namespace

const SslPolicy* FindSslPolicy(std::string_view name) {
  for (const SslPolicy& policy : kPolicies) {
    if (policy.name == name) return &policy;
  }
  return nullptr;
}

std::vector<std::string> SslPolicyNames() {
  std::vector<std::string> names;
  for (const SslPolicy& policy : kPolicies) names.emplace_back(policy.name);
  return names;
}

}  // namespace drydock::aws
