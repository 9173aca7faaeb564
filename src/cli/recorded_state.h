// A state directory opened to read what it records while a control plane may
// be writing it: what `status`, `events`, `logs`, `deploy` and `rollback` share.
#pragma once

#include <memory>
#include <string>

#include "base/status.h"
#include "state/model.h"
#include "state/sqlite/sqlite_store.h"
#include "state/state_dir.h"

namespace drydock::cli {

struct RecordedState {
  state::StateDir dir;
  // Read-only: the control plane writes concurrently; WAL keeps each read consistent.
  std::unique_ptr<state::SqliteStore> store;
};

// kNotFound when `path` holds no drydock state; the store's error otherwise.
Result<RecordedState> OpenRecordedState(const std::string& path);

// The snapshot's service names, "api, web", or "none".
std::string ServiceNames(const state::Snapshot& snapshot);

}  // namespace drydock::cli
