#include "iam/evaluate.h"

#include <algorithm>

namespace drydock::iam {
namespace {

bool AnyMatches(const std::vector<std::string>& patterns, std::string_view text, bool ignore_case) {
  return std::any_of(patterns.begin(), patterns.end(), [&](const std::string& pattern) {
    return WildcardMatch(pattern, text, ignore_case);
  });
}

}  // namespace

std::string_view EvalDecisionName(EvalDecision decision) {
  switch (decision) {
    case EvalDecision::kAllowed:
      return "allowed";
    case EvalDecision::kImplicitDeny:
      return "implicitDeny";
    case EvalDecision::kExplicitDeny:
      return "explicitDeny";
  }
  return "implicitDeny";
}

bool StatementApplies(const Statement& statement, std::string_view action,
                      std::string_view resource) {
  // Actions are case-insensitive, resources (ARNs) case-sensitive.
  const bool action_listed = AnyMatches(statement.actions, action, /*ignore_case=*/true);
  if (action_listed == statement.not_action) return false;
  const bool resource_listed = AnyMatches(statement.resources, resource, /*ignore_case=*/false);
  return resource_listed != statement.not_resource;
}

Decision Evaluate(const std::vector<AttachedPolicy>& policies, const Request& request) {
  std::vector<MatchedStatement> allows, denies;
  for (const AttachedPolicy& policy : policies) {
    const std::vector<Statement>& statements = policy.document.statements;
    for (size_t i = 0; i < statements.size(); ++i) {
      if (!StatementApplies(statements[i], request.action, request.resource)) continue;
      MatchedStatement match{policy.arn, i, statements[i].sid, statements[i].effect};
      (statements[i].effect == Effect::kDeny ? denies : allows).push_back(std::move(match));
    }
  }
  Decision decision;
  const std::string prefix = "User: " + request.principal_arn + " is not authorized to perform: " +
                             request.action + " on resource: " + request.resource;
  if (!denies.empty()) {
    decision.decision = EvalDecision::kExplicitDeny;
    decision.matched = std::move(denies);
    decision.message = prefix + " with an explicit deny in an identity-based policy";
  } else if (!allows.empty()) {
    decision.decision = EvalDecision::kAllowed;
    decision.matched = std::move(allows);
  } else {
    decision.decision = EvalDecision::kImplicitDeny;
    decision.message = prefix + " because no identity-based policy allows the " + request.action +
                       " action";
  }
  return decision;
}

std::string AssumedRoleArn(std::string_view account_id, std::string_view role_name,
                           std::string_view session_name) {
  return "arn:aws:sts::" + std::string(account_id) + ":assumed-role/" + std::string(role_name) +
         "/" + std::string(session_name);
}

}  // namespace drydock::iam
