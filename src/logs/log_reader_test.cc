#include "logs/log_reader.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "logs/logs_test_util.h"
#include "state/sqlite/store_test_util.h"

namespace drydock::logs {
namespace {

using runtime::LogStream;
using state::store_testing::TempDir;
using testing::AppendBytes;
using testing::AppendRecords;
using testing::Record;

const std::string kGroup = "/ecs/api";
const std::string kA = "ecs/api/aaaaaaaa";
const std::string kB = "ecs/api/bbbbbbbb";

std::vector<std::string> Texts(const std::vector<LogEvent>& events) {
  std::vector<std::string> texts;
  for (const LogEvent& event : events) texts.push_back(event.text);
  return texts;
}

std::string PathOf(const std::string& logs, const std::string& stream) {
  return *StreamFilePath(logs, kGroup, stream);
}

TEST(ReadLogGroupTest, MergesStreamsByTimeStably) {
  TempDir temp;
  AppendRecords(temp.path(), kGroup, kB, {Record(10, "b10"), Record(20, "b20"), Record(30, "b30")});
  AppendRecords(temp.path(), kGroup, kA,
                {Record(5, "a5"), Record(20, "a20", LogStream::kStderr), Record(40, "a40")});
  AppendRecords(temp.path(), "/ecs/web", "ecs/web/cccccccc", {Record(1, "other group")});
  Result<LogEvents> read = ReadLogGroup(temp.path(), kGroup, std::nullopt, std::nullopt);
  ASSERT_TRUE(read.ok()) << read.status().message();
  // Equal times keep stream-name order: a20 before b20.
  EXPECT_EQ(Texts(read->events),
            (std::vector<std::string>{"a5", "b10", "a20", "b20", "b30", "a40"}));
  EXPECT_EQ(read->events[2].stream_name, kA);
  EXPECT_EQ(read->events[2].stream, LogStream::kStderr);
  EXPECT_EQ(read->events[2].time, Record(20, "").time);
  EXPECT_EQ(read->malformed_records, 0);
}

TEST(ReadLogGroupTest, JoinsFragmentsPerStdoutAndStderr) {
  TempDir temp;
  AppendRecords(
      temp.path(), kGroup, kA,
      {Record(1, "long ", LogStream::kStdout, true), Record(2, "err ", LogStream::kStderr, true),
       Record(3, "line", LogStream::kStdout, true), Record(4, "", LogStream::kStdout),
       Record(5, "done", LogStream::kStderr), Record(6, "short")});
  Result<LogEvents> read = ReadLogGroup(temp.path(), kGroup, std::nullopt, std::nullopt);
  ASSERT_TRUE(read.ok());
  ASSERT_EQ(Texts(read->events), (std::vector<std::string>{"long line", "err done", "short"}));
  EXPECT_EQ(read->events[0].time, Record(1, "").time);  // the first fragment's time
  EXPECT_EQ(read->events[1].stream, LogStream::kStderr);
}

TEST(ReadLogGroupTest, ShowsAnUnfinishedLineAndSkipsAnUnterminatedRecord) {
  TempDir temp;
  AppendRecords(temp.path(), kGroup, kA,
                {Record(1, "whole"), Record(2, "still being ", LogStream::kStdout, true)});
  AppendBytes(PathOf(temp.path(), kA), "2026-01-01T00:00:00.003Z stdout F writt");
  Result<LogEvents> read = ReadLogGroup(temp.path(), kGroup, std::nullopt, std::nullopt);
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(Texts(read->events), (std::vector<std::string>{"whole", "still being "}));
  EXPECT_EQ(read->malformed_records, 0);
}

TEST(ReadLogGroupTest, SkipsAndCountsMalformedRecords) {
  TempDir temp;
  AppendRecords(temp.path(), kGroup, kA, {Record(1, "before")});
  AppendBytes(PathOf(temp.path(), kA), "garbage\n2026-13-01T00:00:00.000Z stdout F bad month\n");
  AppendRecords(temp.path(), kGroup, kA, {Record(2, "after")});
  Result<LogEvents> read = ReadLogGroup(temp.path(), kGroup, std::nullopt, std::nullopt);
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(Texts(read->events), (std::vector<std::string>{"before", "after"}));
  EXPECT_EQ(read->malformed_records, 2);
}

TEST(ReadLogGroupTest, FiltersBySinceAndHidesExpiredEvents) {
  TempDir temp;
  AppendRecords(temp.path(), kGroup, kA,
                {Record(10, "old"), Record(20, "from since"), Record(30, "later")});
  Result<LogEvents> since = ReadLogGroup(temp.path(), kGroup, Record(20, "").time, std::nullopt);
  ASSERT_TRUE(since.ok());
  EXPECT_EQ(Texts(since->events), (std::vector<std::string>{"from since", "later"}));
  Result<LogEvents> retained = ReadLogGroup(temp.path(), kGroup, std::nullopt, Record(21, "").time);
  ASSERT_TRUE(retained.ok());
  EXPECT_EQ(Texts(retained->events), (std::vector<std::string>{"later"}));
}

TEST(ReadLogGroupTest, AGroupWithoutFilesIsEmptyAndABadNameIsAnError) {
  TempDir temp;
  Result<LogEvents> read = ReadLogGroup(temp.path(), kGroup, std::nullopt, std::nullopt);
  ASSERT_TRUE(read.ok());
  EXPECT_TRUE(read->events.empty());
  EXPECT_EQ(ReadLogGroup(temp.path(), "/ecs/..", std::nullopt, std::nullopt).status().code(),
            StatusCode::kInvalidArgument);
}

TEST(LogTailTest, ReturnsHistoryThenOnlyNewCompleteRecords) {
  TempDir temp;
  AppendRecords(temp.path(), kGroup, kA, {Record(1, "too old"), Record(2, "history")});
  Result<LogTail> tail = LogTail::Open(temp.path(), kGroup, Record(2, "").time);
  ASSERT_TRUE(tail.ok());
  EXPECT_EQ(Texts(*tail->Poll()), (std::vector<std::string>{"history"}));
  EXPECT_TRUE(tail->Poll()->empty());

  // A record half written stays for the next poll; so does a line in fragments.
  const std::string a = PathOf(temp.path(), kA);
  AppendRecords(temp.path(), kGroup, kA,
                {Record(3, "appended"), Record(4, "frag", LogStream::kStdout, true)});
  AppendBytes(a, "2026-01-01T00:00:00.005Z stdout F men");
  EXPECT_EQ(Texts(*tail->Poll()), (std::vector<std::string>{"appended"}));
  AppendBytes(a, "t\n");
  EXPECT_EQ(Texts(*tail->Poll()), (std::vector<std::string>{"fragment"}));
  EXPECT_TRUE(tail->Poll()->empty());
}

TEST(LogTailTest, PicksUpNewStreamsAndForgetsDeletedOnes) {
  TempDir temp;
  AppendRecords(temp.path(), kGroup, kA, {Record(1, "a1")});
  Result<LogTail> tail = LogTail::Open(temp.path(), kGroup, std::nullopt);
  ASSERT_TRUE(tail.ok());
  EXPECT_EQ(Texts(*tail->Poll()), (std::vector<std::string>{"a1"}));
  AppendRecords(temp.path(), kGroup, kB, {Record(3, "b3"), Record(4, "b4")});
  AppendRecords(temp.path(), kGroup, kA, {Record(2, "a2")});
  EXPECT_EQ(Texts(*tail->Poll()), (std::vector<std::string>{"a2", "b3", "b4"}));
  ASSERT_EQ(unlink(PathOf(temp.path(), kA).c_str()), 0);  // what retention does
  EXPECT_TRUE(tail->Poll()->empty());
  AppendRecords(temp.path(), kGroup, kB, {Record(5, "b5")});
  EXPECT_EQ(Texts(*tail->Poll()), (std::vector<std::string>{"b5"}));
}

TEST(LogTailTest, ResumesARewrittenFileAtItsEnd) {
  TempDir temp;
  AppendRecords(temp.path(), kGroup, kA, {Record(1, "expired"), Record(2, "kept")});
  Result<LogTail> tail = LogTail::Open(temp.path(), kGroup, std::nullopt);
  ASSERT_TRUE(tail.ok());
  EXPECT_EQ(tail->Poll()->size(), 2u);
  // What retention does: the kept records in a new file renamed over the old one.
  const std::string a = PathOf(temp.path(), kA);
  AppendBytes(a + ".tmp", runtime::FormatLogLine(Record(2, "kept")));
  std::filesystem::rename(a + ".tmp", a);
  EXPECT_TRUE(tail->Poll()->empty());
  AppendRecords(temp.path(), kGroup, kA, {Record(3, "new")});
  EXPECT_EQ(Texts(*tail->Poll()), (std::vector<std::string>{"new"}));
}

TEST(LogTailTest, CountsMalformedRecords) {
  TempDir temp;
  AppendBytes(PathOf(temp.path(), kA), "not a record\n");
  Result<LogTail> tail = LogTail::Open(temp.path(), kGroup, std::nullopt);
  ASSERT_TRUE(tail.ok());
  EXPECT_TRUE(tail->Poll()->empty());
  EXPECT_EQ(tail->malformed_records(), 1);
}

}  // namespace
}  // namespace drydock::logs
