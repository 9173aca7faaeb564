#include "runtime/real/proc_stat.h"

#include <gtest/gtest.h>
#include <unistd.h>

namespace drydock::runtime {
namespace {

TEST(RealProcStatTest, ParsesFieldsAfterAnAwkwardCommandName) {
  const char* text =
      "4242 (my (odd) name) S 1 4242 4242 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 987654 "
      "1000 10 18446744073709551615\n";
  Result<ProcStat> stat = ParseProcStat(text);
  ASSERT_TRUE(stat.ok()) << stat.status().message();
  EXPECT_EQ(stat->state, 'S');
  EXPECT_EQ(stat->ppid, 1);
  EXPECT_EQ(stat->pgrp, 4242);
  EXPECT_EQ(stat->start_ticks, 987654u);
}

TEST(RealProcStatTest, RejectsTruncatedText) {
  EXPECT_FALSE(ParseProcStat("12 (x) S 1 2").ok());
  EXPECT_FALSE(ParseProcStat("no parens").ok());
}

TEST(RealProcStatTest, ReadsThisProcessAndNotAMissingOne) {
  Result<ProcStat> self = ReadProcStat(getpid());
  ASSERT_TRUE(self.ok()) << self.status().message();
  EXPECT_EQ(self->ppid, getppid());
  EXPECT_TRUE(IsLiveProcess(getpid(), self->start_ticks));
  EXPECT_FALSE(IsLiveProcess(getpid(), self->start_ticks + 1));
  // pid_max is at most 2^22, so this pid cannot exist.
  EXPECT_EQ(ReadProcStat(1 << 23).status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace drydock::runtime
