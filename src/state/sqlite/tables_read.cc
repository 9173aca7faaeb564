// Reads of the state tables. A value this drydock cannot decode (an enum
// name it does not know, malformed JSON) means the file was edited by hand or
// damaged: the error names the table, column and row so it can be fixed.
#include <string>

#include "state/sqlite/codec.h"
#include "state/sqlite/tables.h"

namespace drydock::state::sqlite {
namespace {

Status Corrupt(const Database& database, std::string_view table, std::string_view column,
               std::string_view key, std::string_view value) {
  return {StatusCode::kFailedPrecondition,
          "state database " + database.path() + " holds an invalid value in " +
              std::string(table) + "." + std::string(column) + " of " + std::string(key) +
              ": '" + std::string(value) + "'; fix or delete that row with the sqlite3 shell"};
}

// Decodes enum column `column` of the current row into `out`.
template <typename Enum>
Status ReadEnum(const Database& database, const Statement& row, int column,
                const char* (*name)(Enum), std::string_view table, std::string_view column_name,
                std::string_view key, Enum* out) {
  std::string text = row.Text(column);
  if (ParseEnumName(text, name, out)) return Status::Ok();
  return Corrupt(database, table, column_name, key, text);
}

// Runs `statement` and appends one `T` per row, decoded by `read`.
template <typename T, typename ReadFn>
Result<std::vector<T>> ReadAll(Statement& statement, ReadFn read) {
  std::vector<T> rows;
  while (true) {
    Result<bool> row = statement.Step();
    if (!row.ok()) return row.status();
    if (!*row) return rows;
    T value;
    DRYDOCK_RETURN_IF_ERROR(read(statement, &value));
    rows.push_back(std::move(value));
  }
}

int IntColumn(const Statement& row, int column) { return static_cast<int>(row.Int(column)); }

std::string FamilyRevision(const Statement& row, int column) {
  return row.Text(column) + ":" + std::to_string(row.Int(column + 1));
}

Status ReadInstance(const Database& database, const Statement& row, Instance* out) {
  out->instance_id = row.Text(0);
  const std::string& key = out->instance_id;
  out->instance_type = row.Text(1);
  out->availability_zone = row.Text(2);
  DRYDOCK_RETURN_IF_ERROR(
      ReadEnum(database, row, 3, LifecycleName, "instances", "lifecycle", key, &out->lifecycle));
  DRYDOCK_RETURN_IF_ERROR(
      ReadEnum(database, row, 4, InstanceStateName, "instances", "state", key, &out->state));
  out->launch_time = FromMillis(row.Int(5));
  out->state_changed_at = FromMillis(row.Int(6));
  out->protected_from_scale_in = row.Int(7) != 0;
  out->container_instance_arn = row.Text(8);
  DRYDOCK_RETURN_IF_ERROR(ReadEnum(database, row, 9, ContainerInstanceStatusName, "instances",
                                   "container_status", key, &out->container_status));
  out->registered.cpu_units = IntColumn(row, 10);
  out->registered.memory_mib = IntColumn(row, 11);
  out->registered.enis = IntColumn(row, 12);
  if (!IntsFromJson(row.Text(13), &out->reserved_host_ports)) {
    return Corrupt(database, "instances", "reserved_host_ports", key, row.Text(13));
  }
  return Status::Ok();
}

Status ReadTaskDefinition(const Database& database, const Statement& row, TaskDefinition* out) {
  out->family = row.Text(0);
  out->revision = IntColumn(row, 1);
  const std::string key = out->FamilyRevision();
  out->cpu_units = IntColumn(row, 2);
  out->memory_mib = IntColumn(row, 3);
  DRYDOCK_RETURN_IF_ERROR(ReadEnum(database, row, 4, NetworkModeName, "task_definitions",
                                   "network_mode", key, &out->network_mode));
  ContainerDefinition& container = out->container;
  container.name = row.Text(5);
  container.image = row.Text(6);
  if (!StringsFromJson(row.Text(7), &container.command)) {
    return Corrupt(database, "task_definitions", "command", key, row.Text(7));
  }
  if (!StringMapFromJson(row.Text(8), &container.environment)) {
    return Corrupt(database, "task_definitions", "environment", key, row.Text(8));
  }
  container.container_port = IntColumn(row, 9);
  container.stop_timeout_seconds = IntColumn(row, 10);
  if (!SecretReferencesFromJson(row.Text(11), &container.secrets)) {
    return Corrupt(database, "task_definitions", "secrets", key, row.Text(11));
  }
  out->execution_role_arn = row.Text(12);
  return Status::Ok();
}

Status ReadService(const Database& database, const Statement& row, Service* out) {
  out->name = row.Text(0);
  out->task_definition = FamilyRevision(row, 1);
  out->desired_count = IntColumn(row, 3);
  DRYDOCK_RETURN_IF_ERROR(
      ReadEnum(database, row, 4, ServiceStatusName, "services", "status", out->name, &out->status));
  out->created_at = FromMillis(row.Int(5));
  return Status::Ok();
}

Status ReadDeployment(const Database& database, const Statement& row, Deployment* out) {
  out->id = row.Text(0);
  const std::string& key = out->id;
  out->service = row.Text(1);
  out->task_definition = FamilyRevision(row, 2);
  DRYDOCK_RETURN_IF_ERROR(ReadEnum(database, row, 4, DeploymentStatusName, "deployments",
                                   "status", key, &out->status));
  DRYDOCK_RETURN_IF_ERROR(ReadEnum(database, row, 5, RolloutStateName, "deployments",
                                   "rollout_state", key, &out->rollout_state));
  out->rollout_state_reason = row.Text(6);
  out->failed_tasks = IntColumn(row, 7);
  out->rollback_of = row.Text(8);
  out->created_at = FromMillis(row.Int(9));
  out->updated_at = FromMillis(row.Int(10));
  return Status::Ok();
}

Status ReadTask(const Database& database, const Statement& row, Task* out) {
  out->task_id = row.Text(0);
  const std::string& key = out->task_id;
  out->service = row.Text(1);
  out->task_definition = FamilyRevision(row, 2);
  out->instance_id = row.Text(4);
  out->availability_zone = row.Text(5);
  DRYDOCK_RETURN_IF_ERROR(
      ReadEnum(database, row, 6, TaskStatusName, "tasks", "last_status", key, &out->last_status));
  DRYDOCK_RETURN_IF_ERROR(ReadEnum(database, row, 7, TaskStatusName, "tasks", "desired_status",
                                   key, &out->desired_status));
  out->host_port = IntColumn(row, 8);
  out->created_at = FromMillis(row.Int(9));
  out->started_at = FromMillis(row.OptionalInt(10));
  out->stopping_at = FromMillis(row.OptionalInt(11));
  out->stopped_at = FromMillis(row.OptionalInt(12));
  DRYDOCK_RETURN_IF_ERROR(
      ReadEnum(database, row, 13, StopCodeName, "tasks", "stop_code", key, &out->stop_code));
  out->stopped_reason = row.Text(14);
  out->exit_code.reset();
  if (!row.IsNull(15)) out->exit_code = IntColumn(row, 15);
  out->pid = IntColumn(row, 16);
  out->pid_start_ticks = row.Int(17);
  out->started_by = row.Text(18);
  DRYDOCK_RETURN_IF_ERROR(ReadEnum(database, row, 19, HealthStatusName, "tasks",
                                   "health_status", key, &out->health_status));
  return Status::Ok();
}

constexpr const char* kTaskColumns =
    "SELECT task_id, service, task_definition_family, task_definition_revision, instance_id, "
    "availability_zone, last_status, desired_status, host_port, created_at_ms, started_at_ms, "
    "stopping_at_ms, stopped_at_ms, stop_code, stopped_reason, exit_code, pid, pid_start_ticks, "
    "started_by, health_status FROM tasks";

}  // namespace

Result<ClusterIdentity> LoadIdentity(Database& database) {
  Result<Statement> statement =
      database.Prepare("SELECT cluster_name, region, account_id FROM cluster WHERE id = 1");
  if (!statement.ok()) return statement.status();
  ClusterIdentity identity;
  Result<bool> row = statement->Step();
  if (!row.ok()) return row.status();
  if (*row) {
    identity.cluster_name = statement->Text(0);
    identity.region = statement->Text(1);
    identity.account_id = statement->Text(2);
  }
  return identity;
}

Result<AutoScalingGroup> LoadGroup(Database& database) {
  Result<Statement> statement = database.Prepare(
      "SELECT name, min_size, max_size, desired_capacity FROM auto_scaling_group WHERE id = 1");
  if (!statement.ok()) return statement.status();
  AutoScalingGroup group;
  Result<bool> row = statement->Step();
  if (!row.ok()) return row.status();
  if (*row) {
    group.name = statement->Text(0);
    group.min_size = IntColumn(*statement, 1);
    group.max_size = IntColumn(*statement, 2);
    group.desired_capacity = IntColumn(*statement, 3);
  }
  return group;
}

Result<std::optional<std::string>> LoadMeta(Database& database, std::string_view key) {
  Result<Statement> statement = database.Prepare("SELECT value FROM meta WHERE key = ?1");
  if (!statement.ok()) return statement.status();
  statement->Bind(1, key);
  Result<bool> row = statement->Step();
  if (!row.ok()) return row.status();
  std::optional<std::string> value;
  if (*row) value = statement->Text(0);
  return value;
}

Result<std::vector<Instance>> LoadInstances(Database& database) {
  Result<Statement> statement = database.Prepare(
      "SELECT instance_id, instance_type, availability_zone, lifecycle, state, launch_time_ms, "
      "state_changed_at_ms, protected_from_scale_in, container_instance_arn, container_status, "
      "registered_cpu_units, registered_memory_mib, registered_enis, reserved_host_ports "
      "FROM instances ORDER BY launch_time_ms, instance_id");
  if (!statement.ok()) return statement.status();
  return ReadAll<Instance>(*statement, [&](const Statement& row, Instance* out) {
    return ReadInstance(database, row, out);
  });
}

Result<std::vector<TaskDefinition>> LoadTaskDefinitions(Database& database) {
  Result<Statement> statement = database.Prepare(
      "SELECT family, revision, cpu_units, memory_mib, network_mode, container_name, image, "
      "command, environment, container_port, stop_timeout_seconds, secrets, execution_role_arn "
      "FROM task_definitions "
      "ORDER BY family, revision");
  if (!statement.ok()) return statement.status();
  return ReadAll<TaskDefinition>(*statement, [&](const Statement& row, TaskDefinition* out) {
    return ReadTaskDefinition(database, row, out);
  });
}

Result<std::vector<Service>> LoadServices(Database& database) {
  Result<Statement> statement = database.Prepare(
      "SELECT name, task_definition_family, task_definition_revision, desired_count, status, "
      "created_at_ms FROM services ORDER BY created_at_ms, name");
  if (!statement.ok()) return statement.status();
  return ReadAll<Service>(*statement, [&](const Statement& row, Service* out) {
    return ReadService(database, row, out);
  });
}

Result<std::vector<Deployment>> LoadDeployments(Database& database) {
  Result<Statement> statement = database.Prepare(
      "SELECT id, service, task_definition_family, task_definition_revision, status, "
      "rollout_state, rollout_state_reason, failed_tasks, rollback_of, created_at_ms, "
      "updated_at_ms FROM deployments ORDER BY created_at_ms, id");
  if (!statement.ok()) return statement.status();
  return ReadAll<Deployment>(*statement, [&](const Statement& row, Deployment* out) {
    return ReadDeployment(database, row, out);
  });
}

Result<std::vector<Task>> LoadTasks(Database& database, const TaskQuery& query) {
  // One SQL text per combination of filters, so each is cached and can use
  // its index (an `?1 IS NULL OR ...` form could not).
  std::string sql = kTaskColumns;
  if (query.service && query.last_status) {
    sql += " WHERE service = ?1 AND last_status = ?2";
  } else if (query.service) {
    sql += " WHERE service = ?1";
  } else if (query.last_status) {
    sql += " WHERE last_status = ?2";
  }
  sql += " ORDER BY created_at_ms, task_id";
  Result<Statement> statement = database.Prepare(sql);
  if (!statement.ok()) return statement.status();
  if (query.service) statement->Bind(1, *query.service);
  if (query.last_status) statement->Bind(2, TaskStatusName(*query.last_status));
  return ReadAll<Task>(*statement, [&](const Statement& row, Task* out) {
    return ReadTask(database, row, out);
  });
}

Result<std::vector<ServiceEvent>> LoadEvents(Database& database, const EventQuery& query) {
  // The inner query picks the newest `limit`; the outer one puts them in
  // chronological order.
  std::string filter = query.service ? "WHERE service = ?1 AND id > ?2" : "WHERE id > ?2";
  Result<Statement> statement = database.Prepare(
      "SELECT id, created_at_ms, service, message FROM (SELECT * FROM events " + filter +
      " ORDER BY id DESC LIMIT ?3) ORDER BY id");
  if (!statement.ok()) return statement.status();
  if (query.service) statement->Bind(1, *query.service);
  statement->Bind(2, query.after_id);
  statement->Bind(3, int64_t{query.limit > 0 ? query.limit : -1});  // LIMIT -1: no limit
  return ReadAll<ServiceEvent>(*statement, [](const Statement& row, ServiceEvent* out) {
    out->id = row.Int(0);
    out->created_at = FromMillis(row.Int(1));
    out->service = row.Text(2);
    out->message = row.Text(3);
    return Status::Ok();
  });
}

}  // namespace drydock::state::sqlite
