// Builders for controller tests (Nomad's mock.Node()/mock.Job() idea): small
// values with sensible defaults, so each test states only what matters.
// Header-only; used by *_test.cc files.
#pragma once

#include <string>

#include "control/asg/instance_lifecycle.h"
#include "state/model.h"

namespace drydock::control::fixtures {

inline state::Snapshot EmptyCluster() {
  state::Snapshot snapshot;
  snapshot.identity.cluster_name = "test";
  snapshot.identity.region = "us-east-1";
  return snapshot;
}

// A running, registered (ACTIVE) instance with the catalog's resources. Its
// container-instance id is "ci-" + instance_id, to keep messages readable.
inline state::Instance ActiveInstance(const std::string& instance_id, const std::string& zone,
                                      const std::string& type = "t3.medium",
                                      state::Lifecycle lifecycle = state::Lifecycle::kOnDemand) {
  state::Instance instance;
  instance.instance_id = instance_id;
  instance.instance_type = type;
  instance.availability_zone = zone;
  instance.lifecycle = lifecycle;
  instance.state = state::InstanceState::kRunning;
  instance.container_instance_arn =
      "arn:aws:ecs:us-east-1:000000000000:container-instance/test/ci-" + instance_id;
  instance.container_status = state::ContainerInstanceStatus::kActive;
  (void)RegisteredResources(type, &instance.registered);
  return instance;
}

inline state::TaskDefinition Definition(const std::string& family, int cpu_units, int memory_mib,
                                        state::NetworkMode mode = state::NetworkMode::kBridge,
                                        int container_port = 80) {
  state::TaskDefinition definition;
  definition.family = family;
  definition.cpu_units = cpu_units;
  definition.memory_mib = memory_mib;
  definition.network_mode = mode;
  definition.container.name = family;
  definition.container.container_port = container_port;
  return definition;
}

inline state::Service MakeService(const std::string& name, int desired_count) {
  return state::Service{name, name + ":1", desired_count, state::ServiceStatus::kActive, {}};
}

// A RUNNING task of `service` (revision 1) on `instance`.
inline state::Task RunningTask(const std::string& task_id, const std::string& service,
                               const state::Instance& instance) {
  state::Task task;
  task.task_id = task_id;
  task.service = service;
  task.task_definition = service + ":1";
  task.instance_id = instance.instance_id;
  task.availability_zone = instance.availability_zone;
  task.last_status = state::TaskStatus::kRunning;
  return task;
}

}  // namespace drydock::control::fixtures
