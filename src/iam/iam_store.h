// IAM's roles and managed policies, kept in <state-dir>/iam.db (SQLite,
// 0600, WAL). The CLI (`drydock iam`) and a running control plane use it at
// the same time, each with its own IamStore: every write is one BEGIN
// IMMEDIATE transaction and readers never block writers, so a policy the
// user detaches is seen by the next Authorize of the control plane.
// docs/iam.md is the user guide and the design.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "base/time.h"
#include "iam/evaluate.h"
#include "iam/policy.h"

struct sqlite3;

namespace drydock::iam {

inline constexpr std::string_view kEcsTasksPrincipal = "ecs-tasks.amazonaws.com";
inline constexpr std::string_view kTaskExecutionPolicyArn =
    "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy";

struct ManagedPolicy {
  std::string name;
  std::string arn;
  bool aws_managed = false;    // one of drydock's built-in AWS managed policies
  std::string document_json;   // canonical (ToJson)
  std::string default_version = "v1";  // v1, v2, ... : a new one per changed document
  TimePoint create_date{};     // AWS managed: the epoch
  TimePoint update_date{};
  int attachment_count = 0;    // roles it is attached to
};

struct Role {
  std::string name;
  std::string arn;               // arn:aws:iam::<account>:role/<name>
  std::string trust_principal;   // the service that may assume it
  TimePoint create_date{};
  std::vector<std::string> attached_policy_arns;  // sorted
};

// A role with its attached policies' documents (GetRole and
// ListAttachedRolePolicies together).
struct RoleDetail {
  Role role;
  std::vector<ManagedPolicy> attached;
};

// The AWS managed policies drydock knows, with their real documents.
const std::vector<ManagedPolicy>& AwsManagedPolicies();

// The trust policy (AssumeRolePolicyDocument) of a role that `principal`
// (a service such as ecs-tasks.amazonaws.com) may assume, as JSON.
std::string TrustPolicyJson(std::string_view principal);

class IamStore {
 public:
  // Opens or creates the database at `path` (mode 0600). ":memory:" for a
  // private in-memory one (tests).
  static Result<std::unique_ptr<IamStore>> Open(const std::string& path,
                                               std::string account_id = std::string(kDefaultAccountId));
  IamStore(const IamStore&) = delete;
  IamStore& operator=(const IamStore&) = delete;
  ~IamStore();

  const std::string& account_id() const { return account_id_; }
  std::string RoleArn(std::string_view role_name) const;
  std::string PolicyArn(std::string_view policy_name) const;

  // CreateRole when missing (trust `trust_principal`); an existing role gets
  // its trust principal updated if it differs. Returns the role.
  Result<Role> EnsureRole(const std::string& name, const std::string& trust_principal,
                          TimePoint now);
  // CreatePolicy when missing; an existing policy whose document differs gets
  // a new default version (CreatePolicyVersion --set-as-default). The
  // document is parsed (kInvalidArgument naming the bad element) and stored
  // in canonical form.
  Result<ManagedPolicy> EnsurePolicy(const std::string& name, const std::string& document_json,
                                     TimePoint now);
  // AttachRolePolicy: a no-op when already attached. `policy_arn` is a
  // customer-managed policy of this account or a known AWS managed one.
  // kNotFound in IAM's words (NoSuchEntity) for an unknown role or policy;
  // kFailedPrecondition (LimitExceeded) past 10 policies on a role.
  Status AttachRolePolicy(const std::string& role_name, const std::string& policy_arn);
  // DetachRolePolicy: kNotFound (NoSuchEntity) for an unknown role or a
  // policy that is not attached to it.
  Status DetachRolePolicy(const std::string& role_name, const std::string& policy_arn);

  Result<std::vector<Role>> ListRoles();  // by name
  Result<RoleDetail> GetRole(const std::string& role_name);
  // Customer-managed policies, then the AWS managed ones drydock knows.
  Result<std::vector<ManagedPolicy>> ListPolicies();
  // The ARN of a policy given by ARN or by name (a customer-managed policy of
  // this account, else an AWS managed one); kNotFound otherwise.
  Result<std::string> ResolvePolicyArn(const std::string& name_or_arn);

  // May `session_name` of the role (by name or ARN) perform `action` on
  // `resource`? The one question the control plane asks at task start, with
  // the task id as the session name. kNotFound for an unknown role.
  Result<Decision> Authorize(const std::string& role, const std::string& session_name,
                             const std::string& action, const std::string& resource);

  // drydock's execution setup for one service, applied like `terraform
  // apply` whenever a configuration is applied: the role
  // <cluster>-<service>-execution (trusting ecs-tasks.amazonaws.com) with
  // AmazonECSTaskExecutionRolePolicy and the customer-managed policy
  // <cluster>-<service>-secrets (secretsmanager:GetSecretValue on
  // `secret_arn` only) attached. What is missing is created, a changed secret
  // ARN updates the policy, and a policy the user detached is attached again.
  // One transaction. Returns the role's ARN.
  Result<std::string> EnsureServiceExecutionRole(const std::string& cluster,
                                                 const std::string& service,
                                                 const std::string& secret_arn, TimePoint now);

 private:
  IamStore(sqlite3* db, std::string path, std::string account_id)
      : db_(db), path_(std::move(path)), account_id_(std::move(account_id)) {}
  class Tx;
  Status Exec(const std::string& sql);
  Status Error(int rc, const std::string& doing) const;
  Status Migrate();
  // The bodies of the public calls, inside a transaction the caller holds.
  Result<Role> EnsureRoleIn(const std::string& name, const std::string& trust, TimePoint now);
  Result<ManagedPolicy> EnsurePolicyIn(const std::string& name, const std::string& document_json,
                                       TimePoint now);
  Status AttachIn(const std::string& role_name, const std::string& policy_arn);
  Result<Role> ReadRole(const std::string& role_name);
  Result<ManagedPolicy> ReadPolicy(const std::string& arn);
  Result<std::vector<std::string>> ReadAttached(const std::string& role_name);
  Result<std::string> RoleNameOf(const std::string& role_name_or_arn) const;

  sqlite3* db_;
  std::string path_;
  std::string account_id_;
};

// Names IAM accepts for roles (1..64) and policies (1..128): letters,
// digits and +=,.@_-. kInvalidArgument naming `what` otherwise.
Status CheckIamName(std::string_view name, size_t max_length, std::string_view what);

}  // namespace drydock::iam
