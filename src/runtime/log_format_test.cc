#include "runtime/log_format.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace drydock::runtime {
namespace {

using Lines = std::vector<std::pair<std::string, bool>>;

Lines SplitInChunks(const std::string& bytes, size_t chunk) {
  Lines lines;
  LogLineSplitter splitter;
  const auto emit = [&](std::string_view text, bool partial) { lines.emplace_back(text, partial); };
  for (size_t i = 0; i < bytes.size(); i += chunk) splitter.Feed(std::string_view(bytes).substr(i, chunk), emit);
  splitter.Flush(emit);
  return lines;
}

TEST(ShimLogFormatTest, FormatsAndParsesRecords) {
  const TimePoint time = TimePoint(Duration(1764195861123));
  const std::string record = FormatLogLine({time, LogStream::kStderr, false, "hello  world"});
  EXPECT_EQ(record, "2025-11-26T22:24:21.123Z stderr F hello  world\n");
  Result<LogLine> parsed = ParseLogLine(record);
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  EXPECT_EQ(parsed->time, time);
  EXPECT_EQ(parsed->stream, LogStream::kStderr);
  EXPECT_FALSE(parsed->partial);
  EXPECT_EQ(parsed->text, "hello  world");
}

TEST(ShimLogFormatTest, ParsesPartialAndEmptyText) {
  Result<LogLine> parsed = ParseLogLine("2025-01-02T03:04:05.006Z stdout P ");
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  EXPECT_TRUE(parsed->partial);
  EXPECT_EQ(parsed->text, "");
  EXPECT_EQ(FormatTime(parsed->time), "2025-01-02T03:04:05.006Z");
}

TEST(ShimLogFormatTest, RejectsMalformedRecords) {
  EXPECT_FALSE(ParseLogLine("hello").ok());
  EXPECT_FALSE(ParseLogLine("2025-01-02T03:04:05.006Z stdin  F x").ok());
  EXPECT_FALSE(ParseLogLine("2025-01-02T03:04:05.006Z stdout X x").ok());
  EXPECT_FALSE(ParseLogLine("2025-13-02T03:04:05.006Z stdout F x").ok());
  EXPECT_FALSE(ParseLogTime("2025-01-02 03:04:05.006Z").ok());
}

TEST(ShimLogFormatTest, SplitterIsIndependentOfChunking) {
  const std::string bytes = "one\ntwo\n\nthree without newline";
  const Lines expected = {{"one", false}, {"two", false}, {"", false}, {"three without newline", false}};
  for (size_t chunk : std::vector<size_t>{1, 2, 3, 7, 100}) EXPECT_EQ(SplitInChunks(bytes, chunk), expected) << chunk;
}

TEST(ShimLogFormatTest, SplitsOverlongLinesIntoPartialRecords) {
  const std::string longer(kMaxLogLineBytes + 10, 'x');
  const std::string exact(kMaxLogLineBytes, 'y');
  const std::string bytes = longer + "\n" + exact + "\nz\n";
  const Lines expected = {{std::string(kMaxLogLineBytes, 'x'), true},
                          {std::string(10, 'x'), false},
                          {exact, false},
                          {"z", false}};
  for (size_t chunk : std::vector<size_t>{1, 4096, kMaxLogLineBytes, bytes.size()}) {
    EXPECT_EQ(SplitInChunks(bytes, chunk), expected) << chunk;
  }
}

}  // namespace
}  // namespace drydock::runtime
