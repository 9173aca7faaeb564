#include "cli/deploy_progress.h"

#include <gtest/gtest.h>

namespace drydock::cli {
namespace {

using state::DeploymentStatus;
using state::RolloutState;
using state::TaskStatus;

TimePoint AtSecond(int64_t seconds) { return TimePoint(Seconds(seconds)); }

state::Deployment MakeDeployment(const std::string& id, const std::string& revision,
                                 DeploymentStatus status, RolloutState rollout, int64_t created) {
  state::Deployment d;
  d.id = id;
  d.service = "api";
  d.task_definition = revision;
  d.status = status;
  d.rollout_state = rollout;
  d.created_at = d.updated_at = AtSecond(created);
  return d;
}

state::Task MakeTask(const std::string& id, const std::string& started_by, TaskStatus last,
                     TaskStatus desired = TaskStatus::kRunning) {
  state::Task t;
  t.task_id = id;
  t.service = "api";
  t.started_by = started_by;
  t.last_status = last;
  t.desired_status = desired;
  return t;
}

// api (desired 2): ecs-svc/1 (api:1, COMPLETED) being replaced by ecs-svc/2
// (api:2, created at t=100).
class DeployProgressTest : public ::testing::Test {
 protected:
  DeployProgressTest() {
    snapshot_.services = {{"api", "api:2", 2, state::ServiceStatus::kActive, AtSecond(0)}};
    snapshot_.deployments = {
        MakeDeployment("ecs-svc/1", "api:1", DeploymentStatus::kActive, RolloutState::kCompleted, 0),
        MakeDeployment("ecs-svc/2", "api:2", DeploymentStatus::kPrimary,
                       RolloutState::kInProgress, 100)};
    state::Task healthy = MakeTask("n1", "ecs-svc/2", TaskStatus::kRunning);
    healthy.health_status = state::HealthStatus::kHealthy;
    state::Task unknown_health = MakeTask("n2", "ecs-svc/2", TaskStatus::kRunning);
    state::Task pending = MakeTask("n3", "ecs-svc/2", TaskStatus::kPending);
    state::Task failed = MakeTask("n4", "ecs-svc/2", TaskStatus::kStopped, TaskStatus::kStopped);
    state::Task old_running = MakeTask("o1", "ecs-svc/1", TaskStatus::kRunning);
    state::Task old_told = MakeTask("o2", "ecs-svc/1", TaskStatus::kRunning, TaskStatus::kStopped);
    state::Task old_draining =
        MakeTask("o3", "ecs-svc/1", TaskStatus::kDeactivating, TaskStatus::kStopped);
    state::Task old_stopped = MakeTask("o4", "ecs-svc/1", TaskStatus::kStopped, TaskStatus::kStopped);
    old_stopped.stopped_at = AtSecond(150);
    state::Task history = MakeTask("o5", "", TaskStatus::kStopped, TaskStatus::kStopped);
    history.stopped_at = AtSecond(50);  // before the deployment: not counted
    state::Task other_service = MakeTask("w1", "ecs-svc/9", TaskStatus::kRunning);
    other_service.service = "web";
    snapshot_.tasks = {healthy,      unknown_health, pending,     failed,  old_running,
                       old_told,     old_draining,   old_stopped, history, other_service};
    snapshot_.deployments[1].failed_tasks = 1;
  }

  state::Snapshot snapshot_;
};

TEST_F(DeployProgressTest, CountsNewAndOldTasks) {
  const DeploymentProgress p = CountProgress(snapshot_, snapshot_.deployments[1]);
  EXPECT_EQ(p.started, 3);
  EXPECT_EQ(p.healthy, 1);
  EXPECT_EQ(p.old_running, 1);
  EXPECT_EQ(p.old_draining, 2);
  EXPECT_EQ(p.old_stopped, 1);
  EXPECT_EQ(p.failed, 1);
  EXPECT_EQ(p.threshold, 3);  // clamp(ceil(2 / 2), 3, 200)
  EXPECT_EQ(ProgressLine(snapshot_, snapshot_.deployments[1]),
            "ecs-svc/2 api:2 IN_PROGRESS  new: 3 started, 1 healthy | old: 1 running, "
            "2 draining, 1 stopped | failed 1/3");
}

TEST_F(DeployProgressTest, OldCountsOfZeroAreLeftOut) {
  snapshot_.tasks.resize(1);
  EXPECT_EQ(ProgressLine(snapshot_, snapshot_.deployments[1]),
            "ecs-svc/2 api:2 IN_PROGRESS  new: 1 started, 1 healthy | old: none | failed 1/3");
}

TEST_F(DeployProgressTest, WaitsWhileInProgressAndPrimaryOrNotRecordedYet) {
  EXPECT_EQ(JudgeDeployment(snapshot_, "ecs-svc/2").outcome, WaitOutcome::kWaiting);
  EXPECT_EQ(JudgeDeployment(snapshot_, "ecs-svc/7").outcome, WaitOutcome::kWaiting);
}

TEST_F(DeployProgressTest, Completed) {
  snapshot_.deployments[1].rollout_state = RolloutState::kCompleted;
  const WaitVerdict verdict = JudgeDeployment(snapshot_, "ecs-svc/2");
  EXPECT_EQ(verdict.outcome, WaitOutcome::kCompleted);
  EXPECT_EQ(verdict.message, "deployment ecs-svc/2 completed: service api runs api:2");
}

TEST_F(DeployProgressTest, FailedAndRolledBack) {
  snapshot_.deployments[1].rollout_state = RolloutState::kFailed;
  snapshot_.deployments[1].status = DeploymentStatus::kActive;
  snapshot_.deployments[1].failed_tasks = 3;
  snapshot_.deployments.push_back(MakeDeployment("ecs-svc/3", "api:1", DeploymentStatus::kPrimary,
                                                 RolloutState::kInProgress, 200));
  snapshot_.deployments.back().rollback_of = "ecs-svc/2";
  const WaitVerdict verdict = JudgeDeployment(snapshot_, "ecs-svc/2");
  EXPECT_EQ(verdict.outcome, WaitOutcome::kFailed);
  ASSERT_NE(verdict.rollback, nullptr);
  EXPECT_EQ(verdict.rollback->id, "ecs-svc/3");
  EXPECT_EQ(verdict.message,
            "deployment ecs-svc/2 failed; rolled back to api:1 (deployment ecs-svc/3) after 3 "
            "failed tasks");
}

TEST_F(DeployProgressTest, FailedWithoutRollbackGivesTheReason) {
  snapshot_.deployments[1].rollout_state = RolloutState::kFailed;
  snapshot_.deployments[1].rollout_state_reason =
      "ECS deployment circuit breaker: tasks failed to start.";
  const WaitVerdict verdict = JudgeDeployment(snapshot_, "ecs-svc/2");
  EXPECT_EQ(verdict.outcome, WaitOutcome::kFailed);
  EXPECT_EQ(verdict.rollback, nullptr);
  EXPECT_EQ(verdict.message,
            "deployment ecs-svc/2 of api:2 failed: ECS deployment circuit breaker: tasks failed "
            "to start.");
}

TEST_F(DeployProgressTest, SupersededByANewerDeployment) {
  snapshot_.deployments[1].status = DeploymentStatus::kActive;
  snapshot_.deployments.push_back(MakeDeployment("ecs-svc/4", "api:3", DeploymentStatus::kPrimary,
                                                 RolloutState::kInProgress, 300));
  const WaitVerdict verdict = JudgeDeployment(snapshot_, "ecs-svc/2");
  EXPECT_EQ(verdict.outcome, WaitOutcome::kSuperseded);
  ASSERT_NE(verdict.successor, nullptr);
  EXPECT_EQ(verdict.message,
            "deployment ecs-svc/2 of api:2 was superseded before it completed by deployment "
            "ecs-svc/4 of api:3");
}

}  // namespace
}  // namespace drydock::cli
