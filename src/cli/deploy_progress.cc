#include "cli/deploy_progress.h"

#include <vector>

#include "aws/ecs_rules.h"

namespace drydock::cli {

using state::TaskStatus;

DeploymentProgress CountProgress(const state::Snapshot& snapshot,
                                 const state::Deployment& deployment) {
  DeploymentProgress progress;
  for (const state::Task& task : snapshot.tasks) {
    if (task.service != deployment.service) continue;
    const bool exited =
        task.last_status == TaskStatus::kDeprovisioning || task.last_status == TaskStatus::kStopped;
    if (task.started_by == deployment.id) {
      if (task.desired_status != TaskStatus::kRunning) continue;
      ++progress.started;
      progress.healthy += task.last_status == TaskStatus::kRunning &&
                          task.health_status == state::HealthStatus::kHealthy;
      continue;
    }
    if (exited) {
      // Only what stopped during this deployment, not the service's history.
      progress.old_stopped += !task.stopped_at || *task.stopped_at >= deployment.created_at;
    } else if (task.last_status == TaskStatus::kDeactivating ||
               task.last_status == TaskStatus::kStopping ||
               task.desired_status != TaskStatus::kRunning) {
      ++progress.old_draining;
    } else {
      ++progress.old_running;
    }
  }
  progress.failed = deployment.failed_tasks;
  const state::Service* service = snapshot.FindService(deployment.service);
  progress.threshold = aws::CircuitBreakerThreshold(service ? service->desired_count : 0);
  return progress;
}

std::string ProgressLine(const state::Snapshot& snapshot, const state::Deployment& deployment) {
  const DeploymentProgress p = CountProgress(snapshot, deployment);
  std::vector<std::string> old;
  if (p.old_running > 0) old.push_back(std::to_string(p.old_running) + " running");
  if (p.old_draining > 0) old.push_back(std::to_string(p.old_draining) + " draining");
  if (p.old_stopped > 0) old.push_back(std::to_string(p.old_stopped) + " stopped");
  std::string old_text;
  for (const std::string& part : old) old_text += (old_text.empty() ? "" : ", ") + part;
  return deployment.id + " " + deployment.task_definition + " " +
         state::RolloutStateName(deployment.rollout_state) + "  new: " +
         std::to_string(p.started) + " started, " + std::to_string(p.healthy) + " healthy | old: " +
         (old_text.empty() ? "none" : old_text) + " | failed " + std::to_string(p.failed) + "/" +
         std::to_string(p.threshold);
}

WaitVerdict JudgeDeployment(const state::Snapshot& snapshot, const std::string& id) {
  WaitVerdict verdict;
  const state::Deployment* deployment = snapshot.FindDeployment(id);
  if (deployment == nullptr) return verdict;  // not persisted yet
  const std::string& reason = deployment->rollout_state_reason;
  switch (deployment->rollout_state) {
    case state::RolloutState::kCompleted:
      verdict.outcome = WaitOutcome::kCompleted;
      verdict.message = "deployment " + id + " completed: service " + deployment->service +
                        " runs " + deployment->task_definition;
      return verdict;
    case state::RolloutState::kFailed:
      verdict.outcome = WaitOutcome::kFailed;
      for (const state::Deployment& d : snapshot.deployments) {
        if (d.rollback_of == id) verdict.rollback = &d;
      }
      if (verdict.rollback != nullptr) {
        // The reason only names the rollback deployment: say it once, with the count.
        verdict.message = "deployment " + id + " failed; rolled back to " +
                          verdict.rollback->task_definition + " (deployment " +
                          verdict.rollback->id + ") after " +
                          std::to_string(deployment->failed_tasks) + " failed task" +
                          (deployment->failed_tasks == 1 ? "" : "s");
      } else {
        verdict.message = "deployment " + id + " of " + deployment->task_definition + " failed";
        if (!reason.empty()) verdict.message += ": " + reason;
      }
      return verdict;
    case state::RolloutState::kInProgress:
      break;
  }
  if (deployment->status == state::DeploymentStatus::kPrimary) return verdict;
  verdict.outcome = WaitOutcome::kSuperseded;
  verdict.successor = snapshot.PrimaryDeployment(deployment->service);
  verdict.message = "deployment " + id + " of " + deployment->task_definition +
                    " was superseded before it completed";
  if (verdict.successor != nullptr) {
    verdict.message += " by deployment " + verdict.successor->id + " of " +
                       verdict.successor->task_definition;
  }
  return verdict;
}

}  // namespace drydock::cli
