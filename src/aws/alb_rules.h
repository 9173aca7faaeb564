// Application Load Balancer limits and path-pattern semantics (rulebook
// section 6), shared by the validator, the plan builder and the live router.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace drydock::aws {

// Listener rule priorities: 1..50000, unique per listener.
inline constexpr int kMinListenerPriority = 1;
inline constexpr int kMaxListenerPriority = 50000;

// Path-pattern condition limits (listener-rules page and load-balancer-limits
// page): each value 1..128 characters; at most 3 comparison strings per
// condition (5 per rule, so 3 binds when path-pattern is the only condition);
// condition wildcards per rule: 5 in older quota tables, 6 in the current one;
// the rulebook says enforce 5.
inline constexpr size_t kMaxPathPatternLength = 128;
inline constexpr int kMaxValuesPerCondition = 3;
inline constexpr int kMaxWildcardsPerRule = 5;

// True for the characters ALB accepts in a path pattern:
// A-Z a-z 0-9 _ - . $ / ~ " ' @ : + & * ?
bool IsPathPatternChar(char c);

// Byte index of the first character ALB rejects, or std::string_view::npos.
size_t FindInvalidPathPatternChar(std::string_view pattern);

// Number of `*` and `?` in the pattern.
int CountWildcards(std::string_view pattern);

// ALB path matching as the rulebook recommends: the whole path is matched
// (anchored at both ends), case-sensitively; `*` matches 0 or more characters
// including `/`, `?` exactly one. "/api/*" matches "/api/" and "/api/x/y" but
// not "/api". Allocation-free and never exponential (two-pointer glob): the
// load balancer's router calls it on every request.
bool PathPatternMatches(std::string_view pattern, std::string_view path);

// Sound glob containment: true only when every path matched by `inner` is
// also matched by `outer`. `inner` is read as a string of symbols; each `*`
// of inner may only be covered by a `*` of outer, each `?` by `?` or `*`,
// each literal by the same literal, `?` or `*`. May answer false for some
// contained pairs (it is not complete), never true for a non-contained pair.
bool PathPatternCovers(std::string_view outer, std::string_view inner);

// Target-group health checks (rulebook section 6, target-group-health-checks).
inline constexpr int kMinHealthCheckInterval = 5;
inline constexpr int kMaxHealthCheckInterval = 300;
inline constexpr int kMinHealthCheckTimeout = 2;
inline constexpr int kMaxHealthCheckTimeout = 120;
inline constexpr int kMinHealthCheckThreshold = 2;
inline constexpr int kMaxHealthCheckThreshold = 10;
inline constexpr size_t kMaxHealthCheckPathLength = 1024;
inline constexpr int kMinMatcherCode = 200;
inline constexpr int kMaxMatcherCode = 499;

// Target-group attributes and load-balancer attributes.
inline constexpr int kMaxDeregistrationDelay = 3600;
inline constexpr int kMinIdleTimeout = 1;
inline constexpr int kMaxIdleTimeout = 4000;

// An inclusive HTTP status code range from a health-check matcher.
struct CodeRange {
  int low = 0;
  int high = 0;
};

// Parses an ALB HTTP matcher: a comma-separated list of codes ("200",
// "200,202") and ranges ("200-299"), every code within 200..499. Errors say
// which part is wrong.
Result<std::vector<CodeRange>> ParseHealthCheckMatcher(std::string_view matcher);

// True when `code` is within one of the ranges.
bool MatcherAccepts(const std::vector<CodeRange>& ranges, int code);

// Names of target groups and load balancers: 1..32 characters, letters,
// digits and hyphens, not starting or ending with a hyphen; a load balancer
// name also must not start with "internal-". Returns "" when valid, else what
// is wrong ("is 35 characters long; the limit is 32").
std::string ElbNameProblem(std::string_view name, bool is_load_balancer);
inline constexpr size_t kMaxElbNameLength = 32;

}  // namespace drydock::aws
