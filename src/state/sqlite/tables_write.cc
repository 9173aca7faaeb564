// Writes of the state tables. Upserts use INSERT ... ON CONFLICT DO UPDATE,
// not INSERT OR REPLACE: REPLACE deletes the old row first, which would fire
// foreign-key actions and lose the row's rowid.
#include <string>

#include "state/sqlite/codec.h"
#include "state/sqlite/tables.h"

namespace drydock::state::sqlite {
namespace {

Status WithContext(const Status& status, const std::string& context) {
  if (status.ok()) return status;
  return {status.code(), context + ": " + status.message()};
}

// Runs `sql` after `bind` has bound its parameters.
template <typename BindFn>
Status RunStatement(Database& database, std::string_view sql, const std::string& context,
                    BindFn bind) {
  Result<Statement> statement = database.Prepare(sql);
  if (!statement.ok()) return WithContext(statement.status(), context);
  bind(*statement);
  return WithContext(statement->Run(), context);
}

// The family and revision a service, deployment or task refers to, which
// must exist.
Status ResolveTaskDefinition(Database& database, const std::string& who,
                             const std::string& family_revision, std::string* family,
                             int* revision) {
  if (!ParseFamilyRevision(family_revision, family, revision)) {
    return InvalidArgument(who + " has task definition '" + family_revision +
                           "', which is not of the form family:revision");
  }
  Result<Statement> statement =
      database.Prepare("SELECT 1 FROM task_definitions WHERE family = ?1 AND revision = ?2");
  if (!statement.ok()) return statement.status();
  statement->Bind(1, *family);
  statement->Bind(2, int64_t{*revision});
  Result<bool> found = statement->Step();
  if (!found.ok()) return WithContext(found.status(), "looking up " + family_revision);
  if (!*found) {
    return FailedPrecondition(who + " refers to task definition " + family_revision +
                              ", which is not registered");
  }
  return Status::Ok();
}

Result<int> HighestRevision(Database& database, const std::string& family) {
  Result<Statement> statement = database.Prepare(
      "SELECT coalesce(max(revision), 0) FROM task_definitions WHERE family = ?1");
  if (!statement.ok()) return statement.status();
  statement->Bind(1, family);
  Result<bool> row = statement->Step();
  if (!row.ok()) return row.status();
  return static_cast<int>(statement->Int(0));
}

Status CheckRevision(const TaskDefinition& definition, int next) {
  if (definition.revision == 0 || definition.revision == next) return Status::Ok();
  const std::string next_name = definition.family + ":" + std::to_string(next);
  if (definition.revision < next) {
    return FailedPrecondition("task definition " + definition.FamilyRevision() +
                              " is already registered; revisions are append-only, so the next "
                              "one is " + next_name + " (or pass revision 0 to get it)");
  }
  return FailedPrecondition("task definition " + definition.FamilyRevision() +
                            " would leave a gap; the next revision of " + definition.family +
                            " is " + next_name);
}

}  // namespace

Status SaveIdentity(Database& database, const ClusterIdentity& identity) {
  return RunStatement(database,
                      "INSERT INTO cluster (id, cluster_name, region, account_id) "
                      "VALUES (1, ?1, ?2, ?3) ON CONFLICT (id) DO UPDATE SET "
                      "cluster_name = excluded.cluster_name, region = excluded.region, "
                      "account_id = excluded.account_id",
                      "saving cluster " + identity.cluster_name, [&](Statement& s) {
                        s.Bind(1, identity.cluster_name);
                        s.Bind(2, identity.region);
                        s.Bind(3, identity.account_id);
                      });
}

Status SaveGroup(Database& database, const AutoScalingGroup& group) {
  return RunStatement(database,
                      "INSERT INTO auto_scaling_group (id, name, min_size, max_size, "
                      "desired_capacity) VALUES (1, ?1, ?2, ?3, ?4) ON CONFLICT (id) DO UPDATE "
                      "SET name = excluded.name, min_size = excluded.min_size, "
                      "max_size = excluded.max_size, desired_capacity = excluded.desired_capacity",
                      "saving Auto Scaling group " + group.name, [&](Statement& s) {
                        s.Bind(1, group.name);
                        s.Bind(2, int64_t{group.min_size});
                        s.Bind(3, int64_t{group.max_size});
                        s.Bind(4, int64_t{group.desired_capacity});
                      });
}

Status SaveMeta(Database& database, std::string_view key, std::string_view value) {
  return RunStatement(database,
                      "INSERT INTO meta (key, value) VALUES (?1, ?2) "
                      "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                      "saving meta " + std::string(key), [&](Statement& s) {
                        s.Bind(1, key);
                        s.Bind(2, value);
                      });
}

Status DeleteMeta(Database& database, std::string_view key) {
  return RunStatement(database, "DELETE FROM meta WHERE key = ?1",
                      "deleting meta " + std::string(key), [&](Statement& s) { s.Bind(1, key); });
}

Result<int> RegisterTaskDefinition(Database& database, const TaskDefinition& definition) {
  if (definition.family.empty() || definition.family.find(':') != std::string::npos) {
    return InvalidArgument("task definition family '" + definition.family +
                           "' must be non-empty and contain no ':'");
  }
  Result<int> highest = HighestRevision(database, definition.family);
  if (!highest.ok()) return highest.status();
  const int revision = *highest + 1;
  DRYDOCK_RETURN_IF_ERROR(CheckRevision(definition, revision));
  const ContainerDefinition& container = definition.container;
  Status status = RunStatement(
      database,
      "INSERT INTO task_definitions (family, revision, cpu_units, memory_mib, network_mode, "
      "container_name, image, command, environment, container_port, stop_timeout_seconds, "
      "secrets, execution_role_arn) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
      "registering task definition " + definition.family, [&](Statement& s) {
        s.Bind(1, definition.family);
        s.Bind(2, int64_t{revision});
        s.Bind(3, int64_t{definition.cpu_units});
        s.Bind(4, int64_t{definition.memory_mib});
        s.Bind(5, NetworkModeName(definition.network_mode));
        s.Bind(6, container.name);
        s.Bind(7, container.image);
        s.Bind(8, StringsToJson(container.command));
        s.Bind(9, StringMapToJson(container.environment));
        s.Bind(10, int64_t{container.container_port});
        s.Bind(11, int64_t{container.stop_timeout_seconds});
        s.Bind(12, SecretReferencesToJson(container.secrets));
        s.Bind(13, definition.execution_role_arn);
      });
  if (!status.ok()) return status;
  return revision;
}

Status SaveInstance(Database& database, const Instance& instance) {
  return RunStatement(
      database,
      "INSERT INTO instances (instance_id, instance_type, availability_zone, lifecycle, state, "
      "launch_time_ms, state_changed_at_ms, protected_from_scale_in, container_instance_arn, "
      "container_status, registered_cpu_units, registered_memory_mib, registered_enis, "
      "reserved_host_ports) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14) "
      "ON CONFLICT (instance_id) DO UPDATE SET instance_type = excluded.instance_type, "
      "availability_zone = excluded.availability_zone, lifecycle = excluded.lifecycle, "
      "state = excluded.state, launch_time_ms = excluded.launch_time_ms, "
      "state_changed_at_ms = excluded.state_changed_at_ms, "
      "protected_from_scale_in = excluded.protected_from_scale_in, "
      "container_instance_arn = excluded.container_instance_arn, "
      "container_status = excluded.container_status, "
      "registered_cpu_units = excluded.registered_cpu_units, "
      "registered_memory_mib = excluded.registered_memory_mib, "
      "registered_enis = excluded.registered_enis, "
      "reserved_host_ports = excluded.reserved_host_ports",
      "saving instance " + instance.instance_id, [&](Statement& s) {
        s.Bind(1, instance.instance_id);
        s.Bind(2, instance.instance_type);
        s.Bind(3, instance.availability_zone);
        s.Bind(4, LifecycleName(instance.lifecycle));
        s.Bind(5, InstanceStateName(instance.state));
        s.Bind(6, ToMillis(instance.launch_time));
        s.Bind(7, ToMillis(instance.state_changed_at));
        s.Bind(8, int64_t{instance.protected_from_scale_in ? 1 : 0});
        s.Bind(9, instance.container_instance_arn);
        s.Bind(10, ContainerInstanceStatusName(instance.container_status));
        s.Bind(11, int64_t{instance.registered.cpu_units});
        s.Bind(12, int64_t{instance.registered.memory_mib});
        s.Bind(13, int64_t{instance.registered.enis});
        s.Bind(14, IntsToJson(instance.reserved_host_ports));
      });
}

Status SaveService(Database& database, const Service& service) {
  std::string family;
  int revision = 0;
  DRYDOCK_RETURN_IF_ERROR(ResolveTaskDefinition(database, "service " + service.name,
                                                service.task_definition, &family, &revision));
  return RunStatement(
      database,
      "INSERT INTO services (name, task_definition_family, task_definition_revision, "
      "desired_count, status, created_at_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6) "
      "ON CONFLICT (name) DO UPDATE SET "
      "task_definition_family = excluded.task_definition_family, "
      "task_definition_revision = excluded.task_definition_revision, "
      "desired_count = excluded.desired_count, status = excluded.status, "
      "created_at_ms = excluded.created_at_ms",
      "saving service " + service.name, [&](Statement& s) {
        s.Bind(1, service.name);
        s.Bind(2, family);
        s.Bind(3, int64_t{revision});
        s.Bind(4, int64_t{service.desired_count});
        s.Bind(5, ServiceStatusName(service.status));
        s.Bind(6, ToMillis(service.created_at));
      });
}

Status SaveDeployment(Database& database, const Deployment& deployment) {
  const std::string who = "deployment " + deployment.id;
  Result<Statement> lookup = database.Prepare("SELECT 1 FROM services WHERE name = ?1");
  if (!lookup.ok()) return lookup.status();
  lookup->Bind(1, deployment.service);
  Result<bool> found = lookup->Step();
  if (!found.ok()) return WithContext(found.status(), "looking up service " + deployment.service);
  if (!*found) {
    return FailedPrecondition(who + " refers to service " + deployment.service +
                              ", which does not exist");
  }
  std::string family;
  int revision = 0;
  DRYDOCK_RETURN_IF_ERROR(
      ResolveTaskDefinition(database, who, deployment.task_definition, &family, &revision));
  return RunStatement(
      database,
      "INSERT INTO deployments (id, service, task_definition_family, task_definition_revision, "
      "status, rollout_state, rollout_state_reason, failed_tasks, rollback_of, created_at_ms, "
      "updated_at_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) "
      "ON CONFLICT (id) DO UPDATE SET service = excluded.service, "
      "task_definition_family = excluded.task_definition_family, "
      "task_definition_revision = excluded.task_definition_revision, "
      "status = excluded.status, rollout_state = excluded.rollout_state, "
      "rollout_state_reason = excluded.rollout_state_reason, "
      "failed_tasks = excluded.failed_tasks, rollback_of = excluded.rollback_of, "
      "created_at_ms = excluded.created_at_ms, updated_at_ms = excluded.updated_at_ms",
      "saving " + who, [&](Statement& s) {
        s.Bind(1, deployment.id);
        s.Bind(2, deployment.service);
        s.Bind(3, family);
        s.Bind(4, int64_t{revision});
        s.Bind(5, DeploymentStatusName(deployment.status));
        s.Bind(6, RolloutStateName(deployment.rollout_state));
        s.Bind(7, deployment.rollout_state_reason);
        s.Bind(8, int64_t{deployment.failed_tasks});
        s.Bind(9, deployment.rollback_of);
        s.Bind(10, ToMillis(deployment.created_at));
        s.Bind(11, ToMillis(deployment.updated_at));
      });
}

Status SaveTask(Database& database, const Task& task) {
  std::string family;
  int revision = 0;
  DRYDOCK_RETURN_IF_ERROR(ResolveTaskDefinition(database, "task " + task.task_id,
                                                task.task_definition, &family, &revision));
  return RunStatement(
      database,
      "INSERT INTO tasks (task_id, service, task_definition_family, task_definition_revision, "
      "instance_id, availability_zone, last_status, desired_status, host_port, created_at_ms, "
      "started_at_ms, stopping_at_ms, stopped_at_ms, stop_code, stopped_reason, exit_code, pid, "
      "pid_start_ticks, started_by, health_status) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, "
      "?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20) "
      "ON CONFLICT (task_id) DO UPDATE SET service = excluded.service, "
      "task_definition_family = excluded.task_definition_family, "
      "task_definition_revision = excluded.task_definition_revision, "
      "instance_id = excluded.instance_id, availability_zone = excluded.availability_zone, "
      "last_status = excluded.last_status, desired_status = excluded.desired_status, "
      "host_port = excluded.host_port, created_at_ms = excluded.created_at_ms, "
      "started_at_ms = excluded.started_at_ms, stopping_at_ms = excluded.stopping_at_ms, "
      "stopped_at_ms = excluded.stopped_at_ms, stop_code = excluded.stop_code, "
      "stopped_reason = excluded.stopped_reason, exit_code = excluded.exit_code, "
      "pid = excluded.pid, pid_start_ticks = excluded.pid_start_ticks, "
      "started_by = excluded.started_by, health_status = excluded.health_status",
      "saving task " + task.task_id, [&](Statement& s) {
        s.Bind(1, task.task_id);
        s.Bind(2, task.service);
        s.Bind(3, family);
        s.Bind(4, int64_t{revision});
        s.Bind(5, task.instance_id);
        s.Bind(6, task.availability_zone);
        s.Bind(7, TaskStatusName(task.last_status));
        s.Bind(8, TaskStatusName(task.desired_status));
        s.Bind(9, int64_t{task.host_port});
        s.Bind(10, ToMillis(task.created_at));
        s.Bind(11, ToMillis(task.started_at));
        s.Bind(12, ToMillis(task.stopping_at));
        s.Bind(13, ToMillis(task.stopped_at));
        s.Bind(14, StopCodeName(task.stop_code));
        s.Bind(15, task.stopped_reason);
        std::optional<int64_t> exit_code;
        if (task.exit_code) exit_code = *task.exit_code;
        s.Bind(16, exit_code);
        s.Bind(17, int64_t{task.pid});
        s.Bind(18, task.pid_start_ticks);
        s.Bind(19, task.started_by);
        s.Bind(20, HealthStatusName(task.health_status));
      });
}

Status DeleteTask(Database& database, std::string_view task_id) {
  return RunStatement(database, "DELETE FROM tasks WHERE task_id = ?1",
                      "deleting task " + std::string(task_id),
                      [&](Statement& s) { s.Bind(1, task_id); });
}

Status DeleteDeployment(Database& database, std::string_view id) {
  return RunStatement(database, "DELETE FROM deployments WHERE id = ?1",
                      "deleting deployment " + std::string(id),
                      [&](Statement& s) { s.Bind(1, id); });
}

Status DeleteService(Database& database, std::string_view name) {
  return RunStatement(database, "DELETE FROM services WHERE name = ?1",
                      "deleting service " + std::string(name),
                      [&](Statement& s) { s.Bind(1, name); });
}

Status DeleteInstance(Database& database, std::string_view instance_id) {
  return RunStatement(database, "DELETE FROM instances WHERE instance_id = ?1",
                      "deleting instance " + std::string(instance_id),
                      [&](Statement& s) { s.Bind(1, instance_id); });
}

Result<int64_t> AppendEvent(Database& database, const ServiceEvent& event) {
  Status status = RunStatement(
      database, "INSERT INTO events (created_at_ms, service, message) VALUES (?1, ?2, ?3)",
      "saving an event of service " + event.service, [&](Statement& s) {
        s.Bind(1, ToMillis(event.created_at));
        s.Bind(2, event.service);
        s.Bind(3, event.message);
      });
  if (!status.ok()) return status;
  return database.LastInsertRowId();
}

Status TrimEvents(Database& database, std::string_view service, int keep) {
  // The subquery finds the newest event that falls outside the newest
  // `keep`; it and everything older go. NULL (fewer events) deletes nothing.
  return RunStatement(database,
                      "DELETE FROM events WHERE service = ?1 AND id <= (SELECT id FROM events "
                      "WHERE service = ?1 ORDER BY id DESC LIMIT 1 OFFSET ?2)",
                      "trimming the events of service " + std::string(service),
                      [&](Statement& s) {
                        s.Bind(1, service);
                        s.Bind(2, int64_t{keep});
                      });
}

}  // namespace drydock::state::sqlite
