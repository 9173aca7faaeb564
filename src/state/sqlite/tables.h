// Row-level reads and writes of the state database, one function per table
// and operation. They run inside the caller's transaction and never begin
// one; SqliteStore composes them. Errors name the row they were about.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "state/model.h"
#include "state/sqlite/database.h"
#include "state/store.h"

namespace drydock::state::sqlite {

// ---- writes (tables_write.cc) ---------------------------------------------

Status SaveIdentity(Database& database, const ClusterIdentity& identity);
Status SaveGroup(Database& database, const AutoScalingGroup& group);
Status SaveMeta(Database& database, std::string_view key, std::string_view value);
Status DeleteMeta(Database& database, std::string_view key);

// Appends a revision (see Changes::register_task_definitions) and returns
// the revision it got.
Result<int> RegisterTaskDefinition(Database& database, const TaskDefinition& definition);

Status SaveInstance(Database& database, const Instance& instance);
Status SaveService(Database& database, const Service& service);
// The deployment's service and task definition must exist.
Status SaveDeployment(Database& database, const Deployment& deployment);
Status SaveTask(Database& database, const Task& task);
Status DeleteTask(Database& database, std::string_view task_id);
Status DeleteDeployment(Database& database, std::string_view id);
Status DeleteService(Database& database, std::string_view name);
Status DeleteInstance(Database& database, std::string_view instance_id);

// Returns the event's id.
Result<int64_t> AppendEvent(Database& database, const ServiceEvent& event);
// Deletes all but the newest `keep` events of `service`.
Status TrimEvents(Database& database, std::string_view service, int keep);

// ---- reads (tables_read.cc) -----------------------------------------------

// Defaults (empty names, zero sizes) when never saved.
Result<ClusterIdentity> LoadIdentity(Database& database);
Result<AutoScalingGroup> LoadGroup(Database& database);
Result<std::optional<std::string>> LoadMeta(Database& database, std::string_view key);

Result<std::vector<Instance>> LoadInstances(Database& database);
Result<std::vector<TaskDefinition>> LoadTaskDefinitions(Database& database);
Result<std::vector<Service>> LoadServices(Database& database);
// Ordered by creation time, ties by id.
Result<std::vector<Deployment>> LoadDeployments(Database& database);
Result<std::vector<Task>> LoadTasks(Database& database, const TaskQuery& query);
Result<std::vector<ServiceEvent>> LoadEvents(Database& database, const EventQuery& query);

}  // namespace drydock::state::sqlite
