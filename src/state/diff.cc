#include "state/diff.h"

#include <map>
#include <string>

namespace drydock::state {
namespace {

// Upserts for rows new or changed in `after`, deletes for rows gone from it.
template <typename Row, typename KeyOf>
void DiffRows(const std::vector<Row>& before, const std::vector<Row>& after, KeyOf key_of,
              std::vector<Row>* upserts, std::vector<std::string>* deletes) {
  std::map<std::string, const Row*> old_rows;
  for (const Row& row : before) old_rows[key_of(row)] = &row;
  for (const Row& row : after) {
    auto it = old_rows.find(key_of(row));
    if (it == old_rows.end() || !(*it->second == row)) upserts->push_back(row);
    if (it != old_rows.end()) old_rows.erase(it);
  }
  for (const auto& [key, row] : old_rows) deletes->push_back(key);
}

}  // namespace

Changes DiffSnapshots(const Snapshot& before, const Snapshot& after) {
  Changes changes;
  if (!(before.identity == after.identity)) changes.identity = after.identity;
  if (!(before.group == after.group)) changes.group = after.group;
  for (const TaskDefinition& definition : after.task_definitions) {
    if (before.FindTaskDefinition(definition.FamilyRevision()) == nullptr) {
      changes.register_task_definitions.push_back(definition);
    }
  }
  DiffRows(
      before.instances, after.instances, [](const Instance& i) { return i.instance_id; },
      &changes.upsert_instances, &changes.delete_instances);
  DiffRows(
      before.services, after.services, [](const Service& s) { return s.name; },
      &changes.upsert_services, &changes.delete_services);
  DiffRows(
      before.deployments, after.deployments, [](const Deployment& d) { return d.id; },
      &changes.upsert_deployments, &changes.delete_deployments);
  DiffRows(
      before.tasks, after.tasks, [](const Task& t) { return t.task_id; }, &changes.upsert_tasks,
      &changes.delete_tasks);
  for (const ServiceEvent& event : after.events) {
    if (event.id == 0) changes.append_events.push_back(event);
  }
  return changes;
}

}  // namespace drydock::state
