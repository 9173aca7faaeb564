#include "control/scheduler/service_scheduler.h"

#include <algorithm>
#include <set>
#include <tuple>

#include "aws/ecs_rules.h"
#include "control/events.h"
#include "control/ids.h"
#include "control/placement/cluster_view.h"
#include "control/placement/placer.h"
#include "control/placement/task_selection.h"
#include "control/scheduler/event_emitter.h"
#include "control/scheduler/service_tasks.h"
#include "control/scheduler/rollout.h"

namespace drydock::control {
namespace {

// State shared by every service of one round.
struct Round {
  const state::Snapshot& snapshot;
  TimePoint now;
  const TargetView& targets;
  Random& random;
  ClusterView view;
  EventEmitter events;
  std::set<std::string> task_ids;
  std::set<std::string> deployment_ids;
  int provisioning_room = 0;  // tasks that may still wait unplaced
  Plan plan;
};

// What one service did this round, for its events.
struct ServiceOutcome {
  std::vector<std::string> started;
  std::vector<std::string> stopped;
  std::string placement_failure;  // the "unable to place" event, if any
};

Round StartRound(const state::Snapshot& snapshot, TimePoint now, const TargetView& targets,
                 const SchedulerPolicy& policy, Random& random) {
  Round round{snapshot, now,       targets, random, ClusterView(snapshot), EventEmitter(snapshot),
              {},       {},        0,       {}};
  int unplaced = 0;
  for (const state::Task& task : snapshot.tasks) {
    round.task_ids.insert(task.task_id);
    unplaced += task.instance_id.empty() && task.last_status == state::TaskStatus::kProvisioning;
  }
  for (const state::Deployment& deployment : snapshot.deployments) {
    round.deployment_ids.insert(deployment.id);
  }
  round.provisioning_room = std::max(0, policy.max_provisioning_tasks - unplaced);
  return round;
}

// A task belongs to the deployment that started it; tasks recorded before
// deployments existed belong to the one running their task definition.
bool StartedBy(const state::Task& task, const state::Deployment& deployment) {
  return task.started_by.empty() ? task.task_definition == deployment.task_definition
                                 : task.started_by == deployment.id;
}

// The service's PRIMARY deployment, created when the service has none or
// points at another task definition (UpdateService, or `up` with a changed
// file). The new one goes into the plan and serves this round at once.
const state::Deployment* PrimaryFor(const state::Service& service, Round& round,
                                    state::Deployment* created) {
  const state::Deployment* primary = round.snapshot.PrimaryDeployment(service.name);
  if (service.status != state::ServiceStatus::kActive) return primary;
  if (primary != nullptr && primary->task_definition == service.task_definition) return primary;
  created->id = NewDeploymentId(round.random, &round.deployment_ids);
  created->service = service.name;
  created->task_definition = service.task_definition;
  created->created_at = created->updated_at = round.now;
  round.plan.Add(CreateDeployment{created->id, service.name, service.task_definition, {}});
  return created;
}

// The circuit breaker's view of this round for the PRIMARY deployment.
struct BreakerCount {
  int failures = 0;            // its tasks that failed this round
  bool healthy_task = false;   // one of its tasks became healthy (resets the count)
};

bool Counts(const state::Deployment* primary, const state::Task& task) {
  return primary != nullptr && primary->rollout_state == state::RolloutState::kInProgress &&
         StartedBy(task, *primary);
}

// Tasks that ended on their own: the process exited, or the host went away.
// An exit of the PRIMARY's task before it was ever healthy is a failure.
void RecordEndedTasks(const ServiceTasks& tasks, const state::Deployment* primary, Round& round,
                      BreakerCount* breaker) {
  for (const state::Task* task : tasks.exited) {
    round.plan.Add(StopTask{task->task_id, state::StopCode::kEssentialContainerExited,
                            kEssentialContainerExitedReason});
    if (Counts(primary, *task) && task->health_status != state::HealthStatus::kHealthy) {
      ++breaker->failures;
    }
  }
  for (const state::Task* task : tasks.orphaned) {
    round.plan.Add(StopTask{task->task_id, state::StopCode::kTerminationNotice,
                            HostTerminatedReason(task->instance_id)});
  }
}

// Health from the load balancer (without one, RUNNING is healthy; before it
// has reported, what the tasks recorded). Tasks whose target failed its checks
// are stopped and replaced, as ECS does; the ids of the healthy ones are
// returned.
std::set<std::string> ObserveHealth(const state::Service& service, const ServiceTasks& tasks,
                                    const state::Deployment* primary, Duration grace,
                                    Round& round, BreakerCount* breaker,
                                    std::set<std::string>* stopped) {
  std::set<std::string> healthy;
  std::vector<const state::Task*> placed = tasks.active;
  placed.insert(placed.end(), tasks.draining.begin(), tasks.draining.end());
  for (const state::Task* task : placed) {
    if (task->last_status != state::TaskStatus::kRunning) continue;
    if (round.targets.enabled && !round.targets.reported) {
      if (task->health_status == state::HealthStatus::kHealthy) healthy.insert(task->task_id);
      continue;
    }
    const auto failed = round.targets.unhealthy.find(task->task_id);
    const bool in_grace = task->started_at && round.now - *task->started_at < grace;
    if (round.targets.enabled && failed != round.targets.unhealthy.end() && !in_grace) {
      const TargetView::Unhealthy& target = failed->second;
      round.plan.Add(SetTaskHealth{task->task_id, state::HealthStatus::kUnhealthy});
      round.plan.Add(StopTask{task->task_id, state::StopCode::kServiceSchedulerInitiated,
                              FailedElbHealthChecksReason(target.target_group_arn)});
      round.events.Emit(service.name,
                        UnhealthyTargetEvent(service.name, task->task_id, target.port,
                                             target.target_group_arn, target.reason),
                        &round.plan);
      stopped->insert(task->task_id);
      if (Counts(primary, *task)) ++breaker->failures;
      continue;
    }
    if (round.targets.enabled && round.targets.healthy.count(task->task_id) == 0) continue;
    healthy.insert(task->task_id);
    if (task->health_status != state::HealthStatus::kHealthy) {
      round.plan.Add(SetTaskHealth{task->task_id, state::HealthStatus::kHealthy});
      if (Counts(primary, *task)) breaker->healthy_task = true;
    }
  }
  return healthy;
}

// The last COMPLETED deployment of the service other than `failed`: what a
// rollback returns to.
const state::Deployment* LastCompleted(const state::Snapshot& snapshot,
                                       const state::Deployment& failed) {
  const state::Deployment* last = nullptr;
  for (const state::Deployment& d : snapshot.deployments) {
    if (d.service == failed.service && d.id != failed.id &&
        d.rollout_state == state::RolloutState::kCompleted &&
        (last == nullptr || d.created_at >= last->created_at)) {
      last = &d;
    }
  }
  return last;
}

// The circuit breaker (rulebook section 4): the PRIMARY's count of failed
// tasks (reset when one of its tasks becomes healthy) against
// clamp(ceil(desired / 2), 3, 200). Returns true when the deployment failed
// this round: it starts nothing more, and with rollback a new deployment of
// the last COMPLETED one takes over (not for a rollback itself, which would
// loop).
bool RunCircuitBreaker(const state::Service& service, const state::Deployment& primary,
                       const BreakerCount& breaker, const ServicePolicy& policy, Round& round) {
  if (primary.rollout_state != state::RolloutState::kInProgress) return false;
  const int failed = (breaker.healthy_task ? 0 : primary.failed_tasks) + breaker.failures;
  const bool trips =
      policy.circuit_breaker && failed >= aws::CircuitBreakerThreshold(service.desired_count);
  if (!trips) {
    if (failed != primary.failed_tasks) {
      round.plan.Add(UpdateDeployment{primary.id, primary.status, primary.rollout_state,
                                      primary.rollout_state_reason, failed});
    }
    return false;
  }
  const state::Deployment* target =
      policy.rollback && primary.rollback_of.empty() ? LastCompleted(round.snapshot, primary)
                                                     : nullptr;
  const std::string rollback_id =
      target != nullptr ? NewDeploymentId(round.random, &round.deployment_ids) : "";
  round.plan.Add(UpdateDeployment{
      primary.id, primary.status, state::RolloutState::kFailed,
      target != nullptr ? CircuitBreakerRollbackReason(rollback_id) : kCircuitBreakerFailedReason,
      failed});
  round.events.Emit(service.name, DeploymentFailedEvent(service.name, primary.id), &round.plan);
  if (target != nullptr) {
    round.plan.Add(CreateDeployment{rollback_id, service.name, target->task_definition, primary.id});
    round.events.Emit(service.name, RollingBackEvent(service.name, rollback_id), &round.plan);
  }
  return true;
}

// The tasks the rollout decides about: exited and orphaned tasks and those
// stopped this round for failed health checks are out.
RolloutTasks SortForRollout(const ServiceTasks& tasks, const state::Deployment* primary,
                            const std::set<std::string>& stopped, std::set<std::string> healthy) {
  RolloutTasks out;
  auto keep = [&](const state::Task* t) { return stopped.count(t->task_id) == 0; };
  for (const auto* list : {&tasks.active, &tasks.unplaced}) {
    for (const state::Task* task : *list) {
      if (!keep(task)) continue;
      (primary != nullptr && StartedBy(*task, *primary) ? out.primary : out.old).push_back(task);
    }
  }
  for (const state::Task* task : tasks.draining) {
    if (keep(task)) out.draining.push_back(task);
  }
  auto by_creation = [](const state::Task* a, const state::Task* b) {
    return std::tie(a->created_at, a->task_id) < std::tie(b->created_at, b->task_id);
  };
  std::sort(out.primary.begin(), out.primary.end(), by_creation);
  std::sort(out.old.begin(), out.old.end(), by_creation);
  for (const std::string& id : stopped) healthy.erase(id);
  out.healthy = std::move(healthy);
  out.stopping = tasks.stopping + static_cast<int>(stopped.size());
  return out;
}

// Scale-in: the mirror rule over the PRIMARY's tasks. Returns the ids.
std::vector<std::string> StopExcess(const state::Service& service, const RolloutTasks& tasks,
                                    int count, const ServicePolicy& policy, Round& round) {
  if (count <= 0) return {};
  std::vector<std::string> victims = ChooseTasksToStop(StopCandidates(round.snapshot, tasks.primary),
                                                       count, policy.placement, round.random);
  for (const std::string& id : victims) {
    round.plan.Add(
        StopTask{id, state::StopCode::kServiceSchedulerInitiated, ScaleInReason(service.name)});
  }
  return victims;
}

// Tasks of older deployments and on DRAINING instances, as the rollout chose.
std::vector<std::string> Retire(const std::vector<const state::Task*>& tasks,
                                const state::Deployment* primary, Round& round) {
  std::vector<std::string> stopped;
  for (const state::Task* task : tasks) {
    const state::Instance* instance = round.snapshot.FindInstance(task->instance_id);
    const bool draining = instance != nullptr &&
                          instance->container_status == state::ContainerInstanceStatus::kDraining;
    const std::string reason = draining              ? DrainingReason(task->instance_id)
                               : primary != nullptr ? DeploymentReason(primary->id)
                                                    : ScaleInReason(task->service);
    round.plan.Add(StopTask{task->task_id, state::StopCode::kServiceSchedulerInitiated, reason});
    stopped.push_back(task->task_id);
  }
  return stopped;
}

PlacementResult PlaceOne(const std::string& service, const state::TaskDefinition& definition,
                         const ServicePolicy& policy, Round& round) {
  const PlacementRequest request{service, NeedsOf(definition), &policy.placement};
  return ChooseInstanceForTask(round.view, request, round.random);
}

// Tasks waiting in PROVISIONING get an instance when one fits.
void PlaceWaiting(const state::Service& service, const RolloutTasks& tasks,
                  const std::vector<std::string>& stopping, const ServicePolicy& policy,
                  Round& round, ServiceOutcome* outcome) {
  std::vector<const state::Task*> waiting = tasks.primary;
  waiting.insert(waiting.end(), tasks.old.begin(), tasks.old.end());
  for (const state::Task* task : waiting) {
    if (!task->instance_id.empty()) continue;
    if (std::find(stopping.begin(), stopping.end(), task->task_id) != stopping.end()) continue;
    const state::TaskDefinition* definition =
        round.snapshot.FindTaskDefinition(task->task_definition);
    if (definition == nullptr) continue;
    const PlacementResult result = PlaceOne(service.name, *definition, policy, round);
    if (!result.placed) {
      outcome->placement_failure = result.event;
      continue;
    }
    round.plan.Add(PlaceTask{task->task_id, result.instance_id, result.availability_zone});
    outcome->started.push_back(task->task_id);
  }
}

void StartNew(const state::Service& service, const state::Deployment& primary, int count,
              const ServicePolicy& policy, Round& round, ServiceOutcome* outcome) {
  // The store never holds a deployment of an unregistered task definition.
  const state::TaskDefinition* definition =
      round.snapshot.FindTaskDefinition(primary.task_definition);
  if (definition == nullptr) return;
  for (int i = 0; i < count; ++i) {
    const PlacementResult result = PlaceOne(service.name, *definition, policy, round);
    if (!result.placed) {
      outcome->placement_failure = result.event;
      if (round.provisioning_room <= 0) continue;  // the PROVISIONING queue is full
      --round.provisioning_room;
    }
    StartTask start{NewTaskId(round.random, &round.task_ids), service.name,
                    definition->FamilyRevision(), result.instance_id, result.availability_zone,
                    primary.id};
    if (result.placed) outcome->started.push_back(start.task_id);
    round.plan.Add(std::move(start));
  }
}

// The PRIMARY deployment has all it needs: desired tasks, all healthy, and no
// other deployment (or draining instance) has a task left.
bool RolloutDone(const state::Service& service, const RolloutTasks& tasks,
                 const ServiceOutcome& outcome) {
  const int desired = service.status == state::ServiceStatus::kActive ? service.desired_count : 0;
  return tasks.old.empty() && tasks.draining.empty() && tasks.stopping == 0 &&
         outcome.started.empty() && outcome.stopped.empty() &&
         static_cast<int>(tasks.primary.size()) == desired &&
         std::all_of(tasks.primary.begin(), tasks.primary.end(), [&](const state::Task* t) {
           return tasks.healthy.count(t->task_id) > 0;
         });
}

// Deployment bookkeeping after the rollout: the PRIMARY completes, older
// deployments whose tasks are all gone become INACTIVE.
void SettleDeployments(const state::Service& service, const state::Deployment* primary,
                       bool done, Round& round) {
  if (primary != nullptr && done && primary->rollout_state == state::RolloutState::kInProgress) {
    round.plan.Add(UpdateDeployment{primary->id, primary->status,
                                    state::RolloutState::kCompleted,
                                    DeploymentCompletedReason(primary->id), primary->failed_tasks});
    round.events.Emit(service.name, DeploymentCompletedEvent(service.name, primary->id),
                      &round.plan);
  }
  for (const state::Deployment& d : round.snapshot.deployments) {
    if (d.service != service.name || d.status != state::DeploymentStatus::kActive) continue;
    const bool has_tasks =
        std::any_of(round.snapshot.tasks.begin(), round.snapshot.tasks.end(),
                    [&](const state::Task& t) {
                      return t.service == service.name && t.started_by == d.id &&
                             t.last_status != state::TaskStatus::kStopped;
                    });
    if (!has_tasks) {
      round.plan.Add(UpdateDeployment{d.id, state::DeploymentStatus::kInactive, d.rollout_state,
                                      d.rollout_state_reason, d.failed_tasks});
    }
  }
}

void EmitServiceEvents(const state::Service& service, const RolloutDecision& decision,
                       const ServiceOutcome& outcome, bool steady, Round& round) {
  const std::string& name = service.name;
  if (!outcome.started.empty()) {
    round.events.Emit(name, TasksStartedEvent(name, outcome.started), &round.plan);
  }
  if (!outcome.stopped.empty()) {
    round.events.Emit(name, TasksStoppedEvent(name, outcome.stopped), &round.plan);
  }
  if (!outcome.placement_failure.empty()) {
    round.events.Emit(name, outcome.placement_failure, &round.plan);
  }
  if (decision.stalled) {
    round.events.Emit(name, DeploymentConfigurationStallEvent(name), &round.plan);
  }
  if (steady) round.events.Emit(name, SteadyStateEvent(name), &round.plan);
}

void ReconcileService(const state::Service& service, const ServicePolicy& policy,
                      Duration health_check_grace, Round& round) {
  state::Deployment created;
  const state::Deployment* primary = PrimaryFor(service, round, &created);
  const ServiceTasks tasks = ClassifyTasks(round.snapshot, service.name);
  BreakerCount breaker;
  RecordEndedTasks(tasks, primary, round, &breaker);
  std::set<std::string> unhealthy_stopped;
  std::set<std::string> healthy = ObserveHealth(service, tasks, primary, health_check_grace,
                                                round, &breaker, &unhealthy_stopped);
  if (primary != nullptr && RunCircuitBreaker(service, *primary, breaker, policy, round)) {
    return;  // the next round works with the failed (or rolled-back) deployment
  }

  const RolloutTasks sorted = SortForRollout(tasks, primary, unhealthy_stopped, std::move(healthy));
  const int desired = service.status == state::ServiceStatus::kActive ? service.desired_count : 0;
  // A FAILED deployment is left as ECS leaves it: nothing starts, the older
  // deployments keep their tasks.
  const bool failed = primary != nullptr && primary->rollout_state == state::RolloutState::kFailed;
  const bool may_start = primary != nullptr && !failed;
  const RolloutDecision decision = DecideRollout(sorted, desired, may_start, !failed, policy);

  ServiceOutcome outcome;
  outcome.stopped = StopExcess(service, sorted, decision.stop_excess, policy, round);
  const std::vector<std::string> retired = Retire(decision.retire, primary, round);
  outcome.stopped.insert(outcome.stopped.end(), retired.begin(), retired.end());
  PlaceWaiting(service, sorted, outcome.stopped, policy, round, &outcome);
  outcome.stopped.insert(outcome.stopped.end(), unhealthy_stopped.begin(),
                         unhealthy_stopped.end());
  if (may_start) StartNew(service, *primary, decision.start, policy, round, &outcome);

  const bool done = RolloutDone(service, sorted, outcome) && tasks.exited.empty() &&
                    tasks.orphaned.empty();
  SettleDeployments(service, primary, done, round);
  const bool steady = done && service.status == state::ServiceStatus::kActive && primary != nullptr &&
                      primary->rollout_state != state::RolloutState::kFailed;
  EmitServiceEvents(service, decision, outcome, steady, round);
}

}  // namespace

Plan ReconcileServices(const state::Snapshot& snapshot, TimePoint now,
                       const SchedulerPolicy& policy, Random& random, const TargetView& targets) {
  Round round = StartRound(snapshot, now, targets, policy, random);
  std::vector<const state::Service*> services;
  for (const state::Service& service : snapshot.services) services.push_back(&service);
  std::sort(services.begin(), services.end(),
            [](const state::Service* a, const state::Service* b) { return a->name < b->name; });
  for (const state::Service* service : services) {
    ReconcileService(*service, policy.For(service->name), policy.health_check_grace, round);
  }
  return std::move(round.plan);
}

}  // namespace drydock::control
