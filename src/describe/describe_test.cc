#include "describe/describe.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "control/harness/fixtures.h"

namespace drydock::describe {
namespace {

namespace fixtures = control::fixtures;
using nlohmann::json;
using state::TaskStatus;

TimePoint At(int seconds) {
  return TimePoint(std::chrono::sys_days(std::chrono::January / 1 / 2026)) + Seconds(seconds);
}

state::Task StoppedTask(const std::string& id, const state::Instance& instance, int stopped_at) {
  state::Task task = fixtures::RunningTask(id, "api", instance);
  task.last_status = TaskStatus::kStopped;
  task.desired_status = TaskStatus::kStopped;
  task.stopped_at = At(stopped_at);
  task.stop_code = state::StopCode::kEssentialContainerExited;
  task.stopped_reason = "Essential container in task exited";
  task.exit_code = 1;
  return task;
}

// Two instances in two zones, service api (desired 2) with one RUNNING task,
// one PENDING task and four STOPPED ones, and service web with no task yet.
state::Snapshot Cluster() {
  state::Snapshot snapshot = fixtures::EmptyCluster();
  snapshot.group = {"test-asg", 1, 4, 2};
  state::Instance a = fixtures::ActiveInstance("i-0aaaaaaaaaaaaaaa1", "us-east-1a");
  a.launch_time = At(1);
  state::Instance b = fixtures::ActiveInstance("i-0bbbbbbbbbbbbbbb2", "us-east-1b", "m5.large",
                                               state::Lifecycle::kSpot);
  b.protected_from_scale_in = true;
  state::Instance c = fixtures::ActiveInstance("i-0ccccccccccccccc3", "us-east-1a");
  c.container_instance_arn.clear();
  c.container_status = state::ContainerInstanceStatus::kRegistering;
  c.state = state::InstanceState::kPending;
  snapshot.instances = {a, b, c};
  snapshot.task_definitions = {
      fixtures::Definition("api", 256, 512, state::NetworkMode::kBridge, 8080),
      fixtures::Definition("web", 512, 1024)};
  snapshot.services = {fixtures::MakeService("api", 2), fixtures::MakeService("web", 1)};
  snapshot.services[0].created_at = At(0);

  state::Task running = fixtures::RunningTask("0123456789abcdef0123456789abcdef", "api", a);
  running.host_port = 32768;
  running.created_at = At(10);
  running.started_at = At(13);
  state::Task pending = fixtures::RunningTask("fedcba9876543210fedcba9876543210", "api", b);
  pending.last_status = TaskStatus::kPending;
  snapshot.tasks = {running, pending};
  for (int i = 0; i < 4; ++i) {
    snapshot.tasks.push_back(
        StoppedTask("5" + std::to_string(i) + std::string(30, '0'), a, 100 + i));
  }
  snapshot.events = {{1, At(5), "api", "(service api) has started 2 tasks."},
                     {2, At(6), "", "cluster-level event"},
                     {3, At(7), "api", "(service api) has reached a steady state."}};
  return snapshot;
}

json Parse(const std::string& text) {
  json parsed = json::parse(text, nullptr, false);
  EXPECT_FALSE(parsed.is_discarded()) << text;
  return parsed;
}

TEST(DescribeJsonTest, ClusterAndServicesUseTheEcsShapes) {
  json out = Parse(DescribeJson(Cluster(), {true, 4242, {}}));
  EXPECT_EQ(out["controlPlane"], json({{"running", true}, {"pid", 4242}}));
  const json& cluster = out["clusters"][0];
  EXPECT_EQ(cluster["clusterArn"], "arn:aws:ecs:us-east-1:000000000000:cluster/test");
  EXPECT_EQ(cluster["clusterName"], "test");
  EXPECT_EQ(cluster["status"], "ACTIVE");
  EXPECT_EQ(cluster["registeredContainerInstancesCount"], 2);
  EXPECT_EQ(cluster["runningTasksCount"], 1);
  EXPECT_EQ(cluster["pendingTasksCount"], 1);
  EXPECT_EQ(cluster["activeServicesCount"], 2);

  const json& api = out["services"][0];
  EXPECT_EQ(api["serviceArn"], "arn:aws:ecs:us-east-1:000000000000:service/test/api");
  EXPECT_EQ(api["serviceName"], "api");
  EXPECT_EQ(api["status"], "ACTIVE");
  EXPECT_EQ(api["desiredCount"], 2);
  EXPECT_EQ(api["runningCount"], 1);
  EXPECT_EQ(api["pendingCount"], 1);
  EXPECT_EQ(api["launchType"], "EC2");
  EXPECT_EQ(api["taskDefinition"], "arn:aws:ecs:us-east-1:000000000000:task-definition/api:1");
  EXPECT_EQ(api["createdAt"], "2026-01-01T00:00:00.000Z");
  ASSERT_EQ(api["events"].size(), 2u);  // newest first, this service's only
  EXPECT_EQ(api["events"][0], json({{"id", "3"},
                                    {"createdAt", "2026-01-01T00:00:07.000Z"},
                                    {"message", "(service api) has reached a steady state."}}));
  EXPECT_EQ(out["services"][1]["events"], json::array());
}

TEST(DescribeJsonTest, ServiceEventsStopAtTheNewestHundred) {
  state::Snapshot snapshot = Cluster();
  for (int i = 0; i < 150; ++i) snapshot.events.push_back({100 + i, At(i), "web", "e"});
  json out = Parse(DescribeJson(snapshot, {}));
  ASSERT_EQ(out["services"][1]["events"].size(), 100u);
  EXPECT_EQ(out["services"][1]["events"][0]["id"], "249");
  EXPECT_EQ(out["controlPlane"], json({{"running", false}}));
}

TEST(DescribeJsonTest, TasksUseTheDescribeTasksShapeAndOmitUnsetFields) {
  json out = Parse(DescribeJson(Cluster(), {}));
  ASSERT_EQ(out["tasks"].size(), 6u);
  const json& running = out["tasks"][0];
  EXPECT_EQ(running["taskArn"],
            "arn:aws:ecs:us-east-1:000000000000:task/test/0123456789abcdef0123456789abcdef");
  EXPECT_EQ(running["taskDefinitionArn"],
            "arn:aws:ecs:us-east-1:000000000000:task-definition/api:1");
  EXPECT_EQ(running["containerInstanceArn"],
            "arn:aws:ecs:us-east-1:000000000000:container-instance/test/ci-i-0aaaaaaaaaaaaaaa1");
  EXPECT_EQ(running["availabilityZone"], "us-east-1a");
  EXPECT_EQ(running["lastStatus"], "RUNNING");
  EXPECT_EQ(running["desiredStatus"], "RUNNING");
  EXPECT_EQ(running["group"], "service:api");
  EXPECT_EQ(running["launchType"], "EC2");
  EXPECT_EQ(running["cpu"], "256");  // strings, as ECS returns them
  EXPECT_EQ(running["memory"], "512");
  EXPECT_EQ(running["startedAt"], "2026-01-01T00:00:13.000Z");
  for (const char* unset : {"stoppingAt", "stoppedAt", "stopCode", "stoppedReason"}) {
    EXPECT_FALSE(running.contains(unset)) << unset;
  }
  EXPECT_EQ(running["containers"],
            json::parse(R"([{"name": "api", "lastStatus": "RUNNING", "networkBindings": [
              {"bindIP": "127.0.0.1", "containerPort": 8080, "hostPort": 32768,
               "protocol": "tcp"}]}])"));

  const json& pending = out["tasks"][1];
  EXPECT_EQ(pending["containers"][0]["lastStatus"], "PENDING");
  EXPECT_EQ(pending["containers"][0]["networkBindings"], json::array());
  EXPECT_FALSE(pending.contains("startedAt"));

  const json& stopped = out["tasks"][2];
  EXPECT_EQ(stopped["lastStatus"], "STOPPED");
  EXPECT_EQ(stopped["stoppedAt"], "2026-01-01T00:01:40.000Z");
  EXPECT_EQ(stopped["stopCode"], "EssentialContainerExited");
  EXPECT_EQ(stopped["stoppedReason"], "Essential container in task exited");
  EXPECT_EQ(stopped["containers"][0]["lastStatus"], "STOPPED");
  EXPECT_EQ(stopped["containers"][0]["exitCode"], 1);
}

TEST(DescribeJsonTest, ContainerInstancesReportRegisteredAndRemainingResources) {
  json out = Parse(DescribeJson(Cluster(), {}));
  ASSERT_EQ(out["containerInstances"].size(), 2u);  // the unregistered instance has none
  const json& a = out["containerInstances"][0];
  EXPECT_EQ(a["ec2InstanceId"], "i-0aaaaaaaaaaaaaaa1");
  EXPECT_EQ(a["status"], "ACTIVE");
  EXPECT_EQ(a["agentConnected"], true);
  EXPECT_EQ(a["runningTasksCount"], 1);
  EXPECT_EQ(a["pendingTasksCount"], 0);
  // Only the RUNNING task reserves: the stopped ones on the instance do not.
  EXPECT_EQ(a["registeredResources"],
            json::parse(R"([{"name": "CPU", "type": "INTEGER", "integerValue": 2048},
                            {"name": "MEMORY", "type": "INTEGER", "integerValue": 3904}])"));
  EXPECT_EQ(a["remainingResources"],
            json::parse(R"([{"name": "CPU", "type": "INTEGER", "integerValue": 1792},
                            {"name": "MEMORY", "type": "INTEGER", "integerValue": 3392}])"));
  EXPECT_EQ(a["attributes"],
            json::parse(R"([{"name": "ecs.availability-zone", "value": "us-east-1a"},
                            {"name": "ecs.instance-type", "value": "t3.medium"}])"));
  EXPECT_EQ(out["containerInstances"][1]["pendingTasksCount"], 1);
}

TEST(DescribeJsonTest, InstancesAndTheAutoScalingGroup) {
  json out = Parse(DescribeJson(Cluster(), {}));
  ASSERT_EQ(out["instances"].size(), 3u);
  EXPECT_EQ(out["instances"][1], json({{"instanceId", "i-0bbbbbbbbbbbbbbb2"},
                                       {"instanceType", "m5.large"},
                                       {"availabilityZone", "us-east-1b"},
                                       {"lifecycle", "spot"},
                                       {"state", "running"},
                                       {"launchTime", "1970-01-01T00:00:00.000Z"},
                                       {"protectedFromScaleIn", true}}));
  EXPECT_EQ(out["autoScalingGroups"], json::parse(R"([{"AutoScalingGroupName": "test-asg",
      "MinSize": 1, "MaxSize": 4, "DesiredCapacity": 2}])"));
}

TEST(DescribeJsonTest, InvalidUtf8IsReplacedNotThrown) {
  state::Snapshot snapshot = Cluster();
  snapshot.events.push_back({9, At(9), "api", "bad \xff byte"});
  json out = Parse(DescribeJson(snapshot, {}));
  EXPECT_EQ(out["services"][0]["events"][0]["message"], "bad \xEF\xBF\xBD byte");
}

// A load balancer with one healthy and one draining api target.
LoadBalancerInfo RunningLoadBalancer() {
  alb::TargetGroupReport api{"api-tg", {}};
  alb::TargetReport healthy;
  healthy.target = {"127.0.0.1", 32768, "0123456789abcdef0123456789abcdef"};
  healthy.health.state = alb::TargetState::kHealthy;
  healthy.health.reason = "";
  alb::TargetReport draining;
  draining.target = {"127.0.0.1", 32769, "52000000000000000000000000000000"};
  draining.health.state = alb::TargetState::kDraining;
  draining.health.reason = "Target.DeregistrationInProgress";
  draining.health.description = "Target deregistration is in progress";
  draining.in_flight = 1;
  api.targets = {healthy, draining};
  return {true, "127.0.0.1:8080", {api, {"web-tg", {}}}};
}

TEST(DescribeTextTest, ShowsInstancesByZoneServicesAndRecentTasks) {
  EXPECT_EQ(
      DescribeText(Cluster(), {true, 4242, RunningLoadBalancer()}),
      "Cluster test (us-east-1): control plane running (pid 4242)\n"
      "Auto Scaling group test-asg: desired 2 (min 1, max 4)\n"
      "\n"
      "Instances (CPU units and memory MiB: reserved/registered)\n"
      "  ZONE        INSTANCE             TYPE       LIFECYCLE  STATE    ECS          CPU    MEMORY\n"
      "  us-east-1a  i-0aaaaaaaaaaaaaaa1  t3.medium  on-demand  running  ACTIVE  256/2048  512/3904\n"
      "              i-0ccccccccccccccc3  t3.medium  on-demand  pending  -         0/2048    0/3904\n"
      "  us-east-1b  i-0bbbbbbbbbbbbbbb2  m5.large   spot       running  ACTIVE  256/2048  512/7853\n"
      "\n"
      "Services\n"
      "  SERVICE  STATUS  DESIRED  RUNNING  PENDING  TASK DEFINITION\n"
      "  api      ACTIVE        2        1        1  api:1\n"
      "  web      ACTIVE        1        0        0  web:1\n"
      "\n"
      "Load balancer http://127.0.0.1:8080\n"
      "  api-tg: 1 draining (Target.DeregistrationInProgress), 1 healthy\n"
      "  web-tg: no targets\n"
      "\n"
      "Tasks\n"
      "  TASK      SERVICE  STATUS                     INSTANCE             ZONE         PORT  STOPPED REASON\n"
      "  01234567  api      RUNNING                    i-0aaaaaaaaaaaaaaa1  us-east-1a  32768\n"
      "  fedcba98  api      PENDING (desired RUNNING)  i-0bbbbbbbbbbbbbbb2  us-east-1b      -\n"
      "  53000000  api      STOPPED                    i-0aaaaaaaaaaaaaaa1  us-east-1a      -  Essential container in task exited (exit code 1)\n"
      "  52000000  api      STOPPED                    i-0aaaaaaaaaaaaaaa1  us-east-1a      -  Essential container in task exited (exit code 1)\n"
      "  51000000  api      STOPPED                    i-0aaaaaaaaaaaaaaa1  us-east-1a      -  Essential container in task exited (exit code 1)\n"
      "  (1 older stopped task not shown; `drydock status --output json` lists every task)\n");
}

TEST(DescribeTextTest, TargetsTable) {
  EXPECT_EQ(DescribeTargetsText(RunningLoadBalancer().target_groups[0]),
            "Target group api-tg\n"
            "  TARGET           TASK      STATE     REASON                           IN FLIGHT  DESCRIPTION\n"
            "  127.0.0.1:32768  01234567  healthy                                            0\n"
            "  127.0.0.1:32769  52000000  draining  Target.DeregistrationInProgress          1  Target deregistration is in progress\n");
  EXPECT_EQ(DescribeTargetsText({"web-tg", {}}), "Target group web-tg: no targets registered\n");
}

TEST(DescribeJsonTest, LoadBalancerAsDescribeTargetHealth) {
  json out = Parse(DescribeJson(Cluster(), {true, 4242, RunningLoadBalancer()}));
  EXPECT_EQ(out["loadBalancer"]["listen"], "127.0.0.1:8080");
  const json& api = out["loadBalancer"]["targetGroups"][0];
  EXPECT_EQ(api["targetGroupName"], "api-tg");
  EXPECT_EQ(api["targetHealthDescriptions"][1]["targetHealth"]["state"], "draining");
  EXPECT_EQ(api["targetHealthDescriptions"][1]["targetHealth"]["reason"],
            "Target.DeregistrationInProgress");
  EXPECT_EQ(api["targetHealthDescriptions"][0]["target"]["port"], 32768);
  EXPECT_EQ(Parse(DescribeJson(Cluster(), {}))["loadBalancer"], json({{"running", false}}));
}

TEST(DescribeTextTest, SaysWhenTheControlPlaneIsNotRunning) {
  state::Snapshot snapshot = fixtures::EmptyCluster();
  EXPECT_EQ(DescribeText(snapshot, {}),
            "Cluster test (us-east-1): control plane not running — showing the last recorded "
            "state\n"
            "\n"
            "Instances: none\n"
            "\n"
            "Services: none\n"
            "\n"
            "Load balancer: not running\n"
            "\n"
            "Tasks: none\n");
}

TEST(DescribeEventsTest, TextIsChronologicalAndJsonNewestFirst) {
  const std::vector<state::ServiceEvent> events = Cluster().events;
  EXPECT_EQ(DescribeEventsText(events),
            "2026-01-01T00:00:05.000Z api (service api) has started 2 tasks.\n"
            "2026-01-01T00:00:06.000Z - cluster-level event\n"
            "2026-01-01T00:00:07.000Z api (service api) has reached a steady state.\n");
  json out = Parse(DescribeEventsJson(events));
  ASSERT_EQ(out["events"].size(), 3u);
  EXPECT_EQ(out["events"][0]["id"], "3");
  EXPECT_EQ(out["events"][0]["serviceName"], "api");
  EXPECT_FALSE(out["events"][1].contains("serviceName"));
  EXPECT_EQ(out["events"][1]["message"], "cluster-level event");
  EXPECT_EQ(DescribeEventsText({}), "");
  EXPECT_EQ(Parse(DescribeEventsJson({})), json({{"events", json::array()}}));
}


// ---- deployments ----

state::Deployment MakeDeployment(const std::string& id, const std::string& service,
                                 const std::string& task_definition,
                                 state::DeploymentStatus status, state::RolloutState rollout,
                                 int created_at) {
  state::Deployment deployment;
  deployment.id = id;
  deployment.service = service;
  deployment.task_definition = task_definition;
  deployment.status = status;
  deployment.rollout_state = rollout;
  deployment.created_at = At(created_at);
  deployment.updated_at = At(created_at + 5);
  return deployment;
}

state::Task DeploymentTask(const std::string& id, const std::string& service,
                           const std::string& started_by, const state::Instance& instance,
                           TaskStatus last, TaskStatus desired) {
  state::Task task = fixtures::RunningTask(id, service, instance);
  task.started_by = started_by;
  task.last_status = last;
  task.desired_status = desired;
  return task;
}

const char kOld[] = "ecs-svc/1000000000000000002";
const char kNew[] = "ecs-svc/1000000000000000003";

// Service api (desired 3) rolling from api:1 (ACTIVE deployment kOld) to api:2
// (PRIMARY kNew, failing); web has only an INACTIVE deployment.
//   kOld: 2 RUNNING, 1 RUNNING being stopped (desired STOPPED).
//   kNew: 1 RUNNING, 1 PENDING, 1 PROVISIONING, 1 ACTIVATING being stopped,
//         1 STOPPED.
//   a task of api with no startedBy.
state::Snapshot DeployingCluster() {
  state::Snapshot snapshot = fixtures::EmptyCluster();
  const state::Instance a = fixtures::ActiveInstance("i-0aaaaaaaaaaaaaaa1", "us-east-1a");
  snapshot.instances = {a};
  state::TaskDefinition api2 = fixtures::Definition("api", 256, 512);
  api2.revision = 2;
  snapshot.task_definitions = {fixtures::Definition("api", 256, 512), api2,
                               fixtures::Definition("web", 256, 512)};
  snapshot.services = {fixtures::MakeService("api", 3), fixtures::MakeService("web", 1)};
  snapshot.services[0].task_definition = "api:2";
  using state::DeploymentStatus;
  using state::RolloutState;
  snapshot.deployments = {
      MakeDeployment("ecs-svc/1000000000000000001", "api", "api:1", DeploymentStatus::kInactive,
                     RolloutState::kCompleted, 0),
      MakeDeployment("ecs-svc/2000000000000000001", "web", "web:1", DeploymentStatus::kInactive,
                     RolloutState::kCompleted, 1),
      MakeDeployment(kOld, "api", "api:1", DeploymentStatus::kActive, RolloutState::kCompleted,
                     20),
      MakeDeployment(kNew, "api", "api:2", DeploymentStatus::kPrimary,
                     RolloutState::kInProgress, 50)};
  snapshot.deployments[3].failed_tasks = 2;
  snapshot.deployments[3].rollout_state_reason = "ECS deployment " + std::string(kNew) +
                                                 " in progress.";
  snapshot.deployments[0].rollout_state_reason = "ECS deployment ecs-svc/1000000000000000001 "
                                                 "completed.";

  state::Task old1 = DeploymentTask("a1" + std::string(30, '0'), "api", kOld, a,
                                    TaskStatus::kRunning, TaskStatus::kRunning);
  old1.health_status = state::HealthStatus::kHealthy;
  old1.host_port = 32768;
  state::Task old2 = DeploymentTask("a2" + std::string(30, '0'), "api", kOld, a,
                                    TaskStatus::kRunning, TaskStatus::kRunning);
  old2.health_status = state::HealthStatus::kHealthy;
  state::Task old3 = DeploymentTask("a3" + std::string(30, '0'), "api", kOld, a,
                                    TaskStatus::kRunning, TaskStatus::kStopped);
  state::Task new1 = DeploymentTask("b1" + std::string(30, '0'), "api", kNew, a,
                                    TaskStatus::kRunning, TaskStatus::kRunning);
  new1.health_status = state::HealthStatus::kUnhealthy;
  state::Task new2 = DeploymentTask("b2" + std::string(30, '0'), "api", kNew, a,
                                    TaskStatus::kPending, TaskStatus::kRunning);
  state::Task new3 = DeploymentTask("b3" + std::string(30, '0'), "api", kNew, a,
                                    TaskStatus::kProvisioning, TaskStatus::kRunning);
  new3.instance_id.clear();
  new3.availability_zone.clear();
  state::Task new4 = DeploymentTask("b4" + std::string(30, '0'), "api", kNew, a,
                                    TaskStatus::kActivating, TaskStatus::kStopped);
  state::Task new5 = StoppedTask("b5" + std::string(30, '0'), a, 70);
  new5.started_by = kNew;
  new5.task_definition = "api:2";
  state::Task loose = DeploymentTask("c1" + std::string(30, '0'), "api", "", a,
                                     TaskStatus::kRunning, TaskStatus::kRunning);
  state::Task web = DeploymentTask("d1" + std::string(30, '0'), "web",
                                   "ecs-svc/2000000000000000001", a, TaskStatus::kRunning,
                                   TaskStatus::kRunning);
  snapshot.tasks = {old1, old2, old3, new1, new2, new3, new4, new5, loose, web};
  snapshot.events = {{1, At(50), "api", "(service api) updated to api:2."},
                     {2, At(51), "web", "(service web) has reached a steady state."}};
  return snapshot;
}

TEST(DescribeJsonTest, ServicesListPrimaryAndActiveDeploymentsNewestFirstWithTheirCounts) {
  json out = Parse(DescribeJson(DeployingCluster(), {}));
  const json& api = out["services"][0];
  ASSERT_EQ(api["deployments"].size(), 2u) << api["deployments"].dump(2);  // not INACTIVE
  EXPECT_EQ(api["deployments"][0],
            json({{"id", kNew},
                  {"status", "PRIMARY"},
                  {"taskDefinition", "arn:aws:ecs:us-east-1:000000000000:task-definition/api:2"},
                  {"desiredCount", 3},  // the service's
                  {"pendingCount", 2},  // PENDING + PROVISIONING; not ACTIVATING->STOPPED
                  {"runningCount", 1},
                  {"failedTasks", 2},
                  {"rolloutState", "IN_PROGRESS"},
                  {"rolloutStateReason", "ECS deployment " + std::string(kNew) + " in progress."},
                  {"createdAt", "2026-01-01T00:00:50.000Z"},
                  {"updatedAt", "2026-01-01T00:00:55.000Z"}}));
  // ACTIVE: desired = its tasks still meant to run (not the one being
  // stopped); no rolloutStateReason when empty.
  EXPECT_EQ(api["deployments"][1],
            json({{"id", kOld},
                  {"status", "ACTIVE"},
                  {"taskDefinition", "arn:aws:ecs:us-east-1:000000000000:task-definition/api:1"},
                  {"desiredCount", 2},
                  {"pendingCount", 0},
                  {"runningCount", 2},
                  {"failedTasks", 0},
                  {"rolloutState", "COMPLETED"},
                  {"createdAt", "2026-01-01T00:00:20.000Z"},
                  {"updatedAt", "2026-01-01T00:00:25.000Z"}}));
  // The service's own counts still cover all its tasks.
  EXPECT_EQ(api["runningCount"], 5);
  EXPECT_EQ(api["pendingCount"], 2);
  EXPECT_EQ(out["services"][1]["deployments"], json::array());  // web: INACTIVE only
  EXPECT_EQ(Parse(DescribeJson(Cluster(), {}))["services"][0]["deployments"], json::array());
}

TEST(DescribeJsonTest, DeploymentsAreOrderedByCreationTimeNewestFirst) {
  state::Snapshot snapshot = DeployingCluster();
  std::swap(snapshot.deployments[2], snapshot.deployments[3]);  // stored out of order
  json out = Parse(DescribeJson(snapshot, {}));
  ASSERT_EQ(out["services"][0]["deployments"].size(), 2u);
  EXPECT_EQ(out["services"][0]["deployments"][0]["id"], kNew);
  EXPECT_EQ(out["services"][0]["deployments"][1]["id"], kOld);
}

TEST(DescribeJsonTest, TasksHaveStartedByAndHealthStatus) {
  json out = Parse(DescribeJson(DeployingCluster(), {}));
  ASSERT_EQ(out["tasks"].size(), 10u);
  EXPECT_EQ(out["tasks"][0]["startedBy"], kOld);
  EXPECT_EQ(out["tasks"][0]["healthStatus"], "HEALTHY");
  EXPECT_EQ(out["tasks"][3]["startedBy"], kNew);
  EXPECT_EQ(out["tasks"][3]["healthStatus"], "UNHEALTHY");
  EXPECT_EQ(out["tasks"][4]["healthStatus"], "UNKNOWN");
  EXPECT_FALSE(out["tasks"][8].contains("startedBy"));  // omitted when empty
  EXPECT_EQ(out["tasks"][8]["healthStatus"], "UNKNOWN");
  json cluster = Parse(DescribeJson(Cluster(), {}));
  EXPECT_FALSE(cluster["tasks"][0].contains("startedBy"));
  EXPECT_EQ(cluster["tasks"][0]["healthStatus"], "UNKNOWN");
}

TEST(DescribeJsonTest, ServiceJsonHasTheServiceAndItsTasksOnly) {
  const state::Snapshot snapshot = DeployingCluster();
  json out = Parse(DescribeServiceJson(snapshot, "api", {}));
  ASSERT_EQ(out.size(), 2u);
  ASSERT_EQ(out["services"].size(), 1u);
  EXPECT_EQ(out["services"][0], Parse(DescribeJson(snapshot, {}))["services"][0]);
  ASSERT_EQ(out["tasks"].size(), 9u);
  for (const json& task : out["tasks"]) EXPECT_EQ(task["group"], "service:api");
  EXPECT_EQ(out["tasks"][0]["startedBy"], kOld);

  json web = Parse(DescribeServiceJson(snapshot, "web", {}));
  EXPECT_EQ(web["services"][0]["serviceName"], "web");
  ASSERT_EQ(web["tasks"].size(), 1u);
  EXPECT_EQ(web["tasks"][0]["startedBy"], "ecs-svc/2000000000000000001");
  EXPECT_EQ(DescribeServiceJson(snapshot, "nope", {}), "");
}

TEST(DescribeTextTest, DeploymentsTableUnderTheServices) {
  const std::string text = DescribeText(DeployingCluster(), {});
  const std::string expected =
      "Services\n"
      "  SERVICE  STATUS  DESIRED  RUNNING  PENDING  TASK DEFINITION\n"
      "  api      ACTIVE        3        5        2  api:2\n"
      "  web      ACTIVE        1        1        0  web:1\n"
      "\n"
      "Deployments\n"
      "  SERVICE  DEPLOYMENT                   STATUS   TASK DEFINITION  ROLLOUT      DESIRED  PENDING  RUNNING  FAILED  REASON\n"
      "  api      ecs-svc/1000000000000000003  PRIMARY  api:2            IN_PROGRESS        3        2        1       2  ECS deployment ecs-svc/1000000000000000003 in progress.\n"
      "           ecs-svc/1000000000000000002  ACTIVE   api:1            COMPLETED          2        0        2       0\n"
      "\n"
      "Load balancer: not running\n";
  EXPECT_NE(text.find(expected), std::string::npos) << text;
  // Without deployments there is no section (DescribeTextTest above checks
  // the whole text of Cluster()).
  EXPECT_EQ(DescribeText(Cluster(), {}).find("Deployments"), std::string::npos);
}

TEST(DescribeTextTest, ServiceViewShowsDeploymentsHistoryTasksAndEvents) {
  state::Snapshot snapshot = DeployingCluster();
  for (int i = 0; i < 12; ++i) {
    snapshot.events.push_back({10 + i, At(100 + i), "api", "event " + std::to_string(i)});
  }
  EXPECT_EQ(
      DescribeServiceText(snapshot, "api", {true, 4242, {}}),
      "Cluster test (us-east-1): control plane running (pid 4242)\n"
      "\n"
      "Service\n"
      "  SERVICE  STATUS  DESIRED  RUNNING  PENDING  TASK DEFINITION\n"
      "  api      ACTIVE        3        5        2  api:2\n"
      "\n"
      "Deployments\n"
      "  DEPLOYMENT                   STATUS   TASK DEFINITION  ROLLOUT      DESIRED  PENDING  RUNNING  FAILED  REASON\n"
      "  ecs-svc/1000000000000000003  PRIMARY  api:2            IN_PROGRESS        3        2        1       2  ECS deployment ecs-svc/1000000000000000003 in progress.\n"
      "  ecs-svc/1000000000000000002  ACTIVE   api:1            COMPLETED          2        0        2       0\n"
      "\n"
      "Deployment history (newest 5 inactive)\n"
      "  DEPLOYMENT                   TASK DEFINITION  ROLLOUT    REASON\n"
      "  ecs-svc/1000000000000000001  api:1            COMPLETED  ECS deployment ecs-svc/1000000000000000001 completed.\n"
      "\n"
      "Tasks\n"
      "  TASK      STATUS                          HEALTH     DEPLOYMENT                   INSTANCE             ZONE         PORT  STOPPED REASON\n"
      "  a1000000  RUNNING                         HEALTHY    ecs-svc/1000000000000000002  i-0aaaaaaaaaaaaaaa1  us-east-1a  32768\n"
      "  a2000000  RUNNING                         HEALTHY    ecs-svc/1000000000000000002  i-0aaaaaaaaaaaaaaa1  us-east-1a      -\n"
      "  a3000000  RUNNING (desired STOPPED)       UNKNOWN    ecs-svc/1000000000000000002  i-0aaaaaaaaaaaaaaa1  us-east-1a      -\n"
      "  b1000000  RUNNING                         UNHEALTHY  ecs-svc/1000000000000000003  i-0aaaaaaaaaaaaaaa1  us-east-1a      -\n"
      "  b2000000  PENDING (desired RUNNING)       UNKNOWN    ecs-svc/1000000000000000003  i-0aaaaaaaaaaaaaaa1  us-east-1a      -\n"
      "  b3000000  PROVISIONING (desired RUNNING)  UNKNOWN    ecs-svc/1000000000000000003  -                    -               -\n"
      "  b4000000  ACTIVATING (desired STOPPED)    UNKNOWN    ecs-svc/1000000000000000003  i-0aaaaaaaaaaaaaaa1  us-east-1a      -\n"
      "  c1000000  RUNNING                         UNKNOWN    -                            i-0aaaaaaaaaaaaaaa1  us-east-1a      -\n"
      "  b5000000  STOPPED                         UNKNOWN    ecs-svc/1000000000000000003  i-0aaaaaaaaaaaaaaa1  us-east-1a      -  Essential container in task exited (exit code 1)\n"
      "\n"
      "Events (newest 10, oldest first)\n"
      "  2026-01-01T00:01:42.000Z event 2\n"
      "  2026-01-01T00:01:43.000Z event 3\n"
      "  2026-01-01T00:01:44.000Z event 4\n"
      "  2026-01-01T00:01:45.000Z event 5\n"
      "  2026-01-01T00:01:46.000Z event 6\n"
      "  2026-01-01T00:01:47.000Z event 7\n"
      "  2026-01-01T00:01:48.000Z event 8\n"
      "  2026-01-01T00:01:49.000Z event 9\n"
      "  2026-01-01T00:01:50.000Z event 10\n"
      "  2026-01-01T00:01:51.000Z event 11\n");
  EXPECT_EQ(DescribeServiceText(snapshot, "nope", {}), "");
}

TEST(DescribeTextTest, ServiceViewHistoryKeepsTheNewestFiveInactive) {
  state::Snapshot snapshot = DeployingCluster();
  snapshot.deployments.clear();
  for (int i = 0; i < 7; ++i) {
    snapshot.deployments.push_back(
        MakeDeployment("ecs-svc/900000000000000000" + std::to_string(i), "api",
                       "api:" + std::to_string(i + 1), state::DeploymentStatus::kInactive,
                       i == 6 ? state::RolloutState::kFailed : state::RolloutState::kCompleted,
                       i));
  }
  snapshot.deployments[6].rollout_state_reason =
      "ECS deployment circuit breaker: tasks failed to start.";
  const std::string text = DescribeServiceText(snapshot, "api", {});
  EXPECT_NE(text.find("Deployments: none\n"), std::string::npos) << text;
  EXPECT_NE(text.find("Deployment history (newest 5 inactive)\n"
                      "  DEPLOYMENT                   TASK DEFINITION  ROLLOUT    REASON\n"
                      "  ecs-svc/9000000000000000006  api:7            FAILED     ECS deployment circuit breaker: tasks failed to start.\n"
                      "  ecs-svc/9000000000000000005  api:6            COMPLETED\n"
                      "  ecs-svc/9000000000000000004  api:5            COMPLETED\n"
                      "  ecs-svc/9000000000000000003  api:4            COMPLETED\n"
                      "  ecs-svc/9000000000000000002  api:3            COMPLETED\n"
                      "\n"),
            std::string::npos)
      << text;
  EXPECT_EQ(text.find("ecs-svc/9000000000000000001"), std::string::npos) << text;
  // Not in the cluster-wide table either: no PRIMARY/ACTIVE deployment.
  EXPECT_EQ(DescribeText(snapshot, {}).find("Deployments"), std::string::npos);

  // A service without deployments, tasks or events.
  state::Snapshot empty = fixtures::EmptyCluster();
  empty.services = {fixtures::MakeService("web", 0)};
  EXPECT_EQ(DescribeServiceText(empty, "web", {}),
            "Cluster test (us-east-1): control plane not running — showing the last recorded "
            "state\n"
            "\n"
            "Service\n"
            "  SERVICE  STATUS  DESIRED  RUNNING  PENDING  TASK DEFINITION\n"
            "  web      ACTIVE        0        0        0  web:1\n"
            "\n"
            "Deployments: none\n"
            "\n"
            "Tasks: none\n"
            "\n"
            "Events: none\n");
}

}  // namespace
}  // namespace drydock::describe
