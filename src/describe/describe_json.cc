// The JSON description: AWS's field names and shapes (docs/observe.md).
#include <nlohmann/json.hpp>

#include <algorithm>

#include "describe/describe.h"

#include "alb/wire.h"
#include "describe/tallies.h"

namespace drydock::describe {
namespace {

using Json = nlohmann::ordered_json;

// Messages and names come from files and processes: replace invalid UTF-8
// instead of letting dump() throw.
std::string Dump(const Json& json) {
  return json.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

void SetTime(Json& object, const char* key, const std::optional<TimePoint>& time) {
  if (time) object[key] = FormatTime(*time);
}

Json ClusterJson(const state::Snapshot& snapshot) {
  int registered = 0;
  for (const state::Instance& instance : snapshot.instances) {
    registered += !instance.container_instance_arn.empty() &&
                          instance.container_status != state::ContainerInstanceStatus::kInactive
                      ? 1
                      : 0;
  }
  const int active_services = static_cast<int>(std::count_if(
      snapshot.services.begin(), snapshot.services.end(),
      [](const auto& service) { return service.status == state::ServiceStatus::kActive; }));
  const TaskCounts tasks = CountTasks(snapshot, "", "");
  return {{"clusterArn", snapshot.identity.ClusterArn()},
          {"clusterName", snapshot.identity.cluster_name},
          {"status", "ACTIVE"},
          {"registeredContainerInstancesCount", registered},
          {"runningTasksCount", tasks.running},
          {"pendingTasksCount", tasks.pending},
          {"activeServicesCount", active_services}};
}

std::string TaskDefinitionArn(const state::Snapshot& snapshot, const std::string& family_revision) {
  return "arn:aws:ecs:" + snapshot.identity.region + ":" + snapshot.identity.account_id +
         ":task-definition/" + family_revision;
}

Json EventJson(const state::ServiceEvent& event) {
  return {{"id", std::to_string(event.id)},
          {"createdAt", FormatTime(event.created_at)},
          {"message", event.message}};
}

// DescribeServices deployments[] entry.
Json DeploymentJson(const state::Snapshot& snapshot, const state::Deployment& deployment) {
  const DeploymentCounts counts = CountDeploymentTasks(snapshot, deployment);
  Json json = {{"id", deployment.id},
               {"status", state::DeploymentStatusName(deployment.status)},
               {"taskDefinition", TaskDefinitionArn(snapshot, deployment.task_definition)},
               {"desiredCount", counts.desired},
               {"pendingCount", counts.pending},
               {"runningCount", counts.running},
               {"failedTasks", deployment.failed_tasks},
               {"rolloutState", state::RolloutStateName(deployment.rollout_state)}};
  if (!deployment.rollout_state_reason.empty()) {
    json["rolloutStateReason"] = deployment.rollout_state_reason;
  }
  json["createdAt"] = FormatTime(deployment.created_at);
  json["updatedAt"] = FormatTime(deployment.updated_at);
  return json;
}

Json ServiceJson(const state::Snapshot& snapshot, const state::Service& service) {
  constexpr size_t kEventsShown = 100;  // DescribeServices returns the newest 100
  Json events = Json::array();
  for (auto it = snapshot.events.rbegin(); it != snapshot.events.rend(); ++it) {
    if (it->service != service.name) continue;
    events.push_back(EventJson(*it));
    if (events.size() == kEventsShown) break;
  }
  Json deployments = Json::array();
  for (const state::Deployment* deployment : ListedDeployments(snapshot, service.name)) {
    deployments.push_back(DeploymentJson(snapshot, *deployment));
  }
  const TaskCounts tasks = CountTasks(snapshot, service.name, "");
  return {{"serviceArn", snapshot.identity.ServiceArn(service.name)},
          {"serviceName", service.name},
          {"clusterArn", snapshot.identity.ClusterArn()},
          {"status", state::ServiceStatusName(service.status)},
          {"desiredCount", service.desired_count},
          {"runningCount", tasks.running},
          {"pendingCount", tasks.pending},
          {"launchType", "EC2"},
          {"taskDefinition", TaskDefinitionArn(snapshot, service.task_definition)},
          {"deployments", std::move(deployments)},
          {"createdAt", FormatTime(service.created_at)},
          {"events", std::move(events)}};
}

// ECS containers are PENDING until they run and STOPPED once they exited.
const char* ContainerStatus(const state::Task& task) {
  if (task.exit_code || task.last_status == state::TaskStatus::kStopped) return "STOPPED";
  return task.started_at ? "RUNNING" : "PENDING";
}

Json ContainerJson(const state::Task& task, const state::TaskDefinition* definition) {
  Json container = {{"name", definition ? definition->container.name : task.service},
                    {"lastStatus", ContainerStatus(task)}};
  if (task.exit_code) container["exitCode"] = *task.exit_code;
  Json bindings = Json::array();
  if (task.host_port > 0) {
    bindings.push_back({{"bindIP", "127.0.0.1"},
                        {"containerPort", definition ? definition->container.container_port : 0},
                        {"hostPort", task.host_port},
                        {"protocol", "tcp"}});
  }
  container["networkBindings"] = std::move(bindings);
  return container;
}

Json TaskJson(const state::Snapshot& snapshot, const state::Task& task) {
  const state::TaskDefinition* definition = snapshot.FindTaskDefinition(task.task_definition);
  const state::Instance* instance = snapshot.FindInstance(task.instance_id);
  Json json = {{"taskArn", snapshot.identity.TaskArn(task.task_id)},
               {"clusterArn", snapshot.identity.ClusterArn()},
               {"taskDefinitionArn", TaskDefinitionArn(snapshot, task.task_definition)}};
  if (instance && !instance->container_instance_arn.empty()) {
    json["containerInstanceArn"] = instance->container_instance_arn;
  }
  if (!task.availability_zone.empty()) json["availabilityZone"] = task.availability_zone;
  json["lastStatus"] = state::TaskStatusName(task.last_status);
  json["desiredStatus"] = state::TaskStatusName(task.desired_status);
  json["group"] = "service:" + task.service;
  if (!task.started_by.empty()) json["startedBy"] = task.started_by;
  json["healthStatus"] = state::HealthStatusName(task.health_status);
  json["launchType"] = "EC2";
  if (definition) {
    json["cpu"] = std::to_string(definition->cpu_units);  // ECS returns strings here
    json["memory"] = std::to_string(definition->memory_mib);
  }
  json["createdAt"] = FormatTime(task.created_at);
  SetTime(json, "startedAt", task.started_at);
  SetTime(json, "stoppingAt", task.stopping_at);
  SetTime(json, "stoppedAt", task.stopped_at);
  if (task.stop_code != state::StopCode::kNone) {
    json["stopCode"] = state::StopCodeName(task.stop_code);
  }
  if (!task.stopped_reason.empty()) json["stoppedReason"] = task.stopped_reason;
  json["containers"] = Json::array({ContainerJson(task, definition)});
  return json;
}

Json ResourcesJson(int cpu_units, int memory_mib) {
  return Json::array({{{"name", "CPU"}, {"type", "INTEGER"}, {"integerValue", cpu_units}},
                      {{"name", "MEMORY"}, {"type", "INTEGER"}, {"integerValue", memory_mib}}});
}

Json ContainerInstanceJson(const state::Snapshot& snapshot, const state::Instance& instance) {
  const TaskCounts tasks = CountTasks(snapshot, "", instance.instance_id);
  const state::Resources reserved = ReservedResources(snapshot, instance.instance_id);
  const bool connected = instance.state == state::InstanceState::kRunning &&
                         instance.container_status != state::ContainerInstanceStatus::kInactive;
  return {
      {"containerInstanceArn", instance.container_instance_arn},
      {"ec2InstanceId", instance.instance_id},
      {"status", state::ContainerInstanceStatusName(instance.container_status)},
      {"agentConnected", connected},
      {"runningTasksCount", tasks.running},
      {"pendingTasksCount", tasks.pending},
      {"registeredResources",
       ResourcesJson(instance.registered.cpu_units, instance.registered.memory_mib)},
      {"remainingResources", ResourcesJson(instance.registered.cpu_units - reserved.cpu_units,
                                           instance.registered.memory_mib - reserved.memory_mib)},
      {"attributes",
       Json::array({{{"name", "ecs.availability-zone"}, {"value", instance.availability_zone}},
                    {{"name", "ecs.instance-type"}, {"value", instance.instance_type}}})}};
}

Json InstanceJson(const state::Instance& instance) {
  return {{"instanceId", instance.instance_id},
          {"instanceType", instance.instance_type},
          {"availabilityZone", instance.availability_zone},
          {"lifecycle", state::LifecycleName(instance.lifecycle)},
          {"state", state::InstanceStateName(instance.state)},
          {"launchTime", FormatTime(instance.launch_time)},
          {"protectedFromScaleIn", instance.protected_from_scale_in}};
}

}  // namespace

std::string DescribeJson(const state::Snapshot& snapshot, const DescribeOptions& options) {
  Json control_plane = {{"running", options.control_plane_running}};
  if (options.control_plane_running && options.control_plane_pid > 0) {
    control_plane["pid"] = options.control_plane_pid;
  }
  Json services = Json::array(), tasks = Json::array(), container_instances = Json::array(),
       instances = Json::array();
  for (const state::Service& service : snapshot.services) {
    services.push_back(ServiceJson(snapshot, service));
  }
  for (const state::Task& task : snapshot.tasks) tasks.push_back(TaskJson(snapshot, task));
  for (const state::Instance& instance : snapshot.instances) {
    if (!instance.container_instance_arn.empty()) {
      container_instances.push_back(ContainerInstanceJson(snapshot, instance));
    }
    instances.push_back(InstanceJson(instance));
  }
  const state::AutoScalingGroup& group = snapshot.group;
  Json load_balancer = {{"running", options.load_balancer.running}};
  if (options.load_balancer.running) {
    load_balancer["listen"] = options.load_balancer.listen;
    load_balancer["targetGroups"] =
        Json::parse(alb::EncodeTargets(options.load_balancer.target_groups))["targetGroups"];
  }
  return Dump(
      {{"controlPlane", std::move(control_plane)},
       {"loadBalancer", std::move(load_balancer)},
       {"clusters", Json::array({ClusterJson(snapshot)})},
       {"services", std::move(services)},
       {"tasks", std::move(tasks)},
       {"containerInstances", std::move(container_instances)},
       {"instances", std::move(instances)},
       {"autoScalingGroups", Json::array({{{"AutoScalingGroupName", group.name},
                                           {"MinSize", group.min_size},
                                           {"MaxSize", group.max_size},
                                           {"DesiredCapacity", group.desired_capacity}}})}});
}

std::string DescribeServiceJson(const state::Snapshot& snapshot, const std::string& service,
                                const DescribeOptions& /*options*/) {
  const state::Service* found = snapshot.FindService(service);
  if (!found) return "";
  Json tasks = Json::array();
  for (const state::Task& task : snapshot.tasks) {
    if (task.service == service) tasks.push_back(TaskJson(snapshot, task));
  }
  return Dump({{"services", Json::array({ServiceJson(snapshot, *found)})},
               {"tasks", std::move(tasks)}});
}

std::string DescribeEventsJson(const std::vector<state::ServiceEvent>& events) {
  Json list = Json::array();
  for (auto it = events.rbegin(); it != events.rend(); ++it) {
    Json event = EventJson(*it);
    if (!it->service.empty()) event["serviceName"] = it->service;
    list.push_back(std::move(event));
  }
  return Dump({{"events", std::move(list)}});
}

}  // namespace drydock::describe
