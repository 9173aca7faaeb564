// Deployments under the deterministic simulated runtime: the real
// ControlPlane (scheduler, circuit breaker, task lifecycle) on SimClock,
// SimEventLoop and SimProcessLauncher, with the real alb::LoadBalancer behind
// SimLoadBalancer, in the spirit of FoundationDB's and TigerBeetle's
// simulators: per seed, random deployments (good and bad revisions, forced
// ones, superseding ones) and random faults (process crashes, health flaps,
// launch failures, slow requests holding targets), with invariants checked
// after every round of the control plane and at every SIGTERM, then a calm
// phase in which every deployment must settle.
//
// Seeds: a fixed list runs by default, one per variant (seed % 6), each
// twice; the two event-trace hashes must match. Widen it with
// DRYDOCK_SIM_SEEDS=3,17,42 or DRYDOCK_SIM_SEED_COUNT=200 (seeds 1..200);
// DRYDOCK_SIM_CHAOS_SECONDS=1200 lengthens the chaos phase (default 300);
// DRYDOCK_SIM_TRACE=<file> writes the full trace of the last run;
// DRYDOCK_SIM_CRASH_LOOPS=1 adds revisions that exit N s after starting
// (known to fail liveness: docs/control.md, "Simplifications"). A failure
// prints its seed, the violated invariants, the trace tail and the command
// that replays it:
//   DRYDOCK_SIM_SEEDS=<seed> build/h-sim/src/drydock_unit_tests
//       --gtest_filter='DeploymentSim*'
//
// The trace: every control-plane report line (events with their times,
// exits, launch failures), one line per task or deployment change (seen at
// each round), every chaos action and deploy, every violation; each line
// stamped with the simulated time since start, hashed with FNV-1a.
//
// Revisions choose their behaviour through their environment (so a Deploy
// with an env change is all it takes to ship a bad one):
//   SIM_BEHAVIOR = ok | exit:<seconds> (exit 1 that long after start)
//                | fail-start (the launch fails: CannotStartContainerError)
//   SIM_HEALTH   = the HTTP status its health endpoint answers (default 200)
// A health check of a task whose process is gone gets connection refused.
//
// Invariants (checked by DeploymentHarness; definitions there):
//   a  running + pending <= floor(desired x maximumPercent / 100)
//   b  the scheduler never retires a healthy task that takes the healthy
//      count below ceil(desired x minimumHealthyPercent / 100)
//   c  SIGTERM only once the task's target left the load balancer
//   d  once calm, every deployment settles within 30 simulated minutes
//   e  a deployment FAILs only with failed_tasks >= the breaker threshold
#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "aws/ecs_rules.h"
#include "base/random.h"
#include "base/strings.h"
#include "config/spec/origin_fixture.h"
#include "control/events.h"
#include "control/harness/sim_cluster.h"
#include "live/control_plane.h"
#include "live/testing/sim_load_balancer.h"
#include "runtime/sim/sim_clock.h"
#include "runtime/sim/sim_event_loop.h"
#include "runtime/sim/sim_process_launcher.h"
#include "state/sqlite/sqlite_store.h"

namespace drydock::live {
namespace {

using state::DeploymentStatus;
using state::RolloutState;
using state::TaskStatus;
using testing::SimHealthCheck;
using testing::SimLoadBalancer;

constexpr char kBehaviorVar[] = "SIM_BEHAVIOR";
constexpr char kHealthVar[] = "SIM_HEALTH";
constexpr char kDeploymentStopPrefix[] = "Scaling activity initiated by (deployment";

uint64_t Fnv1a(uint64_t hash, std::string_view text) {
  for (const unsigned char c : text) {
    hash ^= c;
    hash *= 1099511628211ull;
  }
  return hash;
}

// ---- Variants ----------------------------------------------------------------

// The origin configuration with api's deployment settings changed. The seed
// picks the variant (seed % size), so a seed alone replays a run.
//
// Capacity: drydock's live mode has no capacity-provider managed scaling, and
// the origin's two t3.medium instances hold 4 awsvpc tasks (2 task ENIs
// each), exactly the origin's 2 + 2. A 100 %/200 % rolling update can then
// neither start a task first nor stop one first and waits forever ("unable to
// place a task ... RESOURCE:ENI"). So the variants run 6 instances, except
// "tight", which keeps the origin's 2 and deploys both services 50 %/150 %
// (stop one, then start one).
struct Variant {
  const char* name;
  int api_desired;
  int minimum_healthy_percent;
  int maximum_percent;
  bool rollback;
  int instances;
  bool nginx_too;  // nginx gets the same deployment percentages
};

constexpr Variant kVariants[] = {
    {"origin", 2, 100, 200, true, 6, false},
    {"desired4", 4, 100, 200, true, 6, false},
    {"min50-max150", 2, 50, 150, true, 6, false},
    {"tight-min50-max150", 2, 50, 150, true, 2, true},
    {"desired4-min50-max150", 4, 50, 150, true, 6, false},
    {"no-rollback", 2, 100, 200, false, 6, false},
};
constexpr size_t kVariantCount = sizeof(kVariants) / sizeof(kVariants[0]);

const Variant& VariantOf(uint64_t seed) { return kVariants[seed % kVariantCount]; }

config::Settings SettingsFor(const Variant& variant) {
  config::Settings settings = config::testing::OriginConfig("origin.tfvars").settings;
  settings.asg_min_size = settings.asg_desired_capacity = variant.instances;
  for (config::ServiceSettings& service : settings.services) {
    if (service.name == "api") {
      service.desired_count = variant.api_desired;
      service.autoscaling_min_capacity = variant.api_desired;
      service.deployment_circuit_breaker.rollback = variant.rollback;
    } else if (!variant.nginx_too) {
      continue;
    }
    service.deployment_minimum_healthy_percent = variant.minimum_healthy_percent;
    service.deployment_maximum_percent = variant.maximum_percent;
  }
  return settings;
}

// ---- The runtime seams the harness watches -------------------------------------

// The simulated launcher, with every signal shown to the harness first (the
// drain invariant is judged at the moment of the SIGTERM).
class WatchedLauncher final : public runtime::ProcessLauncher {
 public:
  using SignalHook = std::function<void(const runtime::ProcessHandle&, int)>;
  WatchedLauncher(runtime::SimProcessLauncher& inner, SignalHook hook)
      : inner_(inner), hook_(std::move(hook)) {}

  Result<runtime::ProcessHandle> Launch(const runtime::ProcessSpec& spec,
                                        ExitCallback on_exit) override {
    return inner_.Launch(spec, std::move(on_exit));
  }
  runtime::Adoption Adopt(int pid, uint64_t start_ticks, const std::string& status_path,
                          ExitCallback on_exit) override {
    return inner_.Adopt(pid, start_ticks, status_path, std::move(on_exit));
  }
  runtime::Adoption AdoptByStatusPath(const std::string& status_path,
                                      ExitCallback on_exit) override {
    return inner_.AdoptByStatusPath(status_path, std::move(on_exit));
  }
  Status Signal(const runtime::ProcessHandle& handle, int signal) override {
    hook_(handle, signal);
    return inner_.Signal(handle, signal);
  }
  bool IsAlive(const runtime::ProcessHandle& handle) override { return inner_.IsAlive(handle); }

 private:
  runtime::SimProcessLauncher& inner_;
  SignalHook hook_;
};

// ---- The harness ----------------------------------------------------------------

// One cluster: the ControlPlane on the simulated runtime, the invariant
// checker, and the event trace.
//
// Checkpoints. SimLoadBalancer calls OnReport at the end of every Targets()
// call, i.e. once per control-plane round (ticks, exits, Deploy), right after
// the ASG and the service scheduler applied their plans and the targets were
// pushed, and before the task steps. The report it passes is exactly the view
// the control plane keeps for this round's task steps and the next round's
// scheduler. Invariants (a), (b) and (e) are judged there; (c) at every
// SIGTERM; (d) when the run ends.
class DeploymentHarness {
 public:
  DeploymentHarness(uint64_t seed, config::Settings settings) : settings_(std::move(settings)) {
    char pattern[] = "/tmp/drydock-deploysim-XXXXXX";
    dir_ = mkdtemp(pattern);
    std::filesystem::create_directories(dir_ + "/tasks");
    std::filesystem::create_directories(dir_ + "/logs");
    auto opened = state::SqliteStore::OpenInMemory();
    store_ = std::move(*opened);
    auto account = AccountServices::Open(dir_);
    account_ = std::move(*account);
    launcher_.SetBehaviorPolicy([this](const runtime::ProcessSpec& spec) { return Behavior(spec); });
    lb_.SetHealthHook([this](const SimHealthCheck& check) { return HealthOf(check); });
    lb_.SetReportHook(
        [this](const std::vector<alb::TargetGroupReport>& report) { OnReport(report); });

    ControlPlaneOptions options = ControlPlane::DefaultOptions(settings_);
    options.tasks_dir = dir_ + "/tasks";
    options.logs_dir = dir_ + "/logs";
    options.config_dir = dir_;
    options.stand_in_command = {"/bin/drydock", "stand-in"};
    options.seed = seed;
    options.time_scale = 1;
    options.tick = Seconds(1);
    options.report = [this](const std::string& line) {
      reports_ += line + "\n";
      Trace("report " + line);
    };
    policies_ = options.scheduler;
    ControlPlaneRuntime runtime{&clock_, &loop_, &watched_, store_.get(),
                                [this] { return clock_.Now(); }, [](int) { return true; }, &lb_,
                                account_.get()};
    plane_ = std::make_unique<ControlPlane>(runtime, options);
    start_ = clock_.Now();
  }
  ~DeploymentHarness() {
    plane_.reset();
    std::filesystem::remove_all(dir_);
  }
  DeploymentHarness(const DeploymentHarness&) = delete;
  DeploymentHarness& operator=(const DeploymentHarness&) = delete;

  bool Start() {
    const Status started = plane_->Start();
    if (!started.ok()) Violation("start", started.message());
    return started.ok();
  }

  // Runs `duration` of simulated time in 1 s steps; `each_second` runs after
  // every step (every event of that instant has been handled).
  void RunFor(Duration duration, const std::function<void()>& each_second = {}) {
    const TimePoint end = clock_.Now() + duration;
    while (clock_.Now() < end) {
      loop_.RunUntil(std::min(end, clock_.Now() + Seconds(1)));
      if (each_second) each_second();
    }
  }

  // Runs until SettleProblems() is empty (looked at every 5 s), at most
  // `bound`. False, with the problems as a liveness violation, if it never is.
  bool RunUntilSettled(Duration bound) {
    const TimePoint end = clock_.Now() + bound;
    while (true) {
      const std::vector<std::string> problems = SettleProblems();
      if (problems.empty()) return true;
      if (clock_.Now() >= end) {
        Violation("d liveness", "not settled within " +
                                    std::to_string(bound.count() / 1000) + " s: " +
                                    Join(problems, "; "));
        return false;
      }
      RunFor(Seconds(5));
    }
  }

  Result<control::UpdateServiceResult> Deploy(const control::UpdateServiceRequest& request) {
    std::string what = request.service;
    for (const auto& [key, value] : request.environment) what += " " + key + "=" + value;
    if (request.force_new_deployment) what += " --force-new-deployment";
    Result<control::UpdateServiceResult> result = plane_->Deploy(request);
    Trace("deploy " + what + " -> " +
          (result.ok() ? result->deployment_id + " " + result->task_definition
                       : "error: " + result.status().message()));
    return result;
  }

  // ---- Chaos primitives ----
  void Crash(const state::Task& task) {
    Trace("chaos crash task " + task.task_id + " (" + task.service + ") pid " +
          std::to_string(task.pid));
    (void)launcher_.CrashProcess(task.pid, SIGKILL);
  }
  void Flap(const std::string& task_id, Duration length) {
    Trace("chaos health flap task " + task_id + " for " + std::to_string(length.count() / 1000) +
          " s");
    flapping_[task_id] = clock_.Now() + length;
  }
  void FailNextLaunch() {
    Trace("chaos next launch fails");
    ++launch_failures_;
  }
  void ClearChaos() {
    launch_failures_ = 0;
    flapping_.clear();
  }
  // A request held by its target for `hold` (it keeps a draining target
  // from finishing until the deregistration delay).
  void Request(const std::string& path, Duration hold) {
    const alb::RouteChoice choice = lb_.balancer.Route(path);
    Trace("request " + path + " -> " +
          (choice.kind == alb::RouteChoice::Kind::kForward ? std::to_string(choice.port)
                                                           : std::string("no target")) +
          " for " + std::to_string(hold.count() / 1000) + " s");
    if (choice.kind != alb::RouteChoice::Kind::kForward) return;
    loop_.ScheduleAfter(hold, [this, choice] { lb_.balancer.Finished(choice); });
  }

  // ---- Observations ----
  ControlPlane& plane() { return *plane_; }
  const state::Snapshot& snapshot() const { return plane_->snapshot(); }
  SimLoadBalancer& lb() { return lb_; }
  TimePoint now() const { return clock_.Now(); }
  const std::string& reports() const { return reports_; }
  const std::vector<std::string>& violations() const { return violations_; }
  const std::vector<std::string>& trace() const { return trace_; }
  uint64_t hash() const { return hash_; }
  int MinHealthy(const std::string& service) const {
    auto it = min_healthy_.find(service);
    return it == min_healthy_.end() ? -1 : it->second;
  }
  void ResetMinHealthy() { min_healthy_.clear(); }
  int superseded_in_progress() const {
    int count = 0;
    for (const state::Deployment& d : snapshot().deployments) {
      count += d.status == DeploymentStatus::kInactive && d.rollout_state == RolloutState::kInProgress;
    }
    return count;
  }

  // Tasks of `service` RUNNING, desired RUNNING, with a healthy target.
  std::vector<const state::Task*> HealthyTasks(const std::string& service) const {
    std::vector<const state::Task*> out;
    for (const state::Task& task : snapshot().tasks) {
      if (task.service != service || task.desired_status != TaskStatus::kRunning ||
          task.last_status != TaskStatus::kRunning) {
        continue;
      }
      const std::optional<alb::TargetReport> target = lb_.TargetOf(task.task_id);
      if (target && target->health.state == alb::TargetState::kHealthy) out.push_back(&task);
    }
    return out;
  }

  // What keeps the cluster from being settled (invariant d): empty when no
  // PRIMARY is IN_PROGRESS, every FAILED deployment was rolled back to the
  // newest COMPLETED one before it unless no rollback was possible (off, a
  // rollback itself, nothing completed), and every service whose PRIMARY
  // completed runs exactly its desired count of the PRIMARY's tasks, all
  // healthy, and nothing else (no ACTIVE deployment left).
  std::vector<std::string> SettleProblems() const {
    std::vector<std::string> problems;
    const state::Snapshot& s = snapshot();
    for (const state::Service& service : s.services) {
      const std::string& name = service.name;
      const state::Deployment* primary = s.PrimaryDeployment(name);
      if (primary == nullptr) {
        problems.push_back(name + ": no PRIMARY deployment");
        continue;
      }
      std::vector<const state::Deployment*> mine;
      for (const state::Deployment& d : s.deployments) {
        if (d.service == name) mine.push_back(&d);
      }
      for (size_t i = 0; i < mine.size(); ++i) {
        const state::Deployment& d = *mine[i];
        // A deployment superseded while IN_PROGRESS keeps that state (no
        // rule concludes it); only the PRIMARY must conclude.
        if (d.status == DeploymentStatus::kPrimary && d.rollout_state == RolloutState::kInProgress) {
          problems.push_back(name + ": " + d.id + " (PRIMARY) IN_PROGRESS");
        }
        if (d.rollout_state != RolloutState::kFailed) continue;
        // FAILED: rolled back to the newest COMPLETED before it, or no
        // rollback was possible (off, a rollback itself, nothing completed).
        const state::Deployment* completed_before = nullptr;
        for (size_t j = 0; j < i; ++j) {
          if (mine[j]->rollout_state == RolloutState::kCompleted) completed_before = mine[j];
        }
        const state::Deployment* rollback = nullptr;
        for (size_t j = i + 1; j < mine.size(); ++j) {
          if (mine[j]->rollback_of == d.id) rollback = mine[j];
        }
        const control::ServicePolicy& policy = policies_.For(name);
        const bool possible = policy.circuit_breaker && policy.rollback && d.rollback_of.empty() &&
                              completed_before != nullptr;
        if (rollback == nullptr && possible) {
          problems.push_back(name + ": " + d.id + " FAILED without rolling back to " +
                             completed_before->id);
        }
        if (rollback != nullptr && !possible) {
          problems.push_back(name + ": " + d.id + " rolled back although no rollback was possible");
        }
        if (rollback != nullptr && completed_before != nullptr &&
            rollback->task_definition != completed_before->task_definition) {
          problems.push_back(name + ": " + d.id + " rolled back to " + rollback->task_definition +
                             ", not to the last completed " + completed_before->task_definition);
        }
      }
      if (primary->rollout_state != RolloutState::kCompleted) continue;
      for (const state::Deployment* d : mine) {
        if (d->status == DeploymentStatus::kActive) {
          problems.push_back(name + ": " + d->id + " still ACTIVE after " + primary->id +
                             " completed");
        }
      }
      const int desired = service.status == state::ServiceStatus::kActive ? service.desired_count : 0;
      int serving = 0;
      for (const state::Task& task : s.tasks) {
        if (task.service != name || task.desired_status != TaskStatus::kRunning) continue;
        const std::optional<alb::TargetReport> target = lb_.TargetOf(task.task_id);
        const bool healthy = task.last_status == TaskStatus::kRunning && target &&
                             target->health.state == alb::TargetState::kHealthy;
        if (task.started_by != primary->id || !healthy) {
          problems.push_back(name + ": task " + task.task_id + " of " + task.started_by + " is " +
                             TaskStatusName(task.last_status) + (healthy ? "" : ", not healthy"));
          continue;
        }
        ++serving;
      }
      if (serving != desired) {
        problems.push_back(name + ": " + std::to_string(serving) + " healthy tasks of " +
                           primary->id + ", desired " + std::to_string(desired));
      }
    }
    return problems;
  }

  // The last `lines` of the trace, for failure messages.
  std::string TraceTail(size_t lines) const {
    std::string out;
    const size_t from = trace_.size() > lines ? trace_.size() - lines : 0;
    for (size_t i = from; i < trace_.size(); ++i) out += "  " + trace_[i] + "\n";
    return out;
  }
  void WriteTrace(const std::string& path) const {
    std::ofstream file(path);
    for (const std::string& line : trace_) file << line << "\n";
  }

  void Trace(const std::string& line) {
    const int64_t ms = (clock_.Now() - start_).count();
    char stamp[32];
    std::snprintf(stamp, sizeof(stamp), "t+%lld.%03lld ", static_cast<long long>(ms / 1000),
                  static_cast<long long>(ms % 1000));
    std::string full = stamp + line;
    hash_ = Fnv1a(Fnv1a(hash_, full), "\n");
    trace_.push_back(std::move(full));
  }

 private:
  void Violation(const std::string& invariant, const std::string& text) {
    const std::string line = "VIOLATION [" + invariant + "] " + text;
    Trace(line);
    if (violations_.size() < 20) violations_.push_back(trace_.back());
  }

  runtime::SimBehavior Behavior(const runtime::ProcessSpec& spec) {
    if (launch_failures_ > 0) {
      --launch_failures_;
      return runtime::SimBehavior::FailToStart("chaos: image pull failed");
    }
    for (const auto& [key, value] : spec.env) {
      if (key != kBehaviorVar) continue;
      if (value == "fail-start") return runtime::SimBehavior::FailToStart("exec ./app: bad revision");
      if (StartsWith(value, "exit:")) {
        const std::optional<uint64_t> after = ParseUint(std::string_view(value).substr(5));
        return runtime::SimBehavior::ExitAfter(Seconds(static_cast<int64_t>(after.value_or(0))), 1);
      }
    }
    return {};
  }

  // A check gets connection refused from a task whose process is not
  // running (exited, but the exit not yet delivered to the control plane);
  // otherwise 500 while the task flaps, else its revision's SIM_HEALTH.
  int HealthOf(const SimHealthCheck& check) const {
    const state::Task* task = snapshot().FindTask(check.task);
    const runtime::SimProcess* process =
        task != nullptr && task->pid != 0 ? launcher_.Find(task->pid) : nullptr;
    if (process == nullptr || process->exit) return 0;
    const auto flap = flapping_.find(check.task);
    if (flap != flapping_.end() && check.now < flap->second) return 500;
    const state::TaskDefinition* definition = snapshot().FindTaskDefinition(task->task_definition);
    if (definition == nullptr) return 200;
    const auto health = definition->container.environment.find(kHealthVar);
    if (health == definition->container.environment.end()) return 200;
    return static_cast<int>(ParseUint(health->second).value_or(200));
  }

  // (c) A process gets SIGTERM only once its target left the load balancer's
  // rotation: unknown to it, unused, or draining with nothing in flight.
  void OnSignal(const runtime::ProcessHandle& handle, int signal) {
    if (signal != SIGTERM) return;
    const runtime::SimProcess* process = launcher_.Find(handle.pid);
    if (process == nullptr || process->exit) return;
    const std::string& task_id = process->spec.task_id;
    const std::optional<alb::TargetReport> target = lb_.TargetOf(task_id);
    if (!target || target->health.state == alb::TargetState::kUnused) return;
    if (target->health.state == alb::TargetState::kDraining && target->in_flight == 0) return;
    Violation("c drain", "SIGTERM to task " + task_id + " while its target is " +
                             std::string(alb::TargetStateName(target->health.state)) + " with " +
                             std::to_string(target->in_flight) + " requests in flight");
  }

  void OnReport(const std::vector<alb::TargetGroupReport>& report) {
    const state::Snapshot& s = snapshot();
    std::set<std::string> lb_healthy;
    for (const alb::TargetGroupReport& group : report) {
      for (const alb::TargetReport& target : group.targets) {
        if (target.health.state == alb::TargetState::kHealthy) lb_healthy.insert(target.target.task);
      }
    }
    TraceChanges(s, report);
    for (const state::Service& service : s.services) {
      const control::ServicePolicy& policy = policies_.For(service.name);
      const int desired = service.status == state::ServiceStatus::kActive ? service.desired_count : 0;
      const int ceiling = aws::RunningCeiling(desired, policy.maximum_percent);
      const int floor = aws::HealthyFloor(desired, policy.minimum_healthy_percent);
      int live = 0;
      std::set<std::string> healthy;
      for (const state::Task& task : s.tasks) {
        if (task.service != service.name || task.desired_status != TaskStatus::kRunning) continue;
        if (task.last_status != TaskStatus::kStopped) ++live;
        if (task.last_status == TaskStatus::kRunning && lb_healthy.count(task.task_id) > 0) {
          healthy.insert(task.task_id);
        }
      }
      // (a) running + pending never above the ceiling.
      if (live > ceiling) {
        Violation("a ceiling", service.name + ": " + std::to_string(live) +
                                   " tasks desired RUNNING and not STOPPED > ceiling " +
                                   std::to_string(ceiling));
      }
      // (b) the scheduler never takes the healthy count below the floor.
      // H = healthy at this checkpoint, H' = at the previous one (what the
      // scheduler's view held when it decided this round). Of H':
      //   retired R: stopped by the scheduler for a deployment this round;
      //   known K:   exited (crash, failed start) before the scheduler ran;
      //   the rest left for causes it could not see yet (capacity lost:
      //   a target turning unhealthy in this round's checks, ...).
      // Gains G it knew of: tasks that became RUNNING in the previous
      // round's task steps with a target already healthy then.
      // The scheduler caused a drop below the floor iff it retired a healthy
      // task although |H'| - |R| - |K| + |G| < floor.
      const std::set<std::string>& before = healthy_before_[service.name];
      std::vector<std::string> retired;
      int known_lost = 0;
      for (const std::string& id : before) {
        if (healthy.count(id) > 0) continue;
        const state::Task* task = s.FindTask(id);
        if (task == nullptr) continue;
        if (task->desired_status == TaskStatus::kStopped &&
            StartsWith(task->stopped_reason, kDeploymentStopPrefix)) {
          retired.push_back(id);
        } else if (task->stop_code == state::StopCode::kEssentialContainerExited ||
                   task->stop_code == state::StopCode::kTaskFailedToStart) {
          ++known_lost;
        }
      }
      int gained = 0;
      for (const std::string& id : healthy) {
        gained += before.count(id) == 0 && lb_healthy_before_.count(id) > 0;
      }
      const int expected = static_cast<int>(before.size() - retired.size()) - known_lost + gained;
      if (!retired.empty() && expected < floor) {
        Violation("b floor", service.name + ": retired " + Join(retired, ",") + " with " +
                                 std::to_string(before.size()) + " healthy before, " +
                                 std::to_string(known_lost) + " known lost, " +
                                 std::to_string(gained) + " gained: " + std::to_string(expected) +
                                 " < floor " + std::to_string(floor) + " (now " +
                                 std::to_string(healthy.size()) + ")");
      }
      auto [low, inserted] = min_healthy_.try_emplace(service.name, static_cast<int>(healthy.size()));
      if (!inserted) low->second = std::min(low->second, static_cast<int>(healthy.size()));
      healthy_before_[service.name] = std::move(healthy);
    }
    lb_healthy_before_ = std::move(lb_healthy);
    // (e) a deployment fails only once its failed tasks reached the threshold.
    for (const state::Deployment& d : s.deployments) {
      RolloutState& was = rollout_before_.try_emplace(d.id, d.rollout_state).first->second;
      if (d.rollout_state == RolloutState::kFailed && was != RolloutState::kFailed) {
        const state::Service* service = s.FindService(d.service);
        const int threshold =
            aws::CircuitBreakerThreshold(service != nullptr ? service->desired_count : 0);
        if (d.failed_tasks < threshold) {
          Violation("e breaker", d.id + " FAILED with " + std::to_string(d.failed_tasks) +
                                     " failed tasks < threshold " + std::to_string(threshold));
        }
      }
      was = d.rollout_state;
    }
  }

  // One trace line per task or deployment change since the last checkpoint.
  void TraceChanges(const state::Snapshot& s, const std::vector<alb::TargetGroupReport>& report) {
    std::map<std::string, std::string> targets;
    for (const alb::TargetGroupReport& group : report) {
      for (const alb::TargetReport& target : group.targets) {
        targets[target.target.task] =
            std::string(alb::TargetStateName(target.health.state)) + "/" +
            std::to_string(target.in_flight);
      }
    }
    for (const state::Task& task : s.tasks) {
      if (task.last_status == TaskStatus::kStopped && task_seen_.count(task.task_id) > 0 &&
          task_seen_[task.task_id].rfind("STOPPED", 0) == 0) {
        continue;  // the common case, cheaply
      }
      const auto target = targets.find(task.task_id);
      const std::string line =
          std::string(TaskStatusName(task.last_status)) + " desired " +
          TaskStatusName(task.desired_status) + " health " + HealthStatusName(task.health_status) +
          " target " + (target == targets.end() ? "-" : target->second) +
          (task.stopped_reason.empty() ? "" : " (" + task.stopped_reason + ")");
      std::string& seen = task_seen_[task.task_id];
      if (seen == line) continue;
      seen = line;
      Trace("task " + task.task_id + " " + task.task_definition + " " + task.started_by + " " + line);
    }
    for (const state::Deployment& d : s.deployments) {
      const std::string line = std::string(DeploymentStatusName(d.status)) + " " +
                               RolloutStateName(d.rollout_state) + " failed " +
                               std::to_string(d.failed_tasks) + " " + d.rollout_state_reason;
      std::string& seen = deployment_seen_[d.id];
      if (seen == line) continue;
      seen = line;
      Trace("deployment " + d.id + " " + d.task_definition + " " + line);
    }
  }

  const config::Settings settings_;
  std::string dir_;
  runtime::SimClock clock_{control::SimEpoch()};
  runtime::SimEventLoop loop_{clock_};
  runtime::SimProcessLauncher launcher_{loop_, clock_};
  WatchedLauncher watched_{launcher_, [this](const runtime::ProcessHandle& handle, int signal) {
                             OnSignal(handle, signal);
                           }};
  SimLoadBalancer lb_{clock_};
  std::unique_ptr<state::SqliteStore> store_;
  std::unique_ptr<AccountServices> account_;
  control::SchedulerPolicy policies_;
  std::unique_ptr<ControlPlane> plane_;
  TimePoint start_{};

  // Chaos state.
  int launch_failures_ = 0;
  std::map<std::string, TimePoint> flapping_;  // task id -> checks fail until

  // Checker state.
  std::map<std::string, std::set<std::string>> healthy_before_;  // service -> H'
  std::set<std::string> lb_healthy_before_;
  std::map<std::string, RolloutState> rollout_before_;
  std::map<std::string, int> min_healthy_;
  std::map<std::string, std::string> task_seen_;
  std::map<std::string, std::string> deployment_seen_;
  std::vector<std::string> violations_;

  // Trace.
  std::string reports_;
  std::vector<std::string> trace_;
  uint64_t hash_ = 14695981039346656037ull;
};

// ---- The seeded scenario -----------------------------------------------------------

constexpr Duration kWarmupBound = Seconds(600);
// The liveness bound: every deployment settles within it once chaos stops.
constexpr Duration kCalmBound = Seconds(30 * 60);

// The chaos phase: 5 simulated minutes (about 7 deployments and 10 faults),
// DRYDOCK_SIM_CHAOS_SECONDS for longer soaks.
Duration ChaosPhase() {
  const char* seconds = std::getenv("DRYDOCK_SIM_CHAOS_SECONDS");
  const std::optional<uint64_t> parsed = seconds != nullptr ? ParseUint(seconds) : std::nullopt;
  return Seconds(static_cast<int64_t>(parsed.value_or(300)));
}

// Random operator actions and faults, one draw per stream per simulated
// second (each kind of chaos on its own stream, so tuning one does not
// shift the others).
class Chaos {
 public:
  Chaos(uint64_t seed, DeploymentHarness& harness)
      : harness_(harness),
        schedule_(Random(seed).Stream("sim/schedule")),
        crashes_(Random(seed).Stream("sim/crash")),
        flaps_(Random(seed).Stream("sim/flap")),
        launches_(Random(seed).Stream("sim/launch")),
        traffic_(Random(seed).Stream("sim/traffic")) {}

  void Second() {
    if (supersede_at_ && harness_.now() >= *supersede_at_) {
      supersede_at_.reset();
      DeployRandom(supersede_service_, /*allow_supersede=*/false);
    } else if (schedule_.Chance(1.0 / 45)) {
      DeployRandom(schedule_.Chance(0.75) ? "api" : "nginx", /*allow_supersede=*/true);
    }
    if (crashes_.Chance(1.0 / 90)) CrashOne();
    if (flaps_.Chance(1.0 / 90)) FlapOne();
    if (launches_.Chance(1.0 / 150)) harness_.FailNextLaunch();
    if (traffic_.Chance(0.2)) {
      const std::string path = traffic_.Chance(0.6) ? "/api/orders" : "/nginx/index.html";
      harness_.Request(path, Seconds(1 + static_cast<int64_t>(traffic_.Below(60))));
    }
  }

  int deploys() const { return deploys_; }

 private:
  void DeployRandom(const std::string& service, bool allow_supersede) {
    control::UpdateServiceRequest request;
    request.service = service;
    const uint64_t kind = schedule_.Below(100);
    const std::string rev = std::to_string(++deploys_);
    auto good = [&] {
      request.environment = {{"REV", rev}, {kBehaviorVar, "ok"}, {kHealthVar, "200"}};
    };
    if (kind < 40) {
      good();
    } else if (kind < 50) {
      request.force_new_deployment = true;
    } else if (kind < 58) {
      request.environment = {{"REV", rev}, {kBehaviorVar, "exit:0"}, {kHealthVar, "200"}};
    } else if (kind < 64) {
      // Exits N s after its launch. Off by default: any N >= 1 can let the
      // scheduler see the task healthy for a round before it exits, and then
      // the revision is never failed (docs/control.md, "Simplifications");
      // DRYDOCK_SIM_CRASH_LOOPS=1 turns it on. Otherwise: exits at once.
      const bool crash_loops = std::getenv("DRYDOCK_SIM_CRASH_LOOPS") != nullptr;
      const std::string after = crash_loops ? std::to_string(1 + schedule_.Below(30)) : "0";
      request.environment = {{"REV", rev}, {kBehaviorVar, "exit:" + after}, {kHealthVar, "200"}};
    } else if (kind < 72) {
      request.environment = {{"REV", rev}, {kBehaviorVar, "fail-start"}, {kHealthVar, "200"}};
    } else if (kind < 82) {
      request.environment = {{"REV", rev}, {kBehaviorVar, "ok"}, {kHealthVar, "500"}};
    } else {
      good();
      if (allow_supersede) {  // and another deployment while this one is in progress
        supersede_at_ = harness_.now() + Seconds(3 + static_cast<int64_t>(schedule_.Below(40)));
        supersede_service_ = service;
      }
    }
    (void)harness_.Deploy(request);
  }

  void CrashOne() {
    std::vector<const state::Task*> alive;
    for (const state::Task& task : harness_.snapshot().tasks) {
      if (task.pid != 0 && task.last_status != TaskStatus::kStopped &&
          task.last_status != TaskStatus::kDeprovisioning) {
        alive.push_back(&task);
      }
    }
    if (alive.empty()) return;
    harness_.Crash(*alive[crashes_.Below(alive.size())]);
  }

  void FlapOne() {
    std::vector<std::string> running;
    for (const state::Task& task : harness_.snapshot().tasks) {
      if (task.last_status == TaskStatus::kRunning && task.desired_status == TaskStatus::kRunning) {
        running.push_back(task.task_id);
      }
    }
    if (running.empty()) return;
    const std::string task = running[flaps_.Below(running.size())];
    harness_.Flap(task, Seconds(10 + static_cast<int64_t>(flaps_.Below(90))));
  }

  DeploymentHarness& harness_;
  Random schedule_;
  Random crashes_;
  Random flaps_;
  Random launches_;
  Random traffic_;
  std::optional<TimePoint> supersede_at_;
  std::string supersede_service_;
  int deploys_ = 0;
};

struct SeedRun {
  uint64_t hash = 0;
  std::vector<std::string> violations;
  std::string trace_tail;
  std::string summary;
};

SeedRun RunSeed(uint64_t seed) {
  const Variant& variant = VariantOf(seed);
  DeploymentHarness harness(seed, SettingsFor(variant));
  harness.Trace("seed " + std::to_string(seed) + " variant " + variant.name);
  SeedRun run;
  if (harness.Start() && harness.RunUntilSettled(kWarmupBound)) {
    Chaos chaos(seed, harness);
    harness.RunFor(ChaosPhase(), [&] { chaos.Second(); });
    harness.ClearChaos();  // flaps end; held requests finish within 60 s
    harness.Trace("calm");
    harness.RunUntilSettled(kCalmBound);
    int failed = 0, completed = 0;
    for (const state::Deployment& d : harness.snapshot().deployments) {
      failed += d.rollout_state == RolloutState::kFailed;
      completed += d.rollout_state == RolloutState::kCompleted;
    }
    run.summary = std::string(variant.name) + ": " + std::to_string(chaos.deploys()) +
                  " deploys, " + std::to_string(harness.snapshot().deployments.size()) +
                  " deployments (" + std::to_string(completed) + " completed, " +
                  std::to_string(failed) + " failed, " +
                  std::to_string(harness.superseded_in_progress()) +
                  " superseded while in progress), " +
                  std::to_string(harness.snapshot().tasks.size()) + " tasks, settled at " +
                  harness.trace().back().substr(0, harness.trace().back().find(' '));
  }
  run.hash = harness.hash();
  run.violations = harness.violations();
  if (!run.violations.empty()) run.trace_tail = harness.TraceTail(120);
  if (const char* path = std::getenv("DRYDOCK_SIM_TRACE")) harness.WriteTrace(path);
  return run;
}

std::vector<uint64_t> SeedsToRun() {
  if (const char* list = std::getenv("DRYDOCK_SIM_SEEDS"); list != nullptr && *list != '\0') {
    std::vector<uint64_t> seeds;
    std::string text = list;
    size_t start = 0;
    while (start <= text.size()) {
      const size_t comma = std::min(text.find(',', start), text.size());
      if (std::optional<uint64_t> seed = ParseUint(text.substr(start, comma - start))) {
        seeds.push_back(*seed);
      }
      start = comma + 1;
    }
    return seeds;
  }
  if (const char* count = std::getenv("DRYDOCK_SIM_SEED_COUNT")) {
    std::vector<uint64_t> seeds;
    for (uint64_t seed = 1; seed <= ParseUint(count).value_or(0); ++seed) seeds.push_back(seed);
    return seeds;
  }
  // One per variant (seed % 6).
  return {1, 2, 3, 4, 5, 6};
}

// One test per seed, so that the CI's shards share them out. Full names are
// "DeploymentSim/Seeds.ChaosKeepsInvariantsAndReplaysIdentically/seed3".
class Seeds : public ::testing::TestWithParam<uint64_t> {};

TEST_P(Seeds, ChaosKeepsInvariantsAndReplaysIdentically) {
  const uint64_t seed = GetParam();
  const SeedRun first = RunSeed(seed);
  const std::string replay = "replay: DRYDOCK_SIM_SEEDS=" + std::to_string(seed) +
                             " build/h-sim/src/drydock_unit_tests "
                             "--gtest_filter='DeploymentSim*' "
                             "(DRYDOCK_SIM_TRACE=/tmp/trace.txt writes the whole trace)";
  EXPECT_TRUE(first.violations.empty())
      << "seed " << seed << " (" << VariantOf(seed).name << ") broke an invariant:\n  "
      << Join(first.violations, "\n  ") << "\n" << replay << "\ntrace tail:\n"
      << first.trace_tail;
  const SeedRun second = RunSeed(seed);
  EXPECT_EQ(first.hash, second.hash)
      << "seed " << seed << " is not deterministic: two runs traced differently\n" << replay;
  std::printf("[ DeploymentSim ] seed %llu trace %016llx %s\n",
              static_cast<unsigned long long>(seed), static_cast<unsigned long long>(first.hash),
              first.summary.c_str());
}

INSTANTIATE_TEST_SUITE_P(DeploymentSim, Seeds, ::testing::ValuesIn(SeedsToRun()),
                         [](const ::testing::TestParamInfo<uint64_t>& param) {
                           return "seed" + std::to_string(param.param);
                         });

// ---- Focused, deterministic scenarios -------------------------------------------------

class DeploymentSimTest : public ::testing::Test {
 protected:
  void TearDown() override {
    const char* path = std::getenv("DRYDOCK_SIM_TRACE");
    if (path != nullptr && harness_ != nullptr) harness_->WriteTrace(path);
  }
  void Boot(const Variant& variant) {
    harness_ = std::make_unique<DeploymentHarness>(7, SettingsFor(variant));
    ASSERT_TRUE(harness_->Start());
    ASSERT_TRUE(harness_->RunUntilSettled(kWarmupBound)) << Dump();
    mark_ = harness_->reports().size();
    harness_->ResetMinHealthy();
  }

  control::UpdateServiceResult DeployApi(std::map<std::string, std::string> environment) {
    control::UpdateServiceRequest request;
    request.service = "api";
    request.environment = std::move(environment);
    Result<control::UpdateServiceResult> result = harness_->Deploy(request);
    EXPECT_TRUE(result.ok()) << result.status().message();
    return result.ok() ? *result : control::UpdateServiceResult{};
  }

  // Report lines since Boot.
  std::string Since() const { return harness_->reports().substr(mark_); }
  bool Reported(const std::string& text) const { return Since().find(text) != std::string::npos; }
  std::string Dump() const {
    return "violations:\n  " + Join(harness_->violations(), "\n  ") + "\ntrace tail:\n" +
           harness_->TraceTail(80);
  }
  const state::Deployment* Deployment(const std::string& id) const {
    return harness_->snapshot().FindDeployment(id);
  }
  const state::Deployment* RollbackOf(const std::string& id) const {
    for (const state::Deployment& d : harness_->snapshot().deployments) {
      if (d.rollback_of == id) return &d;
    }
    return nullptr;
  }
  std::vector<const state::Task*> TasksOf(const std::string& task_definition) const {
    std::vector<const state::Task*> out;
    for (const state::Task& task : harness_->snapshot().tasks) {
      if (task.task_definition == task_definition) out.push_back(&task);
    }
    return out;
  }
  std::string ApiGroupArn() const {
    return harness_->snapshot().identity.TargetGroupArn("api-tg");
  }

  std::unique_ptr<DeploymentHarness> harness_;
  size_t mark_ = 0;
};

TEST_F(DeploymentSimTest, GoodDeploymentTwoToTwoCompletesWithinTheBounds) {
  ASSERT_NO_FATAL_FAILURE(Boot(kVariants[0]));
  const control::UpdateServiceResult deployed = DeployApi({{"REV", "2"}});
  EXPECT_EQ(deployed.task_definition, "api:2");
  ASSERT_TRUE(harness_->RunUntilSettled(Seconds(900))) << Dump();
  EXPECT_TRUE(harness_->violations().empty()) << Dump();
  EXPECT_GE(harness_->MinHealthy("api"), 2) << "floor 100 % of 2";

  const state::Deployment* primary = Deployment(deployed.deployment_id);
  ASSERT_NE(primary, nullptr);
  EXPECT_EQ(primary->status, DeploymentStatus::kPrimary);
  EXPECT_EQ(primary->rollout_state, RolloutState::kCompleted);
  EXPECT_EQ(primary->failed_tasks, 0);
  const std::vector<const state::Task*> healthy = harness_->HealthyTasks("api");
  ASSERT_EQ(healthy.size(), 2u);
  for (const state::Task* task : healthy) EXPECT_EQ(task->task_definition, "api:2");
  for (const state::Task* task : TasksOf("api:1")) {
    EXPECT_EQ(task->last_status, TaskStatus::kStopped);
    EXPECT_EQ(task->stopped_reason, control::DeploymentReason(deployed.deployment_id));
  }

  const std::string events = Since();
  const size_t started = events.find("(service api) has started 2 tasks:");
  const size_t completed =
      events.find(control::DeploymentCompletedEvent("api", deployed.deployment_id));
  const size_t steady = events.find(control::SteadyStateEvent("api"), completed);
  EXPECT_NE(started, std::string::npos) << events;
  EXPECT_NE(completed, std::string::npos) << events;
  EXPECT_NE(steady, std::string::npos) << events;
  EXPECT_LT(started, completed);
}

TEST_F(DeploymentSimTest, RevisionThatExitsAtOnceTripsAtThreeFailuresAndRollsBack) {
  ASSERT_NO_FATAL_FAILURE(Boot(kVariants[0]));
  const state::Deployment* original = harness_->snapshot().PrimaryDeployment("api");
  ASSERT_NE(original, nullptr);
  const std::string original_id = original->id;
  const control::UpdateServiceResult bad = DeployApi({{kBehaviorVar, "exit:0"}});
  ASSERT_TRUE(harness_->RunUntilSettled(Seconds(900))) << Dump();
  EXPECT_TRUE(harness_->violations().empty()) << Dump();
  // The old revision served throughout.
  EXPECT_GE(harness_->MinHealthy("api"), 2);

  const state::Deployment* failed = Deployment(bad.deployment_id);
  ASSERT_NE(failed, nullptr);
  EXPECT_EQ(failed->rollout_state, RolloutState::kFailed);
  EXPECT_EQ(failed->failed_tasks, 3) << "threshold clamp(ceil(2 / 2), 3, 200) = 3";
  for (const state::Task* task : TasksOf(bad.task_definition)) {
    EXPECT_LT(task->created_at, failed->updated_at) << "started after the trip: " << task->task_id;
    EXPECT_EQ(task->last_status, TaskStatus::kStopped);
  }
  const state::Deployment* rollback = RollbackOf(bad.deployment_id);
  ASSERT_NE(rollback, nullptr);
  EXPECT_EQ(failed->rollout_state_reason, control::CircuitBreakerRollbackReason(rollback->id));
  EXPECT_EQ(rollback->task_definition, "api:1");
  EXPECT_EQ(rollback->status, DeploymentStatus::kPrimary);
  EXPECT_EQ(rollback->rollout_state, RolloutState::kCompleted);
  EXPECT_EQ(Deployment(original_id)->rollout_state, RolloutState::kCompleted);
  EXPECT_TRUE(Reported(control::DeploymentFailedEvent("api", bad.deployment_id))) << Since();
  EXPECT_TRUE(Reported("deployment failed: tasks failed to start."));
  EXPECT_TRUE(Reported(control::RollingBackEvent("api", rollback->id))) << Since();
  for (const state::Task* task : harness_->HealthyTasks("api")) {
    EXPECT_EQ(task->task_definition, "api:1");
  }
}

TEST_F(DeploymentSimTest, RevisionFailingHealthChecksIsStoppedThenRolledBack) {
  ASSERT_NO_FATAL_FAILURE(Boot(kVariants[0]));
  const control::UpdateServiceResult bad = DeployApi({{kHealthVar, "500"}});
  ASSERT_TRUE(harness_->RunUntilSettled(Seconds(900))) << Dump();
  EXPECT_TRUE(harness_->violations().empty()) << Dump();
  EXPECT_GE(harness_->MinHealthy("api"), 2);

  const std::string reason = control::FailedElbHealthChecksReason(ApiGroupArn());
  EXPECT_EQ(reason, "Task failed ELB health checks in (target-group " + ApiGroupArn() + ")");
  const std::vector<const state::Task*> bad_tasks = TasksOf(bad.task_definition);
  int failed_checks = 0;
  for (const state::Task* task : bad_tasks) {
    EXPECT_EQ(task->last_status, TaskStatus::kStopped) << task->task_id;
    if (task->stopped_reason == reason) {
      EXPECT_EQ(task->health_status, state::HealthStatus::kUnhealthy) << task->task_id;
      EXPECT_EQ(task->stop_code, state::StopCode::kServiceSchedulerInitiated);
      ++failed_checks;
    } else {  // still in its first checks when the breaker tripped: retired by the rollback
      EXPECT_EQ(task->stopped_reason.rfind(kDeploymentStopPrefix, 0), 0u) << task->stopped_reason;
    }
  }
  EXPECT_GE(failed_checks, 3);
  EXPECT_TRUE(Reported("is unhealthy in (target-group " + ApiGroupArn() + ")")) << Since();
  EXPECT_TRUE(Reported("Health checks failed with these codes: [500]")) << Since();
  const state::Deployment* failed = Deployment(bad.deployment_id);
  ASSERT_NE(failed, nullptr);
  EXPECT_EQ(failed->rollout_state, RolloutState::kFailed);
  EXPECT_GE(failed->failed_tasks, 3);
  const state::Deployment* rollback = RollbackOf(bad.deployment_id);
  ASSERT_NE(rollback, nullptr);
  EXPECT_EQ(rollback->rollout_state, RolloutState::kCompleted);
  EXPECT_TRUE(Reported(control::RollingBackEvent("api", rollback->id)));
}

TEST_F(DeploymentSimTest, WithoutRollbackAFailedDeploymentLeavesTheOldTasksRunning) {
  ASSERT_NO_FATAL_FAILURE(Boot(kVariants[5]));  // no-rollback
  const control::UpdateServiceResult bad = DeployApi({{kBehaviorVar, "exit:0"}});
  ASSERT_TRUE(harness_->RunUntilSettled(Seconds(900))) << Dump();
  harness_->RunFor(Seconds(600));  // nothing more happens
  EXPECT_TRUE(harness_->violations().empty()) << Dump();
  EXPECT_GE(harness_->MinHealthy("api"), 2);

  const state::Deployment* failed = Deployment(bad.deployment_id);
  ASSERT_NE(failed, nullptr);
  EXPECT_EQ(failed->status, DeploymentStatus::kPrimary);
  EXPECT_EQ(failed->rollout_state, RolloutState::kFailed);
  EXPECT_EQ(failed->rollout_state_reason, control::kCircuitBreakerFailedReason);
  EXPECT_EQ(failed->failed_tasks, 3);
  EXPECT_EQ(RollbackOf(bad.deployment_id), nullptr);
  EXPECT_FALSE(Reported("rolling back"));
  for (const state::Task* task : TasksOf(bad.task_definition)) {
    EXPECT_LT(task->created_at, failed->updated_at) << "a FAILED deployment starts nothing";
    EXPECT_EQ(task->last_status, TaskStatus::kStopped);
  }
  const std::vector<const state::Task*> healthy = harness_->HealthyTasks("api");
  ASSERT_EQ(healthy.size(), 2u);
  for (const state::Task* task : healthy) EXPECT_EQ(task->task_definition, "api:1");
}

TEST_F(DeploymentSimTest, ASupersedingDeploymentReplacesOneInProgress) {
  ASSERT_NO_FATAL_FAILURE(Boot(kVariants[0]));
  const control::UpdateServiceResult first = DeployApi({{"REV", "2"}});
  harness_->RunFor(Seconds(5));
  const state::Deployment* in_progress = Deployment(first.deployment_id);
  ASSERT_NE(in_progress, nullptr);
  ASSERT_EQ(in_progress->rollout_state, RolloutState::kInProgress);
  const control::UpdateServiceResult second = DeployApi({{"REV", "3"}});
  EXPECT_EQ(second.task_definition, "api:3");
  ASSERT_TRUE(harness_->RunUntilSettled(Seconds(900))) << Dump();
  EXPECT_TRUE(harness_->violations().empty()) << Dump();
  EXPECT_GE(harness_->MinHealthy("api"), 2);

  const state::Deployment* superseded = Deployment(first.deployment_id);
  EXPECT_EQ(superseded->status, DeploymentStatus::kInactive);
  const state::Deployment* primary = Deployment(second.deployment_id);
  EXPECT_EQ(primary->status, DeploymentStatus::kPrimary);
  EXPECT_EQ(primary->rollout_state, RolloutState::kCompleted);
  const std::vector<const state::Task*> healthy = harness_->HealthyTasks("api");
  ASSERT_EQ(healthy.size(), 2u);
  for (const state::Task* task : healthy) EXPECT_EQ(task->task_definition, "api:3");
  for (const state::Task* task : TasksOf("api:2")) {
    EXPECT_EQ(task->last_status, TaskStatus::kStopped);
    EXPECT_EQ(task->stopped_reason, control::DeploymentReason(second.deployment_id));
  }
  EXPECT_TRUE(Reported(control::DeploymentCompletedEvent("api", second.deployment_id)));
  EXPECT_FALSE(Reported(control::DeploymentCompletedEvent("api", first.deployment_id)));
}

}  // namespace
}  // namespace drydock::live
