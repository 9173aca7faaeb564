#include "aws/alb_rules.h"

#include <charconv>
#include <string>

namespace drydock::aws {
namespace {

// Glob DP shared by matching and containment. `symbol_fits(outer, inner)`
// says whether a single non-`*` outer symbol covers one inner symbol;
// `star_eats(inner)` whether an outer `*` may absorb that inner symbol.
template <typename SymbolFits>
bool GlobDp(std::string_view outer, std::string_view inner, SymbolFits symbol_fits) {
  const size_t m = outer.size();
  const size_t n = inner.size();
  // next[j] = outer[i+1:] covers inner[j:]; computed from the back.
  std::vector<char> next(n + 1, 0);
  std::vector<char> current(n + 1, 0);
  next[n] = 1;  // empty outer covers only empty inner
  for (size_t i = m; i-- > 0;) {
    for (size_t j = n + 1; j-- > 0;) {
      bool ok = false;
      if (outer[i] == '*') {
        ok = next[j] || (j < n && current[j + 1]);
      } else {
        ok = j < n && symbol_fits(outer[i], inner[j]) && next[j + 1];
      }
      current[j] = ok ? 1 : 0;
    }
    next.swap(current);
  }
  return next[0] != 0;
}

bool ParseCode(std::string_view text, int* code) {
  if (text.empty() || text.size() > 3) return false;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  std::from_chars(text.data(), text.data() + text.size(), *code);
  return true;
}

}  // namespace

bool IsPathPatternChar(char c) {
  if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) return true;
  constexpr std::string_view kPunctuation = "_-.$/~\"'@:+&*?";
  return kPunctuation.find(c) != std::string_view::npos;
}

size_t FindInvalidPathPatternChar(std::string_view pattern) {
  for (size_t i = 0; i < pattern.size(); ++i) {
    if (!IsPathPatternChar(pattern[i])) return i;
  }
  return std::string_view::npos;
}

int CountWildcards(std::string_view pattern) {
  int count = 0;
  for (char c : pattern) count += (c == '*' || c == '?') ? 1 : 0;
  return count;
}

bool PathPatternMatches(std::string_view pattern, std::string_view path) {
  // The classic two-pointer glob: on a mismatch, retry from the most recent
  // `*` with it absorbing one more character. Only the latest `*` needs
  // remembering: whatever an earlier `*` absorbed beyond its minimum, the
  // later one can absorb instead, so backtracking never goes further back.
  size_t p = 0;                          // next pattern symbol
  size_t s = 0;                          // next path character
  size_t star = std::string_view::npos;  // index of the last `*` seen
  size_t star_s = 0;                     // path index that `*` resumed at
  while (s < path.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      star_s = s;
      continue;
    }
    if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == path[s])) {
      ++p;
      ++s;
      continue;
    }
    if (star == std::string_view::npos) return false;
    p = star + 1;
    s = ++star_s;
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

bool PathPatternCovers(std::string_view outer, std::string_view inner) {
  // Inner `*` (any length) can only hide under an outer `*`, which the DP
  // handles; a non-star outer symbol must cover exactly one character of
  // every expansion, so it cannot cover an inner `*`.
  return GlobDp(outer, inner, [](char outer_symbol, char inner_symbol) {
    if (inner_symbol == '*') return false;
    if (outer_symbol == '?') return true;
    return inner_symbol != '?' && outer_symbol == inner_symbol;
  });
}

Result<std::vector<CodeRange>> ParseHealthCheckMatcher(std::string_view matcher) {
  std::vector<CodeRange> ranges;
  if (matcher.empty()) return InvalidArgument("the matcher is empty");
  size_t start = 0;
  while (start <= matcher.size()) {
    size_t comma = matcher.find(',', start);
    if (comma == std::string_view::npos) comma = matcher.size();
    std::string_view part = matcher.substr(start, comma - start);
    const size_t dash = part.find('-');
    CodeRange range;
    const bool parsed = dash == std::string_view::npos
                            ? ParseCode(part, &range.low) && ParseCode(part, &range.high)
                            : ParseCode(part.substr(0, dash), &range.low) &&
                                  ParseCode(part.substr(dash + 1), &range.high);
    if (!parsed) {
      return InvalidArgument("\"" + std::string(part) +
                             "\" is not a status code or a range like 200-299");
    }
    if (range.low < kMinMatcherCode || range.high > kMaxMatcherCode || range.low > range.high) {
      return InvalidArgument("\"" + std::string(part) + "\" is outside 200..499 or reversed");
    }
    ranges.push_back(range);
    start = comma + 1;
  }
  return ranges;
}

bool MatcherAccepts(const std::vector<CodeRange>& ranges, int code) {
  for (const CodeRange& range : ranges) {
    if (code >= range.low && code <= range.high) return true;
  }
  return false;
}

std::string ElbNameProblem(std::string_view name, bool is_load_balancer) {
  if (name.empty()) return "is empty";
  if (name.size() > kMaxElbNameLength) {
    return "is " + std::to_string(name.size()) + " characters long; the limit is 32";
  }
  for (size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool ok =
        (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
    if (!ok) {
      return "contains '" + std::string(1, c) + "' at character " + std::to_string(i + 1) +
             "; only letters, digits and hyphens are allowed";
    }
  }
  if (name.front() == '-' || name.back() == '-') return "starts or ends with a hyphen";
  if (is_load_balancer && name.substr(0, 9) == "internal-") return "starts with \"internal-\"";
  return "";
}

}  // namespace drydock::aws
