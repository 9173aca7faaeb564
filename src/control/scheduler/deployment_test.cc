// Rolling deployments and the circuit breaker (rulebook section 4) through the
// pure scheduler on SimCluster (no load balancer: a RUNNING task is healthy).
// The same controllers under the live control plane, with a load balancer and
// seeded chaos, are tested in src/live/deployment_sim_test.cc.
#include <gtest/gtest.h>

#include <algorithm>

#include "aws/ecs_rules.h"
#include "control/deployments/update_service.h"
#include "control/harness/fixtures.h"
#include "control/harness/sim_control_loop.h"
#include "control/scheduler/rollout.h"
#include "control/scheduler/service_scheduler.h"

namespace drydock::control {
namespace {

using state::TaskStatus;

state::Snapshot WebCluster(int desired) {
  state::Snapshot snapshot = fixtures::EmptyCluster();
  snapshot.instances = {fixtures::ActiveInstance("i-a1", "us-east-1a"),
                        fixtures::ActiveInstance("i-b1", "us-east-1b")};
  snapshot.group = {"test-asg", 2, 2, 2};
  snapshot.task_definitions = {fixtures::Definition("web", 256, 512)};
  snapshot.services = {fixtures::MakeService("web", desired)};
  return snapshot;
}

AsgPolicy FixedFleet() {
  AsgPolicy policy = AsgPolicyFromSettings(config::Settings{});
  policy.managed_termination_protection = false;
  return policy;
}

struct Counts {
  int live = 0;     // desiredStatus RUNNING, not STOPPED
  int running = 0;  // ... and RUNNING
};

Counts CountTasks(const state::Snapshot& snapshot) {
  Counts counts;
  for (const state::Task& t : snapshot.tasks) {
    if (t.desired_status != TaskStatus::kRunning || t.last_status == TaskStatus::kStopped) continue;
    ++counts.live;
    counts.running += t.last_status == TaskStatus::kRunning;
  }
  return counts;
}

class DeploymentTest : public ::testing::Test {
 protected:
  explicit DeploymentTest(int desired = 2)
      : cluster_(WebCluster(desired)), loop_(&cluster_, FixedFleet(), SchedulerPolicy{}, 3) {}

  // Deploys `request` (service "web") and returns the deployment id.
  std::string Deploy(UpdateServiceRequest request) {
    request.service = "web";
    Random random(99);
    Result<UpdateServiceResult> update = UpdateService(cluster_.snapshot(), request, random);
    EXPECT_TRUE(update.ok()) << update.status().message();
    EXPECT_TRUE(cluster_.Apply(update->plan).ok());
    return update->deployment_id;
  }

  const state::Deployment& DeploymentOf(const std::string& id) {
    const state::Deployment* d = cluster_.snapshot().FindDeployment(id);
    EXPECT_NE(d, nullptr) << id;
    return *d;
  }

  // Steps until `done` or `limit`, checking the bounds of a 200/100
  // deployment after every step; `each` runs after every Advance.
  template <typename Done, typename Each>
  void StepUntil(Done done, Each each, int desired, Duration limit = Seconds(600)) {
    const TimePoint end = cluster_.now() + limit;
    while (!done() && cluster_.now() < end) {
      ASSERT_TRUE(loop_.Step().ok());
      each();
      const Counts counts = CountTasks(cluster_.snapshot());
      ASSERT_LE(counts.live, aws::RunningCeiling(desired, 200)) << cluster_.EventLog();
      max_live_ = std::max(max_live_, counts.live);
    }
    ASSERT_TRUE(done()) << cluster_.EventLog();
  }

  SimCluster cluster_;
  SimControlLoop loop_;
  int max_live_ = 0;
};

TEST(RolloutDecisionTest, StartsUpToTheCeilingThenRetiresOldTasksDownToTheFloor) {
  state::Task old1, old2, new1, new2;
  old1.task_id = "o1";
  old2.task_id = "o2";
  new1.task_id = "n1";
  new2.task_id = "n2";
  ServicePolicy policy;  // 200 / 100
  RolloutTasks tasks;
  tasks.old = {&old1, &old2};
  tasks.healthy = {"o1", "o2"};
  RolloutDecision decision = DecideRollout(tasks, 2, true, true, policy);
  EXPECT_EQ(decision.start, 2);
  EXPECT_TRUE(decision.retire.empty());  // both are needed for the floor of 2

  tasks.primary = {&new1, &new2};  // started, not yet healthy
  decision = DecideRollout(tasks, 2, true, true, policy);
  EXPECT_EQ(decision.start, 0);
  EXPECT_TRUE(decision.retire.empty());
  EXPECT_FALSE(decision.stalled);  // waiting for health is not a stall

  tasks.healthy.insert("n1");
  decision = DecideRollout(tasks, 2, true, true, policy);
  ASSERT_EQ(decision.retire.size(), 1u);  // 3 healthy, floor 2
  EXPECT_EQ(decision.retire[0]->task_id, "o1");

  policy.minimum_healthy_percent = 50;  // floor 1
  tasks.primary.clear();
  tasks.healthy = {"o1", "o2"};
  policy.maximum_percent = 100;  // ceiling 2: stop first
  decision = DecideRollout(tasks, 2, true, true, policy);
  EXPECT_EQ(decision.start, 0);
  ASSERT_EQ(decision.retire.size(), 1u);

  // A failed deployment keeps the older tasks.
  decision = DecideRollout(tasks, 2, false, false, policy);
  EXPECT_TRUE(decision.retire.empty());
}

TEST(RolloutDecisionTest, UnhealthyOldTasksGoFirstAndFreely) {
  state::Task old1, old2;
  old1.task_id = "o1";
  old2.task_id = "o2";
  RolloutTasks tasks;
  tasks.old = {&old1, &old2};
  tasks.healthy = {"o1"};
  const RolloutDecision decision = DecideRollout(tasks, 2, true, true, ServicePolicy{});
  ASSERT_EQ(decision.retire.size(), 1u);
  EXPECT_EQ(decision.retire[0]->task_id, "o2");
}

TEST(RolloutDecisionTest, BoundsThatAllowNothingStall) {
  state::Task old1, old2, old3;
  old1.task_id = "o1";
  old2.task_id = "o2";
  old3.task_id = "o3";
  ServicePolicy policy;
  policy.maximum_percent = 125;  // desired 3: ceiling 3
  RolloutTasks tasks;
  tasks.old = {&old1, &old2, &old3};
  tasks.healthy = {"o1", "o2", "o3"};
  const RolloutDecision decision = DecideRollout(tasks, 3, true, true, policy);
  EXPECT_EQ(decision.start, 0);
  EXPECT_TRUE(decision.retire.empty());
  EXPECT_TRUE(decision.stalled);
}

TEST_F(DeploymentTest, FirstDeploymentIsCreatedAndCompletes) {
  ASSERT_TRUE(loop_.RunUntilStable().ok());
  const state::Deployment* primary = cluster_.snapshot().PrimaryDeployment("web");
  ASSERT_NE(primary, nullptr);
  EXPECT_EQ(primary->id.rfind("ecs-svc/", 0), 0u);
  EXPECT_EQ(primary->id.size(), 8u + 19u);
  EXPECT_EQ(primary->rollout_state, state::RolloutState::kCompleted);
  EXPECT_EQ(primary->rollout_state_reason, "ECS deployment " + primary->id + " completed.");
  for (const state::Task& t : cluster_.snapshot().tasks) EXPECT_EQ(t.started_by, primary->id);
  const std::string log = cluster_.EventLog();
  EXPECT_NE(log.find("(service web) (deployment " + primary->id + ") deployment completed."),
            std::string::npos)
      << log;
  EXPECT_LT(log.find("deployment completed."), log.find("has reached a steady state."));
}

TEST_F(DeploymentTest, RollingUpdateStartsFirstThenStopsOldTasksWithinTheBounds) {
  ASSERT_TRUE(loop_.RunUntilStable().ok());
  const std::string first = cluster_.snapshot().PrimaryDeployment("web")->id;
  std::vector<std::string> old_ids;
  for (const state::Task& t : cluster_.snapshot().tasks) old_ids.push_back(t.task_id);

  UpdateServiceRequest request;
  request.environment = {{"VERSION", "2"}};
  const std::string second = Deploy(request);
  EXPECT_EQ(cluster_.snapshot().FindService("web")->task_definition, "web:2");
  EXPECT_EQ(DeploymentOf(first).status, state::DeploymentStatus::kActive);
  int min_running = 2;
  StepUntil([&] { return DeploymentOf(second).rollout_state == state::RolloutState::kCompleted; },
            [&] { min_running = std::min(min_running, CountTasks(cluster_.snapshot()).running); },
            2);
  EXPECT_EQ(max_live_, 4);      // 200 %: both new tasks start first
  EXPECT_EQ(min_running, 2);    // 100 %: never below two running
  EXPECT_EQ(DeploymentOf(first).status, state::DeploymentStatus::kInactive);
  for (const std::string& id : old_ids) {
    const state::Task* t = cluster_.snapshot().FindTask(id);
    EXPECT_EQ(t->desired_status, TaskStatus::kStopped);
    EXPECT_EQ(t->stopped_reason, "Scaling activity initiated by (deployment " + second + ")");
  }
  int new_running = 0;
  for (const state::Task& t : cluster_.snapshot().tasks) {
    new_running += t.started_by == second && t.last_status == TaskStatus::kRunning &&
                   t.task_definition == "web:2" && t.health_status == state::HealthStatus::kHealthy;
  }
  EXPECT_EQ(new_running, 2);
}

TEST_F(DeploymentTest, NothingToDeployIsAnErrorUnlessForced) {
  ASSERT_TRUE(loop_.RunUntilStable().ok());
  Random random(1);
  UpdateServiceRequest same;
  same.service = "web";
  Result<UpdateServiceResult> refused = UpdateService(cluster_.snapshot(), same, random);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("--force-new-deployment"), std::string::npos);
  same.force_new_deployment = true;
  const std::string forced = Deploy(same);
  EXPECT_EQ(DeploymentOf(forced).task_definition, "web:1");
  StepUntil([&] { return DeploymentOf(forced).rollout_state == state::RolloutState::kCompleted; },
            [] {}, 2);
  for (const state::Task& t : cluster_.snapshot().tasks) {
    if (t.desired_status == TaskStatus::kRunning) {
      EXPECT_EQ(t.started_by, forced);
    }
  }
}

// Tasks of `revision` die before the scheduler ever sees them RUNNING.
void KillRevision(SimCluster& cluster, const std::string& revision) {
  std::vector<std::string> doomed;
  for (const state::Task& t : cluster.snapshot().tasks) {
    if (t.task_definition == revision && t.last_status != TaskStatus::kStopped &&
        !t.instance_id.empty() && t.desired_status == TaskStatus::kRunning) {
      doomed.push_back(t.task_id);
    }
  }
  for (const std::string& id : doomed) EXPECT_TRUE(cluster.ExitTask(id, 1).ok());
}

TEST_F(DeploymentTest, CircuitBreakerTripsAtTheThresholdAndRollsBack) {
  ASSERT_TRUE(loop_.RunUntilStable().ok());
  const std::string good = cluster_.snapshot().PrimaryDeployment("web")->id;
  UpdateServiceRequest bad;
  bad.command = std::vector<std::string>{"false"};
  const std::string broken = Deploy(bad);
  int min_running = 2;
  int count_in_progress = 0;  // the highest count seen before the trip
  StepUntil(
      [&] { return DeploymentOf(broken).rollout_state == state::RolloutState::kFailed; },
      [&] {
        KillRevision(cluster_, "web:2");
        min_running = std::min(min_running, CountTasks(cluster_.snapshot()).running);
        if (DeploymentOf(broken).rollout_state == state::RolloutState::kInProgress) {
          count_in_progress = DeploymentOf(broken).failed_tasks;
        }
      },
      2);
  // Both tasks of a round may fail together, so the count can pass 3 in the round it trips.
  EXPECT_LT(count_in_progress, aws::CircuitBreakerThreshold(2));
  EXPECT_GE(DeploymentOf(broken).failed_tasks, aws::CircuitBreakerThreshold(2));
  EXPECT_EQ(min_running, 2);  // the old revision served throughout
  const state::Deployment* rollback = cluster_.snapshot().PrimaryDeployment("web");
  ASSERT_NE(rollback->id, broken);
  EXPECT_EQ(rollback->task_definition, "web:1");
  EXPECT_EQ(rollback->rollback_of, broken);
  EXPECT_EQ(DeploymentOf(broken).rollout_state_reason,
            "ECS deployment circuit breaker: rolling back to deploymentId " + rollback->id + ".");
  const std::string log = cluster_.EventLog();
  EXPECT_NE(log.find("(service web) (deployment " + broken +
                     ") deployment failed: tasks failed to start."),
            std::string::npos)
      << log;
  EXPECT_NE(log.find("(service web) rolling back to deployment " + rollback->id + "."),
            std::string::npos);
  const std::string rollback_id = rollback->id;
  StepUntil([&] { return DeploymentOf(rollback_id).rollout_state == state::RolloutState::kCompleted; },
            [] {}, 2);
  EXPECT_EQ(DeploymentOf(broken).status, state::DeploymentStatus::kInactive);
  EXPECT_EQ(DeploymentOf(good).status, state::DeploymentStatus::kInactive);
  EXPECT_EQ(cluster_.snapshot().FindService("web")->task_definition, "web:1");
  Result<std::string> previous = RollbackRevision(cluster_.snapshot(), "web");
  EXPECT_FALSE(previous.ok());  // only web:1 ever completed
}

TEST_F(DeploymentTest, WithoutRollbackAFailedDeploymentIsLeftAsItIs) {
  loop_.scheduler_policy().services["web"].rollback = false;
  ASSERT_TRUE(loop_.RunUntilStable().ok());
  UpdateServiceRequest bad;
  bad.command = std::vector<std::string>{"false"};
  const std::string broken = Deploy(bad);
  StepUntil([&] { return DeploymentOf(broken).rollout_state == state::RolloutState::kFailed; },
            [&] { KillRevision(cluster_, "web:2"); }, 2);
  EXPECT_EQ(DeploymentOf(broken).rollout_state_reason,
            "ECS deployment circuit breaker: tasks failed to start.");
  ASSERT_TRUE(loop_.RunFor(Seconds(120)).ok());
  EXPECT_EQ(cluster_.snapshot().PrimaryDeployment("web")->id, broken);  // no rollback
  const Counts counts = CountTasks(cluster_.snapshot());
  EXPECT_EQ(counts.running, 2);  // the old revision's tasks keep serving
  for (const state::Task& t : cluster_.snapshot().tasks) {
    if (t.desired_status == TaskStatus::kRunning) {
      EXPECT_EQ(t.task_definition, "web:1");
    }
  }
}

TEST_F(DeploymentTest, AHealthyTaskResetsTheCount) {
  ASSERT_TRUE(loop_.RunUntilStable().ok());
  UpdateServiceRequest request;
  request.environment = {{"VERSION", "2"}};
  const std::string deployment = Deploy(request);
  // Two failures, then the rest are allowed to run.
  int kills = 0;
  StepUntil([&] { return DeploymentOf(deployment).rollout_state != state::RolloutState::kInProgress; },
            [&] {
              if (kills >= 2) return;
              for (const state::Task& t : cluster_.snapshot().tasks) {
                if (t.started_by == deployment && t.last_status == TaskStatus::kPending &&
                    kills < 2) {
                  EXPECT_TRUE(cluster_.ExitTask(t.task_id, 1).ok());
                  ++kills;
                }
              }
            },
            2);
  EXPECT_EQ(DeploymentOf(deployment).rollout_state, state::RolloutState::kCompleted);
  EXPECT_EQ(DeploymentOf(deployment).failed_tasks, 0);
}

TEST_F(DeploymentTest, ANewDeploymentSupersedesOneInProgress) {
  ASSERT_TRUE(loop_.RunUntilStable().ok());
  UpdateServiceRequest v2;
  v2.environment = {{"VERSION", "2"}};
  const std::string second = Deploy(v2);
  ASSERT_TRUE(loop_.Step().ok());  // web:2 tasks start
  UpdateServiceRequest v3;
  v3.environment = {{"VERSION", "3"}};
  const std::string third = Deploy(v3);
  EXPECT_EQ(DeploymentOf(second).status, state::DeploymentStatus::kActive);
  StepUntil([&] { return DeploymentOf(third).rollout_state == state::RolloutState::kCompleted; },
            [] {}, 2);
  EXPECT_EQ(DeploymentOf(second).status, state::DeploymentStatus::kInactive);
  for (const state::Task& t : cluster_.snapshot().tasks) {
    if (t.desired_status == TaskStatus::kRunning) {
      EXPECT_EQ(t.task_definition, "web:3");
    }
  }
}

// Two web:1 tasks of an older deployment, two web:2 tasks of the PRIMARY, all
// RUNNING; the old ones recorded HEALTHY.
state::Snapshot MidDeployment() {
  state::Snapshot snapshot = WebCluster(2);
  snapshot.task_definitions.push_back(fixtures::Definition("web", 256, 512));
  snapshot.task_definitions.back().revision = 2;
  snapshot.services[0].task_definition = "web:2";
  state::Deployment old_deployment;
  old_deployment.id = "ecs-svc/1";
  old_deployment.service = "web";
  old_deployment.task_definition = "web:1";
  old_deployment.status = state::DeploymentStatus::kActive;
  old_deployment.rollout_state = state::RolloutState::kCompleted;
  state::Deployment primary = old_deployment;
  primary.id = "ecs-svc/2";
  primary.task_definition = "web:2";
  primary.status = state::DeploymentStatus::kPrimary;
  primary.rollout_state = state::RolloutState::kInProgress;
  snapshot.deployments = {old_deployment, primary};
  const char* ids[] = {"o1", "o2", "n1", "n2"};
  for (int i = 0; i < 4; ++i) {
    state::Task task = fixtures::RunningTask(ids[i], "web", snapshot.instances[i % 2]);
    task.host_port = 49153 + i;
    task.started_by = i < 2 ? "ecs-svc/1" : "ecs-svc/2";
    task.task_definition = i < 2 ? "web:1" : "web:2";
    task.health_status = i < 2 ? state::HealthStatus::kHealthy : state::HealthStatus::kUnknown;
    snapshot.tasks.push_back(task);
  }
  return snapshot;
}

std::vector<std::string> Stopped(const Plan& plan) {
  std::vector<std::string> out;
  for (const Action& action : plan.actions) {
    if (const auto* stop = std::get_if<StopTask>(&action)) out.push_back(stop->task_id + ": " + stop->reason);
  }
  return out;
}

TEST(SchedulerHealthTest, RetiresOldTasksOnlyForNewTasksTheLoadBalancerCallsHealthy) {
  const state::Snapshot snapshot = MidDeployment();
  Random random(1);
  TargetView view;
  view.enabled = true;  // a control plane that just started: no report yet
  EXPECT_TRUE(Stopped(ReconcileServices(snapshot, TimePoint{}, SchedulerPolicy{}, random, view)).empty());

  view.reported = true;
  view.healthy = {"o1", "o2"};  // new targets still initial
  EXPECT_TRUE(Stopped(ReconcileServices(snapshot, TimePoint{}, SchedulerPolicy{}, random, view)).empty());

  view.healthy = {"o1", "o2", "n1"};  // 3 healthy, floor 2: one old task may go
  EXPECT_EQ(Stopped(ReconcileServices(snapshot, TimePoint{}, SchedulerPolicy{}, random, view)),
            (std::vector<std::string>{"o1: Scaling activity initiated by (deployment ecs-svc/2)"}));
}

TEST(SchedulerHealthTest, AnUnhealthyTargetStopsItsTaskCountsAFailureAndSaysWhy) {
  const state::Snapshot snapshot = MidDeployment();
  Random random(1);
  TargetView view;
  view.enabled = view.reported = true;
  view.healthy = {"o1", "o2"};
  view.unhealthy["n1"] = {49155, "arn:tg/web-tg", "Health checks failed with these codes: [500]"};
  const Plan plan = ReconcileServices(snapshot, TimePoint{}, SchedulerPolicy{}, random, view);
  EXPECT_EQ(Stopped(plan),
            (std::vector<std::string>{"n1: Task failed ELB health checks in (target-group arn:tg/web-tg)"}));
  bool counted = false, said = false;
  for (const Action& action : plan.actions) {
    if (const auto* update = std::get_if<UpdateDeployment>(&action)) {
      counted = update->deployment_id == "ecs-svc/2" && update->failed_tasks == 1 &&
                update->rollout_state == state::RolloutState::kInProgress;
    }
    if (const auto* event = std::get_if<EmitEvent>(&action)) {
      said = said || event->message ==
                         "(service web) (task n1) (port 49155) is unhealthy in (target-group "
                         "arn:tg/web-tg) due to (reason Health checks failed with these codes: [500]).";
    }
  }
  EXPECT_TRUE(counted);
  EXPECT_TRUE(said);
}

TEST(SchedulerHealthTest, FailedChecksWithinTheGracePeriodAreIgnored) {
  state::Snapshot snapshot = MidDeployment();
  const TimePoint now = TimePoint{} + Seconds(100);
  for (state::Task& task : snapshot.tasks) task.started_at = now - Seconds(5);
  TargetView view;
  view.enabled = view.reported = true;
  view.healthy = {"o1", "o2"};
  view.unhealthy["n1"] = {49155, "arn:tg/web-tg", "connection refused"};
  SchedulerPolicy policy;
  policy.health_check_grace = Seconds(10);
  Random random(1);
  EXPECT_TRUE(Stopped(ReconcileServices(snapshot, now, policy, random, view)).empty());
  EXPECT_EQ(Stopped(ReconcileServices(snapshot, now + Seconds(6), policy, random, view)).size(), 1u);
}

}  // namespace
}  // namespace drydock::control
