#include "control/scheduler/service_scheduler.h"

#include <algorithm>
#include <set>

#include "control/events.h"
#include "control/ids.h"
#include "control/placement/cluster_view.h"
#include "control/placement/placer.h"
#include "control/placement/task_selection.h"
#include "control/scheduler/event_emitter.h"
#include "control/scheduler/service_tasks.h"
#include "control/scheduler/steady_state.h"

namespace drydock::control {
namespace {

// State shared by every service of one round.
struct Round {
  const state::Snapshot& snapshot;
  Random& random;
  ClusterView view;
  EventEmitter events;
  std::set<std::string> task_ids;
  int provisioning_room = 0;  // tasks that may still wait unplaced
  Plan plan;
};

// What one service did this round, for its events.
struct ServiceOutcome {
  std::vector<std::string> started;
  std::vector<std::string> stopped;
  std::string placement_failure;  // the "unable to place" event, if any
};

Round StartRound(const state::Snapshot& snapshot, const SchedulerPolicy& policy, Random& random) {
  Round round{snapshot, random, ClusterView(snapshot), EventEmitter(snapshot), {}, 0, {}};
  int unplaced = 0;
  for (const state::Task& task : snapshot.tasks) {
    round.task_ids.insert(task.task_id);
    unplaced += task.instance_id.empty() && task.last_status == state::TaskStatus::kProvisioning;
  }
  round.provisioning_room = std::max(0, policy.max_provisioning_tasks - unplaced);
  return round;
}

// Tasks that ended on their own: the process exited, or the host went away.
void RecordEndedTasks(const ServiceTasks& tasks, Round& round) {
  for (const state::Task* task : tasks.exited) {
    round.plan.Add(StopTask{task->task_id, state::StopCode::kEssentialContainerExited,
                            kEssentialContainerExitedReason});
  }
  for (const state::Task* task : tasks.orphaned) {
    round.plan.Add(StopTask{task->task_id, state::StopCode::kTerminationNotice,
                            HostTerminatedReason(task->instance_id)});
  }
}

// Scale-in: the mirror rule over active and unplaced tasks. Returns the ids.
std::vector<std::string> StopExcess(const state::Service& service, const ServiceTasks& tasks,
                                    int count, const ServicePolicy& policy, Round& round) {
  if (count <= 0) return {};
  std::vector<const state::Task*> pool = tasks.active;
  pool.insert(pool.end(), tasks.unplaced.begin(), tasks.unplaced.end());
  std::vector<std::string> victims = ChooseTasksToStop(StopCandidates(round.snapshot, pool), count,
                                                       policy.placement, round.random);
  for (const std::string& id : victims) {
    round.plan.Add(
        StopTask{id, state::StopCode::kServiceSchedulerInitiated, ScaleInReason(service.name)});
  }
  return victims;
}

// Draining instances: not-yet-running tasks first, then the oldest.
std::vector<std::string> StopDraining(const ServiceTasks& tasks, int count, Round& round) {
  std::vector<const state::Task*> order = tasks.draining;
  std::stable_partition(order.begin(), order.end(), [](const state::Task* t) {
    return t->last_status != state::TaskStatus::kRunning;
  });
  std::vector<std::string> stopped;
  for (int i = 0; i < count && i < static_cast<int>(order.size()); ++i) {
    const state::Task* task = order[static_cast<size_t>(i)];
    round.plan.Add(StopTask{task->task_id, state::StopCode::kServiceSchedulerInitiated,
                            DrainingReason(task->instance_id)});
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
void PlaceWaiting(const state::Service& service, const ServiceTasks& tasks,
                  const std::vector<std::string>& stopping, const ServicePolicy& policy,
                  Round& round, ServiceOutcome* outcome) {
  for (const state::Task* task : tasks.unplaced) {
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

void StartNew(const state::Service& service, const state::TaskDefinition& definition, int count,
              const ServicePolicy& policy, Round& round, ServiceOutcome* outcome) {
  for (int i = 0; i < count; ++i) {
    const PlacementResult result = PlaceOne(service.name, definition, policy, round);
    if (!result.placed) {
      outcome->placement_failure = result.event;
      if (round.provisioning_room <= 0) continue;  // the PROVISIONING queue is full
      --round.provisioning_room;
    }
    StartTask start{NewTaskId(round.random, &round.task_ids), service.name,
                    definition.FamilyRevision(), result.instance_id, result.availability_zone};
    if (result.placed) outcome->started.push_back(start.task_id);
    round.plan.Add(std::move(start));
  }
}

bool Steady(const state::Service& service, const ServiceTasks& tasks,
            const ServiceOutcome& outcome) {
  return service.status == state::ServiceStatus::kActive && tasks.exited.empty() &&
         tasks.orphaned.empty() && tasks.unplaced.empty() && tasks.draining.empty() &&
         tasks.stopping == 0 && outcome.started.empty() && outcome.stopped.empty() &&
         static_cast<int>(tasks.active.size()) == service.desired_count &&
         CountRunning(tasks.active) == service.desired_count;
}

void EmitServiceEvents(const state::Service& service, const ServiceTasks& tasks,
                       const SteadyStateDecision& decision, const ServiceOutcome& outcome,
                       Round& round) {
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
  if (Steady(service, tasks, outcome)) {
    round.events.Emit(name, SteadyStateEvent(name), &round.plan);
  }
}

void ReconcileService(const state::Service& service, const ServicePolicy& policy, Round& round) {
  const ServiceTasks tasks = ClassifyTasks(round.snapshot, service.name);
  RecordEndedTasks(tasks, round);
  const int desired = service.status == state::ServiceStatus::kActive ? service.desired_count : 0;
  // The seam for deployments: a deployment decision replaces this one.
  const SteadyStateDecision decision = DecideSteadyState(tasks, desired, policy);

  ServiceOutcome outcome;
  outcome.stopped = StopExcess(service, tasks, decision.stop_excess, policy, round);
  const std::vector<std::string> drained = StopDraining(tasks, decision.stop_draining, round);
  PlaceWaiting(service, tasks, outcome.stopped, policy, round, &outcome);
  outcome.stopped.insert(outcome.stopped.end(), drained.begin(), drained.end());
  // A service whose task definition is unknown cannot start tasks; the
  // store never holds one (CreateService would have been refused).
  if (const state::TaskDefinition* definition =
          round.snapshot.FindTaskDefinition(service.task_definition)) {
    StartNew(service, *definition, decision.start, policy, round, &outcome);
  }
  EmitServiceEvents(service, tasks, decision, outcome, round);
}

}  // namespace

Plan ReconcileServices(const state::Snapshot& snapshot, TimePoint /*now*/,
                       const SchedulerPolicy& policy, Random& random) {
  Round round = StartRound(snapshot, policy, random);
  std::vector<const state::Service*> services;
  for (const state::Service& service : snapshot.services) services.push_back(&service);
  std::sort(services.begin(), services.end(),
            [](const state::Service* a, const state::Service* b) { return a->name < b->name; });
  for (const state::Service* service : services) {
    ReconcileService(*service, policy.For(service->name), round);
  }
  return std::move(round.plan);
}

}  // namespace drydock::control
