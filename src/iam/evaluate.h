// Evaluation of identity-based policies as AWS's policy evaluation logic
// documents it for a request within one account, when only identity-based
// policies apply: an explicit Deny in any statement wins; otherwise an
// Allow in any statement allows; otherwise the request is implicitly
// denied. Pure.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "iam/policy.h"

namespace drydock::iam {

// A managed policy as evaluation sees it: its ARN and document.
struct AttachedPolicy {
  std::string arn;
  PolicyDocument document;
};

enum class EvalDecision { kAllowed, kImplicitDeny, kExplicitDeny };

// "allowed", "implicitDeny", "explicitDeny": simulate-principal-policy's
// EvalDecision values.
std::string_view EvalDecisionName(EvalDecision decision);

// A statement that applies to the request (its action and resource match).
struct MatchedStatement {
  std::string policy_arn;
  size_t index = 0;  // in the policy's Statement list
  std::string sid;   // "" when the statement has none
  Effect effect = Effect::kAllow;
};

struct Decision {
  EvalDecision decision = EvalDecision::kImplicitDeny;
  // The statements that decided: the Deny statements for an explicit deny,
  // the Allow statements when allowed, none for an implicit deny.
  std::vector<MatchedStatement> matched;
  // "" when allowed; else AWS's AccessDenied text, e.g. "User: arn:aws:sts::
  // 000000000000:assumed-role/main-api-execution/3f2a... is not authorized to
  // perform: secretsmanager:GetSecretValue on resource: arn:... because no
  // identity-based policy allows the secretsmanager:GetSecretValue action".
  std::string message;

  bool allowed() const { return decision == EvalDecision::kAllowed; }
};

struct Request {
  std::string principal_arn;  // for the message: who asked
  std::string action;         // "secretsmanager:GetSecretValue"
  std::string resource;       // an ARN
};

// Whether one statement applies to the request: its Action (or NotAction)
// and Resource (or NotResource) both match.
bool StatementApplies(const Statement& statement, std::string_view action,
                      std::string_view resource);

Decision Evaluate(const std::vector<AttachedPolicy>& policies, const Request& request);

// The ARN a session of an assumed role acts as:
// arn:aws:sts::<account>:assumed-role/<role>/<session>.
std::string AssumedRoleArn(std::string_view account_id, std::string_view role_name,
                           std::string_view session_name);

}  // namespace drydock::iam
