// The live control plane under the deterministic runtime: SimClock,
// SimEventLoop, SimProcessLauncher and an in-memory store. The same class
// runs `drydock up` with the real runtime.
#include "live/control_plane.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <csignal>
#include <algorithm>
#include <filesystem>
#include <optional>
#include <set>

#include "config/spec/origin_fixture.h"
#include "control/harness/sim_cluster.h"
#include "live/testing/sim_load_balancer.h"
#include "runtime/sim/sim_clock.h"
#include "runtime/sim/sim_event_loop.h"
#include "runtime/sim/sim_process_launcher.h"
#include "state/sqlite/sqlite_store.h"

namespace drydock::live {
namespace {

using state::TaskStatus;

using testing::SimLoadBalancer;

class ControlPlaneTest : public ::testing::Test {
 protected:
  ControlPlaneTest() {
    char pattern[] = "/tmp/drydock-live-XXXXXX";
    dir_ = mkdtemp(pattern);
    std::filesystem::create_directories(dir_ + "/tasks");
    std::filesystem::create_directories(dir_ + "/logs");
    auto opened = state::SqliteStore::OpenInMemory();
    store_ = std::move(*opened);
    auto account = AccountServices::Open(dir_);
    EXPECT_TRUE(account.ok()) << account.status().message();
    if (account.ok()) account_ = std::move(*account);
  }
  ~ControlPlaneTest() override { std::filesystem::remove_all(dir_); }

  // `config_text`: the file's text as `drydock up` passes it ("": always apply).
  std::unique_ptr<ControlPlane> NewControlPlane(const std::string& config_text = "") {
    ControlPlaneOptions options = ControlPlane::DefaultOptions(settings_);
    options.config_text = config_text;
    options.tasks_dir = dir_ + "/tasks";
    options.logs_dir = dir_ + "/logs";
    options.config_dir = dir_;
    options.stand_in_command = {"/bin/drydock", "stand-in"};
    options.seed = 7;
    options.report = [this](const std::string& line) { report_ += line + "\n"; };
    ControlPlaneRuntime runtime{&clock_, &loop_, &launcher_, store_.get(),
                                [this] { return clock_.Now(); }, [](int) { return true; },
                                load_balancer_, account_.get()};
    return std::make_unique<ControlPlane>(runtime, options);
  }

  std::vector<const state::Task*> Tasks(const ControlPlane& plane, TaskStatus status) {
    std::vector<const state::Task*> out;
    for (const state::Task& task : plane.snapshot().tasks) {
      if (task.last_status == status) out.push_back(&task);
    }
    return out;
  }

  std::string dir_;
  config::Settings settings_ = config::testing::OriginConfig("origin.tfvars").settings;
  runtime::SimClock clock_{control::SimEpoch()};
  runtime::SimEventLoop loop_{clock_};
  runtime::SimProcessLauncher launcher_{loop_, clock_};
  std::unique_ptr<state::SqliteStore> store_;
  std::string report_;
  LoadBalancerLink* load_balancer_ = nullptr;  // none unless a test sets one
  std::unique_ptr<AccountServices> account_;   // vaults and roles in dir_
};

// The environment the task's process was started with.
std::map<std::string, std::string> EnvOf(const runtime::SimProcessLauncher& launcher,
                                         const state::Task& task) {
  const runtime::SimProcess* process = launcher.Find(task.pid);
  if (process == nullptr) return {};
  return {process->spec.env.begin(), process->spec.env.end()};
}

// The target of `task_id` in the load balancer's report, if it knows it.
std::optional<alb::TargetReport> TargetOf(SimLoadBalancer& lb, const std::string& task_id) {
  return lb.TargetOf(task_id);
}

TEST_F(ControlPlaneTest, TasksRunOnceRegisteredAndStopOnlyAfterTheirTargetDrained) {
  SimLoadBalancer lb(clock_);
  load_balancer_ = &lb;
  auto plane = NewControlPlane();
  ASSERT_TRUE(plane->Start().ok());
  loop_.RunFor(Seconds(120));
  const auto running = Tasks(*plane, TaskStatus::kRunning);
  ASSERT_EQ(running.size(), 4u);
  for (const state::Task* task : running) {
    std::optional<alb::TargetReport> target = TargetOf(lb, task->task_id);
    ASSERT_TRUE(target.has_value()) << task->task_id;
    EXPECT_EQ(target->health.state, alb::TargetState::kHealthy);
    EXPECT_EQ(target->target.port, task->host_port);
  }
  EXPECT_EQ(lb.balancer.Route("/other").kind, alb::RouteChoice::Kind::kFixed);
  // ECS's service events for the registrations, with the target group's ARN.
  const std::string api_group = plane->snapshot().identity.TargetGroupArn("api-tg");
  EXPECT_EQ(api_group.rfind("arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/api-tg/", 0), 0u);
  EXPECT_EQ(api_group.size() - api_group.rfind('/') - 1, 16u);
  EXPECT_NE(report_.find("(service api) registered 2 targets in (target-group " + api_group + ")"),
            std::string::npos)
      << report_;

  // A slow request holds one api target while the cluster goes down.
  const alb::RouteChoice slow = lb.balancer.Route("/api/slow");
  ASSERT_EQ(slow.kind, alb::RouteChoice::Kind::kForward);
  std::string slow_task;
  for (const state::Task* task : running) {
    if (task->host_port == slow.port) slow_task = task->task_id;
  }
  bool done = false;
  plane->Shutdown([&] { done = true; });
  loop_.RunFor(Seconds(5));
  const state::Task* held = plane->snapshot().FindTask(slow_task);
  ASSERT_NE(held, nullptr);
  EXPECT_EQ(held->last_status, TaskStatus::kDeactivating) << "stopped while draining";
  EXPECT_EQ(TargetOf(lb, slow_task)->health.state, alb::TargetState::kDraining);
  for (const state::Task& task : plane->snapshot().tasks) {
    if (task.task_id != slow_task) {
      EXPECT_EQ(task.last_status, TaskStatus::kStopped);
    }
  }
  EXPECT_FALSE(done);
  EXPECT_NE(report_.find("(service api) has begun draining connections on 2 tasks."),
            std::string::npos)
      << report_;
  EXPECT_NE(report_.find("(service api) deregistered 2 targets in (target-group " + api_group + ")"),
            std::string::npos);
  // The origin's deregistration delay is 30 s: then the request is cut.
  loop_.RunFor(Seconds(40));
  EXPECT_TRUE(done);
  EXPECT_EQ(plane->snapshot().FindTask(slow_task)->last_status, TaskStatus::kStopped);
  EXPECT_NE(std::find(lb.effects.begin(), lb.effects.end(),
                      alb::DataPlaneEffect{alb::DataPlaneEffect::Kind::kCut, "127.0.0.1",
                                           slow.port}),
            lb.effects.end());
  EXPECT_TRUE(lb.stopped);
  loop_.RunFor(Seconds(10));
  EXPECT_EQ(lb.pushes, lb.pushes_at_stop) << "a push after Stop would start the load balancer again";
  lb.balancer.Finished(slow);  // the cut request ends late: harmless
}

TEST_F(ControlPlaneTest, TasksWaitInActivatingUntilTheLoadBalancerAnswers) {
  SimLoadBalancer lb(clock_);
  lb.answering = false;
  load_balancer_ = &lb;
  auto plane = NewControlPlane();
  ASSERT_TRUE(plane->Start().ok());
  loop_.RunFor(Seconds(120));
  EXPECT_EQ(Tasks(*plane, TaskStatus::kRunning).size(), 0u);
  EXPECT_EQ(Tasks(*plane, TaskStatus::kActivating).size(), 4u);
  EXPECT_NE(report_.find("load balancer: not answering"), std::string::npos);
  lb.answering = true;
  loop_.RunFor(Seconds(3));
  EXPECT_EQ(Tasks(*plane, TaskStatus::kRunning).size(), 4u);
  EXPECT_NE(report_.find("load balancer: ready"), std::string::npos);

  // A load balancer that goes silent cannot keep the tasks from stopping:
  // 30 s deregistration delay + 10 s margin.
  lb.answering = false;
  bool done = false;
  plane->Shutdown([&] { done = true; });
  loop_.RunFor(Seconds(35));
  EXPECT_FALSE(done);
  EXPECT_EQ(Tasks(*plane, TaskStatus::kDeactivating).size(), 4u);
  loop_.RunFor(Seconds(10));
  EXPECT_TRUE(done);
}

TEST_F(ControlPlaneTest, BringsTheOriginUpAsRealProcessRecords) {
  auto plane = NewControlPlane();
  ASSERT_TRUE(plane->Start().ok());
  loop_.RunFor(Seconds(120));

  std::set<std::string> zones;
  for (const state::Instance& instance : plane->snapshot().instances) {
    EXPECT_EQ(instance.state, state::InstanceState::kRunning);
    EXPECT_EQ(instance.lifecycle, state::Lifecycle::kOnDemand);  // base 1 + 20 % of 1, rounded up
    zones.insert(instance.availability_zone);
  }
  EXPECT_EQ(plane->snapshot().instances.size(), 2u);
  EXPECT_EQ(zones.size(), 2u);

  const auto running = Tasks(*plane, TaskStatus::kRunning);
  ASSERT_EQ(running.size(), 4u);
  EXPECT_EQ(launcher_.running_count(), 4);
  std::map<std::string, std::set<std::string>> zones_by_service;
  for (const state::Task* task : running) {
    zones_by_service[task->service].insert(task->availability_zone);
    EXPECT_GE(task->host_port, 49153);
    ASSERT_NE(task->pid, 0);
    const runtime::SimProcess* process = launcher_.Find(task->pid);
    ASSERT_NE(process, nullptr);
    std::map<std::string, std::string> env(process->spec.env.begin(), process->spec.env.end());
    EXPECT_EQ(env["PORT"], std::to_string(task->host_port));
    EXPECT_EQ(env["ECS_TASK_ARN"], plane->snapshot().identity.TaskArn(task->task_id));
    EXPECT_EQ(env["ECS_AVAILABILITY_ZONE"], task->availability_zone);
    EXPECT_EQ(env["EC2_INSTANCE_ID"], task->instance_id);
    EXPECT_EQ(env["SECRETS"], "{\"PORT\":\"80\"}");  // the whole vault, read at start
    EXPECT_EQ(process->spec.argv, (std::vector<std::string>{"/bin/drydock", "stand-in"}));
    EXPECT_EQ(process->spec.limits.cpu_units, 256);
    EXPECT_NE(process->spec.stdout_path.find("/logs/ecs/" + task->service + "/ecs/"),
              std::string::npos);
  }
  EXPECT_EQ(zones_by_service["api"].size(), 2u);  // spread across AZs
  EXPECT_EQ(zones_by_service["nginx"].size(), 2u);

  // What is in memory is in the store.
  Result<state::Snapshot> stored = store_->Load();
  ASSERT_TRUE(stored.ok());
  ASSERT_EQ(stored->tasks.size(), plane->snapshot().tasks.size());
  for (const state::Task& task : stored->tasks) {
    EXPECT_EQ(task, *plane->snapshot().FindTask(task.task_id));
  }
  EXPECT_EQ(stored->instances, plane->snapshot().instances);
}

TEST_F(ControlPlaneTest, ReplacesATaskWhoseProcessDies) {
  auto plane = NewControlPlane();
  ASSERT_TRUE(plane->Start().ok());
  loop_.RunFor(Seconds(120));
  const state::Task victim = *Tasks(*plane, TaskStatus::kRunning).front();
  ASSERT_TRUE(launcher_.CrashProcess(victim.pid, SIGKILL).ok());
  loop_.RunUntilIdle();  // the exit is delivered; no tick has run yet
  // Recorded whole at once: the store never shows a stopped task without its cause.
  Result<std::vector<state::Task>> stored = store_->ListTasks({});
  ASSERT_TRUE(stored.ok());
  int stopped = 0;
  for (const state::Task& task : *stored) {
    if (task.task_id != victim.task_id) continue;
    ++stopped;
    EXPECT_EQ(task.last_status, TaskStatus::kStopped);
    EXPECT_EQ(task.desired_status, TaskStatus::kStopped);
    EXPECT_EQ(task.stop_code, state::StopCode::kEssentialContainerExited);
  }
  EXPECT_EQ(stopped, 1);
  loop_.RunFor(Seconds(30));

  const state::Task* dead = plane->snapshot().FindTask(victim.task_id);
  ASSERT_NE(dead, nullptr);
  EXPECT_EQ(dead->last_status, TaskStatus::kStopped);
  EXPECT_EQ(dead->stop_code, state::StopCode::kEssentialContainerExited);
  EXPECT_EQ(dead->exit_code, 137);
  EXPECT_EQ(Tasks(*plane, TaskStatus::kRunning).size(), 4u);
  EXPECT_NE(report_.find("killed by signal 9"), std::string::npos) << report_;
}

TEST_F(ControlPlaneTest, ATaskThatCannotStartStopsWithEcsReason) {
  launcher_.SetDefaultBehavior(runtime::SimBehavior::FailToStart("exec ./missing: No such file"));
  auto plane = NewControlPlane();
  ASSERT_TRUE(plane->Start().ok());
  loop_.RunFor(Seconds(90));
  const auto stopped = Tasks(*plane, TaskStatus::kStopped);
  ASSERT_FALSE(stopped.empty());
  EXPECT_EQ(stopped.front()->stop_code, state::StopCode::kTaskFailedToStart);
  EXPECT_EQ(stopped.front()->stopped_reason.rfind("CannotStartContainerError: ", 0), 0u);
  EXPECT_NE(stopped.front()->stopped_reason.find("exec ./missing"), std::string::npos);
}

TEST_F(ControlPlaneTest, ShutdownStopsEveryTaskThenTheInstances) {
  // The tasks ignore SIGTERM: they get SIGKILL after the 30 s stop timeout.
  launcher_.SetDefaultBehavior(runtime::SimBehavior::HangOnSigterm());
  auto plane = NewControlPlane();
  ASSERT_TRUE(plane->Start().ok());
  loop_.RunFor(Seconds(120));
  ASSERT_EQ(Tasks(*plane, TaskStatus::kRunning).size(), 4u);
  bool done = false;
  plane->Shutdown([&] { done = true; });
  loop_.RunFor(Seconds(10));
  EXPECT_FALSE(done) << "the hanging task still runs";
  loop_.RunFor(Seconds(60));
  EXPECT_TRUE(done);
  EXPECT_EQ(plane->phase(), ControlPlane::Phase::kStopped);
  EXPECT_EQ(launcher_.running_count(), 0);
  EXPECT_NE(report_.find("did not stop within its stop timeout: SIGKILL"), std::string::npos);
  for (const state::Task& task : plane->snapshot().tasks) {
    EXPECT_EQ(task.last_status, TaskStatus::kStopped);
    EXPECT_EQ(task.stop_code, state::StopCode::kUserInitiated);
  }
  for (const state::Instance& instance : plane->snapshot().instances) {
    EXPECT_EQ(instance.state, state::InstanceState::kTerminated);
  }
}

TEST_F(ControlPlaneTest, ARestartAdoptsRunningProcessesAndReplacesDeadOnes) {
  auto first = NewControlPlane();
  ASSERT_TRUE(first->Start().ok());
  loop_.RunFor(Seconds(120));
  const auto before = Tasks(*first, TaskStatus::kRunning);
  ASSERT_EQ(before.size(), 4u);
  const state::Task died_while_down = *before.front();
  std::set<std::string> survivors;
  for (size_t i = 1; i < before.size(); ++i) survivors.insert(before[i]->task_id);

  launcher_.SimulateControlPlaneCrash();  // kill -9: callbacks gone, processes live on
  first.reset();
  ASSERT_TRUE(launcher_.ExitProcess(died_while_down.pid, 3).ok());
  const size_t launched_before = launcher_.processes().size();

  auto second = NewControlPlane();
  ASSERT_TRUE(second->Start().ok());
  loop_.RunFor(Seconds(30));
  for (const std::string& id : survivors) {
    const state::Task* task = second->snapshot().FindTask(id);
    ASSERT_NE(task, nullptr);
    EXPECT_EQ(task->last_status, TaskStatus::kRunning) << id;
  }
  const state::Task* dead = second->snapshot().FindTask(died_while_down.task_id);
  EXPECT_EQ(dead->last_status, TaskStatus::kStopped);
  EXPECT_EQ(dead->exit_code, 3);
  // Exactly one new process: the replacement. Survivors were not duplicated.
  EXPECT_EQ(launcher_.processes().size(), launched_before + 1);
  EXPECT_EQ(launcher_.running_count(), 4);
  EXPECT_EQ(second->snapshot().instances.size(), 2u);
}

TEST_F(ControlPlaneTest, ARestartWithTheSameFileKeepsADeploymentAndAChangedFileWins) {
  // Bridge mode: the origin's awsvpc tasks fill both instances' ENIs, leaving no room to deploy.
  settings_.network_mode = "bridge";
  auto first = NewControlPlane("file v1");
  ASSERT_TRUE(first->Start().ok());
  loop_.RunFor(Seconds(120));
  control::UpdateServiceRequest request;
  request.service = "api";
  request.environment = {{"VERSION", "2"}};
  Result<control::UpdateServiceResult> deployed = first->Deploy(request);
  ASSERT_TRUE(deployed.ok()) << deployed.status().message();
  EXPECT_EQ(deployed->task_definition, "api:2");
  loop_.RunFor(Seconds(120));
  const state::Deployment* done = first->snapshot().FindDeployment(deployed->deployment_id);
  ASSERT_NE(done, nullptr);
  EXPECT_EQ(done->rollout_state, state::RolloutState::kCompleted);

  launcher_.SimulateControlPlaneCrash();
  first.reset();
  auto same = NewControlPlane("file v1");  // `drydock up FILE` again, FILE unchanged
  ASSERT_TRUE(same->Start().ok());
  loop_.RunFor(Seconds(10));
  EXPECT_EQ(same->snapshot().FindService("api")->task_definition, "api:2");
  EXPECT_EQ(same->snapshot().PrimaryDeployment("api")->id, deployed->deployment_id);

  launcher_.SimulateControlPlaneCrash();
  same.reset();
  auto changed = NewControlPlane("file v2");  // the file changed: it is applied, as Terraform would
  ASSERT_TRUE(changed->Start().ok());
  loop_.RunFor(Seconds(120));
  EXPECT_EQ(changed->snapshot().FindService("api")->task_definition, "api:3");
  const state::Deployment* primary = changed->snapshot().PrimaryDeployment("api");
  ASSERT_NE(primary, nullptr);
  EXPECT_EQ(primary->task_definition, "api:3");
  EXPECT_EQ(primary->rollout_state, state::RolloutState::kCompleted);
  EXPECT_EQ(changed->snapshot().FindTaskDefinition("api:3")->container.environment.count("VERSION"),
            0u);
}

// Scenario S2 under the simulator: the execution role loses its vault.
// Running tasks keep running; new ones stop at PENDING with ECS's
// ResourceInitializationError; the breaker counts them and rolls back; with
// the policy attached again a forced deployment completes, and its tasks see
// the vault's current value.
TEST_F(ControlPlaneTest, ATaskWhoseRoleCannotReadItsVaultStopsBeforeItsProcessStarts) {
  settings_.network_mode = "bridge";
  SimLoadBalancer lb(clock_);
  load_balancer_ = &lb;
  auto plane = NewControlPlane();
  ASSERT_TRUE(plane->Start().ok());
  loop_.RunFor(Seconds(120));
  const std::string role = "production-cluster-api-execution";
  const std::string policy = "arn:aws:iam::000000000000:policy/production-cluster-api-secrets";
  EXPECT_TRUE(account_->secrets().Describe("api", clock_.Now()).ok()) << "up made api's vault";
  const size_t processes_before = launcher_.processes().size();
  std::set<std::string> old_tasks;
  for (const state::Task* task : Tasks(*plane, TaskStatus::kRunning)) {
    if (task->service == "api") old_tasks.insert(task->task_id);
  }
  ASSERT_EQ(old_tasks.size(), 2u);

  ASSERT_TRUE(account_->iam().DetachRolePolicy(role, policy).ok());
  control::UpdateServiceRequest force;
  force.service = "api";
  force.force_new_deployment = true;
  Result<control::UpdateServiceResult> broken = plane->Deploy(force);
  ASSERT_TRUE(broken.ok()) << broken.status().message();
  loop_.RunFor(Seconds(300));

  int denied = 0;
  for (const state::Task& task : plane->snapshot().tasks) {
    if (task.started_by != broken->deployment_id) continue;
    ++denied;
    EXPECT_EQ(task.last_status, TaskStatus::kStopped);
    EXPECT_EQ(task.stop_code, state::StopCode::kTaskFailedToStart);
    EXPECT_EQ(task.pid, 0) << "no process was started";
    EXPECT_EQ(task.stopped_reason.rfind(
                  "ResourceInitializationError: unable to pull secrets or registry auth: "
                  "execution resource retrieval failed: unable to retrieve secret from asm: ",
                  0),
              0u)
        << task.stopped_reason;
    EXPECT_NE(task.stopped_reason.find("AccessDeniedException: User: arn:aws:sts::000000000000:"
                                       "assumed-role/" + role + "/" + task.task_id +
                                       " is not authorized to perform: "
                                       "secretsmanager:GetSecretValue on resource: "
                                       "arn:aws:secretsmanager:us-east-1:000000000000:secret:api-"),
              std::string::npos)
        << task.stopped_reason;
    EXPECT_EQ(task.stopped_reason.find("PORT"), std::string::npos) << "no value in the reason";
  }
  EXPECT_GE(denied, 3);
  const state::Deployment* failed = plane->snapshot().FindDeployment(broken->deployment_id);
  ASSERT_NE(failed, nullptr);
  EXPECT_EQ(failed->rollout_state, state::RolloutState::kFailed);
  EXPECT_NE(report_.find("(service api) (deployment " + broken->deployment_id +
                         ") deployment failed: tasks failed to start."),
            std::string::npos)
      << report_;
  EXPECT_NE(report_.find("failed to start: ResourceInitializationError"), std::string::npos);
  // The old tasks served throughout, and no denied task ever had a process.
  for (const std::string& id : old_tasks) {
    EXPECT_EQ(plane->snapshot().FindTask(id)->last_status, TaskStatus::kRunning) << id;
  }
  EXPECT_EQ(launcher_.processes().size(), processes_before);

  // Access restored, the vault edited: a forced deployment completes, and
  // its tasks read the vault's current value once, at start.
  ASSERT_TRUE(account_->iam().AttachRolePolicy(role, policy).ok());
  ASSERT_TRUE(account_->secrets()
                  .PutValue("api", {"s3cr3t", std::string("TOKEN")}, std::nullopt, {}, clock_.Now())
                  .ok());
  Result<control::UpdateServiceResult> fixed = plane->Deploy(force);
  ASSERT_TRUE(fixed.ok()) << fixed.status().message();
  loop_.RunFor(Seconds(300));
  const state::Deployment* done = plane->snapshot().FindDeployment(fixed->deployment_id);
  ASSERT_NE(done, nullptr);
  EXPECT_EQ(done->rollout_state, state::RolloutState::kCompleted);
  int fresh = 0;
  for (const state::Task* task : Tasks(*plane, TaskStatus::kRunning)) {
    if (task->service != "api") continue;
    EXPECT_EQ(task->started_by, fixed->deployment_id);
    EXPECT_EQ(EnvOf(launcher_, *task)["SECRETS"], R"({"PORT":"80","TOKEN":"s3cr3t"})");
    ++fresh;
  }
  EXPECT_EQ(fresh, 2);
  EXPECT_EQ(report_.find("s3cr3t"), std::string::npos) << "a value reached drydock's output";
}

// Scenario S5's identity half: a task definition that reads another
// service's vault cannot start, since each execution role reads its own.
TEST_F(ControlPlaneTest, AServiceCannotReadAnotherServicesVault) {
  settings_.services[1].secrets = {{"NGINX_SECRETS", "nginx"}};
  settings_.services[1].deployment_circuit_breaker.enable = false;
  auto plane = NewControlPlane();
  ASSERT_TRUE(plane->Start().ok());
  loop_.RunFor(Seconds(90));
  int denied = 0;
  for (const state::Task& task : plane->snapshot().tasks) {
    if (task.service == "nginx") {
      EXPECT_NE(task.last_status, TaskStatus::kStopped);
      continue;
    }
    EXPECT_NE(task.last_status, TaskStatus::kRunning) << task.task_id;
    if (task.last_status != TaskStatus::kStopped) continue;  // a replacement on its way
    EXPECT_EQ(task.stop_code, state::StopCode::kTaskFailedToStart);
    EXPECT_NE(task.stopped_reason.find("assumed-role/production-cluster-api-execution/" +
                                       task.task_id + " is not authorized to perform: "
                                       "secretsmanager:GetSecretValue on resource: "
                                       "arn:aws:secretsmanager:us-east-1:000000000000:secret:nginx-"),
              std::string::npos)
        << task.stopped_reason;
    ++denied;
  }
  EXPECT_GE(denied, 2);
  EXPECT_TRUE(Tasks(*plane, TaskStatus::kRunning).size() == 2u);
}

// A later `up` never overwrites a vault: the origin's ignore_changes.
TEST_F(ControlPlaneTest, ApplyingTheFileAgainKeepsTheVaultsValues) {
  auto plane = NewControlPlane("file v1");
  ASSERT_TRUE(plane->Start().ok());
  loop_.RunFor(Seconds(5));
  ASSERT_TRUE(account_->secrets()
                  .PutValue("nginx", {"{\"PORT\":\"8080\"}", std::nullopt}, std::nullopt, {},
                            clock_.Now())
                  .ok());
  settings_.services[0].container_port = 81;
  Result<std::vector<std::string>> changes = plane->Reconfigure(settings_, "", "file v2");
  ASSERT_TRUE(changes.ok()) << changes.status().message();
  Result<secrets::SecretValue> value =
      account_->secrets().GetValue("nginx", std::nullopt, std::nullopt, clock_.Now());
  ASSERT_TRUE(value.ok());
  EXPECT_EQ(value->secret_string, "{\"PORT\":\"8080\"}");
}

}  // namespace
}  // namespace drydock::live
