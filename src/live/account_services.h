// The AWS account services a cluster uses beside ECS: Secrets Manager (the
// per-service vaults, secrets::SecretStore) and IAM (the execution roles,
// iam::IamStore). Both live in the state directory and outlive the control
// plane; the CLI (`drydock secrets`, `drydock iam`) edits them directly.
//
// Two moments touch them:
//   - applying a configuration (`drydock up`) ensures each service's vault
//     (created with {"PORT": "<container_port>"}, never overwritten) and its
//     execution role and policies, as `terraform apply` would;
//   - starting a task resolves its container's secrets as the ECS agent
//     does, once: each valueFrom is read with the task execution role, and
//     the first failure is the task's ResourceInitializationError.
// docs/secrets.md, docs/iam.md.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "base/status.h"
#include "base/time.h"
#include "config/spec/settings.h"
#include "iam/iam_store.h"
#include "secrets/secret_store.h"
#include "state/model.h"

namespace drydock::live {

// The environment a task's secrets resolve to, name -> value, by name.
using SecretEnvironment = std::vector<std::pair<std::string, std::string>>;

class AccountServices {
 public:
  // <state-dir>/secrets (vaults) and <state-dir>/iam.db (roles).
  static Result<std::unique_ptr<AccountServices>> Open(const std::string& state_dir);
  AccountServices(std::unique_ptr<secrets::SecretStore> secrets,
                  std::unique_ptr<iam::IamStore> iam);

  // Each service's vault and execution role (see above). Returns one line
  // per change for the user ("created secret api", ...).
  Result<std::vector<std::string>> EnsureServiceResources(const config::Settings& settings,
                                                          TimePoint now);

  // The task's secrets, read as the ECS agent reads them. On failure the
  // status's message is the task's stoppedReason
  // ("ResourceInitializationError: unable to pull secrets or registry auth:
  // ..."); it names secrets by ARN and never contains a value.
  Result<SecretEnvironment> ResolveSecrets(const state::TaskDefinition& definition,
                                           const state::ClusterIdentity& identity,
                                           const std::string& task_id, TimePoint now);

  secrets::SecretStore& secrets() { return *secrets_; }
  iam::IamStore& iam() { return *iam_; }

 private:
  std::unique_ptr<secrets::SecretStore> secrets_;
  std::unique_ptr<iam::IamStore> iam_;
};

// The vault a service starts with: {"PORT": "<container_port>"} (the origin's).
std::string InitialVaultValue(const config::ServiceSettings& service);

}  // namespace drydock::live
