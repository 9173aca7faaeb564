#include "live/account_services.h"

#include "aws/iam_names.h"
#include "base/strings.h"
#include "secrets/value_from.h"

namespace drydock::live {
namespace {

constexpr char kGetSecretValue[] = "secretsmanager:GetSecretValue";
constexpr char kPullPrefix[] =
    "ResourceInitializationError: unable to pull secrets or registry auth: execution resource "
    "retrieval failed: ";

// A stable request id for the message (the real one is the service's): a
// UUID's shape from a hash of what was asked.
std::string RequestId(const std::string& task_id, const std::string& resource) {
  const std::string hex = Fnv1a64Hex(task_id + "\n" + resource) + Fnv1a64Hex(resource + task_id);
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-4" + hex.substr(13, 3) + "-a" +
         hex.substr(17, 3) + "-" + hex.substr(20, 12);
}

// The agent's wrapping of a failed GetSecretValue call (rulebook section 8).
Status FetchFailed(const std::string& task_id, const std::string& resource,
                   const std::string& aws_error) {
  return FailedPrecondition(std::string(kPullPrefix) +
                            "unable to retrieve secret from asm: service call has been retried 1 "
                            "time(s): failed to fetch secret " +
                            resource + " from secrets manager: " + aws_error +
                            " status code: 400, request id: " + RequestId(task_id, resource));
}

// The ARN a reference is authorized against: the secret's, when it exists;
// else the ARN as written, or the name's partial ARN.
std::string ResourceArn(const secrets::ValueFrom& reference, const secrets::SecretInfo* info,
                        const state::ClusterIdentity& identity) {
  if (info != nullptr) return info->arn;
  if (reference.is_arn) return reference.secret_id;
  return "arn:aws:secretsmanager:" + identity.region + ":" + identity.account_id + ":secret:" +
         reference.secret_id;
}

}  // namespace

std::string InitialVaultValue(const config::ServiceSettings& service) {
  return "{\"PORT\":\"" + std::to_string(service.container_port) + "\"}";
}

Result<std::unique_ptr<AccountServices>> AccountServices::Open(const std::string& state_dir) {
  Result<std::unique_ptr<secrets::SecretStore>> vaults =
      secrets::SecretStore::Open(state_dir + "/secrets");
  if (!vaults.ok()) return vaults.status();
  Result<std::unique_ptr<iam::IamStore>> roles = iam::IamStore::Open(state_dir + "/iam.db");
  if (!roles.ok()) return roles.status();
  return std::make_unique<AccountServices>(std::move(*vaults), std::move(*roles));
}

AccountServices::AccountServices(std::unique_ptr<secrets::SecretStore> secrets,
                                 std::unique_ptr<iam::IamStore> iam)
    : secrets_(std::move(secrets)), iam_(std::move(iam)) {}

Result<std::vector<std::string>> AccountServices::EnsureServiceResources(
    const config::Settings& settings, TimePoint now) {
  std::vector<std::string> changes;
  for (const config::ServiceSettings& service : settings.services) {
    Result<secrets::EnsureResult> vault = secrets_->EnsureSecret(
        service.name, InitialVaultValue(service), settings.region, iam_->account_id(), now);
    if (!vault.ok()) {
      return Status(vault.status().code(),
                    "the vault of service " + service.name + ": " + vault.status().message());
    }
    // By name: the ARN's suffix is random, and the simulator's traces must not be.
    if (vault->created) changes.push_back("created secret " + service.name);
    if (vault->pending_deletion) {
      changes.push_back("secret " + service.name + " is scheduled for deletion: its tasks cannot "
                        "read it until `drydock secrets restore " + service.name + "`");
    }
    Result<iam::RoleDetail> before =
        iam_->GetRole(aws::ExecutionRoleName(settings.cluster_name, service.name));
    Result<std::string> role =
        iam_->EnsureServiceExecutionRole(settings.cluster_name, service.name, vault->arn, now);
    if (!role.ok()) {
      return Status(role.status().code(), "the execution role of service " + service.name +
                                              ": " + role.status().message());
    }
    Result<iam::RoleDetail> after =
        iam_->GetRole(aws::ExecutionRoleName(settings.cluster_name, service.name));
    if (!before.ok()) {
      changes.push_back("created role " + *role);
    } else if (after.ok() && after->role.attached_policy_arns != before->role.attached_policy_arns) {
      changes.push_back("attached the policies of role " + *role + " again");
    }
  }
  return changes;
}

Result<SecretEnvironment> AccountServices::ResolveSecrets(const state::TaskDefinition& definition,
                                                          const state::ClusterIdentity& identity,
                                                          const std::string& task_id,
                                                          TimePoint now) {
  SecretEnvironment environment;
  for (const state::SecretReference& secret : definition.container.secrets) {
    Result<secrets::ValueFrom> reference = secrets::ParseValueFrom(secret.value_from);
    if (!reference.ok()) {
      return FailedPrecondition(std::string(kPullPrefix) + "invalid valueFrom of secret " +
                                secret.name + ": " + reference.status().message());
    }
    if (definition.execution_role_arn.empty()) {
      return FailedPrecondition(std::string(kPullPrefix) + "task definition " +
                                definition.FamilyRevision() +
                                " has secrets but no executionRoleArn to read them with");
    }
    Result<secrets::SecretInfo> info = secrets_->Describe(reference->secret_id, now);
    const std::string resource = ResourceArn(*reference, info.ok() ? &*info : nullptr, identity);
    Result<iam::Decision> decision =
        iam_->Authorize(definition.execution_role_arn, task_id, kGetSecretValue, resource);
    if (!decision.ok()) {
      return FailedPrecondition(std::string(kPullPrefix) +
                                "unable to assume the task execution role " +
                                definition.execution_role_arn + ": " +
                                decision.status().message());
    }
    if (!decision->allowed()) {
      return FetchFailed(task_id, resource, "AccessDeniedException: " + decision->message);
    }
    Result<secrets::SecretValue> value = secrets_->GetValue(
        reference->secret_id, reference->version_id, reference->version_stage, now);
    if (!value.ok()) return FetchFailed(task_id, resource, value.status().message());
    Result<std::string> selected = secrets::SelectValue(*reference, value->secret_string);
    if (!selected.ok()) {
      return FailedPrecondition(std::string(kPullPrefix) + "secret " + resource + ": " +
                                selected.status().message());
    }
    environment.emplace_back(secret.name, std::move(*selected));
  }
  return environment;
}

}  // namespace drydock::live
