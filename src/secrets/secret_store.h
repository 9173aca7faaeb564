// The local Secrets Manager: secrets in SQLite at <dir>/secrets.db, values
// and data keys only encrypted (crypto.h), under the master key at
// <dir>/master.key. The directory is 0700, the files 0600 (docs/secrets.md).
//
// Several processes may use one directory at once (the CLI and a running
// control plane): the database is in WAL mode with a busy timeout, and every
// operation is one BEGIN IMMEDIATE transaction that re-reads the secret,
// applies the pure model (vault.h) and writes the result. Every operation
// first purges the secrets whose deletion date has passed at `now`.
//
// `id` is a secret's name, its full ARN or its partial ARN (without the
// "-XXXXXX" suffix). The store never reads the clock: every operation takes
// `now`. Error messages never contain a secret value.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/status.h"
#include "base/time.h"
#include "secrets/crypto.h"
#include "secrets/vault.h"

struct sqlite3;

namespace drydock::secrets {

// What GetSecretValue returns.
struct SecretValue {
  std::string arn;
  std::string name;
  std::string version_id;
  std::vector<std::string> stages;
  std::string secret_string;
  TimePoint created;  // the version's
};

// A new SecretString: `value` as is, or, with `json_key`, a copy of the
// current (AWSCURRENT) value, which must be a JSON object, with key
// `json_key` set to the string `value`. The copy is made inside the write's
// transaction, so concurrent key edits do not lose each other.
struct NewValue {
  std::string value;
  std::optional<std::string> json_key;
};

struct CreateResult {
  std::string arn;
  std::string name;
  std::string version_id;
};

struct EnsureResult {
  std::string arn;
  bool created = false;           // false: a secret of that name existed and was left alone
  bool pending_deletion = false;  // the existing secret is marked for deletion
};

struct DeleteResult {
  std::string arn;
  std::string name;
  TimePoint deletion_date;
};

enum class RotationStep { kCreate, kSet, kTest, kFinish };
// "createSecret", "setSecret", "testSecret", "finishSecret".
std::string_view RotationStepName(RotationStep step);

class SecretStore {
 public:
  // Opens (creating when missing) the store in `dir`: the directory (0700;
  // its parent must exist), master.key and secrets.db. A directory or key
  // file open to group or others is refused with the chmod that fixes it.
  static Result<std::unique_ptr<SecretStore>> Open(const std::string& dir);
  ~SecretStore();
  SecretStore(const SecretStore&) = delete;
  SecretStore& operator=(const SecretStore&) = delete;

  // CreateSecret. `token` is the first version's id (ClientRequestToken);
  // nullopt for a fresh UUID.
  Result<CreateResult> Create(const std::string& name, const std::string& description,
                              const std::string& value, const std::string& region,
                              const std::string& account, const std::optional<std::string>& token,
                              TimePoint now);
  // Creates the secret with `initial_value` unless a secret of that name
  // exists (even one marked for deletion); never changes an existing secret.
  Result<EnsureResult> EnsureSecret(const std::string& name, const std::string& initial_value,
                                    const std::string& region, const std::string& account,
                                    TimePoint now);
  // PutSecretValue (vault.h PutValue). `stages` empty: {AWSCURRENT}.
  Result<PutOutcome> PutValue(const std::string& id, const NewValue& value,
                              const std::optional<std::string>& token,
                              const std::vector<std::string>& stages, TimePoint now);
  // GetSecretValue: by version id and/or stage, neither → AWSCURRENT. Records
  // the day of access (LastAccessedDate).
  Result<SecretValue> GetValue(const std::string& id, const std::optional<std::string>& version_id,
                               const std::optional<std::string>& version_stage, TimePoint now);
  // DescribeSecret (no values); secrets marked for deletion included.
  Result<SecretInfo> Describe(const std::string& id, TimePoint now);
  // ListSecrets, by name; those marked for deletion only when asked.
  Result<std::vector<SecretInfo>> List(bool include_planned_deletion, TimePoint now);
  // UpdateSecretVersionStage.
  Status UpdateVersionStage(const std::string& id, const std::string& stage,
                            const std::optional<std::string>& move_to,
                            const std::optional<std::string>& remove_from, TimePoint now);
  // DeleteSecret; with force_delete_without_recovery the secret is gone at once.
  Result<DeleteResult> Delete(const std::string& id, const DeleteOptions& options, TimePoint now);
  // RestoreSecret; returns the ARN.
  Result<std::string> Restore(const std::string& id, TimePoint now);

  // One step of a rotation (vault.h RotateCreate...). `value` is used by
  // kCreate only. Returns the step's report line.
  Result<std::string> Rotate(const std::string& id, RotationStep step, const std::string& token,
                             const NewValue& value, TimePoint now);

  const std::string& dir() const { return dir_; }

 private:
  SecretStore(std::string dir, Key master, sqlite3* db)
      : dir_(std::move(dir)), master_(std::move(master)), db_(db) {}

  std::string dir_;
  Key master_;
  sqlite3* db_;  // owned
};

}  // namespace drydock::secrets
