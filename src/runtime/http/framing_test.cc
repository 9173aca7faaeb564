#include "runtime/http/framing.h"

#include <gtest/gtest.h>

namespace drydock::runtime {
namespace {

TEST(HttpFramingTest, UnambiguousFramingPasses) {
  EXPECT_EQ(FramingProblem({}), std::nullopt);
  EXPECT_EQ(FramingProblem({1, 0, "42", ""}), std::nullopt);
  EXPECT_EQ(FramingProblem({0, 1, "", "chunked"}), std::nullopt);
  EXPECT_EQ(FramingProblem({0, 1, "", "Chunked"}), std::nullopt);
}

TEST(HttpFramingTest, SmugglingShapesAreRefused) {
  EXPECT_EQ(FramingProblem({2, 0, "5", ""}), "duplicate Content-Length");
  EXPECT_EQ(FramingProblem({0, 2, "", "chunked"}), "duplicate Transfer-Encoding");
  EXPECT_EQ(FramingProblem({1, 1, "5", "chunked"}), "both Content-Length and Transfer-Encoding");
  EXPECT_EQ(FramingProblem({1, 0, "5, 5", ""}), "invalid Content-Length");
  EXPECT_EQ(FramingProblem({1, 0, "", ""}), "invalid Content-Length");
  EXPECT_EQ(FramingProblem({1, 0, "-1", ""}), "invalid Content-Length");
  EXPECT_EQ(FramingProblem({0, 1, "", "gzip, chunked"}),
            "unsupported Transfer-Encoding (only chunked)");
  EXPECT_EQ(FramingProblem({0, 1, "", "chunkedx"}), "unsupported Transfer-Encoding (only chunked)");
}

}  // namespace
}  // namespace drydock::runtime
