#include "alb/path_pattern.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

#include "aws/alb_rules.h"

namespace drydock::alb {
namespace {

using aws::PathPatternMatches;

struct Case {
  const char* pattern;
  const char* path;
  bool matches;
};

TEST(AlbPathPattern, Table) {
  const Case kCases[] = {
      // "/api*": the origin's style; `*` may be empty and crosses `/`.
      {"/api*", "/api", true},
      {"/api*", "/apix", true},
      {"/api*", "/api/v1", true},
      {"/api*", "/api/v1/users/7", true},
      {"/api*", "/ap", false},
      {"/api*", "/API", false},
      {"/api*", "/v1/api", false},
      // "/api/*": needs the slash.
      {"/api/*", "/api/", true},
      {"/api/*", "/api/x/y", true},
      {"/api/*", "/api", false},
      {"/nginx*", "/nginx", true},
      {"/nginx*", "/nginx/index.html", true},
      {"/nginx*", "/nginy", false},
      // Anchored at both ends.
      {"/api", "/api", true},
      {"/api", "/api/", false},
      {"/api", "/x/api", false},
      {"api", "/api", false},
      // `?` is exactly one character, `/` included.
      {"/v?/users", "/v1/users", true},
      {"/v?/users", "/v/users", false},
      {"/v?/users", "/v12/users", false},
      {"/a?b", "/a/b", true},
      {"/???", "/abc", true},
      {"/???", "/ab", false},
      // Case-sensitive.
      {"/Images/*", "/images/a.png", false},
      {"/Images/*", "/Images/a.png", true},
      // Raw path: no percent-decoding.
      {"/a b", "/a%20b", false},
      {"/a%20b", "/a%20b", true},
      {"/a*", "/a%2Fb", true},
      // Stars in the middle, several stars.
      {"/*.png", "/img/x.png", true},
      {"/*.png", "/img/x.png.bak", false},
      {"/*/edit", "/docs/7/edit", true},
      {"*", "", true},
      {"*", "/anything/at/all", true},
      {"**", "/x", true},
      {"/a*b*c", "/aXbYc", true},
      {"/a*b*c", "/aXcYb", false},
      {"/a*b*c", "/abcbc", true},
      {"", "", true},
      {"", "/", false},
      {"/*", "/", true},
  };
  for (const Case& c : kCases) {
    EXPECT_EQ(PathPatternMatches(c.pattern, c.path), c.matches)
        << "pattern " << c.pattern << " path " << c.path;
  }
}

TEST(AlbPathPattern, PathologicalPatternsReturn) {
  // Exponential in a naive backtracking matcher; quadratic at worst here.
  const std::string path = "/" + std::string(20000, 'a');
  EXPECT_FALSE(PathPatternMatches("*a*a*a*a*a*b", path));
  EXPECT_TRUE(PathPatternMatches("*a*a*a*a*a*", path));
  EXPECT_FALSE(PathPatternMatches("/*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*ab", path));
  EXPECT_FALSE(PathPatternMatches("/????????????????????????????????b", path));
}

// The two-pointer matcher against the validator's dynamic-programming
// coverage check, which on a path without wildcards asks the same question.
TEST(AlbPathPattern, AgreesWithTheCoverageCheckOnRandomInputs) {
  std::mt19937 random(20261127);
  const std::string pattern_alphabet = "ab/*?";
  const std::string path_alphabet = "ab/";
  auto draw = [&](const std::string& alphabet, int max_length) {
    std::string text(std::uniform_int_distribution<int>(0, max_length)(random), ' ');
    for (char& c : text) {
      c = alphabet[std::uniform_int_distribution<size_t>(0, alphabet.size() - 1)(random)];
    }
    return text;
  };
  for (int i = 0; i < 20000; ++i) {
    const std::string pattern = draw(pattern_alphabet, 8);
    const std::string path = draw(path_alphabet, 10);
    ASSERT_EQ(PathPatternMatches(pattern, path), aws::PathPatternCovers(pattern, path))
        << "pattern \"" << pattern << "\" path \"" << path << "\"";
  }
}

TEST(AlbPathOf, DropsQueryAndFragment) {
  EXPECT_EQ(PathOf("/api/v1?x=1"), "/api/v1");
  EXPECT_EQ(PathOf("/api/v1#top"), "/api/v1");
  EXPECT_EQ(PathOf("/api/v1?x=1#top"), "/api/v1");
  EXPECT_EQ(PathOf("/a?b/c?d"), "/a");
  EXPECT_EQ(PathOf("/"), "/");
  EXPECT_EQ(PathOf("/?q"), "/");
  EXPECT_EQ(PathOf("/a%3Fb"), "/a%3Fb");
}

TEST(AlbPathOf, AbsoluteForm) {
  EXPECT_EQ(PathOf("http://host/p?q"), "/p");
  EXPECT_EQ(PathOf("http://host:8080/a/b#f"), "/a/b");
  EXPECT_EQ(PathOf("HTTPS://user@host/x"), "/x");
  EXPECT_EQ(PathOf("http://host"), "/");
  EXPECT_EQ(PathOf("http://host?q=1"), "/");
  // A "://" inside an origin-form path is not a scheme.
  EXPECT_EQ(PathOf("/redirect/http://x/y"), "/redirect/http://x/y");
}

TEST(AlbPathOf, OtherForms) {
  EXPECT_EQ(PathOf("*"), "*");
  EXPECT_EQ(PathOf("host:443"), "host:443");
  EXPECT_EQ(PathOf(""), "");
}

TEST(AlbPathPattern, QueryIsIgnored) {
  EXPECT_TRUE(PathPatternMatches("/api", PathOf("/api?debug=1")));
  EXPECT_FALSE(PathPatternMatches("/api*debug*", PathOf("/api?debug=1")));
}

}  // namespace
}  // namespace drydock::alb
