#include "control/lifecycle/task_lifecycle.h"

#include <gtest/gtest.h>

#include "control/harness/sim_cluster.h"

namespace drydock::control {
namespace {

using state::TaskStatus;
using Kind = TaskStep::Kind;

class TaskLifecycleTest : public ::testing::Test {
 protected:
  TaskLifecycleTest() {
    state::TaskDefinition awsvpc;
    awsvpc.family = "api";
    awsvpc.network_mode = state::NetworkMode::kAwsvpc;
    awsvpc.container.stop_timeout_seconds = 30;
    state::TaskDefinition bridge = awsvpc;
    bridge.family = "web";
    bridge.network_mode = state::NetworkMode::kBridge;
    snapshot_.task_definitions = {awsvpc, bridge};
  }

  // The reference is valid until the next AddTask.
  state::Task& AddTask(const std::string& id, const std::string& family, TaskStatus last,
                       TaskStatus desired = TaskStatus::kRunning) {
    state::Task task;
    task.task_id = id;
    task.service = family;
    task.task_definition = family + ":1";
    task.instance_id = "i-01";
    task.last_status = last;
    task.desired_status = desired;
    snapshot_.tasks.push_back(task);
    return snapshot_.tasks.back();
  }

  std::vector<TaskStep> Steps(Duration since_entered) {
    std::map<std::string, TimePoint> since;
    for (const state::Task& task : snapshot_.tasks) since[task.task_id] = now_ - since_entered;
    return PlanTaskSteps(snapshot_, now_, since, timing_, targets_);
  }

  state::Snapshot snapshot_;
  TimePoint now_ = SimEpoch() + Seconds(100);
  LifecycleTiming timing_;  // ENI attach 2 s, detach 1 s
  TargetView targets_;       // no load balancer unless a test sets one
};

TEST_F(TaskLifecycleTest, AwsvpcTasksWaitForTheirEniBridgeTasksDoNot) {
  AddTask("a", "api", TaskStatus::kProvisioning);
  AddTask("b", "web", TaskStatus::kProvisioning);
  EXPECT_EQ(Steps(Seconds(1)), (std::vector<TaskStep>{{Kind::kSetStatus, "b", TaskStatus::kPending}}));
  EXPECT_EQ(Steps(Seconds(2)), (std::vector<TaskStep>{{Kind::kSetStatus, "a", TaskStatus::kPending},
                                                      {Kind::kSetStatus, "b", TaskStatus::kPending}}));
}

TEST_F(TaskLifecycleTest, StartSequence) {
  AddTask("p", "web", TaskStatus::kPending);
  AddTask("x", "web", TaskStatus::kActivating);
  AddTask("r", "web", TaskStatus::kRunning);
  AddTask("u", "web", TaskStatus::kProvisioning).instance_id = "";  // unplaced: waits
  EXPECT_EQ(Steps(Seconds(0)),
            (std::vector<TaskStep>{{Kind::kLaunch, "p"},
                                   {Kind::kSetStatus, "x", TaskStatus::kRunning}}));
}

TEST_F(TaskLifecycleTest, ActivatingWaitsForTheTargetRegistration) {
  AddTask("x", "web", TaskStatus::kActivating);
  AddTask("y", "web", TaskStatus::kActivating);
  targets_.enabled = true;
  targets_.registered = {"y"};
  targets_.known = {"y"};
  EXPECT_EQ(Steps(Seconds(60)),
            (std::vector<TaskStep>{{Kind::kSetStatus, "y", TaskStatus::kRunning}}));
}

TEST_F(TaskLifecycleTest, DeactivatingWaitsForTheTargetToDrain) {
  AddTask("draining", "web", TaskStatus::kDeactivating, TaskStatus::kStopped);
  AddTask("gone", "web", TaskStatus::kDeactivating, TaskStatus::kStopped);
  targets_.enabled = true;
  targets_.known = {"draining"};
  targets_.drain_bound = {{"web", Seconds(35)}};
  EXPECT_EQ(Steps(Seconds(34)), (std::vector<TaskStep>{{Kind::kTerminate, "gone"}}));
  // A load balancer that never reports the drain cannot hold the task forever.
  EXPECT_EQ(Steps(Seconds(35)), (std::vector<TaskStep>{{Kind::kTerminate, "draining"},
                                                       {Kind::kTerminate, "gone"}}));
}

TEST_F(TaskLifecycleTest, StopSequence) {
  AddTask("r", "api", TaskStatus::kRunning, TaskStatus::kStopped);
  AddTask("d", "api", TaskStatus::kDeactivating, TaskStatus::kStopped);
  AddTask("p", "api", TaskStatus::kPending, TaskStatus::kStopped);  // never launched
  AddTask("s", "api", TaskStatus::kStopping, TaskStatus::kStopped).stopping_at = now_ - Seconds(29);
  AddTask("v", "api", TaskStatus::kDeprovisioning, TaskStatus::kStopped);
  AddTask("w", "web", TaskStatus::kDeprovisioning, TaskStatus::kStopped);
  EXPECT_EQ(Steps(Seconds(0)),
            (std::vector<TaskStep>{{Kind::kSetStatus, "r", TaskStatus::kDeactivating},
                                   {Kind::kTerminate, "d"},
                                   {Kind::kSetStatus, "p", TaskStatus::kStopped},
                                   {Kind::kSetStatus, "w", TaskStatus::kStopped}}));
  // The stop timeout (30 s) passes: SIGKILL; the ENI detach (1 s) passes too.
  snapshot_.tasks[3].stopping_at = now_ - Seconds(30);
  const std::vector<TaskStep> later = Steps(Seconds(1));
  EXPECT_NE(std::find(later.begin(), later.end(), TaskStep{Kind::kKill, "s"}), later.end());
  EXPECT_NE(std::find(later.begin(), later.end(),
                      TaskStep{Kind::kSetStatus, "v", TaskStatus::kStopped}),
            later.end());
}

TEST_F(TaskLifecycleTest, StoppedTasksHaveNoStep) {
  AddTask("s", "api", TaskStatus::kStopped, TaskStatus::kStopped);
  AddTask("e", "api", TaskStatus::kStopped);  // exited: the scheduler's to record
  EXPECT_TRUE(Steps(Seconds(100)).empty());
}

TEST(SetTaskStatus, SetsEcsTimestampsOnce) {
  state::Task task;
  const TimePoint t0 = SimEpoch();
  SetTaskStatus(task, TaskStatus::kRunning, t0);
  SetTaskStatus(task, TaskStatus::kRunning, t0 + Seconds(5));
  EXPECT_EQ(task.started_at, t0);
  SetTaskStatus(task, TaskStatus::kStopping, t0 + Seconds(6));
  SetTaskStatus(task, TaskStatus::kStopped, t0 + Seconds(7));
  EXPECT_EQ(task.stopping_at, t0 + Seconds(6));
  EXPECT_EQ(task.stopped_at, t0 + Seconds(7));
  EXPECT_EQ(task.last_status, TaskStatus::kStopped);
}

}  // namespace
}  // namespace drydock::control
