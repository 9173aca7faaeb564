// The subset of ECS's cluster query language that memberOf placement
// constraints use (rulebook section 3, "Constraints"):
//   expression := clause { ("or" | "||") clause }
//   clause     := term { ("and" | "&&") term }
//   term       := ATTRIBUTE ("==" | "!=" | "=~" | "!~") VALUE
//               | ATTRIBUTE ["not"] "in" ( "[" | "(" ) VALUE { "," VALUE } ( "]" | ")" )
//   ATTRIBUTE  := "attribute:" NAME | "ec2InstanceId"
// "=~" and "!~" match a glob where "*" is any run of characters
// ("attribute:ecs.instance-type =~ t3.*"). Parentheses for grouping are not
// supported (docs/control.md).
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace drydock::control {

struct MemberOfTerm {
  enum class Op { kEquals, kNotEquals, kMatches, kNotMatches, kIn, kNotIn };
  std::string attribute;  // "ecs.instance-type", or "ec2InstanceId"
  Op op = Op::kEquals;
  std::vector<std::string> values;  // one value except for in / not in
};

// An OR of ANDs of terms.
struct MemberOfExpression {
  std::vector<std::vector<MemberOfTerm>> any_of;
};

Result<MemberOfExpression> ParseMemberOf(std::string_view text);

// `attributes` maps attribute names ("ecs.availability-zone", "ec2InstanceId")
// to values. A term on an attribute the instance lacks is false, except for
// the negated operators.
bool MatchesMemberOf(const MemberOfExpression& expression,
                     const std::map<std::string, std::string>& attributes);

// "*" matches any run of characters, everything else itself.
bool GlobMatches(std::string_view pattern, std::string_view text);

}  // namespace drydock::control
