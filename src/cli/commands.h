// One function per verb. Each takes parsed options and returns an exit code.
#pragma once

#include <cstdint>
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

}  // namespace drydock::cli
