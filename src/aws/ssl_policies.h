// ALB's predefined security policies (the HTTPS listener's ssl_policy) that
// drydock serves: which TLS versions and cipher suites each allows.
// Source: "Security policies for your Application Load Balancer",
// https://docs.aws.amazon.com/elasticloadbalancing/latest/application/describe-ssl-policies.html
// Only the TLS 1.3 policies of 2021-06 are here: the others allow TLS 1.0 or
// 1.1, which drydock never serves.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace drydock::aws {

struct SslPolicy {
  std::string_view name;
  int min_version;  // 12 = TLS 1.2, 13 = TLS 1.3
  int max_version;  // 13
  // TLS 1.2 cipher suites in the table's order, OpenSSL names joined by ':'
  // ("" when the policy has no TLS 1.2).
  std::string_view tls12_ciphers;
  // TLS 1.3 cipher suites, IANA names joined by ':'.
  std::string_view tls13_ciphersuites;
};

// ALB's console default and AWS's recommendation.
inline constexpr std::string_view kDefaultSslPolicy = "ELBSecurityPolicy-TLS13-1-2-2021-06";

// nullptr when drydock does not know `name`.
const SslPolicy* FindSslPolicy(std::string_view name);
// The names FindSslPolicy knows, for a "did you mean".
std::vector<std::string> SslPolicyNames();

}  // namespace drydock::aws
