#include "runtime/real/cgroup.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <csignal>
#include <cstring>
#include <ctime>
#include <optional>

namespace drydock::runtime {
namespace {

std::vector<std::string_view> Split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (start <= text.size()) {
    const size_t end = std::min(text.find(separator, start), text.size());
    parts.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return parts;
}

bool HasToken(std::string_view list, std::string_view token, char separator) {
  for (std::string_view part : Split(list, separator)) {
    if (part == token) return true;
  }
  return false;
}

// The directory of cgroup `path` in a mount of root `root` at `mount_point`.
std::string JoinCgroupDir(std::string_view mount_point, std::string_view root, std::string_view path) {
  std::string_view relative = path;
  if (root != "/" && relative.substr(0, root.size()) == root) relative.remove_prefix(root.size());
  std::string dir(mount_point);
  if (!relative.empty() && relative != "/") dir.append(relative);
  return dir;
}

// mountinfo: "36 25 0:31 <root> <mount point> <options> ... - <fstype> <source> <super options>"
struct CgroupMount {
  std::string fstype, root, mount_point, options;
};

std::vector<CgroupMount> ParseCgroupMounts(std::string_view mountinfo) {
  std::vector<CgroupMount> mounts;
  for (std::string_view line : Split(mountinfo, '\n')) {
    const size_t dash = line.find(" - ");
    if (dash == std::string_view::npos) continue;
    const std::vector<std::string_view> left = Split(line.substr(0, dash), ' ');
    const std::vector<std::string_view> right = Split(line.substr(dash + 3), ' ');
    if (left.size() < 5 || right.size() < 3) continue;
    if (right[0] != "cgroup" && right[0] != "cgroup2") continue;
    mounts.push_back({std::string(right[0]), std::string(left[3]), std::string(left[4]),
                      std::string(right[2])});
  }
  return mounts;
}

// The path of this process's cgroup for a v1 controller, or for v2 ("").
std::optional<std::string_view> OwnPath(std::string_view self_cgroup, std::string_view controller) {
  for (std::string_view line : Split(self_cgroup, '\n')) {
    const size_t first = line.find(':');
    const size_t second = line.find(':', first + 1);
    if (first == std::string_view::npos || second == std::string_view::npos) continue;
    const std::string_view controllers = line.substr(first + 1, second - first - 1);
    const bool match = controller.empty() ? (line.substr(0, first) == "0" && controllers.empty())
                                          : HasToken(controllers, controller, ',');
    if (match) return line.substr(second + 1);
  }
  return std::nullopt;
}

std::string ErrnoText(const std::string& what) { return what + ": " + std::strerror(errno); }

Status WriteText(const std::string& path, const std::string& value) {
  const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return IoError(ErrnoText("cannot open " + path));
  const ssize_t wrote = write(fd, value.data(), value.size());
  const int write_errno = errno;
  close(fd);
  if (wrote != static_cast<ssize_t>(value.size())) {
    return IoError("cannot write '" + value + "' to " + path + ": " + std::strerror(write_errno));
  }
  return Status::Ok();
}

std::string ReadText(const std::string& path) {
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return "";
  std::string text;
  char buffer[4096];
  ssize_t got;
  while ((got = read(fd, buffer, sizeof buffer)) > 0) text.append(buffer, static_cast<size_t>(got));
  close(fd);
  return text;
}

Status MakeDir(const std::string& path) {
  if (mkdir(path.c_str(), 0755) == 0 || errno == EEXIST) return Status::Ok();
  return IoError(ErrnoText("cannot create " + path));
}

void SleepBriefly() {
  const timespec ten_ms{0, 10 * 1000 * 1000};
  nanosleep(&ten_ms, nullptr);
}

std::vector<int> ReadPids(const std::string& procs_file) {
  std::vector<int> pids;
  const std::string text = ReadText(procs_file);
  for (std::string_view line : Split(text, '\n')) {
    int pid = 0;
    auto [end, error] = std::from_chars(line.data(), line.data() + line.size(), pid);
    if (error == std::errc() && pid > 0) pids.push_back(pid);
  }
  return pids;
}

}  // namespace

CgroupLayout ParseCgroupLayout(std::string_view mountinfo, std::string_view self_cgroup) {
  CgroupLayout layout;
  const std::vector<CgroupMount> mounts = ParseCgroupMounts(mountinfo);
  const CgroupMount* v2 = nullptr;
  for (const CgroupMount& mount : mounts) {
    if (mount.fstype == "cgroup2") {
      if (v2 == nullptr) v2 = &mount;
      continue;
    }
    for (std::string_view controller : {"cpu", "memory"}) {
      if (!HasToken(mount.options, controller, ',')) continue;
      const auto own = OwnPath(self_cgroup, controller);
      if (!own) continue;
      std::string dir = JoinCgroupDir(mount.mount_point, mount.root, *own);
      (controller == "cpu" ? layout.cpu_dir : layout.memory_dir) = std::move(dir);
      layout.version = CgroupVersion::kV1;
    }
  }
  if (layout.version == CgroupVersion::kV1) return layout;
  const auto own_v2 = OwnPath(self_cgroup, "");
  if (v2 != nullptr && own_v2) {
    layout.version = CgroupVersion::kV2;
    layout.v2_dir = JoinCgroupDir(v2->mount_point, v2->root, *own_v2);
    return layout;
  }
  layout.problem = "no cgroup file system with the cpu or memory controller is mounted";
  return layout;
}

CgroupLayout DetectCgroupLayout() {
  return ParseCgroupLayout(ReadText("/proc/self/mountinfo"), ReadText("/proc/self/cgroup"));
}

uint64_t CpuSharesForUnits(int cpu_units) {
  return static_cast<uint64_t>(std::max(2, cpu_units));
}

int64_t CpuQuotaMicrosForUnits(int cpu_units) {
  return std::max<int64_t>(1000, static_cast<int64_t>(cpu_units) * kCpuPeriodMicros / 1024);
}

uint64_t CpuWeightForShares(uint64_t shares) {
  shares = std::clamp<uint64_t>(shares, 2, 262144);
  return 1 + ((shares - 2) * 9999) / 262142;
}

TaskCgroup TaskCgroup::Create(const CgroupLayout& layout, const std::string& task_id,
                              const ResourceLimits& limits) {
  TaskCgroup group;
  if (limits.cpu_units <= 0 && limits.memory_mib <= 0) return group;
  switch (layout.version) {
    case CgroupVersion::kNone: group.AddProblem(layout.problem); break;
    case CgroupVersion::kV1: group.CreateV1(layout, task_id, limits); break;
    case CgroupVersion::kV2: group.CreateV2(layout, task_id, limits); break;
  }
  return group;
}

void TaskCgroup::AddProblem(const std::string& problem) {
  note_ += note_.empty() ? "limits not enforced: " : "; ";
  note_ += problem;
}

void TaskCgroup::CreateV1(const CgroupLayout& layout, const std::string& task_id,
                          const ResourceLimits& limits) {
  struct Part {
    const char* name;
    std::string parent;
    std::vector<std::pair<std::string, std::string>> files;
  };
  std::vector<Part> parts;
  if (limits.cpu_units > 0) {
    parts.push_back({"cpu", layout.cpu_dir,
                     {{"cpu.shares", std::to_string(CpuSharesForUnits(limits.cpu_units))},
                      {"cpu.cfs_period_us", std::to_string(kCpuPeriodMicros)},
                      {"cpu.cfs_quota_us", std::to_string(CpuQuotaMicrosForUnits(limits.cpu_units))}}});
  }
  if (limits.memory_mib > 0) {
    parts.push_back({"memory", layout.memory_dir,
                     {{"memory.limit_in_bytes",
                       std::to_string(static_cast<uint64_t>(limits.memory_mib) << 20)}}});
  }
  for (const Part& part : parts) {
    if (part.parent.empty()) {
      AddProblem(std::string(part.name) + ": the cgroup v1 " + part.name + " controller is not mounted");
      continue;
    }
    const std::string dir = part.parent + "/drydock/" + task_id;
    Status status = MakeDir(part.parent + "/drydock");
    if (status.ok()) status = MakeDir(dir);
    for (const auto& [file, value] : part.files) {
      if (status.ok()) status = WriteText(dir + "/" + file, value);
    }
    if (!status.ok()) {
      AddProblem(std::string(part.name) + ": " + status.message());
      rmdir(dir.c_str());
      continue;
    }
    dirs_.push_back(dir);
  }
}

void TaskCgroup::CreateV2(const CgroupLayout& layout, const std::string& task_id,
                          const ResourceLimits& limits) {
  std::vector<std::string> needed;
  if (limits.cpu_units > 0) needed.push_back("cpu");
  if (limits.memory_mib > 0) needed.push_back("memory");
  const std::string available = ReadText(layout.v2_dir + "/cgroup.controllers");
  std::string_view trimmed = available;
  while (!trimmed.empty() && trimmed.back() == '\n') trimmed.remove_suffix(1);
  std::string enable;
  for (const std::string& controller : needed) {
    if (!HasToken(trimmed, controller, ' ')) {
      AddProblem("the cgroup v2 " + controller + " controller is not delegated to " + layout.v2_dir +
                 " (see its cgroup.controllers)");
      return;
    }
    enable += (enable.empty() ? "+" : " +") + controller;
  }
  const std::string base = layout.v2_dir + "/drydock";
  const std::string dir = base + "/" + task_id;
  Status status = WriteText(layout.v2_dir + "/cgroup.subtree_control", enable);
  if (!status.ok()) {
    AddProblem(status.message() + " (a v2 cgroup that holds processes cannot delegate controllers;"
               " run drydock in its own delegated cgroup, e.g. systemd-run --scope -p Delegate=yes)");
    return;
  }
  status = MakeDir(base);
  if (status.ok()) status = WriteText(base + "/cgroup.subtree_control", enable);
  if (status.ok()) status = MakeDir(dir);
  if (status.ok() && limits.cpu_units > 0) {
    status = WriteText(dir + "/cpu.max", std::to_string(CpuQuotaMicrosForUnits(limits.cpu_units)) +
                                             " " + std::to_string(kCpuPeriodMicros));
    const uint64_t weight = CpuWeightForShares(CpuSharesForUnits(limits.cpu_units));
    if (status.ok()) status = WriteText(dir + "/cpu.weight", std::to_string(weight));
  }
  if (status.ok() && limits.memory_mib > 0) {
    status = WriteText(dir + "/memory.max", std::to_string(static_cast<uint64_t>(limits.memory_mib) << 20));
  }
  if (!status.ok()) {
    AddProblem(status.message());
    rmdir(dir.c_str());
    return;
  }
  dirs_.push_back(dir);
}

void TaskCgroup::AddProcess(int pid) {
  for (const std::string& dir : dirs_) {
    Status status = WriteText(dir + "/cgroup.procs", std::to_string(pid));
    if (!status.ok()) {
      AddProblem("cannot move the task into its cgroup: " + status.message());
      Remove();
      return;
    }
  }
}

void TaskCgroup::KillAll(const std::function<void()>& reap) {
  for (const std::string& dir : dirs_) {
    for (int attempt = 0; attempt < 100; ++attempt) {
      const std::vector<int> pids = ReadPids(dir + "/cgroup.procs");
      if (pids.empty()) break;
      for (int pid : pids) kill(pid, SIGKILL);
      if (reap) reap();
      SleepBriefly();
    }
  }
}

void TaskCgroup::Remove() {
  for (const std::string& dir : dirs_) {
    // The kernel frees a group shortly after its last process is reaped.
    for (int attempt = 0; attempt < 100; ++attempt) {
      if (rmdir(dir.c_str()) == 0 || errno == ENOENT) break;
      if (errno != EBUSY) break;
      SleepBriefly();
    }
  }
  dirs_.clear();
}

}  // namespace drydock::runtime
