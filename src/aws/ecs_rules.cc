#include "aws/ecs_rules.h"

#include <algorithm>
#include <cstdint>

namespace drydock::aws {

int HealthyFloor(int desired, int minimum_healthy_percent) {
  const int64_t product = int64_t{desired} * minimum_healthy_percent;
  return static_cast<int>((product + 99) / 100);
}

int RunningCeiling(int desired, int maximum_percent) {
  return static_cast<int>(int64_t{desired} * maximum_percent / 100);
}

bool DeploymentStalls(int desired, int minimum_healthy_percent, int maximum_percent) {
  if (desired <= 0) return false;
  return RunningCeiling(desired, maximum_percent) <= desired &&
         HealthyFloor(desired, minimum_healthy_percent) >= desired;
}

std::string EcsNameProblem(std::string_view name) {
  if (name.empty()) return "is empty";
  if (name.size() > kMaxEcsNameLength) {
    return "is " + std::to_string(name.size()) + " characters long; the limit is 255";
  }
  for (size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_';
    if (!ok) {
      return "contains '" + std::string(1, c) + "' at character " + std::to_string(i + 1) +
             "; only letters, digits, hyphens and underscores are allowed";
    }
  }
  return "";
}

bool IsReservedHostPort(int port) {
  return port == 22 || port == 2375 || port == 2376 || (port >= 51678 && port <= 51680);
}

int CircuitBreakerThreshold(int desired) {
  const int half = (desired + 1) / 2;  // ceil(desired / 2) for desired >= 0
  return std::clamp(half, kMinCircuitBreakerThreshold, kMaxCircuitBreakerThreshold);
}

}  // namespace drydock::aws
