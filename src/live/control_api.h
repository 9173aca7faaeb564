// The control API's endpoints: what the CLI asks a running control plane.
// JSON over HTTP/1.1 on <state-dir>/control.sock (runtime/real/
// unix_http_server.h serves it to the socket owner only). docs/control-api.md
// lists the endpoints with their request and response bodies.
//
//   GET  /v1/health  {"phase", "pid", "cluster", "steady", "runningTasks", "desiredTasks"}
//   POST /v1/down    202 {"message"}: stop every task, then the instances
//   POST /v1/up      {"configPath", "configText"} -> {"message", "unchanged"}
#pragma once

#include <functional>
#include <string>

#include "live/control_plane.h"
#include "runtime/http/http_codec.h"

namespace drydock::live {

class ControlApi {
 public:
  // `on_down` runs when POST /v1/down arrives (it starts the shutdown).
  // `config_text` is the configuration the control plane runs with.
  ControlApi(ControlPlane* plane, int pid, std::string config_path, std::string config_text,
             std::function<void()> on_down);

  // Runs on the loop thread; never blocks.
  runtime::HttpResponse Handle(const runtime::HttpRequest& request);

 private:
  runtime::HttpResponse Health() const;
  runtime::HttpResponse Down();
  runtime::HttpResponse Up(const runtime::HttpRequest& request) const;
  runtime::HttpResponse StopTask(const runtime::HttpRequest& request);

  ControlPlane* plane_;
  int pid_;
  std::string config_path_;
  std::string config_text_;
  std::function<void()> on_down_;
};

// Every ACTIVE service runs its desired count, nothing is pending, with a
// load balancer every running task's target is healthy, and the Auto
// Scaling group has its desired number of registered instances.
bool IsSteady(const state::Snapshot& snapshot, const control::TargetView& targets);

}  // namespace drydock::live
