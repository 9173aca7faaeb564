#include "live/control_api.h"

#include <nlohmann/json.hpp>

namespace drydock::live {
namespace {

using nlohmann::json;
using state::TaskStatus;

runtime::HttpResponse Json(int status, const json& body) {
  return {status, "application/json", body.dump(2) + "\n", {}};
}

const char* PhaseName(ControlPlane::Phase phase) {
  switch (phase) {
    case ControlPlane::Phase::kStarting:
      return "starting";
    case ControlPlane::Phase::kRunning:
      return "running";
    case ControlPlane::Phase::kStopping:
      return "stopping";
    case ControlPlane::Phase::kStopped:
      return "stopped";
  }
  return "unknown";
}

// The path without a query string.
std::string PathOf(const std::string& target) { return target.substr(0, target.find('?')); }

}  // namespace

bool IsSteady(const state::Snapshot& snapshot, const control::TargetView& targets) {
  int registered = 0;
  for (const state::Instance& instance : snapshot.instances) {
    registered += instance.state == state::InstanceState::kRunning &&
                  instance.container_status == state::ContainerInstanceStatus::kActive;
  }
  if (registered != snapshot.group.desired_capacity) return false;
  for (const state::Service& service : snapshot.services) {
    if (service.status != state::ServiceStatus::kActive) continue;
    int running = 0;
    for (const state::Task& task : snapshot.tasks) {
      if (task.service != service.name || task.desired_status != TaskStatus::kRunning) continue;
      if (task.last_status != TaskStatus::kRunning) return false;  // pending or just exited
      if (targets.enabled && targets.healthy.count(task.task_id) == 0) return false;
      ++running;
    }
    if (running != service.desired_count) return false;
  }
  return true;
}

ControlApi::ControlApi(ControlPlane* plane, int pid, std::string config_path,
                       std::string config_text, std::function<void()> on_down)
    : plane_(plane),
      pid_(pid),
      config_path_(std::move(config_path)),
      config_text_(std::move(config_text)),
      on_down_(std::move(on_down)) {}

runtime::HttpResponse ControlApi::Handle(const runtime::HttpRequest& request) {
  const std::string path = PathOf(request.target);
  const bool get = request.method == "GET" || request.method == "HEAD";
  if (path == "/v1/health" && get) return Health();
  if (path == "/v1/down" && request.method == "POST") return Down();
  if (path == "/v1/up" && request.method == "POST") return Up(request);
  if (path == "/v1/tasks/stop" && request.method == "POST") return StopTask(request);
  if (path == "/v1/health" || path == "/v1/down" || path == "/v1/up" || path == "/v1/tasks/stop") {
    return runtime::JsonErrorResponse(405, "method " + request.method + " not allowed on " + path);
  }
  return runtime::JsonErrorResponse(404, "no endpoint " + path +
                                             " (endpoints: GET /v1/health, POST /v1/down, "
                                             "POST /v1/up, POST /v1/tasks/stop)");
}

runtime::HttpResponse ControlApi::Health() const {
  const state::Snapshot& snapshot = plane_->snapshot();
  int running = 0;
  int desired = 0;
  for (const state::Task& task : snapshot.tasks) {
    running += task.last_status == TaskStatus::kRunning;
  }
  for (const state::Service& service : snapshot.services) desired += service.desired_count;
  return Json(200, {{"phase", PhaseName(plane_->phase())},
                    {"pid", pid_},
                    {"cluster", snapshot.identity.cluster_name},
                    {"configPath", config_path_},
                    {"steady", plane_->phase() == ControlPlane::Phase::kRunning &&
                                   IsSteady(snapshot, plane_->target_view())},
                    {"runningTasks", running},
                    {"desiredTasks", desired},
                    {"lastError", plane_->last_error()}});
}

runtime::HttpResponse ControlApi::Down() {
  int active = 0;
  for (const state::Task& task : plane_->snapshot().tasks) {
    active += task.last_status != TaskStatus::kStopped;
  }
  on_down_();
  return Json(202, {{"message", "stopping " + std::to_string(active) +
                                    " task(s), then the instances; the control plane exits when "
                                    "done"}});
}

runtime::HttpResponse ControlApi::Up(const runtime::HttpRequest& request) const {
  const json body = json::parse(request.body, nullptr, /*allow_exceptions=*/false);
  if (!body.is_object() || !body.contains("configText") || !body["configText"].is_string()) {
    return runtime::JsonErrorResponse(
        400, "POST /v1/up takes {\"configPath\": string, \"configText\": string}");
  }
  const bool unchanged = body["configText"].get<std::string>() == config_text_;
  const std::string message =
      unchanged ? "the cluster is already up with this configuration (control plane pid " +
                      std::to_string(pid_) + ")"
                : "the cluster is already up (control plane pid " + std::to_string(pid_) +
                      ", started from " + config_path_ +
                      "); applying a changed configuration to a running cluster is not "
                      "supported yet: run `drydock down`, then `drydock up` with the new file";
  return Json(200, {{"message", message}, {"unchanged", unchanged}});
}

runtime::HttpResponse ControlApi::StopTask(const runtime::HttpRequest& request) {
  const json body = json::parse(request.body, nullptr, /*allow_exceptions=*/false);
  const bool well_formed = body.is_object() && body.contains("task") && body["task"].is_string() &&
                           (!body.contains("reason") || body["reason"].is_string());
  if (!well_formed) {
    return runtime::JsonErrorResponse(
        400, "POST /v1/tasks/stop takes {\"task\": task id or ARN, \"reason\": string}");
  }
  Result<std::string> stopped =
      plane_->StopTask(body["task"].get<std::string>(), body.value("reason", ""));
  if (!stopped.ok()) {
    const StatusCode code = stopped.status().code();
    return runtime::JsonErrorResponse(code == StatusCode::kNotFound          ? 404
                                      : code == StatusCode::kInvalidArgument ? 400
                                                                             : 409,
                                      stopped.status().message());
  }
  return Json(202, {{"taskArn", plane_->snapshot().identity.TaskArn(*stopped)},
                    {"message", "stopping task " + *stopped +
                                    ": deregistering its target, then SIGTERM"}});
}

}  // namespace drydock::live
