#include "live/configure.h"

#include "control/cluster_from_settings.h"
#include "state/store.h"

namespace drydock::live {
namespace {

bool SameExceptRevision(state::TaskDefinition a, const state::TaskDefinition& b) {
  a.revision = b.revision;
  return a == b;
}

}  // namespace

Result<state::Snapshot> ConfigureCluster(state::Snapshot recorded,
                                         const config::Settings& settings, TimePoint now,
                                         std::vector<std::string>* changes) {
  const state::Snapshot wanted = control::SnapshotFromSettings(settings, now);
  if (recorded.identity.cluster_name.empty()) return wanted;
  if (recorded.identity.cluster_name != wanted.identity.cluster_name ||
      recorded.identity.region != wanted.identity.region) {
    return Status(StatusCode::kFailedPrecondition,
                  "the state directory holds cluster " + recorded.identity.cluster_name + " in " +
                      recorded.identity.region + ", not " + wanted.identity.cluster_name + " in " +
                      wanted.identity.region +
                      ": use another --state-dir for another cluster (or remove this one's)");
  }
  auto note = [&](const std::string& line) {
    if (changes != nullptr) changes->push_back(line);
  };
  if (!(recorded.group == wanted.group)) {
    note("Auto Scaling group: min " + std::to_string(wanted.group.min_size) + ", max " +
         std::to_string(wanted.group.max_size) + ", desired " +
         std::to_string(wanted.group.desired_capacity));
    recorded.group = wanted.group;
  }
  for (const state::Service& target : wanted.services) {
    state::TaskDefinition definition = *wanted.FindTaskDefinition(target.task_definition);
    const state::Service* existing = recorded.FindService(target.name);
    const state::TaskDefinition* current =
        existing != nullptr ? recorded.FindTaskDefinition(existing->task_definition) : nullptr;
    std::string family_revision = existing != nullptr ? existing->task_definition : "";
    if (current == nullptr || !SameExceptRevision(definition, *current)) {
      definition.revision = state::NextTaskDefinitionRevision(recorded, definition.family);
      family_revision = definition.FamilyRevision();
      recorded.task_definitions.push_back(definition);
      note("task definition " + family_revision + " registered");
    }
    if (existing == nullptr) {
      state::Service created = target;
      created.task_definition = family_revision;
      recorded.services.push_back(created);
      note("service " + target.name + " created");
      continue;
    }
    for (state::Service& service : recorded.services) {
      if (service.name != target.name) continue;
      if (service.desired_count != target.desired_count ||
          service.status != state::ServiceStatus::kActive) {
        note("service " + target.name + ": desired count " + std::to_string(target.desired_count));
      }
      service.desired_count = target.desired_count;
      service.status = state::ServiceStatus::kActive;
      service.task_definition = family_revision;
    }
  }
  for (state::Service& service : recorded.services) {
    if (wanted.FindService(service.name) != nullptr || service.desired_count == 0) continue;
    service.desired_count = 0;
    service.status = state::ServiceStatus::kDraining;
    note("service " + service.name + " is no longer configured: draining");
  }
  return recorded;
}

}  // namespace drydock::live
