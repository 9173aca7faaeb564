#include "live/control_api.h"

#include <nlohmann/json.hpp>

#include <limits>
#include <set>

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

runtime::HttpResponse Error(const Status& status) {
  return runtime::JsonErrorResponse(HttpStatusFor(status), status.message());
}

Status BadField(const std::string& field, const std::string& what) {
  return InvalidArgument("\"" + field + "\" must be " + what);
}

// The body as a JSON object whose fields are all in `known`.
Result<json> DecodeObject(const std::string& body, const std::string& endpoint,
                          const std::set<std::string>& known) {
  const json parsed = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) return InvalidArgument(endpoint + ": the body is not valid JSON");
  if (!parsed.is_object()) return InvalidArgument(endpoint + ": the body must be a JSON object");
  for (const auto& [key, value] : parsed.items()) {
    if (known.count(key) == 0) {
      std::string fields;
      for (const std::string& name : known) fields += (fields.empty() ? "" : ", ") + name;
      return InvalidArgument(endpoint + ": unknown field \"" + key + "\" (fields: " + fields +
                             ")");
    }
  }
  return parsed;
}

Result<std::string> ServiceField(const json& body) {
  if (!body.contains("service")) return InvalidArgument("\"service\" is required");
  if (!body["service"].is_string() || body["service"].get<std::string>().empty()) {
    return BadField("service", "a non-empty string (the service's name)");
  }
  return body["service"].get<std::string>();
}

Result<int> PositiveIntField(const json& body, const std::string& field, const std::string& unit) {
  const json& value = body[field];
  const std::string what = "a positive integer (" + unit + ")";
  if (!value.is_number_integer()) return BadField(field, what);
  if (value.is_number_unsigned()) {
    if (value.get<uint64_t>() > static_cast<uint64_t>(std::numeric_limits<int>::max())) {
      return BadField(field, what);
    }
    const int n = static_cast<int>(value.get<uint64_t>());
    if (n <= 0) return BadField(field, what);
    return n;
  }
  const int64_t n = value.get<int64_t>();
  if (n <= 0 || n > std::numeric_limits<int>::max()) return BadField(field, what);
  return static_cast<int>(n);
}

Result<std::string> StringField(const json& body, const std::string& field,
                                const std::string& what) {
  const json& value = body[field];
  if (!value.is_string() || value.get<std::string>().empty()) return BadField(field, what);
  return value.get<std::string>();
}

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

Result<control::UpdateServiceRequest> DecodeDeployRequest(const std::string& body) {
  Result<json> parsed = DecodeObject(body, "POST /v1/services/deploy",
                                     {"service", "command", "environment", "cpu", "memory",
                                      "image", "taskDefinition", "forceNewDeployment"});
  if (!parsed.ok()) return parsed.status();
  const json& b = *parsed;
  control::UpdateServiceRequest request;
  Result<std::string> service = ServiceField(b);
  if (!service.ok()) return service.status();
  request.service = *service;
  if (b.contains("command")) {
    const json& command = b["command"];
    const std::string what = "a non-empty array of strings (the program and its arguments)";
    if (!command.is_array() || command.empty()) return BadField("command", what);
    std::vector<std::string> argv;
    for (const json& arg : command) {
      if (!arg.is_string()) return BadField("command", what);
      argv.push_back(arg.get<std::string>());
    }
    if (argv[0].empty()) return BadField("command", "an array whose first string names a program");
    request.command = std::move(argv);
  }
  if (b.contains("environment")) {
    const json& environment = b["environment"];
    const std::string what = "an object of strings ({\"NAME\": \"value\"})";
    if (!environment.is_object()) return BadField("environment", what);
    for (const auto& [key, value] : environment.items()) {
      if (!value.is_string()) {
        return BadField("environment." + key, "a string (environment values are strings)");
      }
      if (key.empty() || key.find('=') != std::string::npos || key.find('\0') != std::string::npos) {
        return InvalidArgument("\"environment\": \"" + key +
                               "\" is not a variable name (non-empty, no '=')");
      }
      request.environment[key] = value.get<std::string>();
    }
  }
  if (b.contains("cpu")) {
    Result<int> cpu = PositiveIntField(b, "cpu", "CPU units, 1024 per vCPU");
    if (!cpu.ok()) return cpu.status();
    request.cpu_units = *cpu;
  }
  if (b.contains("memory")) {
    Result<int> memory = PositiveIntField(b, "memory", "MiB");
    if (!memory.ok()) return memory.status();
    request.memory_mib = *memory;
  }
  if (b.contains("image")) {
    Result<std::string> image = StringField(b, "image", "a non-empty string");
    if (!image.ok()) return image.status();
    request.image = *image;
  }
  if (b.contains("taskDefinition")) {
    Result<std::string> revision =
        StringField(b, "taskDefinition", "a non-empty string (family:revision, e.g. \"api:3\")");
    if (!revision.ok()) return revision.status();
    request.task_definition = *revision;
  }
  if (b.contains("forceNewDeployment")) {
    if (!b["forceNewDeployment"].is_boolean()) return BadField("forceNewDeployment", "a boolean");
    request.force_new_deployment = b["forceNewDeployment"].get<bool>();
  }
  return request;
}

Result<std::string> DecodeRollbackRequest(const std::string& body) {
  Result<json> parsed = DecodeObject(body, "POST /v1/services/rollback", {"service"});
  if (!parsed.ok()) return parsed.status();
  return ServiceField(*parsed);
}

int HttpStatusFor(const Status& status) {
  switch (status.code()) {
    case StatusCode::kInvalidArgument:
      return 400;
    case StatusCode::kNotFound:
      return 404;
    case StatusCode::kAlreadyExists:
    case StatusCode::kFailedPrecondition:
      return 409;
    case StatusCode::kUnavailable:
      return 503;
    case StatusCode::kOk:
    case StatusCode::kInternal:
    case StatusCode::kIo:
      break;
  }
  return 500;
}

ControlApi::ControlApi(ControlPlane* plane, int pid, std::string config_path,
                       std::string config_text, std::function<void()> on_down,
                       ConfigLoader load_config)
    : plane_(plane),
      pid_(pid),
      config_path_(std::move(config_path)),
      config_text_(std::move(config_text)),
      on_down_(std::move(on_down)),
      load_config_(std::move(load_config)) {}

runtime::HttpResponse ControlApi::Handle(const runtime::HttpRequest& request) {
  const std::string path = PathOf(request.target);
  const bool get = request.method == "GET" || request.method == "HEAD";
  const bool post = request.method == "POST";
  if (path == "/v1/health" && get) return Health();
  if (path == "/v1/down" && post) return Down();
  if (path == "/v1/up" && post) return Up(request);
  if (path == "/v1/tasks/stop" && post) return StopTask(request);
  if (path == "/v1/services/deploy" && post) return Deploy(request);
  if (path == "/v1/services/rollback" && post) return Rollback(request);
  static const std::set<std::string> kKnown = {"/v1/health",          "/v1/down",
                                               "/v1/up",              "/v1/tasks/stop",
                                               "/v1/services/deploy", "/v1/services/rollback"};
  if (kKnown.count(path) > 0) {
    return runtime::JsonErrorResponse(405, "method " + request.method + " not allowed on " + path);
  }
  return runtime::JsonErrorResponse(
      404, "no endpoint " + path +
               " (endpoints: GET /v1/health, POST /v1/down, POST /v1/up, POST /v1/tasks/stop, "
               "POST /v1/services/deploy, POST /v1/services/rollback)");
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

runtime::HttpResponse ControlApi::Up(const runtime::HttpRequest& request) {
  const json body = json::parse(request.body, nullptr, /*allow_exceptions=*/false);
  if (!body.is_object() || !body.contains("configText") || !body["configText"].is_string() ||
      (body.contains("configPath") && !body["configPath"].is_string())) {
    return runtime::JsonErrorResponse(
        400, "POST /v1/up takes {\"configPath\": string, \"configText\": string}");
  }
  const std::string text = body["configText"].get<std::string>();
  if (text == config_text_) {
    return Json(200, {{"message", "the cluster is already up with this configuration (control "
                                  "plane pid " + std::to_string(pid_) + ")"},
                      {"unchanged", true}});
  }
  const std::string path = body.value("configPath", "").empty()
                               ? config_path_
                               : body["configPath"].get<std::string>();
  if (!load_config_) {
    return runtime::JsonErrorResponse(
        409, "this control plane cannot apply a changed configuration: run `drydock down`, then "
             "`drydock up` with the new file");
  }
  Result<config::Settings> settings = load_config_(path, text);
  if (!settings.ok()) return Error(settings.status());
  Result<std::vector<std::string>> changes = plane_->Reconfigure(*settings, path, text);
  if (!changes.ok()) return Error(changes.status());
  config_text_ = text;
  config_path_ = path;
  const std::string message =
      changes->empty()
          ? "applied " + path + ": nothing the cluster runs changed (control plane pid " +
                std::to_string(pid_) + ")"
          : "applied " + path + " to the running cluster (control plane pid " +
                std::to_string(pid_) + "): " + std::to_string(changes->size()) +
                " change(s); new revisions roll out in the background (`drydock status` "
                "follows them)";
  return Json(200, {{"message", message}, {"unchanged", false}, {"changes", *changes}});
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

runtime::HttpResponse ControlApi::Deploy(const runtime::HttpRequest& request) {
  Result<control::UpdateServiceRequest> decoded = DecodeDeployRequest(request.body);
  if (!decoded.ok()) return Error(decoded.status());
  return Deployed(*decoded);
}

runtime::HttpResponse ControlApi::Rollback(const runtime::HttpRequest& request) {
  Result<std::string> service = DecodeRollbackRequest(request.body);
  if (!service.ok()) return Error(service.status());
  Result<std::string> revision = control::RollbackRevision(plane_->snapshot(), *service);
  if (!revision.ok()) return Error(revision.status());
  control::UpdateServiceRequest update;
  update.service = *service;
  update.task_definition = *revision;
  return Deployed(update);
}

runtime::HttpResponse ControlApi::Deployed(const control::UpdateServiceRequest& request) {
  Result<control::UpdateServiceResult> deployed = plane_->Deploy(request);
  if (!deployed.ok()) return Error(deployed.status());
  return Json(202, {{"deploymentId", deployed->deployment_id},
                    {"taskDefinition", deployed->task_definition},
                    {"service", request.service}});
}

}  // namespace drydock::live
