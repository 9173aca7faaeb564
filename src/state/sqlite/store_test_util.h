// Shared by the state-store tests: unique temporary directories and model
// values with every field set to something other than its default.
#pragma once

#include <stdlib.h>

#include <filesystem>
#include <string>

#include <gtest/gtest.h>

#include "state/model.h"

namespace drydock::state::store_testing {

// A fresh directory under ::testing::TempDir(), removed by the destructor.
class TempDir {
 public:
  TempDir() {
    std::string base = ::testing::TempDir();  // may end in '/'
    while (base.size() > 1 && base.back() == '/') base.pop_back();
    std::string pattern = base + "/drydock_state_XXXXXX";
    char* made = mkdtemp(pattern.data());
    EXPECT_NE(made, nullptr) << "mkdtemp " << pattern;
    path_ = pattern;
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  const std::string& path() const { return path_; }
  std::string Join(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

inline TimePoint At(int64_t ms) { return TimePoint(Duration(ms)); }

inline TaskDefinition MakeTaskDefinition(const std::string& family, int revision) {
  TaskDefinition definition;
  definition.family = family;
  definition.revision = revision;
  definition.cpu_units = 256;
  definition.memory_mib = 512;
  definition.network_mode = NetworkMode::kBridge;
  definition.container.name = family + "-container";
  definition.container.image = "local/" + family;
  definition.container.command = {"/bin/sh", "-c", "echo \"hi\" && exec sleep 100"};
  definition.container.environment = {{"GREETING", "héllo"}, {"EMPTY", ""}};
  definition.container.container_port = 8080;
  definition.container.stop_timeout_seconds = 45;
  definition.container.secrets = {{"SECRETS", family}, {"DB_PASSWORD", family + ":password::"}};
  definition.execution_role_arn = "arn:aws:iam::000000000000:role/" + family + "-execution";
  return definition;
}

inline Instance MakeInstance(const std::string& id, int64_t launch_ms) {
  Instance instance;
  instance.instance_id = id;
  instance.instance_type = "t3a.medium";
  instance.availability_zone = "us-east-1b";
  instance.lifecycle = Lifecycle::kSpot;
  instance.state = InstanceState::kShuttingDown;
  instance.launch_time = At(launch_ms);
  instance.state_changed_at = At(launch_ms + 1500);
  instance.protected_from_scale_in = true;
  instance.container_instance_arn = "arn:aws:ecs:us-east-1:000000000000:container-instance/c/" + id;
  instance.container_status = ContainerInstanceStatus::kDraining;
  instance.registered = Resources{2048, 3891, 2};
  instance.reserved_host_ports = {32768, 22, 51678};
  return instance;
}

inline Service MakeService(const std::string& name, const std::string& task_definition) {
  Service service;
  service.name = name;
  service.task_definition = task_definition;
  service.desired_count = 3;
  service.status = ServiceStatus::kDraining;
  service.created_at = At(1'700'000'000'123);
  return service;
}

inline Deployment MakeDeployment(const std::string& id, const std::string& service,
                                 const std::string& task_definition, int64_t created_ms) {
  Deployment deployment;
  deployment.id = id;
  deployment.service = service;
  deployment.task_definition = task_definition;
  deployment.status = DeploymentStatus::kActive;
  deployment.rollout_state = RolloutState::kFailed;
  deployment.rollout_state_reason = "ECS deployment circuit breaker: tasks failed to start.";
  deployment.failed_tasks = 4;
  deployment.rollback_of = "ecs-svc/9999999999999999999";
  deployment.created_at = At(created_ms);
  deployment.updated_at = At(created_ms + 2500);
  return deployment;
}

inline Task MakeTask(const std::string& id, const std::string& task_definition) {
  Task task;
  task.task_id = id;
  task.service = "api";
  task.task_definition = task_definition;
  task.started_by = "ecs-svc/1234567890123456789";
  task.instance_id = "i-0123456789abcdef0";
  task.availability_zone = "us-east-1a";
  task.last_status = TaskStatus::kStopped;
  task.desired_status = TaskStatus::kStopped;
  task.host_port = 32771;
  task.created_at = At(1'700'000'001'000);
  task.started_at = At(1'700'000'002'000);
  task.stopping_at = At(1'700'000'003'000);
  task.stopped_at = At(1'700'000'004'000);
  task.stop_code = StopCode::kEssentialContainerExited;
  task.stopped_reason = "Essential container in task exited";
  task.exit_code = 137;
  task.health_status = HealthStatus::kUnhealthy;
  task.pid = 4242;
  task.pid_start_ticks = 987654321012;
  return task;
}

}  // namespace drydock::state::store_testing
