// The JSON documents between the control plane and the `drydock proxy`
// process (docs/control-api.md, "Load balancer API"):
//
//   PUT /v1/config   a ProxyConfig: the listener's rules and every target
//                    group with its registered targets (state of the world)
//   GET /v1/targets  a TargetsDocument: target health per group, shaped like
//                    ELBv2 DescribeTargetHealth
//
// Both sides are the same binary, but the proxy treats the config as
// untrusted input: DecodeProxyConfig checks every field and its errors name
// the field ("targetGroups[1].healthCheck.intervalSeconds: ...").
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "alb/load_balancer.h"
#include "base/status.h"

namespace drydock::alb {

struct ProxyConfig {
  // Durations in `spec` are cluster time; the proxy divides them by this
  // (cluster seconds per wall second, > 0).
  double time_scale = 1;
  LoadBalancerSpec spec;  // its `https` is "https" in the JSON
};

std::string EncodeProxyConfig(const ProxyConfig& config);
Result<ProxyConfig> DecodeProxyConfig(std::string_view json);

// `spec` with every duration divided by `time_scale` (> 0).
LoadBalancerSpec ScaledSpec(LoadBalancerSpec spec, double time_scale);

// "round_robin" / "least_outstanding_requests" (the target group attribute
// load_balancing.algorithm.type).
std::string_view AlgorithmName(Algorithm algorithm);
Result<Algorithm> ParseAlgorithm(std::string_view name);

std::string EncodeTargets(const std::vector<TargetGroupReport>& groups);
Result<std::vector<TargetGroupReport>> DecodeTargets(std::string_view json);

}  // namespace drydock::alb
