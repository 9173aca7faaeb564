#include "secrets/vault.h"

#include <algorithm>
#include <chrono>

#include "base/strings.h"
#include "secrets/value_from.h"

namespace drydock::secrets {
namespace {

bool IsNameCharacter(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         std::string_view("/_+=.@-").find(c) != std::string_view::npos;
}

// Printable ASCII without space and ':' (labels and version ids travel in
// ':'-separated valueFrom strings).
bool IsTokenCharacter(char c) { return c > ' ' && c < 0x7f && c != ':'; }

VersionInfo* MutableVersion(SecretInfo& secret, std::string_view version_id) {
  for (VersionInfo& version : secret.versions) {
    if (version.version_id == version_id) return &version;
  }
  return nullptr;
}

void RemoveStage(SecretInfo& secret, std::string_view stage) {
  for (VersionInfo& version : secret.versions) {
    std::erase(version.stages, stage);
  }
}

// Attaches `stage` to `target`, taking it from wherever it was; when it is
// AWSCURRENT, the version that had it gets AWSPREVIOUS.
void AttachStage(SecretInfo& secret, const std::string& target, std::string_view stage) {
  std::string old_current;
  if (stage == kAwsCurrent) {
    if (const VersionInfo* current = secret.VersionWithStage(kAwsCurrent)) {
      old_current = current->version_id;
    }
  }
  RemoveStage(secret, stage);
  if (!old_current.empty() && old_current != target) {
    RemoveStage(secret, kAwsPrevious);
    MutableVersion(secret, old_current)->stages.emplace_back(kAwsPrevious);
  }
  VersionInfo* version = MutableVersion(secret, target);
  if (!version->HasStage(stage)) version->stages.emplace_back(stage);
}

// Deprecated versions (no label) go first once there are too many.
void PruneVersions(Secret& secret) {
  std::vector<VersionInfo>& versions = secret.info.versions;
  while (versions.size() > kMaxVersions) {
    auto oldest_unlabelled = std::find_if(versions.begin(), versions.end(),
                                          [](const VersionInfo& v) { return v.stages.empty(); });
    if (oldest_unlabelled == versions.end()) return;
    secret.values.erase(oldest_unlabelled->version_id);
    versions.erase(oldest_unlabelled);
  }
}

Status CheckStages(const std::vector<std::string>& stages) {
  if (stages.size() > kMaxStagesPerVersion) {
    return InvalidParameter("a version can have at most 20 staging labels");
  }
  for (const std::string& stage : stages) DRYDOCK_RETURN_IF_ERROR(ValidateStage(stage));
  return Status::Ok();
}

// The rotation template's check at the start of setSecret, testSecret and
// finishSecret: the token's version exists and is AWSPENDING (or already
// AWSCURRENT: the step has nothing left to do, `*done` is set).
Status CheckRotationToken(const SecretInfo& secret, std::string_view token, bool* done) {
  *done = false;
  if (secret.MarkedForDeletion()) return MarkedForDeletion();
  const VersionInfo* version = secret.FindVersion(token);
  if (version == nullptr) {
    return InvalidRequest("Secret version " + std::string(token) +
                          " has no stage for rotation of secret " + secret.name +
                          " (run the createSecret step first)");
  }
  if (version->HasStage(kAwsCurrent)) {
    *done = true;
    return Status::Ok();
  }
  if (!version->HasStage(kAwsPending)) {
    return InvalidRequest("Secret version " + std::string(token) +
                          " not set as AWSPENDING for rotation of secret " + secret.name);
  }
  return Status::Ok();
}

}  // namespace

Status ResourceNotFound(std::string_view detail) {
  return {StatusCode::kNotFound, "ResourceNotFoundException: " + std::string(detail)};
}
Status InvalidParameter(std::string_view message) {
  return {StatusCode::kInvalidArgument, "InvalidParameterException: " + std::string(message)};
}
Status InvalidRequest(std::string_view message) {
  return {StatusCode::kFailedPrecondition, "InvalidRequestException: " + std::string(message)};
}
Status ResourceExists(std::string_view message) {
  return {StatusCode::kAlreadyExists, "ResourceExistsException: " + std::string(message)};
}
Status MarkedForDeletion() {
  return InvalidRequest(
      "You can't perform this operation on the secret because it was marked for deletion.");
}

Status ValidateSecretName(std::string_view name) {
  if (name.empty() || name.size() > 512) {
    return InvalidParameter("a secret name must be 1 to 512 characters");
  }
  if (!std::all_of(name.begin(), name.end(), IsNameCharacter)) {
    return InvalidParameter(
        "a secret name may contain only ASCII letters, digits and /_+=.@- "
        "(got '" +
        std::string(name) + "')");
  }
  return Status::Ok();
}

Status ValidateStage(std::string_view stage) {
  if (stage.empty() || stage.size() > 256 ||
      !std::all_of(stage.begin(), stage.end(), IsTokenCharacter)) {
    return InvalidParameter(
        "a staging label must be 1 to 256 printable ASCII characters "
        "without spaces or ':'");
  }
  return Status::Ok();
}

Status ValidateVersionId(std::string_view id) {
  if (id.size() < 32 || id.size() > 64 || !std::all_of(id.begin(), id.end(), IsTokenCharacter)) {
    return InvalidParameter(
        "a version id (ClientRequestToken) must be 32 to 64 printable ASCII "
        "characters without spaces or ':' (a UUID is 36)");
  }
  return Status::Ok();
}

Status ValidateSecretString(std::string_view value) {
  if (value.empty()) return InvalidParameter("the secret value (SecretString) is empty");
  if (value.size() > kMaxSecretStringBytes) {
    return InvalidParameter("the secret value (SecretString) is larger than 65536 bytes");
  }
  return Status::Ok();
}

bool VersionInfo::HasStage(std::string_view stage) const {
  return std::find(stages.begin(), stages.end(), stage) != stages.end();
}

const VersionInfo* SecretInfo::FindVersion(std::string_view version_id) const {
  for (const VersionInfo& version : versions) {
    if (version.version_id == version_id) return &version;
  }
  return nullptr;
}

const VersionInfo* SecretInfo::VersionWithStage(std::string_view stage) const {
  for (const VersionInfo& version : versions) {
    if (version.HasStage(stage)) return &version;
  }
  return nullptr;
}

std::string SecretArn(std::string_view region, std::string_view account, std::string_view name,
                      std::string_view suffix) {
  return "arn:aws:secretsmanager:" + std::string(region) + ":" + std::string(account) +
         ":secret:" + std::string(name) + "-" + std::string(suffix);
}

bool MatchesId(const SecretInfo& secret, std::string_view id) {
  if (id == secret.name || id == secret.arn) return true;
  // A partial ARN: the full ARN without "-XXXXXX".
  return StartsWith(id, "arn:") && secret.arn.size() == id.size() + 7 &&
         StartsWith(secret.arn, id) && secret.arn[id.size()] == '-';
}

Result<Secret> NewSecret(const NewSecretRequest& request, TimePoint now) {
  DRYDOCK_RETURN_IF_ERROR(ValidateSecretName(request.name));
  if (request.description.size() > kMaxDescriptionChars) {
    return InvalidParameter("a description must be at most 2048 characters");
  }
  DRYDOCK_RETURN_IF_ERROR(ValidateSecretString(request.value));
  DRYDOCK_RETURN_IF_ERROR(ValidateVersionId(request.version_id));
  Secret secret;
  secret.info.name = request.name;
  secret.info.arn = SecretArn(request.region, request.account, request.name, request.arn_suffix);
  secret.info.description = request.description;
  secret.info.created = now;
  secret.info.last_changed = now;
  secret.info.versions.push_back({request.version_id, now, {std::string(kAwsCurrent)}});
  secret.values[request.version_id] = request.value;
  return secret;
}

Result<PutOutcome> PutValue(Secret& secret, std::string_view value, std::string_view version_id,
                            std::vector<std::string> stages, TimePoint now) {
  if (secret.info.MarkedForDeletion()) return MarkedForDeletion();
  DRYDOCK_RETURN_IF_ERROR(ValidateSecretString(value));
  DRYDOCK_RETURN_IF_ERROR(ValidateVersionId(version_id));
  if (stages.empty()) stages.emplace_back(kAwsCurrent);
  DRYDOCK_RETURN_IF_ERROR(CheckStages(stages));
  if (const VersionInfo* existing = secret.info.FindVersion(version_id)) {
    auto stored = secret.values.find(version_id);
    if (stored == secret.values.end()) return Internal("version value not loaded before a write");
    if (stored->second != value) {
      return ResourceExists(
          "You can't modify an existing version, you can only create a new "
          "version. (version " +
          std::string(version_id) + " of " + secret.info.name +
          " exists with another value; use a new ClientRequestToken)");
    }
    return PutOutcome{existing->version_id, existing->stages, false};
  }
  secret.info.versions.push_back({std::string(version_id), now, {}});
  secret.values[std::string(version_id)] = std::string(value);
  for (const std::string& stage : stages) AttachStage(secret.info, std::string(version_id), stage);
  secret.info.last_changed = now;
  PruneVersions(secret);
  const VersionInfo* added = secret.info.FindVersion(version_id);
  return PutOutcome{added->version_id, added->stages, true};
}

Result<const VersionInfo*> ResolveVersion(const SecretInfo& secret,
                                          const std::optional<std::string>& version_id,
                                          const std::optional<std::string>& version_stage) {
  if (secret.MarkedForDeletion()) return MarkedForDeletion();
  const std::string not_found = "Secrets Manager can't find the specified secret value for ";
  if (version_id) {
    const VersionInfo* version = secret.FindVersion(*version_id);
    if (version == nullptr) return ResourceNotFound(not_found + "VersionId: " + *version_id);
    if (version_stage && !version->HasStage(*version_stage)) {
      return ResourceNotFound(not_found + "VersionId: " + *version_id + " with staging label: " +
                              *version_stage + " (that version does not have that label)");
    }
    return version;
  }
  const std::string stage = version_stage.value_or(std::string(kAwsCurrent));
  const VersionInfo* version = secret.VersionWithStage(stage);
  if (version == nullptr) return ResourceNotFound(not_found + "staging label: " + stage);
  return version;
}

Status UpdateVersionStage(Secret& secret, std::string_view stage,
                          const std::optional<std::string>& move_to,
                          const std::optional<std::string>& remove_from, TimePoint now) {
  SecretInfo& info = secret.info;
  if (info.MarkedForDeletion()) return MarkedForDeletion();
  DRYDOCK_RETURN_IF_ERROR(ValidateStage(stage));
  if (!move_to && !remove_from) {
    return InvalidParameter("give MoveToVersionId, RemoveFromVersionId or both");
  }
  for (const auto* id : {&move_to, &remove_from}) {
    if (*id && info.FindVersion(**id) == nullptr) {
      return ResourceNotFound("Secrets Manager can't find the specified secret version: " + **id);
    }
  }
  const VersionInfo* holder = info.VersionWithStage(stage);
  if (remove_from && (holder == nullptr || holder->version_id != *remove_from)) {
    return InvalidParameter("The staging label " + std::string(stage) +
                            " is not attached to version " + *remove_from);
  }
  if (!move_to) {
    if (stage == kAwsCurrent) {
      return InvalidParameter(
          "You can only move staging label AWSCURRENT to a different secret "
          "version. It can't be completely removed.");
    }
    std::erase(MutableVersion(info, *remove_from)->stages, stage);
  } else {
    if (holder != nullptr && holder->version_id == *move_to) return Status::Ok();  // already there
    if (holder != nullptr && !remove_from) {
      return InvalidParameter("The staging label " + std::string(stage) +
                              " is currently attached to version " + holder->version_id +
                              "; give that version as RemoveFromVersionId to move it");
    }
    if (info.FindVersion(*move_to)->stages.size() >= kMaxStagesPerVersion) {
      return InvalidParameter("a version can have at most 20 staging labels");
    }
    AttachStage(info, *move_to, stage);
  }
  info.last_changed = now;
  PruneVersions(secret);
  return Status::Ok();
}

Result<TimePoint> MarkForDeletion(SecretInfo& secret, const DeleteOptions& options, TimePoint now) {
  if (options.force_delete_without_recovery && options.recovery_window_days) {
    return InvalidParameter(
        "You can't use ForceDeleteWithoutRecovery in conjunction with "
        "RecoveryWindowInDays.");
  }
  const int days = options.recovery_window_days.value_or(kDefaultRecoveryWindowDays);
  if (days < 7 || days > 30) {
    return InvalidParameter("RecoveryWindowInDays must be between 7 and 30 (got " +
                            std::to_string(days) + ")");
  }
  if (secret.MarkedForDeletion()) {
    return InvalidRequest(
        "You can't perform this operation on the secret because it was "
        "already scheduled for deletion.");
  }
  secret.deleted_date = now;
  secret.deletion_date =
      options.force_delete_without_recovery ? now : now + std::chrono::days(days);
  secret.last_changed = now;
  return *secret.deletion_date;
}

void Restore(SecretInfo& secret, TimePoint now) {
  if (!secret.MarkedForDeletion()) return;
  secret.deleted_date.reset();
  secret.deletion_date.reset();
  secret.last_changed = now;
}

bool DueForPurge(const SecretInfo& secret, TimePoint now) {
  return secret.deletion_date && *secret.deletion_date <= now;
}

bool NoteAccess(SecretInfo& secret, TimePoint now) {
  const TimePoint day = std::chrono::floor<std::chrono::days>(now);
  if (secret.last_accessed == day) return false;
  secret.last_accessed = day;
  return true;
}

Result<std::string> RotateCreate(Secret& secret, std::string_view token, std::string_view value,
                                 TimePoint now) {
  SecretInfo& info = secret.info;
  if (info.MarkedForDeletion()) return MarkedForDeletion();
  DRYDOCK_RETURN_IF_ERROR(ValidateVersionId(token));
  const VersionInfo* pending = info.VersionWithStage(kAwsPending);
  if (pending != nullptr && !pending->HasStage(kAwsCurrent) && pending->version_id != token) {
    return InvalidRequest(
        "A previous rotation isn't complete. That rotation will be "
        "reattempted. (AWSPENDING is on version " +
        pending->version_id + " of " + info.name + ")");
  }
  if (const VersionInfo* existing = info.FindVersion(token)) {
    if (existing->HasStage(kAwsCurrent)) {
      return "createSecret: version " + std::string(token) +
             " is already AWSCURRENT; nothing to do";
    }
    if (existing->HasStage(kAwsPending)) {
      return "createSecret: version " + std::string(token) + " already holds AWSPENDING; kept it";
    }
    return InvalidRequest("version " + std::string(token) + " of " + info.name +
                          " exists without AWSPENDING; rotate with a new ClientRequestToken");
  }
  Result<PutOutcome> put = PutValue(secret, value, token, {std::string(kAwsPending)}, now);
  if (!put.ok()) return put.status();
  return "createSecret: put version " + std::string(token) + " with AWSPENDING";
}

Result<std::string> RotateSet(const Secret& secret, std::string_view token) {
  bool done = false;
  DRYDOCK_RETURN_IF_ERROR(CheckRotationToken(secret.info, token, &done));
  if (done)
    return "setSecret: version " + std::string(token) + " is already AWSCURRENT; nothing to do";
  return std::string("setSecret: no database or service to update locally; nothing to do");
}

Result<std::string> RotateTest(const Secret& secret, std::string_view token) {
  bool done = false;
  DRYDOCK_RETURN_IF_ERROR(CheckRotationToken(secret.info, token, &done));
  if (done)
    return "testSecret: version " + std::string(token) + " is already AWSCURRENT; nothing to do";
  auto pending = secret.values.find(token);
  if (pending == secret.values.end()) return Internal("pending value not loaded before testSecret");
  const VersionInfo* current = secret.info.VersionWithStage(kAwsCurrent);
  auto current_value = current ? secret.values.find(current->version_id) : secret.values.end();
  if (current_value != secret.values.end() && IsJsonObject(current_value->second)) {
    if (!IsJsonObject(pending->second)) {
      return InvalidRequest("testSecret failed: the current value of " + secret.info.name +
                            " is a JSON object but the pending version " + std::string(token) +
                            " is not");
    }
    return std::string(
        "testSecret: the pending value decrypts and is a JSON object like the current one");
  }
  return std::string("testSecret: the pending value decrypts");
}

Result<std::string> RotateFinish(Secret& secret, std::string_view token, TimePoint now) {
  bool done = false;
  DRYDOCK_RETURN_IF_ERROR(CheckRotationToken(secret.info, token, &done));
  if (done) {
    return "finishSecret: version " + std::string(token) + " is already AWSCURRENT; nothing to do";
  }
  const VersionInfo* current = secret.info.VersionWithStage(kAwsCurrent);
  std::optional<std::string> old_current;
  if (current != nullptr) old_current = current->version_id;
  DRYDOCK_RETURN_IF_ERROR(
      UpdateVersionStage(secret, kAwsCurrent, std::string(token), old_current, now));
  DRYDOCK_RETURN_IF_ERROR(
      UpdateVersionStage(secret, kAwsPending, std::nullopt, std::string(token), now));
  secret.info.last_rotated = now;
  std::string report = "finishSecret: moved AWSCURRENT to version " + std::string(token);
  if (old_current) report += " (version " + *old_current + " is now AWSPREVIOUS)";
  return report + " and removed AWSPENDING";
}

}  // namespace drydock::secrets
