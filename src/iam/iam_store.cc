#include "iam/iam_store.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <nlohmann/json.hpp>
#include <utility>

#include "aws/iam_names.h"

namespace drydock::iam {
namespace {

constexpr int kBusyTimeoutMs = 5000;
constexpr int kSchemaVersion = 1;
constexpr size_t kMaxPoliciesPerRole = 10;  // IAM's default quota (PoliciesPerRole)

constexpr char kSchema[] = R"sql(
CREATE TABLE roles (
  name TEXT PRIMARY KEY COLLATE NOCASE,
  trust_principal TEXT NOT NULL,
  create_ms INTEGER NOT NULL
);
CREATE TABLE policies (
  name TEXT PRIMARY KEY COLLATE NOCASE,
  document TEXT NOT NULL,
  version INTEGER NOT NULL,
  create_ms INTEGER NOT NULL,
  update_ms INTEGER NOT NULL
);
CREATE TABLE attachments (
  role_name TEXT NOT NULL REFERENCES roles(name) ON DELETE CASCADE,
  policy_arn TEXT NOT NULL,
  PRIMARY KEY (role_name, policy_arn)
);
PRAGMA user_version = 1;
)sql";

int64_t Millis(TimePoint t) { return t.time_since_epoch().count(); }
TimePoint FromMillis(int64_t ms) { return TimePoint(Duration(ms)); }

Status NoSuchEntity(const std::string& message) { return NotFound("NoSuchEntity: " + message); }
Status NoSuchRole(const std::string& name) {
  return NoSuchEntity("The role with name " + name + " cannot be found.");
}

// One prepared statement, finalized on scope exit. The first error (prepare
// or bind) is kept and reported by Step().
class Stmt {
 public:
  Stmt(sqlite3* db, const char* sql) { rc_ = sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr); }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  ~Stmt() { sqlite3_finalize(stmt_); }

  Stmt& Bind(int index, std::string_view text) {
    if (rc_ == SQLITE_OK) {
      rc_ = sqlite3_bind_text64(stmt_, index, text.data(), text.size(), SQLITE_TRANSIENT,
                                SQLITE_UTF8);
    }
    return *this;
  }
  Stmt& Bind(int index, int64_t value) {
    if (rc_ == SQLITE_OK) rc_ = sqlite3_bind_int64(stmt_, index, value);
    return *this;
  }
  // SQLITE_ROW, SQLITE_DONE or an error code.
  int Step() { return rc_ == SQLITE_OK ? sqlite3_step(stmt_) : rc_; }
  std::string Text(int column) const {
    const unsigned char* text = sqlite3_column_text(stmt_, column);
    return text == nullptr ? std::string()
                           : std::string(reinterpret_cast<const char*>(text),
                                         static_cast<size_t>(sqlite3_column_bytes(stmt_, column)));
  }
  int64_t Int(int column) const { return sqlite3_column_int64(stmt_, column); }

 private:
  sqlite3_stmt* stmt_ = nullptr;
  int rc_ = SQLITE_OK;
};

// Creates the file with mode 0600 before SQLite opens it, so it is never
// wider, and tightens an existing one; it must belong to us.
Status PrepareFile(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) return IoError("cannot open " + path + ": " + std::strerror(errno));
  struct stat info {};
  Status status;
  if (::fstat(fd, &info) != 0) {
    status = IoError("cannot stat " + path + ": " + std::strerror(errno));
  } else if (info.st_uid != ::geteuid()) {
    status = Status(StatusCode::kFailedPrecondition,
                    path + " belongs to another user; use your own --state-dir");
  } else if ((info.st_mode & 0777) != 0600 && ::fchmod(fd, 0600) != 0) {
    status = IoError("cannot set the mode of " + path + " to 0600: " + std::strerror(errno));
  }
  ::close(fd);
  return status;
}

void TightenSidecars(const std::string& path) {
  for (const char* suffix : {"-wal", "-shm"}) {
    (void)::chmod((path + suffix).c_str(), 0600);  // absent: nothing to do
  }
}

std::string Quote(const std::string& s) { return nlohmann::json(s).dump(); }

}  // namespace

// BEGIN (IMMEDIATE for writers) ... COMMIT; rolled back unless committed.
class IamStore::Tx {
 public:
  Tx(IamStore& store, bool immediate) : store_(store) {
    begun_ = store_.Exec(immediate ? "BEGIN IMMEDIATE" : "BEGIN DEFERRED");
  }
  Tx(const Tx&) = delete;
  Tx& operator=(const Tx&) = delete;
  ~Tx() {
    if (begun_.ok() && !committed_ && sqlite3_get_autocommit(store_.db_) == 0) {
      (void)store_.Exec("ROLLBACK");
    }
  }
  const Status& begun() const { return begun_; }
  Status Commit() {
    Status status = store_.Exec("COMMIT");
    committed_ = status.ok();
    return status;
  }

 private:
  IamStore& store_;
  Status begun_;
  bool committed_ = false;
};

#define IAM_BEGIN(tx, immediate)   \
  Tx tx(*this, immediate);         \
  if (!tx.begun().ok()) return tx.begun()

const std::vector<ManagedPolicy>& AwsManagedPolicies() {
  static const std::vector<ManagedPolicy> kPolicies = [] {
    ManagedPolicy execution;
    execution.name = "AmazonECSTaskExecutionRolePolicy";
    execution.arn = std::string(kTaskExecutionPolicyArn);
    execution.aws_managed = true;
    // The document AWS publishes for this policy (ECS developer guide,
    // "Amazon ECS task execution IAM role").
    execution.document_json = ToJson(*ParsePolicyDocument(R"({
      "Version": "2012-10-17",
      "Statement": [{
        "Effect": "Allow",
        "Action": ["ecr:GetAuthorizationToken", "ecr:BatchCheckLayerAvailability",
                   "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage",
                   "logs:CreateLogStream", "logs:PutLogEvents"],
        "Resource": "*"
      }]})"));
    return std::vector<ManagedPolicy>{execution};
  }();
  return kPolicies;
}

std::string TrustPolicyJson(std::string_view principal) {
  nlohmann::json trust = {
      {"Version", "2012-10-17"},
      {"Statement",
       {{{"Effect", "Allow"}, {"Principal", {{"Service", std::string(principal)}}},
         {"Action", "sts:AssumeRole"}}}}};
  return trust.dump();
}

Status CheckIamName(std::string_view name, size_t max_length, std::string_view what) {
  bool ok = !name.empty() && name.size() <= max_length;
  for (char c : name) {
    ok = ok && (std::isalnum(static_cast<unsigned char>(c)) ||
                std::string_view("+=,.@_-").find(c) != std::string_view::npos);
  }
  if (ok) return Status::Ok();
  return InvalidArgument(std::string(what) + " name " + Quote(std::string(name)) + " is invalid: 1 to " +
                         std::to_string(max_length) +
                         " characters, letters, digits and +=,.@_- only");
}

// ---- opening ----------------------------------------------------------------

Result<std::unique_ptr<IamStore>> IamStore::Open(const std::string& path, std::string account_id) {
  if (path != ":memory:") DRYDOCK_RETURN_IF_ERROR(PrepareFile(path));
  sqlite3* db = nullptr;
  const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  const int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  std::unique_ptr<IamStore> store(new IamStore(db, path, std::move(account_id)));
  if (rc != SQLITE_OK) return store->Error(rc, "opening");
  sqlite3_busy_timeout(db, kBusyTimeoutMs);
  sqlite3_extended_result_codes(db, 1);
  DRYDOCK_RETURN_IF_ERROR(store->Exec("PRAGMA foreign_keys = ON"));
  if (path != ":memory:") {
    DRYDOCK_RETURN_IF_ERROR(store->Exec("PRAGMA journal_mode = WAL"));
    TightenSidecars(path);
  }
  DRYDOCK_RETURN_IF_ERROR(store->Migrate());
  return store;
}

IamStore::~IamStore() { sqlite3_close_v2(db_); }

Status IamStore::Exec(const std::string& sql) {
  const int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, nullptr);
  return rc == SQLITE_OK ? Status::Ok() : Error(rc, "");
}

Status IamStore::Error(int rc, const std::string& doing) const {
  const std::string where = "IAM database " + path_;
  const std::string detail = db_ != nullptr ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
  const std::string prefix = doing.empty() ? "" : doing + ": ";
  switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return Status(StatusCode::kUnavailable,
                    prefix + where + " is locked by another process (waited " +
                        std::to_string(kBusyTimeoutMs) + " ms); retry");
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY:
    case SQLITE_PERM:
      return IoError(prefix + "cannot write " + where + " (" + detail +
                     "); check that the state directory exists and belongs to you");
    case SQLITE_NOTADB:
    case SQLITE_CORRUPT:
      return Status(StatusCode::kFailedPrecondition,
                    prefix + where + " is not a usable database (" + detail +
                        "); move it away and run `drydock up` to create the roles again");
    default:
      return Internal(prefix + where + ": " + detail);
  }
}

Status IamStore::Migrate() {
  IAM_BEGIN(tx, true);
  Stmt version(db_, "PRAGMA user_version");
  if (int rc = version.Step(); rc != SQLITE_ROW) return Error(rc, "reading the schema version");
  const int64_t found = version.Int(0);
  if (found > kSchemaVersion) {
    return Status(StatusCode::kFailedPrecondition,
                  "IAM database " + path_ + " has schema version " + std::to_string(found) +
                      ", newer than this drydock understands (" + std::to_string(kSchemaVersion) +
                      "); use a newer drydock");
  }
  if (found == 0) DRYDOCK_RETURN_IF_ERROR(Exec(kSchema));
  return tx.Commit();
}

// ---- names ------------------------------------------------------------------

std::string IamStore::RoleArn(std::string_view role_name) const {
  return aws::IamRoleArn(account_id_, std::string(role_name));
}

std::string IamStore::PolicyArn(std::string_view policy_name) const {
  return aws::IamPolicyArn(account_id_, std::string(policy_name));
}

Result<std::string> IamStore::RoleNameOf(const std::string& role) const {
  if (role.rfind("arn:", 0) != 0) return role;
  const std::string prefix = "arn:aws:iam::" + account_id_ + ":role/";
  if (role.rfind(prefix, 0) != 0 || role.size() == prefix.size()) {
    return NoSuchEntity("Role " + role + " is not a role of account " + account_id_ + ".");
  }
  return role.substr(role.rfind('/') + 1);  // a path (role/path/name) ends at the name
}

// ---- reading ----------------------------------------------------------------

Result<std::vector<std::string>> IamStore::ReadAttached(const std::string& role_name) {
  Stmt stmt(db_, "SELECT policy_arn FROM attachments WHERE role_name = ?1 ORDER BY policy_arn");
  stmt.Bind(1, role_name);
  std::vector<std::string> arns;
  int rc;
  while ((rc = stmt.Step()) == SQLITE_ROW) arns.push_back(stmt.Text(0));
  if (rc != SQLITE_DONE) return Error(rc, "reading the policies of role " + role_name);
  return arns;
}

Result<Role> IamStore::ReadRole(const std::string& role_name) {
  Stmt stmt(db_, "SELECT name, trust_principal, create_ms FROM roles WHERE name = ?1");
  stmt.Bind(1, role_name);
  const int rc = stmt.Step();
  if (rc == SQLITE_DONE) return NoSuchRole(role_name);
  if (rc != SQLITE_ROW) return Error(rc, "reading role " + role_name);
  Role role;
  role.name = stmt.Text(0);
  role.arn = RoleArn(role.name);
  role.trust_principal = stmt.Text(1);
  role.create_date = FromMillis(stmt.Int(2));
  Result<std::vector<std::string>> attached = ReadAttached(role.name);
  if (!attached.ok()) return attached.status();
  role.attached_policy_arns = std::move(*attached);
  return role;
}

Result<ManagedPolicy> IamStore::ReadPolicy(const std::string& arn) {
  ManagedPolicy policy;
  const auto& known = AwsManagedPolicies();
  auto aws = std::find_if(known.begin(), known.end(),
                          [&](const ManagedPolicy& p) { return p.arn == arn; });
  const std::string prefix = PolicyArn("");
  if (aws != known.end()) {
    policy = *aws;
  } else if (arn.rfind(prefix, 0) == 0) {
    Stmt stmt(db_, "SELECT name, document, version, create_ms, update_ms FROM policies "
                   "WHERE name = ?1");
    stmt.Bind(1, arn.substr(prefix.size()));
    const int rc = stmt.Step();
    if (rc == SQLITE_DONE) return NoSuchEntity("Policy " + arn + " does not exist or is not attachable.");
    if (rc != SQLITE_ROW) return Error(rc, "reading policy " + arn);
    policy.name = stmt.Text(0);
    policy.arn = PolicyArn(policy.name);
    policy.document_json = stmt.Text(1);
    policy.default_version = "v" + std::to_string(stmt.Int(2));
    policy.create_date = FromMillis(stmt.Int(3));
    policy.update_date = FromMillis(stmt.Int(4));
  } else {
    return NoSuchEntity("Policy " + arn + " does not exist or is not attachable.");
  }
  Stmt count(db_, "SELECT COUNT(*) FROM attachments WHERE policy_arn = ?1");
  count.Bind(1, policy.arn);
  if (int rc = count.Step(); rc != SQLITE_ROW) return Error(rc, "counting attachments");
  policy.attachment_count = static_cast<int>(count.Int(0));
  return policy;
}

Result<std::vector<Role>> IamStore::ListRoles() {
  IAM_BEGIN(tx, false);
  std::vector<std::string> names;
  {
    Stmt stmt(db_, "SELECT name FROM roles ORDER BY name");
    int rc;
    while ((rc = stmt.Step()) == SQLITE_ROW) names.push_back(stmt.Text(0));
    if (rc != SQLITE_DONE) return Error(rc, "listing roles");
  }
  std::vector<Role> roles;
  for (const std::string& name : names) {
    Result<Role> role = ReadRole(name);
    if (!role.ok()) return role.status();
    roles.push_back(std::move(*role));
  }
  return roles;
}

Result<RoleDetail> IamStore::GetRole(const std::string& role) {
  Result<std::string> name = RoleNameOf(role);
  if (!name.ok()) return name.status();
  IAM_BEGIN(tx, false);
  RoleDetail detail;
  Result<Role> found = ReadRole(*name);
  if (!found.ok()) return found.status();
  detail.role = std::move(*found);
  for (const std::string& arn : detail.role.attached_policy_arns) {
    Result<ManagedPolicy> policy = ReadPolicy(arn);
    if (!policy.ok()) return policy.status();
    detail.attached.push_back(std::move(*policy));
  }
  return detail;
}

Result<std::vector<ManagedPolicy>> IamStore::ListPolicies() {
  IAM_BEGIN(tx, false);
  std::vector<std::string> arns;
  {
    Stmt stmt(db_, "SELECT name FROM policies ORDER BY name");
    int rc;
    while ((rc = stmt.Step()) == SQLITE_ROW) arns.push_back(PolicyArn(stmt.Text(0)));
    if (rc != SQLITE_DONE) return Error(rc, "listing policies");
  }
  for (const ManagedPolicy& aws : AwsManagedPolicies()) arns.push_back(aws.arn);
  std::vector<ManagedPolicy> policies;
  for (const std::string& arn : arns) {
    Result<ManagedPolicy> policy = ReadPolicy(arn);
    if (!policy.ok()) return policy.status();
    policies.push_back(std::move(*policy));
  }
  return policies;
}

Result<std::string> IamStore::ResolvePolicyArn(const std::string& name_or_arn) {
  if (name_or_arn.rfind("arn:", 0) != 0) {
    IAM_BEGIN(tx, false);
    Stmt stmt(db_, "SELECT name FROM policies WHERE name = ?1");
    stmt.Bind(1, name_or_arn);
    const int rc = stmt.Step();
    if (rc == SQLITE_ROW) return PolicyArn(stmt.Text(0));
    if (rc != SQLITE_DONE) return Error(rc, "looking up policy " + name_or_arn);
    for (const ManagedPolicy& aws : AwsManagedPolicies()) {
      if (aws.name == name_or_arn) return aws.arn;
    }
    return NoSuchEntity("Policy " + name_or_arn + " does not exist.");
  }
  IAM_BEGIN(tx, false);
  Result<ManagedPolicy> policy = ReadPolicy(name_or_arn);
  if (!policy.ok()) return policy.status();
  return policy->arn;
}

Result<Decision> IamStore::Authorize(const std::string& role, const std::string& session_name,
                                     const std::string& action, const std::string& resource) {
  Result<RoleDetail> detail = GetRole(role);
  if (!detail.ok()) return detail.status();
  std::vector<AttachedPolicy> policies;
  for (const ManagedPolicy& policy : detail->attached) {
    Result<PolicyDocument> document = ParsePolicyDocument(policy.document_json);
    if (!document.ok()) {
      return Internal("stored policy " + policy.arn + " no longer parses: " +
                      document.status().message());
    }
    policies.push_back({policy.arn, std::move(*document)});
  }
  const Request request{AssumedRoleArn(account_id_, detail->role.name, session_name), action,
                        resource};
  return Evaluate(policies, request);
}

// ---- writing ----------------------------------------------------------------

Result<Role> IamStore::EnsureRoleIn(const std::string& name, const std::string& trust,
                                    TimePoint now) {
  DRYDOCK_RETURN_IF_ERROR(CheckIamName(name, 64, "role"));
  if (trust.empty()) return InvalidArgument("role " + name + " needs a trusted service principal");
  Stmt stmt(db_, "INSERT INTO roles (name, trust_principal, create_ms) VALUES (?1, ?2, ?3) "
                 "ON CONFLICT (name) DO UPDATE SET trust_principal = excluded.trust_principal "
                 "WHERE trust_principal != excluded.trust_principal");
  stmt.Bind(1, name).Bind(2, trust).Bind(3, Millis(now));
  if (int rc = stmt.Step(); rc != SQLITE_DONE) return Error(rc, "saving role " + name);
  return ReadRole(name);
}

Result<ManagedPolicy> IamStore::EnsurePolicyIn(const std::string& name,
                                               const std::string& document_json, TimePoint now) {
  DRYDOCK_RETURN_IF_ERROR(CheckIamName(name, 128, "policy"));
  Result<PolicyDocument> document = ParsePolicyDocument(document_json);
  if (!document.ok()) return document.status();
  const std::string canonical = ToJson(*document);
  if (PolicyLengthWithoutWhitespace(canonical) > kMaxManagedPolicyChars) {
    return Status(StatusCode::kInvalidArgument,
                  "LimitExceeded: Cannot exceed quota for PolicySize: " +
                      std::to_string(kMaxManagedPolicyChars));
  }
  Stmt stmt(db_, "INSERT INTO policies (name, document, version, create_ms, update_ms) "
                 "VALUES (?1, ?2, 1, ?3, ?3) ON CONFLICT (name) DO UPDATE SET "
                 "document = excluded.document, version = version + 1, update_ms = excluded.update_ms "
                 "WHERE document != excluded.document");
  stmt.Bind(1, name).Bind(2, canonical).Bind(3, Millis(now));
  if (int rc = stmt.Step(); rc != SQLITE_DONE) return Error(rc, "saving policy " + name);
  Stmt stored(db_, "SELECT name FROM policies WHERE name = ?1");
  stored.Bind(1, name);
  if (int rc = stored.Step(); rc != SQLITE_ROW) return Error(rc, "reading policy " + name);
  return ReadPolicy(PolicyArn(stored.Text(0)));
}

Status IamStore::AttachIn(const std::string& role_name, const std::string& policy_arn) {
  Result<Role> role = ReadRole(role_name);
  if (!role.ok()) return role.status();
  Result<ManagedPolicy> policy = ReadPolicy(policy_arn);
  if (!policy.ok()) return policy.status();
  const auto& attached = role->attached_policy_arns;
  if (std::find(attached.begin(), attached.end(), policy->arn) != attached.end()) {
    return Status::Ok();  // IAM: attaching an attached policy succeeds and changes nothing
  }
  if (attached.size() >= kMaxPoliciesPerRole) {
    return Status(StatusCode::kFailedPrecondition,
                  "LimitExceeded: Cannot exceed quota for PoliciesPerRole: " +
                      std::to_string(kMaxPoliciesPerRole));
  }
  Stmt stmt(db_, "INSERT INTO attachments (role_name, policy_arn) VALUES (?1, ?2)");
  stmt.Bind(1, role->name).Bind(2, policy->arn);
  if (int rc = stmt.Step(); rc != SQLITE_DONE) return Error(rc, "attaching " + policy->arn);
  return Status::Ok();
}

Result<Role> IamStore::EnsureRole(const std::string& name, const std::string& trust_principal,
                                  TimePoint now) {
  IAM_BEGIN(tx, true);
  Result<Role> role = EnsureRoleIn(name, trust_principal, now);
  if (!role.ok()) return role.status();
  DRYDOCK_RETURN_IF_ERROR(tx.Commit());
  return role;
}

Result<ManagedPolicy> IamStore::EnsurePolicy(const std::string& name,
                                             const std::string& document_json, TimePoint now) {
  IAM_BEGIN(tx, true);
  Result<ManagedPolicy> policy = EnsurePolicyIn(name, document_json, now);
  if (!policy.ok()) return policy.status();
  DRYDOCK_RETURN_IF_ERROR(tx.Commit());
  return policy;
}

Status IamStore::AttachRolePolicy(const std::string& role, const std::string& policy_arn) {
  Result<std::string> name = RoleNameOf(role);
  if (!name.ok()) return name.status();
  IAM_BEGIN(tx, true);
  DRYDOCK_RETURN_IF_ERROR(AttachIn(*name, policy_arn));
  return tx.Commit();
}

Status IamStore::DetachRolePolicy(const std::string& role, const std::string& policy_arn) {
  Result<std::string> name = RoleNameOf(role);
  if (!name.ok()) return name.status();
  IAM_BEGIN(tx, true);
  Result<Role> found = ReadRole(*name);
  if (!found.ok()) return found.status();
  Stmt stmt(db_, "DELETE FROM attachments WHERE role_name = ?1 AND policy_arn = ?2");
  stmt.Bind(1, found->name).Bind(2, policy_arn);
  if (int rc = stmt.Step(); rc != SQLITE_DONE) return Error(rc, "detaching " + policy_arn);
  if (sqlite3_changes(db_) == 0) return NoSuchEntity("Policy " + policy_arn + " was not found.");
  return tx.Commit();
}

Result<std::string> IamStore::EnsureServiceExecutionRole(const std::string& cluster,
                                                         const std::string& service,
                                                         const std::string& secret_arn,
                                                         TimePoint now) {
  const std::string role_name = aws::ExecutionRoleName(cluster, service);
  const std::string policy_name = aws::SecretsPolicyName(cluster, service);
  nlohmann::json document = {
      {"Version", "2012-10-17"},
      {"Statement",
       {{{"Sid", "ReadOwnSecret"}, {"Effect", "Allow"},
         {"Action", "secretsmanager:GetSecretValue"}, {"Resource", secret_arn}}}}};
  IAM_BEGIN(tx, true);
  Result<Role> role = EnsureRoleIn(role_name, std::string(kEcsTasksPrincipal), now);
  if (!role.ok()) return role.status();
  Result<ManagedPolicy> policy = EnsurePolicyIn(
      policy_name, document.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), now);
  if (!policy.ok()) return policy.status();
  DRYDOCK_RETURN_IF_ERROR(AttachIn(role->name, std::string(kTaskExecutionPolicyArn)));
  DRYDOCK_RETURN_IF_ERROR(AttachIn(role->name, policy->arn));
  DRYDOCK_RETURN_IF_ERROR(tx.Commit());
  return role->arn;
}

}  // namespace drydock::iam
