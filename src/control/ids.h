// Ids controllers choose for what they create. Drawn from the caller's seeded
// Random stream (so a seed replays), and checked against `taken` so that a
// restarted control plane whose stream starts over never reuses an id.
#pragma once

#include <set>
#include <string>

#include "base/random.h"

namespace drydock::control {

// "i-0" + 16 lowercase hex digits, as EC2 instance ids look.
std::string NewInstanceId(Random& random, std::set<std::string>* taken);

// 32 lowercase hex digits: ECS task ids and container-instance ids.
std::string NewTaskId(Random& random, std::set<std::string>* taken);
std::string NewContainerInstanceId(Random& random, std::set<std::string>* taken);

// "ecs-svc/" + 19 decimal digits, as ECS deployment ids look.
std::string NewDeploymentId(Random& random, std::set<std::string>* taken);

// The id at the end of an ECS ARN ("arn:...:container-instance/c/abc" -> "abc").
std::string ArnId(const std::string& arn);

}  // namespace drydock::control
