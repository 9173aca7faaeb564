// `drydock iam`: the roles and managed policies in <state-dir>/iam.db
// (docs/iam.md). list and show read; attach and detach change what a
// running control plane sees at the next task start; simulate evaluates.
#include <nlohmann/json.hpp>
#include <ostream>

#include "base/strings.h"
#include "base/text_table.h"
#include "cli/cli_edge.h"
#include "cli/commands.h"
#include "iam/iam_store.h"
#include "state/state_dir.h"

namespace drydock::cli {
namespace {

using nlohmann::json;

constexpr char kSimulateSession[] = "drydock-simulate";

int Fail(Terminal& terminal, const std::string& message) {
  terminal.err << "drydock: " << message << "\n";
  return kExitFailure;
}

// The IAM store of the state directory; nullptr after saying why.
std::unique_ptr<iam::IamStore> OpenIam(const std::string& state_dir_flag, Terminal& terminal) {
  const std::string path = StateDirPath(state_dir_flag);
  Result<state::StateDir> dir = state::StateDir::OpenExisting(path);
  if (!dir.ok()) {
    Fail(terminal, dir.status().code() == StatusCode::kNotFound
                       ? "no drydock state in " + path +
                             ": run `drydock up FILE` first (it creates each service's execution "
                             "role), or pass --state-dir"
                       : dir.status().message());
    return nullptr;
  }
  Result<std::unique_ptr<iam::IamStore>> store = iam::IamStore::Open(dir->IamDatabasePath());
  if (!store.ok()) {
    Fail(terminal, store.status().message());
    return nullptr;
  }
  return std::move(*store);
}

json Document(const std::string& text) {
  return json::parse(text, nullptr, /*allow_exceptions=*/false);
}

std::string PolicyName(const std::string& arn) { return arn.substr(arn.rfind('/') + 1); }

json RoleJson(const iam::Role& role) {
  json attached = json::array();
  for (const std::string& arn : role.attached_policy_arns) {
    attached.push_back({{"PolicyName", PolicyName(arn)}, {"PolicyArn", arn}});
  }
  return {{"Path", "/"},
          {"RoleName", role.name},
          {"Arn", role.arn},
          {"CreateDate", FormatTime(role.create_date)},
          {"AssumeRolePolicyDocument", Document(iam::TrustPolicyJson(role.trust_principal))},
          {"AttachedPolicies", attached}};
}

json PolicyJson(const iam::ManagedPolicy& policy) {
  json out = {{"PolicyName", policy.name},
              {"PolicyArn", policy.arn},
              {"AwsManaged", policy.aws_managed},
              {"DefaultVersionId", policy.default_version},
              {"AttachmentCount", policy.attachment_count},
              {"Document", Document(policy.document_json)}};
  if (!policy.aws_managed) {
    out["CreateDate"] = FormatTime(policy.create_date);
    out["UpdateDate"] = FormatTime(policy.update_date);
  }
  return out;
}

std::string Indent(const std::string& text, const std::string& indent) {
  std::string out = indent;
  for (char c : text) {
    out += c;
    if (c == '\n') out += indent;
  }
  return out;
}

// "role ROLE has no policy POLICY attached" and friends, with the fix.
int IamFail(Terminal& terminal, const Status& status, const std::string& role) {
  std::string hint;
  if (status.message().find("role with name") != std::string::npos) {
    hint = " See the roles with `drydock iam list`.";
  } else if (status.message().find("was not found") != std::string::npos) {
    hint = " See what is attached with `drydock iam show " + role + "`.";
  } else if (status.message().find("Policy ") != std::string::npos) {
    hint = " Give a policy's name or ARN as `drydock iam show " + role + "` lists them, or "
           "AmazonECSTaskExecutionRolePolicy.";
  }
  return Fail(terminal, status.message() + hint);
}

}  // namespace

int RunIamList(const std::string& state_dir, OutputFormat format, Terminal& terminal) {
  std::unique_ptr<iam::IamStore> store = OpenIam(state_dir, terminal);
  if (!store) return kExitFailure;
  Result<std::vector<iam::Role>> roles = store->ListRoles();
  if (!roles.ok()) return Fail(terminal, roles.status().message());
  if (format == OutputFormat::kJson) {
    json list = json::array();
    for (const iam::Role& role : *roles) list.push_back(RoleJson(role));
    terminal.out << json{{"Roles", list}}.dump(2) << "\n";
    return kExitOk;
  }
  if (roles->empty()) {
    terminal.out << "no IAM roles yet: `drydock up FILE` creates an execution role per service\n";
    return kExitOk;
  }
  TextTable table;
  table.AddRow({"ROLE", "TRUSTED SERVICE", "CREATED", "ATTACHED POLICIES"});
  for (const iam::Role& role : *roles) {
    std::vector<std::string> names;
    for (const std::string& arn : role.attached_policy_arns) names.push_back(PolicyName(arn));
    table.AddRow({role.name, role.trust_principal, FormatTime(role.create_date),
                  names.empty() ? "(none)" : Join(names, ", ")});
  }
  terminal.out << table.Render("");
  return kExitOk;
}

int RunIamShow(const std::string& state_dir, const std::string& role, OutputFormat format,
               Terminal& terminal) {
  std::unique_ptr<iam::IamStore> store = OpenIam(state_dir, terminal);
  if (!store) return kExitFailure;
  Result<iam::RoleDetail> detail = store->GetRole(role);
  if (!detail.ok()) return IamFail(terminal, detail.status(), role);
  if (format == OutputFormat::kJson) {
    json policies = json::array();
    for (const iam::ManagedPolicy& policy : detail->attached) policies.push_back(PolicyJson(policy));
    terminal.out << json{{"Role", RoleJson(detail->role)}, {"AttachedPolicies", policies}}.dump(2)
                 << "\n";
    return kExitOk;
  }
  const iam::Role& r = detail->role;
  terminal.out << "Role:    " << r.name << "\nARN:     " << r.arn << "\nTrust:   "
               << r.trust_principal << " may assume it (sts:AssumeRole)\nCreated: "
               << FormatTime(r.create_date) << "\n";
  if (detail->attached.empty()) {
    terminal.out << "Attached policies: none (the role may do nothing; attach one with `drydock "
                    "iam attach "
                 << r.name << " POLICY`)\n";
    return kExitOk;
  }
  terminal.out << "Attached policies:\n";
  for (const iam::ManagedPolicy& policy : detail->attached) {
    terminal.out << "  " << policy.name << " (" << policy.arn << ", "
                 << (policy.aws_managed ? "AWS managed" : "customer managed " + policy.default_version)
                 << ")\n"
                 << Indent(Document(policy.document_json).dump(2), "    ") << "\n";
  }
  return kExitOk;
}

int RunIamAttachment(const std::string& state_dir, const std::string& role,
                     const std::string& policy, bool attach, Terminal& terminal) {
  std::unique_ptr<iam::IamStore> store = OpenIam(state_dir, terminal);
  if (!store) return kExitFailure;
  Result<std::string> arn = store->ResolvePolicyArn(policy);
  if (!arn.ok()) return IamFail(terminal, arn.status(), role);
  const Status status =
      attach ? store->AttachRolePolicy(role, *arn) : store->DetachRolePolicy(role, *arn);
  if (!status.ok()) return IamFail(terminal, status, role);
  terminal.out << "drydock: " << (attach ? "attached " : "detached ") << *arn
               << (attach ? " to role " : " from role ") << role
               << "; tasks starting from now see the change\n";
  return kExitOk;
}

int RunIamSimulate(const std::string& state_dir, const std::string& role,
                   const std::string& action, const std::string& resource, OutputFormat format,
                   Terminal& terminal) {
  std::unique_ptr<iam::IamStore> store = OpenIam(state_dir, terminal);
  if (!store) return kExitFailure;
  Result<iam::Decision> decision = store->Authorize(role, kSimulateSession, action, resource);
  if (!decision.ok()) return IamFail(terminal, decision.status(), role);
  const std::string name(iam::EvalDecisionName(decision->decision));
  if (format == OutputFormat::kJson) {
    json matched = json::array();
    for (const iam::MatchedStatement& m : decision->matched) {
      matched.push_back({{"SourcePolicyId", PolicyName(m.policy_arn)},
                         {"SourcePolicyArn", m.policy_arn},
                         {"SourcePolicyType", "IAM Policy"},
                         {"StatementIndex", m.index},
                         {"Sid", m.sid}});
    }
    json result = {{"EvalActionName", action},
                   {"EvalResourceName", resource},
                   {"EvalDecision", name},
                   {"MatchedStatements", matched},
                   {"MissingContextValues", json::array()}};
    if (!decision->message.empty()) result["Message"] = decision->message;
    terminal.out << json{{"EvaluationResults", json::array({result})}}.dump(2) << "\n";
    return kExitOk;
  }
  terminal.out << name << ": " << action << " on " << resource << "\n";
  for (const iam::MatchedStatement& m : decision->matched) {
    terminal.out << "  matched: " << m.policy_arn << " Statement[" << m.index << "]"
                 << (m.sid.empty() ? "" : " (Sid " + m.sid + ")") << " "
                 << (m.effect == iam::Effect::kAllow ? "Allow" : "Deny") << "\n";
  }
  if (!decision->message.empty()) terminal.out << "  " << decision->message << "\n";
  return kExitOk;
}

}  // namespace drydock::cli
