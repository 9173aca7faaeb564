#include "runtime/real/cgroup.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace drydock::runtime {
namespace {

constexpr const char* kHybridMountinfo =
    "30 22 0:27 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755\n"
    "31 30 0:28 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu\n"
    "32 30 0:29 / /sys/fs/cgroup/cpuacct rw,relatime - cgroup cgroup rw,cpuacct\n"
    "34 30 0:31 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory\n"
    "40 30 0:37 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw\n";
constexpr const char* kHybridSelf =
    "9:name=systemd:/\n4:memory:/process_api/abc\n2:cpuacct:/\n1:cpu:/\n0::/\n";

TEST(CgroupTest, V1WinsOnHybridSystems) {
  const CgroupLayout layout = ParseCgroupLayout(kHybridMountinfo, kHybridSelf);
  EXPECT_EQ(layout.version, CgroupVersion::kV1);
  EXPECT_EQ(layout.cpu_dir, "/sys/fs/cgroup/cpu");
  EXPECT_EQ(layout.memory_dir, "/sys/fs/cgroup/memory/process_api/abc");
}

TEST(CgroupTest, V1WithJoinedControllersAndAMountRoot) {
  const CgroupLayout layout = ParseCgroupLayout(
      "31 30 0:28 /ctr /sys/fs/cgroup/cpu,cpuacct rw - cgroup cgroup rw,cpu,cpuacct\n",
      "3:cpu,cpuacct:/ctr/job\n");
  EXPECT_EQ(layout.version, CgroupVersion::kV1);
  EXPECT_EQ(layout.cpu_dir, "/sys/fs/cgroup/cpu,cpuacct/job");
  EXPECT_EQ(layout.memory_dir, "");
}

TEST(CgroupTest, V2Unified) {
  const CgroupLayout layout = ParseCgroupLayout(
      "25 1 0:22 / /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw,nsdelegate\n",
      "0::/user.slice/user-1000.slice/session-2.scope\n");
  EXPECT_EQ(layout.version, CgroupVersion::kV2);
  EXPECT_EQ(layout.v2_dir, "/sys/fs/cgroup/user.slice/user-1000.slice/session-2.scope");
}

TEST(CgroupTest, NoneMounted) {
  const CgroupLayout layout = ParseCgroupLayout("22 1 0:5 / / rw - ext4 /dev/sda1 rw\n", "");
  EXPECT_EQ(layout.version, CgroupVersion::kNone);
  EXPECT_FALSE(layout.problem.empty());
}

TEST(CgroupTest, LimitValues) {
  EXPECT_EQ(CpuSharesForUnits(0), 2u);
  EXPECT_EQ(CpuSharesForUnits(256), 256u);
  EXPECT_EQ(CpuQuotaMicrosForUnits(1024), 100000);
  EXPECT_EQ(CpuQuotaMicrosForUnits(256), 25000);
  EXPECT_EQ(CpuQuotaMicrosForUnits(2048), 200000);
  EXPECT_EQ(CpuQuotaMicrosForUnits(1), 1000);
  EXPECT_EQ(CpuWeightForShares(2), 1u);
  EXPECT_EQ(CpuWeightForShares(1024), 39u);
  EXPECT_EQ(CpuWeightForShares(262144), 10000u);
}

TEST(CgroupTest, NoLimitsMeansNoGroupAndNoNote) {
  const TaskCgroup group = TaskCgroup::Create(CgroupLayout{}, "t", ResourceLimits{});
  EXPECT_TRUE(group.dirs().empty());
  EXPECT_EQ(group.note(), "");
}

TEST(CgroupTest, NoCgroupFsIsRecordedNotFatal) {
  CgroupLayout layout;
  layout.problem = "no cgroup file system with the cpu or memory controller is mounted";
  const TaskCgroup group = TaskCgroup::Create(layout, "t", {256, 512});
  EXPECT_TRUE(group.dirs().empty());
  EXPECT_EQ(group.note(), "limits not enforced: " + layout.problem);
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// A directory tree standing in for a cgroup file system (plain files accept
// any write, so this checks what is written where, not kernel behaviour).
class CgroupFakeFsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char dir_template[] = "/tmp/drydock-cgroup-XXXXXX";
    ASSERT_NE(mkdtemp(dir_template), nullptr);
    root_ = dir_template;
  }
  void TearDown() override { std::filesystem::remove_all(root_); }

  std::string root_;
};

TEST_F(CgroupFakeFsTest, V2WritesCpuMaxWeightAndMemoryMax) {
  std::ofstream(root_ + "/cgroup.controllers") << "cpuset cpu io memory pids\n";
  CgroupLayout layout;
  layout.version = CgroupVersion::kV2;
  layout.v2_dir = root_;
  TaskCgroup group = TaskCgroup::Create(layout, "task-1", {512, 256});
  EXPECT_EQ(group.note(), "");
  const std::string dir = root_ + "/drydock/task-1";
  ASSERT_EQ(group.dirs(), std::vector<std::string>{dir});
  EXPECT_EQ(ReadFile(root_ + "/cgroup.subtree_control"), "+cpu +memory");
  EXPECT_EQ(ReadFile(root_ + "/drydock/cgroup.subtree_control"), "+cpu +memory");
  EXPECT_EQ(ReadFile(dir + "/cpu.max"), "50000 100000");
  EXPECT_EQ(ReadFile(dir + "/cpu.weight"), "20");
  EXPECT_EQ(ReadFile(dir + "/memory.max"), std::to_string(256u << 20));
}

TEST_F(CgroupFakeFsTest, V2WithoutDelegatedControllerIsRecorded) {
  std::ofstream(root_ + "/cgroup.controllers") << "pids\n";
  CgroupLayout layout;
  layout.version = CgroupVersion::kV2;
  layout.v2_dir = root_;
  const TaskCgroup group = TaskCgroup::Create(layout, "task-1", {0, 256});
  EXPECT_TRUE(group.dirs().empty());
  EXPECT_NE(group.note().find("limits not enforced: the cgroup v2 memory controller"), std::string::npos)
      << group.note();
}

TEST_F(CgroupFakeFsTest, V1WritesSharesQuotaAndMemoryLimit) {
  ASSERT_EQ(mkdir((root_ + "/cpu").c_str(), 0755), 0);
  CgroupLayout layout;
  layout.version = CgroupVersion::kV1;
  layout.cpu_dir = root_ + "/cpu";
  layout.memory_dir = root_ + "/memory/nested";  // parent missing: mkdir fails
  TaskCgroup group = TaskCgroup::Create(layout, "task-1", {256, 64});
  const std::string cpu = root_ + "/cpu/drydock/task-1";
  ASSERT_EQ(group.dirs(), std::vector<std::string>{cpu});
  EXPECT_EQ(ReadFile(cpu + "/cpu.shares"), "256");
  EXPECT_EQ(ReadFile(cpu + "/cpu.cfs_period_us"), "100000");
  EXPECT_EQ(ReadFile(cpu + "/cpu.cfs_quota_us"), "25000");
  EXPECT_NE(group.note().find("limits not enforced: memory: cannot create"), std::string::npos)
      << group.note();
}

}  // namespace
}  // namespace drydock::runtime
