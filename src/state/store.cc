#include "state/store.h"

#include <algorithm>
#include <charconv>

namespace drydock::state {

bool Changes::empty() const {
  return !identity && !group && set_meta.empty() && delete_meta.empty() &&
         register_task_definitions.empty() && upsert_instances.empty() &&
         upsert_services.empty() && upsert_deployments.empty() && upsert_tasks.empty() &&
         delete_tasks.empty() && delete_deployments.empty() && delete_services.empty() &&
         delete_instances.empty() && append_events.empty();
}

int NextTaskDefinitionRevision(const Snapshot& snapshot, std::string_view family) {
  int highest = 0;
  for (const TaskDefinition& definition : snapshot.task_definitions) {
    if (definition.family == family) highest = std::max(highest, definition.revision);
  }
  return highest + 1;
}

bool ParseFamilyRevision(std::string_view text, std::string* family, int* revision) {
  // Families may not contain ':' (ECS allows letters, digits, '-' and '_'),
  // so the last ':' separates the revision.
  size_t colon = text.rfind(':');
  if (colon == std::string_view::npos || colon == 0) return false;
  std::string_view number = text.substr(colon + 1);
  int value = 0;
  auto [end, error] = std::from_chars(number.data(), number.data() + number.size(), value);
  if (error != std::errc() || end != number.data() + number.size() || value <= 0) return false;
  *family = std::string(text.substr(0, colon));
  *revision = value;
  return true;
}

}  // namespace drydock::state
