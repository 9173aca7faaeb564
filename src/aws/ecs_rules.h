// ECS rules shared by the validator, the planner and the scheduler: rolling
// deployment bounds (rulebook section 4), name rules and task-size minimums.
#pragma once

#include <string>
#include <string_view>

namespace drydock::aws {

// DeploymentConfiguration ranges. minimumHealthyPercent is 0..100 for a
// REPLICA service. The API documents no upper bound for maximumPercent
// (default 200); drydock accepts 100..200 (see docs/validation.md).
inline constexpr int kMinMinimumHealthyPercent = 0;
inline constexpr int kMaxMinimumHealthyPercent = 100;
inline constexpr int kMinMaximumPercent = 100;
inline constexpr int kMaxMaximumPercent = 200;

// Healthy floor during a deployment: ceil(desired * minimum_healthy / 100).
// REQUIRES: desired >= 0, percent >= 0.
int HealthyFloor(int desired, int minimum_healthy_percent);

// Ceiling on RUNNING + PENDING tasks: floor(desired * maximum / 100).
// REQUIRES: desired >= 0, percent >= 0.
int RunningCeiling(int desired, int maximum_percent);

// True when a deployment of `desired` (> 0) tasks can neither start a task
// first (ceiling <= desired) nor stop one first (floor >= desired): ECS then
// reports "unable to stop or start tasks during a deployment".
bool DeploymentStalls(int desired, int minimum_healthy_percent, int maximum_percent);

// The deployment circuit breaker's failure threshold: clamp(ceil(desired / 2),
// 3, 200) (rulebook section 4; the current API reference's minimum of 3).
inline constexpr int kMinCircuitBreakerThreshold = 3;
inline constexpr int kMaxCircuitBreakerThreshold = 200;
int CircuitBreakerThreshold(int desired);

// Cluster and service names: 1..255 letters, digits, hyphens, underscores.
// Returns "" when valid, else what is wrong.
inline constexpr size_t kMaxEcsNameLength = 255;
std::string EcsNameProblem(std::string_view name);

// Task-level size minimums on EC2: 128 CPU units, 6 MiB of memory.
inline constexpr int kMinTaskCpuUnits = 128;
inline constexpr int kMinTaskMemoryMib = 6;

// Ports the ECS agent reserves on every container instance by default
// (rulebook section 3): a task asking for one as a host port never places.
bool IsReservedHostPort(int port);

}  // namespace drydock::aws
