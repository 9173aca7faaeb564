// The control plane's durable state. The control loop reads a Snapshot,
// controllers return plans, and the plan is written back as one Changes value
// that the store applies atomically: all of it or none of it. The only
// implementation that touches disk is SqliteStore (state/sqlite/); see
// docs/state.md for the schema and the durability choices.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "state/model.h"

namespace drydock::state {

// Keys of the store's key/value `meta` table that drydock itself uses.
inline constexpr std::string_view kMetaConfigPath = "config_path";  // absolute path of FILE
inline constexpr std::string_view kMetaSeed = "seed";               // --seed, decimal
inline constexpr std::string_view kMetaControlPid = "control_pid";  // pid of the control plane

// One atomic write. Upserts insert a row or replace every field of the row
// with the same key; deletes of keys that do not exist are no-ops. The store
// applies, in this order: identity, group, meta, task definitions, instances,
// services, deployments, tasks, the deletes (tasks, deployments, services,
// instances), then events.
struct Changes {
  std::optional<ClusterIdentity> identity;
  std::optional<AutoScalingGroup> group;

  std::map<std::string, std::string> set_meta;
  std::vector<std::string> delete_meta;

  // Task definitions are append-only. A definition with revision 0 gets the
  // family's highest revision + 1 (1 for a new family); one with a revision
  // > 0 must carry exactly that number, which lets a service or task in the
  // same Changes refer to it. Anything else fails the whole Changes.
  std::vector<TaskDefinition> register_task_definitions;

  // A service's and a task's `task_definition` ("family:revision") must name
  // a registered revision (in the store already or registered above).
  std::vector<Instance> upsert_instances;
  std::vector<Service> upsert_services;
  // A deployment's `service` must name a service (in the store or above).
  std::vector<Deployment> upsert_deployments;
  std::vector<Task> upsert_tasks;

  std::vector<std::string> delete_tasks;        // task ids
  std::vector<std::string> delete_deployments;  // deployment ids
  std::vector<std::string> delete_services;   // service names
  std::vector<std::string> delete_instances;  // instance ids

  // Appended in order; the store assigns increasing ids (ServiceEvent::id is
  // ignored) and then keeps only the newest StoreOptions::events_kept_per_service
  // of each service touched.
  std::vector<ServiceEvent> append_events;

  bool empty() const;
};

// What Apply assigned.
struct AppliedChanges {
  // register_task_definitions, in order, with their final revisions.
  std::vector<TaskDefinition> task_definitions;
  // Ids of append_events, in order.
  std::vector<int64_t> event_ids;
};

struct EventQuery {
  std::optional<std::string> service;  // unset: every service; "": cluster-level events only
  int limit = 100;                     // the newest `limit` events (<= 0: all); ECS shows 100
  int64_t after_id = 0;                // only events with id > after_id (for following)
};

struct TaskQuery {
  std::optional<std::string> service;
  std::optional<TaskStatus> last_status;
};

struct StoreOptions {
  // Events kept per service (and for cluster-level events). ECS returns the
  // newest 100 in DescribeServices; drydock keeps more so `drydock events`
  // can look further back.
  int events_kept_per_service = 1000;
};

// Not thread-safe: one thread (the control loop) uses a Store at a time.
// Other processes (the CLI) open their own Store on the same database.
class Store {
 public:
  Store() = default;
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;
  virtual ~Store() = default;

  // Everything, read in one transaction so it is consistent. Lists are in a
  // stable order: instances by launch time, task definitions by family then
  // revision, services by creation time, tasks by creation time (ties by id).
  virtual Result<Snapshot> Load() = 0;

  // Applies `changes` in one transaction. On error nothing is applied and the
  // message names the offending row (kFailedPrecondition for a broken rule
  // such as a revision gap or an unknown task definition, kUnavailable when
  // another process holds the database, kIo for the disk).
  virtual Result<AppliedChanges> Apply(const Changes& changes) = 0;

  // Events in chronological order (ascending id): the newest `limit` that
  // match. DescribeServices lists newest first; reverse for that.
  virtual Result<std::vector<ServiceEvent>> ListEvents(const EventQuery& query) = 0;

  // Tasks matching every set field of `query`, in Load()'s order.
  virtual Result<std::vector<Task>> ListTasks(const TaskQuery& query) = 0;

  // The value under `key`, or nullopt when unset.
  virtual Result<std::optional<std::string>> GetMeta(std::string_view key) = 0;
  // Sets one key in its own transaction (same as Apply with set_meta).
  virtual Status SetMeta(std::string_view key, std::string_view value) = 0;
};

using StorePtr = std::unique_ptr<Store>;

// The revision the next registration of `family` gets: its highest revision
// in `snapshot` + 1, or 1 for a new family.
int NextTaskDefinitionRevision(const Snapshot& snapshot, std::string_view family);

// Splits "family:revision". Returns false when `text` has no ':' or the
// revision is not a positive integer.
bool ParseFamilyRevision(std::string_view text, std::string* family, int* revision);

}  // namespace drydock::state
