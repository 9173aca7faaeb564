// Per-task cgroups: a task's CPU and memory limits, as ECS enforces a task
// size. Groups are created under this process's own cgroup (never at the
// hierarchy root), as <own>/drydock/<task-id>:
//   v2: cpu.max "<quota> 100000", cpu.weight, memory.max (controllers enabled
//       through cgroup.subtree_control on the way down);
//   v1: cpu/.../cpu.shares, cpu.cfs_period_us, cpu.cfs_quota_us and
//       memory/.../memory.limit_in_bytes.
// When a limit cannot be applied (no cgroup fs, read-only, not permitted,
// controller missing) the task still runs and note() says why.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/process_launcher.h"

namespace drydock::runtime {

enum class CgroupVersion { kNone, kV1, kV2 };

// Where this process sits in the cgroup file systems.
struct CgroupLayout {
  CgroupVersion version = CgroupVersion::kNone;
  std::string v2_dir;      // v2: this process's cgroup directory
  std::string cpu_dir;     // v1: this process's cpu cgroup directory ("" if unmounted)
  std::string memory_dir;  // v1: this process's memory cgroup directory ("" if unmounted)
  std::string problem;     // kNone: why
};

// Pure: derives the layout from the text of /proc/self/mountinfo and
// /proc/self/cgroup. v1 cpu/memory mounts win over a controller-less v2
// mount (hybrid systems); otherwise a v2 mount is used.
CgroupLayout ParseCgroupLayout(std::string_view mountinfo, std::string_view self_cgroup);
// Reads this process's files and calls ParseCgroupLayout.
CgroupLayout DetectCgroupLayout();

// Limit values (pure).
inline constexpr int64_t kCpuPeriodMicros = 100000;
uint64_t CpuSharesForUnits(int cpu_units);     // max(2, units): 1024 units = 1024 shares
int64_t CpuQuotaMicrosForUnits(int cpu_units);  // units / 1024 CPUs per period, >= 1000
uint64_t CpuWeightForShares(uint64_t shares);   // v1 shares -> v2 weight (runc's formula)

class TaskCgroup {
 public:
  // Creates the task's groups and writes the limits. Never fails: what could
  // not be enforced is in note(). No limits asked: no groups, empty note.
  static TaskCgroup Create(const CgroupLayout& layout, const std::string& task_id,
                           const ResourceLimits& limits);

  // "" or "limits not enforced: <reason>".
  const std::string& note() const { return note_; }
  // The task's group directories (one for v2, up to two for v1).
  const std::vector<std::string>& dirs() const { return dirs_; }
  // Moves `pid` into every group. On failure the groups are removed and
  // note() explains; the task then runs unlimited.
  void AddProcess(int pid);
  // SIGKILLs every process left in the groups and waits (at most about a
  // second) until they are empty, calling `reap` between rounds so that a
  // parent can collect its killed children.
  void KillAll(const std::function<void()>& reap = nullptr);
  // Removes the task's groups (retrying briefly while the kernel releases them).
  void Remove();

 private:
  void AddProblem(const std::string& problem);
  void CreateV1(const CgroupLayout& layout, const std::string& task_id, const ResourceLimits& limits);
  void CreateV2(const CgroupLayout& layout, const std::string& task_id, const ResourceLimits& limits);

  std::vector<std::string> dirs_;
  std::string note_;
};

}  // namespace drydock::runtime
