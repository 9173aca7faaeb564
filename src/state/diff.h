// The difference between two snapshots as one Changes value: how the live
// control plane persists what a plan (or a runtime event) did to its
// in-memory Snapshot, in one transaction.
#pragma once

#include "state/model.h"
#include "state/store.h"

namespace drydock::state {

// Rows of `after` that are new or differ from `before` become upserts, rows
// only in `before` deletes; task definitions are append-only (new
// family:revision pairs are registered with their revision); events with
// id 0 (not yet stored) are appended in order. Identity and group are set
// when they differ.
Changes DiffSnapshots(const Snapshot& before, const Snapshot& after);

}  // namespace drydock::state
