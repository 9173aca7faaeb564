// Managed termination protection (rulebook section 2): ECS keeps scale-in
// protection on every registered container instance that holds a non-daemon
// task and clears it on empty ones, so that the ASG only scales in empty
// instances. drydock runs only service (non-daemon) tasks.
#pragma once

#include <string>

#include "control/actions.h"
#include "state/model.h"

namespace drydock::control {

// True when a task that is not STOPPED is placed on the instance.
bool HoldsTasks(const state::Snapshot& snapshot, const std::string& instance_id);

// SetScaleInProtection for every registered (ACTIVE or DRAINING), running
// instance whose protection differs from HoldsTasks(). Instances not yet
// registered keep the protection they were launched with.
Plan ManageTerminationProtection(const state::Snapshot& snapshot);

}  // namespace drydock::control
