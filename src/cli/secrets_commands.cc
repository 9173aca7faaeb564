// drydock secrets VERB: the local Secrets Manager in <state-dir>/secrets
// (docs/secrets.md). Values come from --value-file or stdin, never from the
// command line; `get` is the only verb that prints one, and no message or
// log line ever contains one.
#include <unistd.h>

#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>

#include "base/strings.h"
#include "base/text_table.h"
#include "cli/cli_edge.h"
#include "cli/commands.h"
#include "cli/recorded_state.h"
#include "runtime/real/real_clock.h"
#include "secrets/crypto.h"
#include "secrets/secret_store.h"
#include "secrets/value_from.h"
#include "state/model.h"
#include "state/state_dir.h"

namespace drydock::cli {
namespace {

using nlohmann::ordered_json;
using secrets::SecretInfo;
using secrets::SecretStore;

constexpr std::string_view kSecretsSubdir = "/secrets";

// The message of a failed operation, with a fix where there is an obvious one.
int Fail(Terminal& terminal, const SecretsOptions& options, const Status& status) {
  const std::string& message = status.message();
  std::string hint;
  if (status.code() == StatusCode::kNotFound && StartsWith(message, "ResourceNotFound") &&
      message.find("secret value") == std::string::npos &&
      message.find("secret version") == std::string::npos) {
    hint = "no secret '" + options.name + "' here; see `drydock secrets list` (state directory: " +
           StateDirPath(options.state_dir) + ")";
  } else if (message.find("marked for deletion") != std::string::npos) {
    hint = "restore it first with `drydock secrets restore " + options.name + "`";
  } else if (message.find("previous rotation isn't complete") != std::string::npos) {
    hint = "finish it with `drydock secrets rotate " + options.name +
           " --step finish --client-request-token <that version>`";
  } else if (StartsWith(message, "ResourceExistsException: The operation failed")) {
    hint = "change its value with `drydock secrets put " + options.name + "`";
  }
  terminal.err << "drydock secrets " << options.verb << ": " << message << "\n";
  if (!hint.empty()) terminal.err << "  fix: " << hint << "\n";
  return kExitFailure;
}

int FailText(Terminal& terminal, const SecretsOptions& options, const std::string& message) {
  terminal.err << "drydock secrets " << options.verb << ": " << message << "\n";
  return kExitFailure;
}

// The value to store: --value-file's content or stdin, minus one trailing
// newline (what `echo` and editors add). Empty is refused.
Result<std::string> ReadValue(const SecretsOptions& options, std::istream& in, Terminal& terminal) {
  std::ostringstream buffer;
  if (!options.value_file.empty()) {
    std::ifstream file(options.value_file, std::ios::binary);
    if (!file) return IoError("cannot read --value-file " + options.value_file);
    buffer << file.rdbuf();
  } else {
    if (&in == &std::cin && isatty(STDIN_FILENO)) {
      terminal.err << "reading the secret value from stdin (end with Ctrl-D)\n";
    }
    buffer << in.rdbuf();
  }
  std::string value = buffer.str();
  if (!value.empty() && value.back() == '\n') value.pop_back();
  if (!value.empty() && value.back() == '\r') value.pop_back();
  if (value.empty()) {
    return InvalidArgument(
        "the value is empty: give it on stdin or with --value-file FILE "
        "(values are never taken from the command line)");
  }
  return value;
}

// The region of the cluster recorded in the state directory, else --region.
std::string RegionFor(const SecretsOptions& options) {
  Result<RecordedState> recorded = OpenRecordedState(StateDirPath(options.state_dir));
  if (recorded.ok()) {
    Result<state::Snapshot> snapshot = recorded->store->Load();
    if (snapshot.ok() && !snapshot->identity.region.empty()) return snapshot->identity.region;
  }
  return options.region;
}

// The store; `create` makes the state directory when missing. Other verbs
// on a directory without secrets report ResourceNotFound (list: nothing).
Result<std::unique_ptr<SecretStore>> OpenStore(const SecretsOptions& options, bool create) {
  const std::string path = StateDirPath(options.state_dir);
  Result<state::StateDir> dir =
      create ? state::StateDir::Create(path) : state::StateDir::OpenExisting(path);
  if (!dir.ok()) {
    if (dir.status().code() == StatusCode::kNotFound) return secrets::ResourceNotFound();
    return dir.status();
  }
  const std::string secrets_dir = dir->path() + std::string(kSecretsSubdir);
  if (!create && access(secrets_dir.c_str(), F_OK) != 0) return secrets::ResourceNotFound();
  return SecretStore::Open(secrets_dir);
}

std::optional<std::string> Optional(const std::string& text) {
  return text.empty() ? std::nullopt : std::optional<std::string>(text);
}

secrets::NewValue MakeNewValue(std::string value, const SecretsOptions& options) {
  return {std::move(value), Optional(options.key)};
}

ordered_json VersionsToStages(const SecretInfo& info) {
  ordered_json map = ordered_json::object();
  for (const secrets::VersionInfo& version : info.versions) {
    if (!version.stages.empty()) map[version.version_id] = version.stages;
  }
  return map;
}

// DescribeSecret's shape (ListSecrets' entries share it).
ordered_json DescribeJson(const SecretInfo& info) {
  ordered_json out;
  out["ARN"] = info.arn;
  out["Name"] = info.name;
  if (!info.description.empty()) out["Description"] = info.description;
  out["RotationEnabled"] = false;
  if (info.last_rotated) out["LastRotatedDate"] = FormatTime(*info.last_rotated);
  out["LastChangedDate"] = FormatTime(info.last_changed);
  if (info.last_accessed) out["LastAccessedDate"] = FormatTime(*info.last_accessed);
  if (info.deleted_date) out["DeletedDate"] = FormatTime(*info.deleted_date);
  if (info.deletion_date) out["DeletionDate"] = FormatTime(*info.deletion_date);
  out["VersionIdsToStages"] = VersionsToStages(info);
  out["CreatedDate"] = FormatTime(info.created);
  return out;
}

std::string Dump(const ordered_json& json) {
  return json.dump(2, ' ', false, ordered_json::error_handler_t::replace) + "\n";
}

std::string DescribeText(const SecretInfo& info) {
  std::string text = "Name:             " + info.name + "\nARN:              " + info.arn + "\n";
  if (!info.description.empty()) text += "Description:      " + info.description + "\n";
  text += "CreatedDate:      " + FormatTime(info.created) + "\n";
  text += "LastChangedDate:  " + FormatTime(info.last_changed) + "\n";
  if (info.last_accessed) text += "LastAccessedDate: " + FormatTime(*info.last_accessed) + "\n";
  if (info.last_rotated) text += "LastRotatedDate:  " + FormatTime(*info.last_rotated) + "\n";
  if (info.deletion_date) {
    text += "DeletedDate:      " + FormatTime(info.deleted_date.value_or(*info.deletion_date)) +
            " (marked for deletion; " + "purged at " + FormatTime(*info.deletion_date) +
            " unless restored)\n";
  }
  TextTable table;
  table.AddRow({"VERSION", "STAGES", "CREATED"});
  for (auto version = info.versions.rbegin(); version != info.versions.rend(); ++version) {
    table.AddRow({version->version_id, version->stages.empty() ? "-" : Join(version->stages, ","),
                  FormatTime(version->created)});
  }
  return text + "Versions (newest first):\n" + table.Render("  ");
}

int RunCreate(const SecretsOptions& options, std::istream& in, Terminal& terminal, TimePoint now) {
  Result<std::string> value = ReadValue(options, in, terminal);
  if (!value.ok()) return FailText(terminal, options, value.status().message());
  Result<std::unique_ptr<SecretStore>> store = OpenStore(options, /*create=*/true);
  if (!store.ok()) return Fail(terminal, options, store.status());
  Result<secrets::CreateResult> created = (*store)->Create(
      options.name, options.description, *value, RegionFor(options),
      state::ClusterIdentity{}.account_id, Optional(options.client_request_token), now);
  secrets::Wipe(*value);
  if (!created.ok()) return Fail(terminal, options, created.status());
  terminal.out << "Created secret " << created->name << "\n  ARN:       " << created->arn
               << "\n  VersionId: " << created->version_id << " (AWSCURRENT)\n";
  return kExitOk;
}

int RunPut(SecretStore& store, const SecretsOptions& options, std::istream& in, Terminal& terminal,
           TimePoint now) {
  Result<std::string> value = ReadValue(options, in, terminal);
  if (!value.ok()) return FailText(terminal, options, value.status().message());
  Result<secrets::PutOutcome> put =
      store.PutValue(options.name, MakeNewValue(*value, options),
                     Optional(options.client_request_token), options.version_stages, now);
  secrets::Wipe(*value);
  if (!put.ok()) return Fail(terminal, options, put.status());
  if (!put->changed) {
    terminal.out << "Version " << put->version_id << " of " << options.name
                 << " already holds this value; nothing changed\n";
  } else {
    terminal.out << "Put version " << put->version_id << " of " << options.name << " ("
                 << Join(put->stages, ", ") << ")\n";
  }
  return kExitOk;
}

int RunGet(SecretStore& store, const SecretsOptions& options, Terminal& terminal, TimePoint now) {
  std::optional<std::string> stage = options.version_stages.empty()
                                         ? std::nullopt
                                         : std::optional<std::string>(options.version_stages[0]);
  Result<secrets::SecretValue> got =
      store.GetValue(options.name, Optional(options.version_id), stage, now);
  if (!got.ok()) return Fail(terminal, options, got.status());
  std::string value = got->secret_string;
  if (!options.key.empty()) {
    secrets::ValueFrom select{got->name, false, options.key, std::nullopt, std::nullopt};
    Result<std::string> selected = secrets::SelectValue(select, value);
    secrets::Wipe(value);
    if (!selected.ok()) return FailText(terminal, options, selected.status().message());
    value = std::move(*selected);
  }
  if (options.format == OutputFormat::kJson) {
    ordered_json out;
    out["ARN"] = got->arn;
    out["Name"] = got->name;
    out["VersionId"] = got->version_id;
    out["SecretString"] = value;
    out["VersionStages"] = got->stages;
    out["CreatedDate"] = FormatTime(got->created);
    terminal.out << Dump(out);
  } else {
    terminal.out << value << "\n";
  }
  secrets::Wipe(value);
  secrets::Wipe(got->secret_string);
  return kExitOk;
}

int RunDescribe(SecretStore& store, const SecretsOptions& options, Terminal& terminal,
                TimePoint now) {
  Result<SecretInfo> info = store.Describe(options.name, now);
  if (!info.ok()) return Fail(terminal, options, info.status());
  terminal.out << (options.format == OutputFormat::kJson ? Dump(DescribeJson(*info))
                                                         : DescribeText(*info));
  return kExitOk;
}

void PrintList(const std::vector<SecretInfo>& list, OutputFormat format, Terminal& terminal) {
  if (format == OutputFormat::kJson) {
    ordered_json entries = ordered_json::array();
    for (const SecretInfo& info : list) {
      ordered_json entry = DescribeJson(info);
      entry["SecretVersionsToStages"] = entry["VersionIdsToStages"];
      entry.erase("VersionIdsToStages");
      entries.push_back(std::move(entry));
    }
    terminal.out << Dump(ordered_json{{"SecretList", std::move(entries)}});
    return;
  }
  if (list.empty()) {
    terminal.out << "no secrets (create one with `drydock secrets create NAME`)\n";
    return;
  }
  TextTable table;
  table.AddRow({"NAME", "VERSIONS", "LAST CHANGED", "STATUS"});
  for (const SecretInfo& info : list) {
    table.AddRow({info.name, std::to_string(info.versions.size()), FormatTime(info.last_changed),
                  info.deletion_date ? "deletion on " + FormatTime(*info.deletion_date)
                                     : std::string("active")});
  }
  terminal.out << table.Render("");
}

int RunDelete(SecretStore& store, const SecretsOptions& options, Terminal& terminal,
              TimePoint now) {
  secrets::DeleteOptions remove{options.recovery_window_days,
                                options.force_delete_without_recovery};
  Result<secrets::DeleteResult> deleted = store.Delete(options.name, remove, now);
  if (!deleted.ok()) return Fail(terminal, options, deleted.status());
  if (options.force_delete_without_recovery) {
    terminal.out << "Deleted secret " << deleted->name << " without recovery\n";
  } else {
    terminal.out << "Secret " << deleted->name << " is marked for deletion; it is purged at "
                 << FormatTime(deleted->deletion_date) << " unless restored with "
                 << "`drydock secrets restore " << deleted->name << "`\n";
  }
  return kExitOk;
}

std::optional<secrets::RotationStep> ParseStep(const std::string& step) {
  if (step == "create") return secrets::RotationStep::kCreate;
  if (step == "set") return secrets::RotationStep::kSet;
  if (step == "test") return secrets::RotationStep::kTest;
  if (step == "finish") return secrets::RotationStep::kFinish;
  return std::nullopt;
}

int RunRotate(SecretStore& store, const SecretsOptions& options, std::istream& in,
              Terminal& terminal, TimePoint now) {
  std::vector<secrets::RotationStep> steps = {
      secrets::RotationStep::kCreate, secrets::RotationStep::kSet, secrets::RotationStep::kTest,
      secrets::RotationStep::kFinish};
  if (!options.step.empty()) steps = {*ParseStep(options.step)};
  secrets::NewValue value;
  if (steps.front() == secrets::RotationStep::kCreate) {
    Result<std::string> read = ReadValue(options, in, terminal);
    if (!read.ok()) return FailText(terminal, options, read.status().message());
    value = MakeNewValue(std::move(*read), options);
  }
  Result<std::string> token = options.client_request_token.empty()
                                  ? secrets::NewVersionId()
                                  : Result<std::string>(options.client_request_token);
  if (!token.ok()) return Fail(terminal, options, token.status());
  int exit_code = kExitOk;
  for (secrets::RotationStep step : steps) {
    Result<std::string> report = store.Rotate(options.name, step, *token, value, now);
    if (!report.ok()) {
      exit_code = Fail(terminal, options, report.status());
      break;
    }
    terminal.out << *report << "\n";
  }
  secrets::Wipe(value.value);
  if (exit_code == kExitOk && options.step.empty()) {
    terminal.out << "Rotated " << options.name << ": version " << *token << " is AWSCURRENT; "
                 << "running tasks keep the old value until they are replaced "
                 << "(`drydock deploy SERVICE --force-new-deployment`)\n";
  }
  return exit_code;
}

// Usage errors the parser cannot express.
std::optional<std::string> UsageError(const SecretsOptions& options) {
  if (options.verb == "rotate" && !options.step.empty()) {
    if (!ParseStep(options.step)) return "--step must be create, set, test or finish";
    if (options.client_request_token.empty()) {
      return "--step needs --client-request-token (the rotation's version id)";
    }
  }
  if (options.verb == "get" && !options.version_id.empty() && !options.version_stages.empty()) {
    return "give --version-stage or --version-id, not both";
  }
  if (options.verb == "delete" && options.force_delete_without_recovery &&
      options.recovery_window_days) {
    return "--force-delete-without-recovery cannot be combined with --recovery-window-in-days";
  }
  return std::nullopt;
}

}  // namespace

int RunSecrets(const SecretsOptions& options, std::istream& in, Terminal& terminal) {
  if (std::optional<std::string> usage = UsageError(options)) {
    terminal.err << "drydock secrets " << options.verb << ": " << *usage << "\n";
    return kExitUsage;
  }
  // Secrets Manager's dates are wall-clock dates.
  const TimePoint now = runtime::RealClock::WallNow();
  if (options.verb == "create") return RunCreate(options, in, terminal, now);
  Result<std::unique_ptr<SecretStore>> store = OpenStore(options, /*create=*/false);
  if (!store.ok()) {
    if (options.verb == "list" && store.status().code() == StatusCode::kNotFound) {
      PrintList({}, options.format, terminal);
      return kExitOk;
    }
    return Fail(terminal, options, store.status());
  }
  SecretStore& opened = **store;
  if (options.verb == "put") return RunPut(opened, options, in, terminal, now);
  if (options.verb == "get") return RunGet(opened, options, terminal, now);
  if (options.verb == "describe") return RunDescribe(opened, options, terminal, now);
  if (options.verb == "delete") return RunDelete(opened, options, terminal, now);
  if (options.verb == "rotate") return RunRotate(opened, options, in, terminal, now);
  if (options.verb == "restore") {
    Result<std::string> arn = opened.Restore(options.name, now);
    if (!arn.ok()) return Fail(terminal, options, arn.status());
    terminal.out << "Restored secret " << options.name << " (" << *arn << ")\n";
    return kExitOk;
  }
  if (options.verb == "list") {
    Result<std::vector<SecretInfo>> list = opened.List(options.include_planned_deletion, now);
    if (!list.ok()) return Fail(terminal, options, list.status());
    PrintList(*list, options.format, terminal);
    return kExitOk;
  }
  terminal.err << "drydock secrets: unknown verb '" << options.verb << "'\n";
  return kExitUsage;
}

}  // namespace drydock::cli
