// deploy and rollback: ECS UpdateService through the running control plane
// (POST /v1/services/deploy, /v1/services/rollback), then the wait: the CLI
// follows the deployment in the state directory, as `status` and `events`
// read it, until its rollout ends.
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>

#include "base/strings.h"
#include "cli/api_call.h"
#include "cli/cli_edge.h"
#include "cli/commands.h"
#include "cli/deploy_args.h"
#include "cli/deploy_progress.h"
#include "cli/recorded_state.h"
#include "describe/describe.h"
#include "runtime/real/unix_http_client.h"
#include "state/sqlite/sqlite_store.h"
#include "state/state_dir.h"
#include "state/state_dir_lock.h"

namespace drydock::cli {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

constexpr auto kApiTimeout = 10s;
constexpr auto kWaitPoll = 500ms;

int Fail(Terminal& terminal, const std::string& message) {
  terminal.err << "drydock: " << message << "\n";
  return kExitFailure;
}

bool ControlPlaneRuns(const state::StateDir& dir) {
  Result<std::optional<int>> holder = state::ProbeControlLock(dir);
  return holder.ok() && holder->has_value();
}

using Cluster = RecordedState;

// Prints why and returns nullopt when there is no cluster to deploy to, or
// it has no such service.
std::optional<Cluster> OpenCluster(const std::string& state_dir_flag, const std::string& service,
                                   Terminal& terminal) {
  const std::string path = StateDirPath(state_dir_flag);
  Result<RecordedState> cluster = OpenRecordedState(path);
  if (!cluster.ok()) {
    if (cluster.status().code() != StatusCode::kNotFound) {
      Fail(terminal, cluster.status().message());
      return std::nullopt;
    }
    std::error_code ignored;
    Fail(terminal, "no drydock state in " +
                       std::filesystem::absolute(path, ignored).lexically_normal().string() +
                       ": start the cluster with `drydock up FILE` first (or pass --state-dir)");
    return std::nullopt;
  }
  Result<state::Snapshot> snapshot = cluster->store->Load();
  if (!snapshot.ok()) {
    Fail(terminal, snapshot.status().message());
    return std::nullopt;
  }
  if (snapshot->FindService(service) == nullptr) {
    Fail(terminal, "no service '" + service + "' in cluster " +
                       (snapshot->identity.cluster_name.empty() ? std::string("(none yet)")
                                                                : snapshot->identity.cluster_name) +
                       "; services: " + ServiceNames(*snapshot));
    return std::nullopt;
  }
  if (!ControlPlaneRuns(cluster->dir)) {
    Fail(terminal, "no control plane runs on " + cluster->dir.path() +
                       "; start the cluster with `drydock up FILE` first");
    return std::nullopt;
  }
  return std::move(*cluster);
}

// The newest event id of the service: the wait prints what comes after.
int64_t LastEventId(state::Store& store, const std::string& service) {
  state::EventQuery query;
  query.service = service;
  query.limit = 1;
  Result<std::vector<state::ServiceEvent>> events = store.ListEvents(query);
  return events.ok() && !events->empty() ? events->back().id : 0;
}

// One line that changes in place on a terminal; elsewhere, one line per change.
class ProgressPrinter {
 public:
  ProgressPrinter(std::ostream& out, bool tty) : out_(out), tty_(tty) {}

  // Prints `line` when it differs from the last one.
  void Progress(const std::string& line) {
    if (line == last_) return;
    last_ = line;
    if (tty_) {
      out_ << "\r\033[K" << line << std::flush;
      shown_ = true;
    } else {
      out_ << line << "\n" << std::flush;
    }
  }

  // A line above the progress line (an event).
  void Line(const std::string& line) {
    if (shown_) out_ << "\r\033[K";
    out_ << line << "\n";
    if (shown_) out_ << last_;
    out_ << std::flush;
  }

  // Leaves the last progress line on screen.
  void Finish() {
    if (shown_) out_ << "\n" << std::flush;
    shown_ = false;
  }

 private:
  std::ostream& out_;
  bool tty_;
  bool shown_ = false;
  std::string last_;
};

bool IsTerminal(const std::ostream& stream) {
  if (&stream == &std::cout) return isatty(STDOUT_FILENO) == 1;
  if (&stream == &std::cerr) return isatty(STDERR_FILENO) == 1;
  return false;  // a test's string stream
}

struct Started {
  std::string deployment_id;
  std::string task_definition;
  std::string service;
};

// POSTs to the control plane; the deployment it started, or nullopt after
// saying why.
std::optional<Started> Post(const Cluster& cluster, const std::string& target,
                            const std::string& body, Terminal& terminal) {
  Result<runtime::HttpResponse> response =
      CallStateApi(cluster.dir, cluster.dir.SocketPath(), "POST", target, body, kApiTimeout);
  if (!response.ok()) {
    Fail(terminal, response.status().message());
    return std::nullopt;
  }
  const json answer = json::parse(response->body, nullptr, /*allow_exceptions=*/false);
  if (!answer.is_object()) {
    Fail(terminal, "the control plane answered: " + response->body);
    return std::nullopt;
  }
  if (response->status != 202) {
    Fail(terminal, answer.value("error", response->body));
    return std::nullopt;
  }
  return Started{answer.value("deploymentId", ""), answer.value("taskDefinition", ""),
                 answer.value("service", "")};
}

json StartedJson(const Started& started) {
  return {{"deploymentId", started.deployment_id},
          {"taskDefinition", started.task_definition},
          {"service", started.service}};
}

const char* OutcomeName(WaitOutcome outcome) {
  switch (outcome) {
    case WaitOutcome::kWaiting:
      return "waiting";
    case WaitOutcome::kCompleted:
      return "completed";
    case WaitOutcome::kFailed:
      return "failed";
    case WaitOutcome::kSuperseded:
      return "superseded";
  }
  return "waiting";
}

// Follows the deployment until its rollout ends; the exit code.
int Wait(Cluster& cluster, const Started& started, int64_t after_event_id, const DeployWait& wait,
         Terminal& terminal) {
  const bool json_output = wait.format == OutputFormat::kJson;
  std::ostream& stream = json_output ? terminal.err : terminal.out;  // stdout stays JSON
  ProgressPrinter printer(stream, IsTerminal(stream));
  json result = StartedJson(started);
  auto finish = [&](const std::string& outcome, const std::string& message, bool ok) {
    printer.Finish();
    if (json_output) {
      result["outcome"] = outcome;
      result["message"] = message;
      terminal.out << result.dump(2) << "\n";
    } else {
      (ok ? terminal.out : terminal.err) << "drydock: " << message << "\n";
    }
    return ok ? kExitOk : kExitFailure;
  };
  const std::string status_hint = "see `drydock status " + started.service + "`";
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(wait.timeout_seconds);
  while (true) {
    const bool running = ControlPlaneRuns(cluster.dir);
    Result<state::Snapshot> snapshot = cluster.store->Load();
    if (!snapshot.ok()) {
      printer.Finish();
      return Fail(terminal, snapshot.status().message());
    }
    state::EventQuery query;
    query.service = started.service;
    query.limit = 0;
    query.after_id = after_event_id;
    if (Result<std::vector<state::ServiceEvent>> events = cluster.store->ListEvents(query);
        events.ok()) {
      for (const state::ServiceEvent& event : *events) {
        std::string line = describe::DescribeEventsText({event});
        if (!line.empty() && line.back() == '\n') line.pop_back();
        printer.Line(line);
        after_event_id = std::max(after_event_id, event.id);
      }
    }
    if (const state::Deployment* deployment = snapshot->FindDeployment(started.deployment_id)) {
      printer.Progress(ProgressLine(*snapshot, *deployment));
      result["rolloutState"] = state::RolloutStateName(deployment->rollout_state);
      result["rolloutStateReason"] = deployment->rollout_state_reason;
      result["failedTasks"] = deployment->failed_tasks;
    }
    const WaitVerdict verdict = JudgeDeployment(*snapshot, started.deployment_id);
    if (verdict.rollback != nullptr) {
      result["rollback"] = {{"deploymentId", verdict.rollback->id},
                            {"taskDefinition", verdict.rollback->task_definition}};
    }
    if (verdict.successor != nullptr) {
      result["supersededBy"] = {{"deploymentId", verdict.successor->id},
                                {"taskDefinition", verdict.successor->task_definition}};
    }
    switch (verdict.outcome) {
      case WaitOutcome::kCompleted:
        return finish(OutcomeName(verdict.outcome), verdict.message, true);
      case WaitOutcome::kFailed:
        return finish(OutcomeName(verdict.outcome),
                      verdict.message + (verdict.rollback != nullptr
                                             ? "; the rollback rolls out now: " + status_hint
                                             : ""),
                      false);
      case WaitOutcome::kSuperseded:
        return finish(OutcomeName(verdict.outcome), verdict.message, false);
      case WaitOutcome::kWaiting:
        break;
    }
    if (!running) {
      return finish("stopped",
                    "the control plane stopped before deployment " + started.deployment_id +
                        " finished; the next `drydock up` continues it",
                    false);
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      return finish("timeout",
                    "deployment " + started.deployment_id + " did not finish within " +
                        std::to_string(wait.timeout_seconds) + " s; it goes on: " + status_hint,
                    false);
    }
    PauseBeforeNextPoll(kWaitPoll);
  }
}

// Shared by deploy and rollback once the body is known.
int StartAndWait(const std::string& state_dir, const std::string& service,
                 const std::string& target, const std::string& body, const std::string& verb,
                 const DeployWait& wait, Terminal& terminal) {
  std::optional<Cluster> cluster = OpenCluster(state_dir, service, terminal);
  if (!cluster) return kExitFailure;
  const int64_t after_event_id = LastEventId(*cluster->store, service);
  std::optional<Started> started = Post(*cluster, target, body, terminal);
  if (!started) return kExitFailure;
  const bool json_output = wait.format == OutputFormat::kJson;
  if (wait.no_wait) {
    if (json_output) {
      terminal.out << StartedJson(*started).dump(2) << "\n";
    } else {
      // The id alone on stdout, for scripts: id=$(drydock deploy api --env V=2 --no-wait)
      terminal.out << started->deployment_id << "\n";
      terminal.err << "drydock: " << verb << " " << service << " to "
                   << started->task_definition << " (deployment " << started->deployment_id
                   << "); follow it with `drydock status " << service << "`\n";
    }
    return kExitOk;
  }
  (json_output ? terminal.err : terminal.out)
      << "drydock: " << verb << " " << service << " to " << started->task_definition
      << " (deployment " << started->deployment_id << "); waiting up to "
      << wait.timeout_seconds << " s (Ctrl-C stops waiting, not the deployment)\n"
      << std::flush;
  return Wait(*cluster, *started, after_event_id, wait, terminal);
}

int CheckWait(const DeployWait& wait, Terminal& terminal) {
  if (wait.timeout_seconds <= 0) {
    terminal.err << "drydock: --timeout must be a positive number of seconds\n";
    return kExitUsage;
  }
  return kExitOk;
}

}  // namespace

int RunDeploy(const DeployOptions& options, Terminal& terminal) {
  if (int code = CheckWait(options.wait, terminal); code != kExitOk) return code;
  DeployFlags flags;
  flags.service = options.service;
  flags.command = options.command;
  flags.env = options.env;
  flags.cpu = options.cpu;
  flags.memory = options.memory;
  flags.image = options.image;
  flags.task_definition = options.task_definition;
  flags.force_new_deployment = options.force_new_deployment;
  Result<std::string> body = DeployRequestBody(flags);
  if (!body.ok()) {
    terminal.err << "drydock: " << body.status().message() << "\n";
    return kExitUsage;
  }
  return StartAndWait(options.state_dir, options.service, "/v1/services/deploy", *body, "deploying",
                      options.wait, terminal);
}

int RunRollback(const std::string& state_dir, const std::string& service, const DeployWait& wait,
                Terminal& terminal) {
  if (int code = CheckWait(wait, terminal); code != kExitOk) return code;
  return StartAndWait(state_dir, service, "/v1/services/rollback",
                      json{{"service", service}}.dump(), "rolling back", wait, terminal);
}

}  // namespace drydock::cli
