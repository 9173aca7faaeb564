// up and down: the verbs that start and stop a cluster's control plane.
//
// `up` runs the control plane in this process (foreground: events on stdout,
// Ctrl-C or SIGTERM stops the cluster like `drydock down`) or, with
// --detach, re-executes itself in a new session and returns once the cluster
// is steady. `down` asks a running control plane to stop everything; when
// none runs (it was killed), it adopts the recorded task processes itself and
// stops them, so no process is ever left behind.
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <iomanip>
#include <nlohmann/json.hpp>
#include <ostream>
#include <sstream>

#include "alb/listener.h"
#include "base/strings.h"
#include "cli/api_call.h"
#include "cli/checked_config.h"
#include "cli/cli_edge.h"
#include "cli/commands.h"
#include "cli/proxy_link.h"
#include "live/control_api.h"
#include "live/control_plane.h"
#include "runtime/real/control_token.h"
#include "runtime/real/host.h"
#include "runtime/real/real_clock.h"
#include "runtime/real/real_event_loop.h"
#include "runtime/real/real_process_launcher.h"
#include "runtime/real/unix_http_client.h"
#include "runtime/real/unix_http_server.h"
#include "state/sqlite/sqlite_store.h"
#include "state/state_dir.h"
#include "state/state_dir_lock.h"

namespace drydock::cli {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

constexpr char kControlPlaneLog[] = "control-plane.log";
// The CLI's waits are real time: a detached start (instances boot in 40 s of
// AWS time) and a `down` (every task's stop timeout) fit well within these.
constexpr auto kDetachTimeout = 600s;
constexpr auto kDownTimeout = 900s;
constexpr auto kPollInterval = 200ms;
constexpr auto kApiTimeout = 5s;

// A running control plane, asked over its socket. nullopt: none answers.
std::optional<json> Ask(const state::StateDir& dir, const std::string& method,
                        const std::string& target, const std::string& body = "") {
  Result<runtime::HttpResponse> response =
      CallStateApi(dir, dir.SocketPath(), method, target, body, kApiTimeout);
  if (!response.ok()) return std::nullopt;
  json parsed = json::parse(response->body, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) return std::nullopt;
  return parsed;
}

std::optional<int> RunningControlPlane(const state::StateDir& dir) {
  Result<std::optional<int>> holder = state::ProbeControlLock(dir);
  return holder.ok() ? *holder : std::nullopt;
}

// Everything a control plane needs, built in dependency order and destroyed
// in reverse (the server first, the store last).
struct LiveStack {
  std::unique_ptr<state::SqliteStore> store;
  std::unique_ptr<runtime::RealClock> clock;
  std::unique_ptr<runtime::RealEventLoop> loop;
  std::unique_ptr<runtime::RealProcessLauncher> launcher;
  std::unique_ptr<ProxyLink> load_balancer;
  std::unique_ptr<live::AccountServices> account;
  std::unique_ptr<live::ControlPlane> plane;
  std::unique_ptr<live::ControlApi> api;
  std::unique_ptr<runtime::UnixHttpServer> server;
};

struct StackSettings {
  config::Settings settings;
  std::string config_path;  // absolute; "" when unknown (down without a file)
  std::string config_text;
  std::optional<uint64_t> seed;
  double time_scale = 1;
  bool apply_settings = true;  // false for `down`: stop what is recorded
  std::string listen;  // the load balancer's address: --listen, else listen_address
};

Result<uint64_t> ChooseSeed(state::Store& store, std::optional<uint64_t> requested) {
  Result<std::optional<std::string>> stored = store.GetMeta(state::kMetaSeed);
  if (!stored.ok()) return stored.status();
  uint64_t seed = 0;
  if (requested) {
    seed = *requested;
  } else if (stored->has_value() && ParseUint(**stored)) {
    seed = *ParseUint(**stored);
  } else {
    seed = runtime::FreshSeed();
  }
  DRYDOCK_RETURN_IF_ERROR(store.SetMeta(state::kMetaSeed, std::to_string(seed)));
  return seed;
}

// Builds the stack and starts the control plane. REQUIRES: the lock is held.
Result<std::unique_ptr<LiveStack>> StartStack(const state::StateDir& dir, const StackSettings& s,
                                              Terminal& terminal) {
  auto stack = std::make_unique<LiveStack>();
  auto store = state::SqliteStore::Open(dir.DatabasePath());
  if (!store.ok()) return store.status();
  stack->store = std::move(*store);
  Result<uint64_t> seed = ChooseSeed(*stack->store, s.seed);
  if (!seed.ok()) return seed.status();
  if (!s.config_path.empty()) {
    DRYDOCK_RETURN_IF_ERROR(stack->store->SetMeta(state::kMetaConfigPath, s.config_path));
  }
  DRYDOCK_RETURN_IF_ERROR(stack->store->SetMeta(state::kMetaControlPid, std::to_string(getpid())));
  Result<state::Snapshot> recorded = stack->store->Load();
  if (!recorded.ok()) return recorded.status();
  // Cluster time continues from what the store recorded: it never goes back.
  const TimePoint start =
      std::max(runtime::RealClock::WallNow(), live::LatestRecordedTime(*recorded));
  stack->clock = std::make_unique<runtime::RealClock>(s.time_scale, start);
  auto loop = runtime::RealEventLoop::Create(*stack->clock);
  if (!loop.ok()) return loop.status();
  stack->loop = std::move(*loop);
  const std::vector<std::string> shim = runtime::RealProcessLauncher::DefaultShimCommand();
  stack->launcher = std::make_unique<runtime::RealProcessLauncher>(
      *stack->loop, runtime::RealProcessLauncher::Options{shim, true, 100ms, 10000ms});

  live::ControlPlaneOptions options = live::ControlPlane::DefaultOptions(s.settings);
  options.config_dir = s.config_path.empty()
                           ? std::string(".")
                           : std::filesystem::path(s.config_path).parent_path().string();
  options.tasks_dir = dir.TasksDir();
  options.logs_dir = dir.LogsDir();
  options.stand_in_command = {shim[0], "stand-in"};
  options.seed = *seed;
  options.time_scale = s.time_scale;
  options.apply_settings = s.apply_settings;
  options.config_text = s.config_text;
  options.report = [&terminal](const std::string& line) { terminal.out << line << std::endl; };
  stack->load_balancer =
      std::make_unique<ProxyLink>(dir, s.listen, s.settings.alb_idle_timeout, s.apply_settings,
                                  options.report);
  stack->load_balancer->SetConfigDir(options.config_dir);
  Result<std::unique_ptr<live::AccountServices>> account = live::AccountServices::Open(dir.path());
  if (!account.ok()) return account.status();
  stack->account = std::move(*account);
  live::ControlPlaneRuntime runtime{stack->clock.get(),
                                    stack->loop.get(),
                                    stack->launcher.get(),
                                    stack->store.get(),
                                    [] { return runtime::RealClock::WallNow(); },
                                    runtime::TcpPortFree,
                                    stack->load_balancer.get(),
                                    stack->account.get()};
  stack->plane = std::make_unique<live::ControlPlane>(runtime, options);
  DRYDOCK_RETURN_IF_ERROR(stack->plane->Start());

  LiveStack* raw = stack.get();
  auto stop_cluster = [raw] { raw->plane->Shutdown([raw] { raw->loop->Stop(); }); };
  stack->api = std::make_unique<live::ControlApi>(raw->plane.get(), getpid(), s.config_path,
                                                  s.config_text, stop_cluster, SettingsFromText);
  Result<std::string> token = runtime::EnsureControlToken(dir.ControlTokenPath());
  if (!token.ok()) return token.status();
  runtime::HttpServerOptions server_options;
  server_options.bearer_token = *token;
  server_options.bearer_hint = dir.ControlTokenPath();
  auto server = runtime::UnixHttpServer::Listen(
      *stack->loop, dir.SocketPath(),
      [raw](const runtime::HttpRequest& request) { return raw->api->Handle(request); },
      server_options);
  if (!server.ok()) return server.status();
  stack->server = std::move(*server);
  for (int signal : {SIGINT, SIGTERM}) {
    DRYDOCK_RETURN_IF_ERROR(stack->loop->WatchSignal(signal, stop_cluster));
  }
  return stack;
}

int Fail(Terminal& terminal, const std::string& message) {
  terminal.err << "drydock: " << message << "\n";
  return kExitFailure;
}

// A second `up` on a running cluster hands its configuration over; the
// control plane applies a changed one (new revisions roll out in the
// background: `up` does not wait for them as `deploy` does).
int HandOver(const state::StateDir& dir, int pid, const StackSettings& s, Terminal& terminal) {
  Result<runtime::HttpResponse> response = CallStateApi(
      dir, dir.SocketPath(), "POST", "/v1/up",
      json{{"configPath", s.config_path}, {"configText", s.config_text}}.dump(), kApiTimeout);
  const json answer = response.ok()
                          ? json::parse(response->body, nullptr, /*allow_exceptions=*/false)
                          : json();
  if (!answer.is_object()) {
    return Fail(terminal, "a control plane (pid " + std::to_string(pid) + ") holds " + dir.path() +
                              " but does not answer on " + dir.SocketPath());
  }
  if (response->status != 200) {
    return Fail(terminal, "the running cluster refused " + s.config_path + ":\n" +
                              answer.value("error", response->body));
  }
  terminal.out << "drydock: " << answer.value("message", "") << "\n";
  if (answer.contains("changes") && answer["changes"].is_array()) {
    for (const json& change : answer["changes"]) {
      if (change.is_string()) terminal.out << "configuration: " << change.get<std::string>() << "\n";
    }
  }
  return kExitOk;
}

// ", and https://ADDR" (with the self-signed certificate to trust) when
// the configuration has an HTTPS listener.
std::string HttpsNote(const config::Settings& settings, const state::StateDir& dir) {
  if (settings.https_listen_address.empty()) return "";
  std::string note = " and https://" + settings.https_listen_address;
  if (settings.certificate_file.empty()) {
    const std::string certificate = TlsDir(dir.path()) + "/self-signed.crt";
    note += " (self-signed: curl --cacert " + certificate + ")";
  }
  return note;
}

// --detach: start `drydock up` (without --detach) in its own session and wait
// until it reports a steady cluster.
int Detach(const state::StateDir& dir, const UpOptions& options, const StackSettings& s,
           Terminal& terminal) {
  std::ostringstream time_scale;
  time_scale << std::setprecision(15) << options.time_scale;  // "20", not "20.000000"
  std::vector<std::string> argv = {runtime::RealProcessLauncher::DefaultShimCommand()[0], "up",
                                   s.config_path, "--state-dir", dir.path(), "--time-scale",
                                   time_scale.str()};
  if (options.seed) {
    argv.push_back("--seed");
    argv.push_back(std::to_string(*options.seed));
  }
  if (!options.listen.empty()) {
    argv.push_back("--listen");
    argv.push_back(options.listen);
  }
  const std::string log = dir.path() + "/" + kControlPlaneLog;
  Result<int> pid = runtime::SpawnDetached(argv, log);
  if (!pid.ok()) return Fail(terminal, pid.status().message());
  terminal.out << "drydock: control plane started (pid " << *pid << ", log " << log
               << "); waiting for the cluster to be steady...\n";
  const auto deadline = std::chrono::steady_clock::now() + kDetachTimeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (runtime::ChildExited(*pid)) {
      return Fail(terminal, "the control plane exited; the end of its log:\n" +
                                LogTail(log, 15));
    }
    const std::optional<json> health = Ask(dir, "GET", "/v1/health");
    if (health && health->value("steady", false)) {
      const std::string listen = AskProxyListen(dir);
      terminal.out << "drydock: cluster " << health->value("cluster", "") << " is up: "
                   << health->value("runningTasks", 0) << " task(s) running"
                   << (listen.empty() ? "" : ", serving on http://" + listen)
                   << HttpsNote(s.settings, dir) << ". See `drydock status"
                   << (options.state_dir.empty() ? "" : " --state-dir " + options.state_dir)
                   << "`; stop it with `drydock down`.\n";
      return kExitOk;
    }
    PauseBeforeNextPoll(kPollInterval);
  }
  return Fail(terminal, "the cluster did not become steady in time; it keeps trying (pid " +
                            std::to_string(*pid) + "): see `drydock status` and " + log);
}

}  // namespace

int RunUp(const UpOptions& options, Terminal& terminal) {
  if (!(options.time_scale > 0)) {
    terminal.err << "drydock: --time-scale must be greater than 0 (1 is real time, 20 runs every "
                    "AWS duration 20 times faster)\n";
    return kExitUsage;
  }
  Checked checked = LoadAndValidate(options.file);
  PrintDiagnostics(checked.diagnostics, terminal);
  if (!checked.config) {
    terminal.err << options.file << ": invalid configuration, nothing started\n";
    return kExitFailure;
  }
  StackSettings s;
  s.settings = checked.config->settings;
  s.config_path = std::filesystem::absolute(options.file).lexically_normal().string();
  s.config_text = std::move(checked.text);
  s.seed = options.seed;
  s.time_scale = options.time_scale;
  s.listen = options.listen.empty() ? s.settings.listen_address : options.listen;
  if (Result<alb::ListenAddress> listen = alb::ParseListenAddress(s.listen, "--listen", true);
      !options.listen.empty() && !listen.ok()) {
    terminal.err << "drydock: " << listen.status().message() << "\n";
    return kExitUsage;
  }

  const std::string path = StateDirPath(options.state_dir);
  Result<state::StateDir> dir = state::StateDir::Create(path);
  if (!dir.ok()) return Fail(terminal, dir.status().message());
  // The API token: created once, reused by every later start (docs/control-api.md).
  if (Result<std::string> token = runtime::EnsureControlToken(dir->ControlTokenPath()); !token.ok()) {
    return Fail(terminal, token.status().message());
  }
  if (std::optional<int> pid = RunningControlPlane(*dir)) return HandOver(*dir, *pid, s, terminal);
  if (options.detach) return Detach(*dir, options, s, terminal);

  Result<state::ControlLock> lock = state::ControlLock::Acquire(*dir);
  if (!lock.ok()) return Fail(terminal, lock.status().message());
  Result<std::unique_ptr<LiveStack>> stack = StartStack(*dir, s, terminal);
  if (!stack.ok()) return Fail(terminal, stack.status().message());
  terminal.out << "drydock: cluster " << s.settings.cluster_name << " starting on " << dir->path()
               << " (pid " << getpid() << ", time scale " << options.time_scale
               << "). Ctrl-C or `drydock down` stops it.\n"
               << std::flush;
  (*stack)->loop->Run();
  terminal.out << "drydock: cluster stopped; state kept in " << dir->path() << "\n";
  return kExitOk;
}

int RunDown(const std::string& state_dir, Terminal& terminal) {
  const std::string path = StateDirPath(state_dir);
  Result<state::StateDir> dir = state::StateDir::OpenExisting(path);
  if (!dir.ok()) {
    return Fail(terminal, "no drydock state in " + path + ": nothing to stop");
  }
  if (std::optional<int> pid = RunningControlPlane(*dir)) {
    const std::optional<json> answer = Ask(*dir, "POST", "/v1/down");
    if (!answer) {
      return Fail(terminal, "the control plane (pid " + std::to_string(*pid) +
                                ") does not answer on " + dir->SocketPath());
    }
    terminal.out << "drydock: " << answer->value("message", "stopping") << "\n" << std::flush;
    const auto deadline = std::chrono::steady_clock::now() + kDownTimeout;
    while (RunningControlPlane(*dir)) {
      if (std::chrono::steady_clock::now() > deadline) {
        return Fail(terminal, "the control plane (pid " + std::to_string(*pid) +
                                  ") is still stopping; see `drydock status`");
      }
      PauseBeforeNextPoll(kPollInterval);
    }
    terminal.out << "drydock: cluster stopped; state kept in " << dir->path() << "\n";
    return kExitOk;
  }
  // No control plane: adopt what it left running and stop it here.
  Result<state::ControlLock> lock = state::ControlLock::Acquire(*dir);
  if (!lock.ok()) return Fail(terminal, lock.status().message());
  StackSettings s;
  s.apply_settings = false;
  // The file the cluster was started from, for its log retention.
  auto store = state::SqliteStore::Open(dir->DatabasePath());
  if (store.ok()) {
    Result<std::optional<std::string>> file = (*store)->GetMeta(state::kMetaConfigPath);
    if (file.ok() && file->has_value()) {
      Checked checked = LoadAndValidate(**file);
      if (checked.config) {
        s.settings = checked.config->settings;
        s.config_path = **file;
      }
    }
  }
  Result<std::unique_ptr<LiveStack>> stack = StartStack(*dir, s, terminal);
  if (!stack.ok()) return Fail(terminal, stack.status().message());
  (*stack)->plane->Shutdown([loop = (*stack)->loop.get()] { loop->Stop(); });
  (*stack)->loop->Run();
  terminal.out << "drydock: cluster stopped; state kept in " << dir->path() << "\n";
  return kExitOk;
}

int RunStopTask(const std::string& state_dir, const std::string& task, const std::string& reason,
                Terminal& terminal) {
  const std::string path = StateDirPath(state_dir);
  Result<state::StateDir> dir = state::StateDir::OpenExisting(path);
  if (!dir.ok()) return Fail(terminal, "no drydock state in " + path + ": nothing to stop");
  if (!RunningControlPlane(*dir)) {
    return Fail(terminal, "no control plane runs on " + dir->path() +
                              "; start the cluster with `drydock up FILE` first");
  }
  Result<runtime::HttpResponse> response =
      CallStateApi(*dir, dir->SocketPath(), "POST", "/v1/tasks/stop",
                            json{{"task", task}, {"reason", reason}}.dump(), kApiTimeout);
  if (!response.ok()) return Fail(terminal, response.status().message());
  const json answer = json::parse(response->body, nullptr, /*allow_exceptions=*/false);
  if (!answer.is_object()) return Fail(terminal, "the control plane answered: " + response->body);
  if (response->status != 202) return Fail(terminal, answer.value("error", response->body));
  terminal.out << "drydock: " << answer.value("message", "stopping") << "\n";
  return kExitOk;
}

}  // namespace drydock::cli
