#include "state/state_dir_lock.h"

#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "state/sqlite/store_test_util.h"

extern char** environ;

namespace drydock::state {
namespace {

using store_testing::TempDir;

StateDir MakeStateDir(const TempDir& temp) {
  Result<StateDir> dir = StateDir::Create(temp.Join(".drydock"));
  EXPECT_TRUE(dir.ok()) << dir.status().message();
  return std::move(dir).value();
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Kills and reaps a child process when the test ends, even on failure.
class ChildGuard {
 public:
  explicit ChildGuard(pid_t pid) : pid_(pid) {}
  ChildGuard(const ChildGuard&) = delete;
  ChildGuard& operator=(const ChildGuard&) = delete;
  ~ChildGuard() { KillAndReap(); }
  void KillAndReap() {
    if (pid_ <= 0) return;
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }

 private:
  pid_t pid_;
};

TEST(StateDirLockTest, SecondAcquisitionFailsWithTheHoldersPid) {
  TempDir temp;
  StateDir dir = MakeStateDir(temp);
  Result<ControlLock> first = ControlLock::Acquire(dir);
  ASSERT_TRUE(first.ok()) << first.status().message();
  EXPECT_TRUE(first->held());

  // flock locks belong to the open file, so a second open in this same
  // process conflicts just as another process would.
  Result<ControlLock> second = ControlLock::Acquire(dir);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(second.status().message(), "a drydock control plane (pid " +
                                           std::to_string(getpid()) + ") is already running on " +
                                           dir.path());
  // The failed attempt left the holder's record alone.
  EXPECT_EQ(ReadFile(dir.LockPath()), std::to_string(getpid()) + "\n");
}

TEST(StateDirLockTest, ReleaseLetsTheNextOneIn) {
  TempDir temp;
  StateDir dir = MakeStateDir(temp);
  Result<ControlLock> first = ControlLock::Acquire(dir);
  ASSERT_TRUE(first.ok());
  first->Release();
  EXPECT_FALSE(first->held());
  EXPECT_EQ(ReadFile(dir.LockPath()), "");
  {
    Result<ControlLock> second = ControlLock::Acquire(dir);
    ASSERT_TRUE(second.ok()) << second.status().message();
    ControlLock moved = std::move(second).value();  // moving keeps it held
    EXPECT_TRUE(moved.held());
    EXPECT_FALSE(ControlLock::Acquire(dir).ok());
  }  // destroyed: released
  EXPECT_TRUE(ControlLock::Acquire(dir).ok());
}

TEST(StateDirLockTest, LockFileIsPrivate) {
  TempDir temp;
  StateDir dir = MakeStateDir(temp);
  mode_t old_umask = umask(0);
  Result<ControlLock> lock = ControlLock::Acquire(dir);
  umask(old_umask);
  ASSERT_TRUE(lock.ok());
  struct stat info;
  ASSERT_EQ(stat(dir.LockPath().c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 07777, 0600u);
}

TEST(StateDirLockTest, ProbeReportsTheHolderWithoutTakingTheLock) {
  TempDir temp;
  StateDir dir = MakeStateDir(temp);
  Result<std::optional<int>> none = ProbeControlLock(dir);
  ASSERT_TRUE(none.ok()) << none.status().message();
  EXPECT_FALSE(none->has_value());

  Result<ControlLock> lock = ControlLock::Acquire(dir);
  ASSERT_TRUE(lock.ok());
  Result<std::optional<int>> holder = ProbeControlLock(dir);
  ASSERT_TRUE(holder.ok());
  EXPECT_EQ(holder->value_or(-1), getpid());
  lock->Release();
  EXPECT_FALSE(ProbeControlLock(dir)->has_value());
  EXPECT_TRUE(ControlLock::Acquire(dir).ok());
}

TEST(StateDirLockTest, AKilledHoldersLockIsFree) {
  TempDir temp;
  StateDir dir = MakeStateDir(temp);
  int ready[2];
  ASSERT_EQ(pipe(ready), 0);
  pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    // The child plays a control plane: it takes the lock, says so, waits.
    Result<ControlLock> lock = ControlLock::Acquire(dir);
    char byte = lock.ok() ? 'y' : 'n';
    if (write(ready[1], &byte, 1) != 1) _exit(1);
    pause();
    _exit(0);
  }
  ChildGuard guard(child);
  close(ready[1]);
  char byte = 0;
  ASSERT_EQ(read(ready[0], &byte, 1), 1);
  close(ready[0]);
  ASSERT_EQ(byte, 'y');

  Result<ControlLock> blocked = ControlLock::Acquire(dir);
  ASSERT_FALSE(blocked.ok());
  EXPECT_NE(blocked.status().message().find("(pid " + std::to_string(child) + ")"),
            std::string::npos)
      << blocked.status().message();

  guard.KillAndReap();  // kill -9: no chance to release anything
  Result<ControlLock> after = ControlLock::Acquire(dir);
  EXPECT_TRUE(after.ok()) << after.status().message();
}

TEST(StateDirLockTest, ProcessesStartedByTheHolderDoNotInheritTheLock) {
  TempDir temp;
  StateDir dir = MakeStateDir(temp);
  Result<ControlLock> lock = ControlLock::Acquire(dir);
  ASSERT_TRUE(lock.ok());
  // A task process outlives a crashed control plane; had it inherited the
  // lock's descriptor it would keep the lock and block every restart.
  pid_t task = 0;
  char sleep_arg0[] = "sleep";
  char sleep_arg1[] = "30";
  char* argv[] = {sleep_arg0, sleep_arg1, nullptr};
  ASSERT_EQ(posix_spawnp(&task, "sleep", nullptr, nullptr, argv, environ), 0);
  ChildGuard guard(task);
  lock->Release();
  Result<ControlLock> next = ControlLock::Acquire(dir);
  EXPECT_TRUE(next.ok()) << next.status().message();
}

}  // namespace
}  // namespace drydock::state
