#include "logs/log_paths.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>

#include "base/file_mode_test_util.h"
#include "state/sqlite/store_test_util.h"

namespace drydock::logs {
namespace {

using drydock::testing::ModeOf;

using state::store_testing::TempDir;

const std::string kTaskId = "0123456789abcdef0123456789abcdef";

TEST(LogPathsTest, NamesFollowTheAwslogsDriver) {
  EXPECT_EQ(LogGroupName("api"), "/ecs/api");
  EXPECT_EQ(LogStreamName("api", kTaskId), "ecs/api/" + kTaskId);
}

TEST(LogPathsTest, GroupAndStreamKeepTheirSlashesAsDirectories) {
  Result<std::string> path = StreamFilePath("/x/logs", "/ecs/api", "ecs/api/" + kTaskId);
  ASSERT_TRUE(path.ok()) << path.status().message();
  EXPECT_EQ(*path, "/x/logs/ecs/api/ecs/api/" + kTaskId + ".log");
  Result<std::string> dir = GroupDirectory("/x/logs", "no-leading-slash");
  ASSERT_TRUE(dir.ok());
  EXPECT_EQ(*dir, "/x/logs/no-leading-slash");
}

TEST(LogPathsTest, RejectsNamesThatWouldLeaveTheDirectory) {
  for (const char* group :
       {"", "/", "//ecs", "/ecs/../..", "/ecs/./api", "/ecs/api/", "/ecs api", "/ecs/api:1"}) {
    Result<std::string> path = StreamFilePath("/x/logs", group, "ecs/api/1");
    EXPECT_FALSE(path.ok()) << group;
    EXPECT_EQ(path.status().code(), StatusCode::kInvalidArgument) << group;
  }
  for (const char* stream : {"", "/ecs/api/1", "ecs//1", "ecs/api/..", "..", "ecs/a:b", "ecs/*",
                             "ecs/\n", "ecs/api/1/"}) {
    EXPECT_FALSE(StreamFilePath("/x/logs", "/ecs/api", stream).ok()) << stream;
  }
  EXPECT_FALSE(StreamFilePath("/x/logs", "/ecs/api", std::string(252, 'a')).ok());
  EXPECT_TRUE(StreamFilePath("/x/logs", "/ecs/api", std::string(251, 'a')).ok());
  EXPECT_FALSE(GroupDirectory("/x/logs", "/" + std::string(512, 'a')).ok());
}

TEST(LogPathsTest, EnsureStreamDirectoryCreatesPrivateDirectories) {
  TempDir temp;
  const mode_t old_umask = umask(0);
  Result<std::string> path =
      StreamFilePath(temp.Join("logs"), LogGroupName("api"), LogStreamName("api", kTaskId));
  ASSERT_TRUE(path.ok());
  Status status = EnsureStreamDirectory(*path);
  umask(old_umask);
  ASSERT_TRUE(status.ok()) << status.message();
  for (const char* dir : {"logs", "logs/ecs", "logs/ecs/api", "logs/ecs/api/ecs/api"}) {
    EXPECT_EQ(ModeOf(temp.Join(dir)), 0700u) << dir;
  }
  EXPECT_TRUE(EnsureStreamDirectory(*path).ok());  // idempotent
}

TEST(LogPathsTest, EnsureStreamDirectoryReportsAFileInTheWay) {
  TempDir temp;
  std::ofstream(temp.Join("logs")) << "not a directory";
  Status status = EnsureStreamDirectory(temp.Join("logs/ecs/api/x.log"));
  EXPECT_EQ(status.code(), StatusCode::kIo);
  EXPECT_NE(status.message().find(temp.Join("logs")), std::string::npos) << status.message();
}

TEST(LogPathsTest, ListStreamNamesFindsStreamFilesOnly) {
  TempDir temp;
  const std::string logs = temp.Join("logs");
  EXPECT_TRUE(ListStreamNames(logs, "/ecs/api")->empty());  // no directory yet
  for (const char* file :
       {"ecs/api/ecs/api/b.log", "ecs/api/ecs/api/a.log", "ecs/api/ecs/api/a.log.tmp",
        "ecs/api/other/c.log", "ecs/web/ecs/web/d.log"}) {
    ASSERT_TRUE(EnsureStreamDirectory(logs + "/" + file).ok());
    std::ofstream(logs + "/" + file) << "";
  }
  Result<std::vector<std::string>> names = ListStreamNames(logs, "/ecs/api");
  ASSERT_TRUE(names.ok()) << names.status().message();
  EXPECT_EQ(*names, (std::vector<std::string>{"ecs/api/a", "ecs/api/b", "other/c"}));
}

}  // namespace
}  // namespace drydock::logs
