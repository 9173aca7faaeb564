// One function per verb. Each takes parsed options and returns an exit code.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "cli/cli.h"

namespace drydock::cli {

enum class OutputFormat { kText, kJson };

int RunValidate(const std::string& file, OutputFormat format, Terminal& terminal);
int RunPlan(const std::string& file, OutputFormat format, Terminal& terminal);
int RunParse(const std::string& file, Terminal& terminal);

// status, events and logs read a state directory (observe_commands.cc).
// `state_dir` is --state-dir ("" when not given: $DRYDOCK_STATE_DIR, else
// ./.drydock).
// `service` "" describes the cluster; a service name describes that service
// (its deployments, tasks and recent events).
int RunStatus(const std::string& state_dir, const std::string& service, OutputFormat format,
              Terminal& terminal);
// `service` "" lists every service's events; `limit` <= 0 lists them all.
int RunEvents(const std::string& state_dir, const std::string& service, int limit,
              OutputFormat format, Terminal& terminal);
// `since` is "" or a duration like 10m (logs::ParseSince).
int RunLogs(const std::string& state_dir, const std::string& service, bool follow,
            const std::string& since, Terminal& terminal);

// up and down start and stop a cluster's control plane (live_commands.cc).
struct UpOptions {
  std::string file;
  std::string state_dir;  // --state-dir; "" for $DRYDOCK_STATE_DIR or ./.drydock
  double time_scale = 1;
  bool detach = false;
  std::optional<uint64_t> seed;
  std::string listen;  // --listen ADDR:PORT; "" for the file's listen_address
};
int RunUp(const UpOptions& options, Terminal& terminal);
int RunDown(const std::string& state_dir, Terminal& terminal);
// ECS StopTask through the running control plane.
int RunStopTask(const std::string& state_dir, const std::string& task, const std::string& reason,
                Terminal& terminal);

// deploy and rollback (deploy_commands.cc): ECS UpdateService through the
// running control plane, then, unless no_wait, follow the deployment in the
// state directory until it completes (exit 0), fails, is superseded, or the
// timeout passes (exit 1).
struct DeployWait {
  bool no_wait = false;
  int timeout_seconds = 900;
  OutputFormat format = OutputFormat::kText;
};
struct DeployOptions {
  std::string state_dir;
  std::string service;
  std::optional<std::string> command;  // --command, as typed
  std::vector<std::string> env;        // --env K=V, as typed
  std::optional<int> cpu;
  std::optional<int> memory;
  std::optional<std::string> image;
  std::optional<std::string> task_definition;
  bool force_new_deployment = false;
  DeployWait wait;
};
int RunDeploy(const DeployOptions& options, Terminal& terminal);
int RunRollback(const std::string& state_dir, const std::string& service, const DeployWait& wait,
                Terminal& terminal);

// The load balancer (proxy_commands.cc). `drydock proxy` runs it: managed
// (started by `up`, configured over <state-dir>/proxy.sock) or static (FILE's
// rules, every target group's targets the --backends).
struct ProxyCommandOptions {
  std::string file;       // static mode
  bool managed = false;   // --managed
  std::string state_dir;  // managed mode
  std::string listen;     // "" : the file's listen_address (static), required (managed)
  std::string backends;   // static mode: "127.0.0.1:9001,127.0.0.1:9002"
  int idle_timeout = 60;  // seconds (managed; static takes alb_idle_timeout)
};
int RunProxy(const ProxyCommandOptions& options, Terminal& terminal);
// `drydock targets SERVICE`: the target health of a service's target group.
int RunTargets(const std::string& state_dir, const std::string& service, OutputFormat format,
               Terminal& terminal);

// IAM (iam_commands.cc): the roles and managed policies in
// <state-dir>/iam.db (docs/iam.md). `role` is a name or an ARN, `policy` a
// policy's name or ARN.
int RunIamList(const std::string& state_dir, OutputFormat format, Terminal& terminal);
int RunIamShow(const std::string& state_dir, const std::string& role, OutputFormat format,
               Terminal& terminal);
// attach-role-policy (`attach` true) and detach-role-policy.
int RunIamAttachment(const std::string& state_dir, const std::string& role,
                     const std::string& policy, bool attach, Terminal& terminal);
// simulate-principal-policy for one action on one resource.
int RunIamSimulate(const std::string& state_dir, const std::string& role,
                   const std::string& action, const std::string& resource, OutputFormat format,
                   Terminal& terminal);

// drydock secrets VERB (secrets_commands.cc): the local Secrets Manager in
// <state-dir>/secrets (docs/secrets.md). Values are read from --value-file or
// `in` (stdin), never from the command line; only `get` prints one.
struct SecretsOptions {
  std::string verb;  // create, put, get, describe, list, delete, restore, rotate
  std::string state_dir;
  std::string name;
  std::string description;
  std::string value_file;  // "" : read the value from `in`
  std::string key;         // --key: a key of the JSON object secret
  std::vector<std::string> version_stages;  // put: every --version-stage; get: at most one
  std::string version_id;
  std::string client_request_token;
  std::optional<int> recovery_window_days;
  bool force_delete_without_recovery = false;
  bool include_planned_deletion = false;
  std::string step;                  // rotate --step: create, set, test, finish ("" : all four)
  std::string region = "us-east-1";  // for new secrets when no cluster is recorded
  OutputFormat format = OutputFormat::kText;
};
int RunSecrets(const SecretsOptions& options, std::istream& in, Terminal& terminal);

}  // namespace drydock::cli
