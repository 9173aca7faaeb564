#include "state/state_dir.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>

#include <gtest/gtest.h>

#include "base/file_mode_test_util.h"
#include "state/sqlite/store_test_util.h"

namespace drydock::state {
namespace {

using drydock::testing::ModeOf;

using store_testing::TempDir;

bool Contains(const Status& status, const std::string& text) {
  return status.message().find(text) != std::string::npos;
}

// Sets the umask for one scope.
class ScopedUmask {
 public:
  explicit ScopedUmask(mode_t mask) : old_(umask(mask)) {}
  ~ScopedUmask() { umask(old_); }

 private:
  mode_t old_;
};

TEST(StateDirTest, ResolvesFlagThenEnvironmentThenDefault) {
  EXPECT_EQ(ResolveStateDirPath("/flag", "/env"), "/flag");
  EXPECT_EQ(ResolveStateDirPath("", "/env"), "/env");
  EXPECT_EQ(ResolveStateDirPath("", ""), "./.drydock");
  EXPECT_EQ(ResolveStateDirPath("", nullptr), "./.drydock");
}

TEST(StateDirTest, CreatesAPrivateLayoutWhateverTheUmask) {
  // 0277 would even take the owner's write and search bits away.
  for (mode_t mask : {mode_t{0}, mode_t{022}, mode_t{077}, mode_t{0277}}) {
    TempDir temp;
    const std::string path = temp.Join(".drydock");
    Result<StateDir> dir = [&] {
      ScopedUmask scoped(mask);
      return StateDir::Create(path + "/");
    }();
    ASSERT_TRUE(dir.ok()) << dir.status().message();
    EXPECT_EQ(dir->path(), path);  // normalized: no trailing '/'
    EXPECT_EQ(ModeOf(path), 0700u) << "umask " << mask;
    EXPECT_EQ(ModeOf(dir->LogsDir()), 0700u);
    EXPECT_EQ(ModeOf(dir->TasksDir()), 0700u);
    EXPECT_EQ(dir->DatabasePath(), path + "/state.db");
    EXPECT_EQ(dir->SocketPath(), path + "/control.sock");
    EXPECT_EQ(dir->LockPath(), path + "/control.lock");
    EXPECT_EQ(dir->LogsDir(), path + "/logs");
    EXPECT_EQ(dir->TasksDir(), path + "/tasks");
    // Creating again is fine and changes nothing.
    EXPECT_TRUE(StateDir::Create(path).ok());
  }
}

TEST(StateDirTest, CreatesMissingParents) {
  TempDir temp;
  Result<StateDir> dir = StateDir::Create(temp.Join("a/b/.drydock"));
  ASSERT_TRUE(dir.ok()) << dir.status().message();
  EXPECT_EQ(ModeOf(temp.Join("a/b/.drydock")), 0700u);
  EXPECT_EQ(ModeOf(temp.Join("a/b/.drydock/tasks")), 0700u);
}

TEST(StateDirTest, TightensALooseDirectoryThatHoldsOnlyDrydocksFiles) {
  TempDir temp;
  const std::string path = temp.Join(".drydock");
  ASSERT_EQ(mkdir(path.c_str(), 0700), 0);
  ASSERT_EQ(mkdir((path + "/logs").c_str(), 0755), 0);
  std::ofstream(path + "/state.db") << "";
  ASSERT_EQ(chmod(path.c_str(), 0755), 0);
  Result<StateDir> dir = StateDir::Create(path);
  ASSERT_TRUE(dir.ok()) << dir.status().message();
  EXPECT_EQ(ModeOf(path), 0700u);
  EXPECT_EQ(ModeOf(path + "/logs"), 0700u);
}

TEST(StateDirTest, RefusesALooseDirectoryThatHoldsOtherFiles) {
  TempDir temp;
  ASSERT_EQ(chmod(temp.path().c_str(), 0775), 0);
  std::ofstream(temp.Join("notes.txt")) << "mine";
  Result<StateDir> dir = StateDir::Create(temp.path());
  ASSERT_FALSE(dir.ok());
  EXPECT_EQ(dir.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_TRUE(Contains(dir.status(), "is open to other users (mode 0775)"))
      << dir.status().message();
  EXPECT_TRUE(Contains(dir.status(), "chmod 700 " + temp.path()));
  EXPECT_EQ(ModeOf(temp.path()), 0775u);  // left as it was
  // A private directory may hold anything.
  ASSERT_EQ(chmod(temp.path().c_str(), 0700), 0);
  EXPECT_TRUE(StateDir::Create(temp.path()).ok());
}

TEST(StateDirTest, RefusesADirectoryOfAnotherUser) {
  if (geteuid() != 0) GTEST_SKIP() << "needs root to give a directory away";
  TempDir temp;
  const std::string path = temp.Join(".drydock");
  ASSERT_EQ(mkdir(path.c_str(), 0777), 0);
  ASSERT_EQ(chown(path.c_str(), 65534, 65534), 0);
  for (bool create : {true, false}) {
    Result<StateDir> dir = create ? StateDir::Create(path) : StateDir::OpenExisting(path);
    ASSERT_FALSE(dir.ok());
    EXPECT_TRUE(Contains(dir.status(), "belongs to uid 65534, not to you"))
        << dir.status().message();
  }
}

TEST(StateDirTest, RefusesAFileInPlaceOfTheDirectory) {
  TempDir temp;
  std::ofstream(temp.Join("file")) << "x";
  Result<StateDir> dir = StateDir::Create(temp.Join("file"));
  ASSERT_FALSE(dir.ok());
  EXPECT_TRUE(Contains(dir.status(), "exists and is not a directory")) << dir.status().message();
}

TEST(StateDirTest, OpenExistingCreatesAndChangesNothing) {
  TempDir temp;
  Result<StateDir> missing = StateDir::OpenExisting(temp.Join(".drydock"));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(Contains(missing.status(), "drydock up"));
  EXPECT_NE(access(temp.Join(".drydock").c_str(), F_OK), 0);

  ASSERT_EQ(chmod(temp.path().c_str(), 0755), 0);
  Result<StateDir> loose = StateDir::OpenExisting(temp.path());
  ASSERT_TRUE(loose.ok()) << loose.status().message();
  EXPECT_EQ(ModeOf(temp.path()), 0755u);
}

TEST(StateDirTest, PrivateFilesAre0600WhateverTheUmask) {
  TempDir temp;
  const std::string path = temp.Join("secret");
  {
    ScopedUmask scoped(0);
    Result<int> fd = OpenPrivateFile(path);
    ASSERT_TRUE(fd.ok()) << fd.status().message();
    close(*fd);
  }
  EXPECT_EQ(ModeOf(path), 0600u);
  ASSERT_EQ(chmod(path.c_str(), 0644), 0);
  Result<int> fd = OpenPrivateFile(path);
  ASSERT_TRUE(fd.ok());
  EXPECT_NE(fcntl(*fd, F_GETFD) & FD_CLOEXEC, 0);
  close(*fd);
  EXPECT_EQ(ModeOf(path), 0600u);

  ASSERT_EQ(chmod(path.c_str(), 0666), 0);
  EXPECT_TRUE(TightenFileMode(path).ok());
  EXPECT_EQ(ModeOf(path), 0600u);
  EXPECT_TRUE(TightenFileMode(temp.Join("missing")).ok());
}

}  // namespace
}  // namespace drydock::state
