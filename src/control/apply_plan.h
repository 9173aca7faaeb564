// What each action means for the cluster model: the one definition shared by
// SimCluster (tests, the simulator) and the live control plane, which applies
// plans to its in-memory Snapshot and then writes the difference to the store
// (state/diff.h).
#pragma once

#include "base/status.h"
#include "base/time.h"
#include "control/actions.h"
#include "state/model.h"

namespace drydock::control {

// Applies one action at `now`. An action naming an unknown id, or launching
// or starting an existing one, is a controller bug: kInternal, and `snapshot`
// is unchanged. EmitEvent appends an event with id 0: the caller numbers it
// (SimCluster) or the store does (live mode).
//
// Tasks: StartTask creates a PROVISIONING task; StopTask sets desiredStatus
// STOPPED and records the first stop code. A task still in PROVISIONING has
// no process yet and is STOPPED at once; any other is taken through the stop
// sequence by whoever runs the tasks (SimCluster, or the live task agent).
Status ApplyAction(const Action& action, TimePoint now, state::Snapshot& snapshot);

// Looks an instance or task up for change; nullptr when absent.
state::Instance* FindMutableInstance(state::Snapshot& snapshot, const std::string& instance_id);
state::Task* FindMutableTask(state::Snapshot& snapshot, const std::string& task_id);

}  // namespace drydock::control
