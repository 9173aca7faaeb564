// The control API's endpoints: what the CLI asks a running control plane.
// JSON over HTTP/1.1 on <state-dir>/control.sock (runtime/real/
// unix_http_server.h serves it to the socket owner only). docs/control-api.md
// lists the endpoints with their request and response bodies.
//
//   GET  /v1/health            {"phase", "pid", "cluster", "steady", "runningTasks", ...}
//   POST /v1/down              202 {"message"}: stop every task, then the instances
//   POST /v1/up                {"configPath", "configText"} -> {"message", "unchanged", "changes"?}
//   POST /v1/tasks/stop        {"task", "reason"?} -> 202 {"taskArn", "message"}
//   POST /v1/services/deploy   {"service", ...} -> 202 {"deploymentId", "taskDefinition", "service"}
//   POST /v1/services/rollback {"service"} -> 202 the same
#pragma once

#include <functional>
#include <string>

#include "base/status.h"
#include "config/spec/settings.h"
#include "control/deployments/update_service.h"
#include "live/control_plane.h"
#include "runtime/http/http_codec.h"

namespace drydock::live {

// Turns a configuration file's text into validated settings: what `drydock
// up` does with FILE (the CLI supplies it). kInvalidArgument carries the
// validator's report (file:line:col diagnostics, one per line).
using ConfigLoader =
    std::function<Result<config::Settings>(const std::string& path, const std::string& text)>;

class ControlApi {
 public:
  // `on_down` runs when POST /v1/down arrives (it starts the shutdown).
  // `config_text` is the configuration the control plane runs with;
  // `load_config` reads the changed one a later `up` hands over (nullptr:
  // a changed configuration is refused).
  ControlApi(ControlPlane* plane, int pid, std::string config_path, std::string config_text,
             std::function<void()> on_down, ConfigLoader load_config = nullptr);

  // Runs on the loop thread; never blocks.
  runtime::HttpResponse Handle(const runtime::HttpRequest& request);

 private:
  runtime::HttpResponse Health() const;
  runtime::HttpResponse Down();
  runtime::HttpResponse Up(const runtime::HttpRequest& request);
  runtime::HttpResponse StopTask(const runtime::HttpRequest& request);
  runtime::HttpResponse Deploy(const runtime::HttpRequest& request);
  runtime::HttpResponse Rollback(const runtime::HttpRequest& request);
  runtime::HttpResponse Deployed(const control::UpdateServiceRequest& request);

  ControlPlane* plane_;
  int pid_;
  std::string config_path_;
  std::string config_text_;
  std::function<void()> on_down_;
  ConfigLoader load_config_;
};

// The body of POST /v1/services/deploy, decoded strictly: a JSON object with
// "service" (non-empty string) and optionally "command" (array of strings),
// "environment" (object of strings), "cpu" and "memory" (positive integers),
// "image" and "taskDefinition" (strings), "forceNewDeployment" (boolean).
// kInvalidArgument names the offending field; unknown fields are refused.
Result<control::UpdateServiceRequest> DecodeDeployRequest(const std::string& body);

// The body of POST /v1/services/rollback: {"service": non-empty string}.
// Returns the service.
Result<std::string> DecodeRollbackRequest(const std::string& body);

// The HTTP status a control-plane Status answers with: kNotFound 404,
// kInvalidArgument 400, kFailedPrecondition and kAlreadyExists 409, else 500.
int HttpStatusFor(const Status& status);

// Every ACTIVE service runs its desired count, nothing is pending, with a
// load balancer every running task's target is healthy, and the Auto
// Scaling group has its desired number of registered instances.
bool IsSteady(const state::Snapshot& snapshot, const control::TargetView& targets);

}  // namespace drydock::live
