// The cluster a configuration describes, before anything runs: what a new
// state directory starts from, and what `drydock up FILE` compares a
// recorded cluster with (live/configure.h).
#pragma once

#include "base/time.h"
#include "config/spec/settings.h"
#include "state/model.h"

namespace drydock::control {

// Identity, Auto Scaling group sizes, one task definition (revision 1) and
// one ACTIVE service per configured service. No instances and no tasks yet.
state::Snapshot SnapshotFromSettings(const config::Settings& settings, TimePoint now);

}  // namespace drydock::control
