#include "logs/retention.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "logs/log_reader.h"
#include "logs/logs_test_util.h"
#include "state/sqlite/store_test_util.h"

namespace drydock::logs {
namespace {

using runtime::LogStream;
using state::store_testing::TempDir;
using testing::AppendBytes;
using testing::AppendRecords;
using testing::Record;

const std::string kApiGroup = "/ecs/api";
const std::string kOpen = "ecs/api/00000000";
const std::string kClosed = "ecs/api/11111111";
const TimePoint kCutoff = Record(100, "").time;

std::string Contents(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

TEST(RetentionTest, RewritesClosedStreamsWithoutTheirExpiredEvents) {
  TempDir temp;
  AppendRecords(temp.path(), kApiGroup, kClosed,
                {Record(10, "expired"), Record(90, "expired long ", LogStream::kStdout, true),
                 Record(110, "kept err", LogStream::kStderr),
                 Record(120, "line", LogStream::kStdout), Record(150, "kept")});
  AppendBytes(*StreamFilePath(temp.path(), kApiGroup, kClosed), "undatable\n");
  const mode_t old_umask = umask(0);
  Result<RetentionReport> report = ApplyRetention(temp.path(), kApiGroup, kCutoff, {kOpen});
  umask(old_umask);
  ASSERT_TRUE(report.ok()) << report.status().message();
  EXPECT_EQ(report->files_rewritten, 1);
  EXPECT_EQ(report->files_deleted, 0);
  EXPECT_EQ(report->events_dropped, 2);  // the P+F line is one event, dated by its first part

  const std::string path = *StreamFilePath(temp.path(), kApiGroup, kClosed);
  EXPECT_EQ(Contents(path), runtime::FormatLogLine(Record(110, "kept err", LogStream::kStderr)) +
                                runtime::FormatLogLine(Record(150, "kept")) + "undatable\n");
  struct stat info {};
  ASSERT_EQ(stat(path.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  EXPECT_FALSE(std::filesystem::exists(path + ".tmp"));
}

TEST(RetentionTest, DeletesEmptiedStreamsAndTheirDirectories) {
  TempDir temp;
  AppendRecords(temp.path(), kApiGroup, kClosed, {Record(10, "expired")});
  AppendRecords(temp.path(), kApiGroup, "nested/dir/22222222", {Record(20, "expired")});
  Result<RetentionReport> report = ApplyRetention(temp.path(), kApiGroup, kCutoff, {});
  ASSERT_TRUE(report.ok()) << report.status().message();
  EXPECT_EQ(report->files_deleted, 2);
  EXPECT_EQ(report->events_dropped, 2);
  EXPECT_FALSE(std::filesystem::exists(temp.Join("ecs/api")));
  EXPECT_TRUE(std::filesystem::exists(temp.Join("ecs")));  // above the group: not ours
}

TEST(RetentionTest, LeavesOpenStreamsAndFreshStreamsAlone) {
  TempDir temp;
  AppendRecords(temp.path(), kApiGroup, kOpen, {Record(10, "expired but open")});
  AppendRecords(temp.path(), kApiGroup, kClosed, {Record(100, "at the cutoff")});
  const std::string open_before = Contents(*StreamFilePath(temp.path(), kApiGroup, kOpen));
  Result<RetentionReport> report = ApplyRetention(temp.path(), kApiGroup, kCutoff, {kOpen});
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->files_rewritten + report->files_deleted, 0);
  EXPECT_EQ(report->events_dropped, 0);
  EXPECT_EQ(Contents(*StreamFilePath(temp.path(), kApiGroup, kOpen)), open_before);
  // Readers hide the open stream's expired event instead.
  Result<LogEvents> read = ReadLogGroup(temp.path(), kApiGroup, std::nullopt, kCutoff);
  ASSERT_TRUE(read.ok());
  ASSERT_EQ(read->events.size(), 1u);
  EXPECT_EQ(read->events[0].text, "at the cutoff");
}

TEST(RetentionTest, RejectsABadGroupName) {
  TempDir temp;
  EXPECT_EQ(ApplyRetention(temp.path(), "../x", kCutoff, {}).status().code(),
            StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace drydock::logs
