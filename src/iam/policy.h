// IAM policy documents: the JSON grammar of identity-based policies, parsed
// strictly, and the wildcard matching their Action and Resource elements use.
// Pure: no clock, no files. Design and what is not modelled: docs/iam.md.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace drydock::iam {

// drydock's local account (state::Cluster::account_id uses the same).
inline constexpr std::string_view kDefaultAccountId = "000000000000";
// A customer-managed policy document may not exceed this many characters,
// whitespace not counted (IAM's quota).
inline constexpr size_t kMaxManagedPolicyChars = 6144;

enum class Effect { kAllow, kDeny };

struct Statement {
  std::string sid;  // "" when absent
  Effect effect = Effect::kAllow;
  bool not_action = false;             // NotAction instead of Action
  std::vector<std::string> actions;    // patterns, "service:Name*" or "*"
  bool not_resource = false;           // NotResource instead of Resource
  std::vector<std::string> resources;  // patterns, "arn:..." or "*"

  bool operator==(const Statement&) const = default;
};

struct PolicyDocument {
  std::string version = "2012-10-17";  // "2012-10-17" or "2008-10-17"
  std::string id;                       // the optional Id element
  std::vector<Statement> statements;

  bool operator==(const PolicyDocument&) const = default;
};

// Parses an identity-based policy document. Statement is one object or a
// list of them; Action/NotAction and Resource/NotResource are a string or a
// list of strings. Refused, with a message naming the element: not JSON,
// unknown or repeated elements, a wrong type, a missing Effect, Action or
// Resource, both Action and NotAction, an action without "service:", a
// resource neither "*" nor an ARN, duplicate Sids, and the elements drydock
// does not model (Condition) or identity policies may not have (Principal,
// NotPrincipal).
Result<PolicyDocument> ParsePolicyDocument(std::string_view json_text);

// The document as compact JSON in IAM's element order; lists stay lists and
// single values stay strings. ParsePolicyDocument(ToJson(d)) == d.
std::string ToJson(const PolicyDocument& document);

// IAM's wildcard match: `*` matches any run of characters (also none), `?`
// exactly one; everything else literally. Actions compare case-insensitively
// (`ignore_case`), resources (ARNs) case-sensitively.
bool WildcardMatch(std::string_view pattern, std::string_view text, bool ignore_case);

// The document's length as IAM counts it against kMaxManagedPolicyChars:
// every character but whitespace outside strings.
size_t PolicyLengthWithoutWhitespace(std::string_view json_text);

}  // namespace drydock::iam
