#include "aws/alb_rules.h"

#include <gtest/gtest.h>

namespace drydock::aws {
namespace {

TEST(AlbRulesTest, PathPatternCharacters) {
  EXPECT_EQ(FindInvalidPathPatternChar("/api/v1_$-.~\"'@:+&*?"), std::string_view::npos);
  EXPECT_EQ(FindInvalidPathPatternChar("/api%20"), 4u);
  EXPECT_EQ(FindInvalidPathPatternChar("/a b"), 2u);
  EXPECT_EQ(FindInvalidPathPatternChar("/a#"), 2u);
  EXPECT_FALSE(IsPathPatternChar('\\'));
  EXPECT_FALSE(IsPathPatternChar('='));
}

TEST(AlbRulesTest, CountsWildcards) {
  EXPECT_EQ(CountWildcards("/a*/b?/*"), 3);
  EXPECT_EQ(CountWildcards("/plain"), 0);
}

TEST(AlbRulesTest, MatchesWholePathCaseSensitively) {
  EXPECT_TRUE(PathPatternMatches("/api/*", "/api/"));
  EXPECT_TRUE(PathPatternMatches("/api/*", "/api/x/y"));
  EXPECT_FALSE(PathPatternMatches("/api/*", "/api"));
  EXPECT_TRUE(PathPatternMatches("/api*", "/api"));
  EXPECT_TRUE(PathPatternMatches("/api*", "/apix"));
  EXPECT_FALSE(PathPatternMatches("/api*", "/API"));
  EXPECT_TRUE(PathPatternMatches("/v?/x", "/v1/x"));
  EXPECT_FALSE(PathPatternMatches("/v?/x", "/v10/x"));
  EXPECT_FALSE(PathPatternMatches("/a", "/a/"));
  EXPECT_TRUE(PathPatternMatches("*", ""));
}

TEST(AlbRulesTest, CoversIsSound) {
  EXPECT_TRUE(PathPatternCovers("/api*", "/api/v1*"));
  EXPECT_TRUE(PathPatternCovers("/api*", "/api"));
  EXPECT_TRUE(PathPatternCovers("*", "/anything?*"));
  EXPECT_TRUE(PathPatternCovers("/a?c", "/abc"));
  EXPECT_TRUE(PathPatternCovers("/a?c", "/a?c"));
  EXPECT_TRUE(PathPatternCovers("/a*c", "/a?*c"));
  EXPECT_TRUE(PathPatternCovers("/x", "/x"));
  // Not contained: "/api2" matches the inner pattern but not the outer one.
  EXPECT_FALSE(PathPatternCovers("/api/*", "/api*"));
  // An inner `*` is only covered by an outer `*`.
  EXPECT_FALSE(PathPatternCovers("/a?", "/a*"));
  // An inner `?` is not covered by a literal.
  EXPECT_FALSE(PathPatternCovers("/ab", "/a?"));
  EXPECT_FALSE(PathPatternCovers("/nginx*", "/api*"));
  EXPECT_FALSE(PathPatternCovers("/a", "/a*"));
}

// Soundness on a brute-force sample: whenever Covers says yes, every sampled
// path matching the inner pattern matches the outer one.
TEST(AlbRulesTest, CoversAgreesWithMatchingOnSamples) {
  const char* patterns[] = {"/a*", "/a?", "/a", "*", "/?*", "/a*b", "/ab*", "?", "/*b", "/a?b"};
  const char* paths[] = {"", "/", "/a", "/ab", "/abb", "/b", "/aab", "/a/b", "/ba", "/axb"};
  for (const char* outer : patterns) {
    for (const char* inner : patterns) {
      if (!PathPatternCovers(outer, inner)) continue;
      for (const char* path : paths) {
        if (PathPatternMatches(inner, path)) {
          EXPECT_TRUE(PathPatternMatches(outer, path))
              << outer << " claimed to cover " << inner << " but misses " << path;
        }
      }
    }
  }
}

TEST(AlbRulesTest, ParsesMatchers) {
  Result<std::vector<CodeRange>> single = ParseHealthCheckMatcher("200");
  ASSERT_TRUE(single.ok());
  EXPECT_TRUE(MatcherAccepts(*single, 200));
  EXPECT_FALSE(MatcherAccepts(*single, 204));
  Result<std::vector<CodeRange>> list = ParseHealthCheckMatcher("200,202");
  ASSERT_TRUE(list.ok());
  EXPECT_TRUE(MatcherAccepts(*list, 202));
  EXPECT_FALSE(MatcherAccepts(*list, 201));
  Result<std::vector<CodeRange>> range = ParseHealthCheckMatcher("200-299");
  ASSERT_TRUE(range.ok());
  EXPECT_TRUE(MatcherAccepts(*range, 250));
  EXPECT_FALSE(MatcherAccepts(*range, 300));
}

TEST(AlbRulesTest, RejectsBadMatchers) {
  for (const char* bad :
       {"", "ok", "199", "500", "200-", "299-200", "200,,202", "200,", "2000", "200 - 299"}) {
    EXPECT_FALSE(ParseHealthCheckMatcher(bad).ok()) << bad;
  }
}

TEST(AlbRulesTest, ElbNames) {
  EXPECT_EQ(ElbNameProblem("production-cluster-alb", true), "");
  EXPECT_EQ(ElbNameProblem("api-tg", false), "");
  EXPECT_NE(ElbNameProblem("my_service-tg", false).find("'_'"), std::string::npos);
  EXPECT_NE(ElbNameProblem(std::string(33, 'a'), false).find("33"), std::string::npos);
  EXPECT_NE(ElbNameProblem("-tg", false), "");
  EXPECT_NE(ElbNameProblem("internal-x-alb", true), "");
  EXPECT_EQ(ElbNameProblem("internal-x-tg", false), "");
}

}  // namespace
}  // namespace drydock::aws
