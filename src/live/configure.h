// What `drydock up FILE` does to a cluster recorded in the state directory:
// the file is the source of truth for what the cluster should be, the store
// for what it is. Applied when a control plane starts (never to a running
// one: changing a running cluster is a deployment, the next issue).
#pragma once

#include <string>
#include <vector>

#include "base/status.h"
#include "base/time.h"
#include "config/spec/settings.h"
#include "state/model.h"

namespace drydock::live {

// Returns `recorded` brought in line with `settings` at `now`:
//   - an empty snapshot (a new state directory) becomes the cluster the
//     settings describe (control::SnapshotFromSettings);
//   - the Auto Scaling group takes the file's min, max and desired sizes;
//   - each service takes its desired count; a service whose task definition
//     changed (command, environment, CPU, memory, port, image, stop timeout,
//     network mode) gets a new revision (family:N+1) and points at it; a new
//     service is created; a service no longer in the file is set DRAINING
//     with desired count 0, so the scheduler stops its tasks.
// Tasks already running keep the revision they started with.
// kFailedPrecondition when the directory holds another cluster (name or
// region differ): one state directory, one cluster.
// `changes` (optional) receives one line per change, for the user.
Result<state::Snapshot> ConfigureCluster(state::Snapshot recorded,
                                         const config::Settings& settings, TimePoint now,
                                         std::vector<std::string>* changes = nullptr);

}  // namespace drydock::live
