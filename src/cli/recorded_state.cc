#include "cli/recorded_state.h"

#include <vector>

#include "base/strings.h"

namespace drydock::cli {

Result<RecordedState> OpenRecordedState(const std::string& path) {
  Result<state::StateDir> dir = state::StateDir::OpenExisting(path);
  if (!dir.ok()) return dir.status();
  state::SqliteStoreOptions options;
  options.read_only = true;
  Result<std::unique_ptr<state::SqliteStore>> store =
      state::SqliteStore::Open(dir->DatabasePath(), options);
  if (!store.ok()) return store.status();
  return RecordedState{std::move(*dir), std::move(*store)};
}

std::string ServiceNames(const state::Snapshot& snapshot) {
  std::vector<std::string> names;
  for (const state::Service& service : snapshot.services) names.push_back(service.name);
  return names.empty() ? "none" : Join(names, ", ");
}

}  // namespace drydock::cli
