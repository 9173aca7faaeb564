// A small seed sweep in the spirit of TigerBeetle's VOPR: random operator
// actions and task crashes (safety: resource accounting holds after every
// step), then a calm phase in which the cluster must converge (liveness).
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "control/harness/fixtures.h"
#include "control/harness/sim_control_loop.h"

namespace drydock::control {
namespace {

using state::TaskStatus;

state::Snapshot TwoServices() {
  state::Snapshot snapshot = fixtures::EmptyCluster();
  snapshot.group = {"test-asg", 1, 8, 2};
  snapshot.task_definitions = {fixtures::Definition("a", 512, 1024),
                               fixtures::Definition("b", 256, 512)};
  snapshot.services = {fixtures::MakeService("a", 5), fixtures::MakeService("b", 7)};
  return snapshot;
}

// Safety: no instance holds more than it registered; no two tasks share a host port.
void CheckAccounting(const state::Snapshot& s, uint64_t seed) {
  for (const state::Instance& instance : s.instances) {
    int cpu = 0, memory = 0;
    std::set<int> ports;
    for (const state::Task& t : s.tasks) {
      if (t.instance_id != instance.instance_id || t.last_status == TaskStatus::kStopped) continue;
      const state::TaskDefinition* d = s.FindTaskDefinition(t.task_definition);
      cpu += d->cpu_units;
      memory += d->memory_mib;
      if (t.host_port > 0) {
        EXPECT_TRUE(ports.insert(t.host_port).second) << "seed " << seed << " port " << t.host_port;
      }
    }
    EXPECT_LE(cpu, instance.registered.cpu_units) << "seed " << seed << " " << instance.instance_id;
    EXPECT_LE(memory, instance.registered.memory_mib) << "seed " << seed;
  }
}

void Chaos(SimCluster& cluster, Random& chaos) {
  switch (chaos.Below(4)) {
    case 0: {  // a task process exits
      std::vector<std::string> running;
      for (const state::Task& t : cluster.snapshot().tasks) {
        if (t.last_status == TaskStatus::kRunning) running.push_back(t.task_id);
      }
      if (!running.empty()) {
        EXPECT_TRUE(cluster.ExitTask(running[chaos.Below(running.size())], 1).ok());
      }
      break;
    }
    case 1:
      EXPECT_TRUE(
          cluster.SetDesiredCount(chaos.Chance(0.5) ? "a" : "b", static_cast<int>(chaos.Below(9)))
              .ok());
      break;
    case 2: cluster.SetDesiredCapacity(1 + static_cast<int>(chaos.Below(6))); break;
    default: break;  // a quiet interval
  }
}

TEST(SchedulerInvariants, SeedSweepKeepsAccountingAndConverges) {
  for (uint64_t seed = 1; seed <= 12; ++seed) {
    SimCluster cluster(TwoServices());
    config::Settings settings;
    SimControlLoop loop(&cluster, AsgPolicyFromSettings(settings), SchedulerPolicy{}, seed);
    Random chaos = Random(seed).Stream("chaos");
    for (int round = 0; round < 40; ++round) {
      Chaos(cluster, chaos);
      ASSERT_TRUE(loop.RunFor(Seconds(10)).ok()) << "seed " << seed;
      CheckAccounting(cluster.snapshot(), seed);
    }
    // Liveness: enough capacity and fixed desired counts -> every task RUNNING.
    cluster.SetDesiredCapacity(6);
    ASSERT_TRUE(cluster.SetDesiredCount("a", 5).ok());
    ASSERT_TRUE(cluster.SetDesiredCount("b", 7).ok());
    ASSERT_TRUE(loop.RunUntilStable(Seconds(1800)).ok()) << "seed " << seed;
    CheckAccounting(cluster.snapshot(), seed);
    std::map<std::string, int> running;
    for (const state::Task& t : cluster.snapshot().tasks) {
      if (t.desired_status == TaskStatus::kRunning) {
        EXPECT_EQ(t.last_status, TaskStatus::kRunning) << "seed " << seed;
        running[t.service]++;
      }
    }
    EXPECT_EQ(running, (std::map<std::string, int>{{"a", 5}, {"b", 7}})) << "seed " << seed;
  }
}

}  // namespace
}  // namespace drydock::control
