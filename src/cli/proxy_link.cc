#include "cli/proxy_link.h"

#include "cli/api_call.h"
#include "cli/cli_edge.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <utility>

#include "proxy/tls.h"
#include "runtime/real/host.h"
#include "runtime/real/real_process_launcher.h"
#include "runtime/real/unix_http_client.h"

namespace drydock::cli {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

constexpr auto kCallTimeout = 2s;
// A proxy we started gets this long to answer before we say it failed.
constexpr auto kStartGrace = 5s;
constexpr std::chrono::seconds kMinBackoff = 2s;
constexpr std::chrono::seconds kMaxBackoff = 60s;

Result<runtime::HttpResponse> Call(const state::StateDir& dir, const std::string& method,
                                   const std::string& target, const std::string& body = "") {
  Result<runtime::HttpResponse> response =
      CallStateApi(dir, dir.ProxySocketPath(), method, target, body, kCallTimeout);
  if (!response.ok()) return response.status();
  if (response->status != 200) {
    const json answer = json::parse(response->body, nullptr, /*allow_exceptions=*/false);
    const std::string message = answer.is_object() ? answer.value("error", response->body)
                                                   : response->body;
    return Status(StatusCode::kIo, method + " " + target + ": " + std::to_string(response->status) +
                                       " " + message);
  }
  return response;
}

bool SameListen(const std::string& wanted, const std::string& actual) {
  if (wanted == actual) return true;
  // Port 0 asks for any port on that host.
  const size_t colon = wanted.rfind(':');
  return colon != std::string::npos && wanted.substr(colon + 1) == "0" &&
         actual.substr(0, actual.rfind(':')) == wanted.substr(0, colon);
}

}  // namespace

ProxyLink::ProxyLink(state::StateDir dir, std::string listen, int idle_timeout_seconds,
                     bool may_start, std::function<void(const std::string&)> report)
    : dir_(std::move(dir)),
      listen_(std::move(listen)),
      idle_timeout_seconds_(idle_timeout_seconds),
      may_start_(may_start),
      report_(std::move(report)) {}

Status ProxyLink::Spawn() {
  const std::vector<std::string> argv = {runtime::RealProcessLauncher::DefaultShimCommand()[0],
                                         "proxy",
                                         "--managed",
                                         "--state-dir",
                                         dir_.path(),
                                         "--listen",
                                         listen_,
                                         "--idle-timeout",
                                         std::to_string(idle_timeout_seconds_)};
  Result<int> pid = runtime::SpawnDetached(argv, dir_.ProxyLogPath());
  if (!pid.ok()) return pid.status();
  spawned_pid_ = *pid;
  spawned_at_ = std::chrono::steady_clock::now();
  checked_ = true;  // it listens where we asked, or exits saying why
  // Reported once by the control plane (the message stays the same until it answers).
  starting_ = "starting on " + listen_ + " (pid " + std::to_string(*pid) + ", log " +
              dir_.ProxyLogPath() + ")";
  return Status(StatusCode::kUnavailable, starting_);
}

Status ProxyLink::EnsureRunning() {
  Result<runtime::HttpResponse> health = Call(dir_, "GET", "/v1/health");
  if (health.ok()) {
    backoff_ = std::chrono::seconds(0);
    if (checked_ || !may_start_) return Status::Ok();
    checked_ = true;
    const json answer = json::parse(health->body, nullptr, /*allow_exceptions=*/false);
    const std::string actual = answer.is_object() ? answer.value("listen", "") : "";
    if (SameListen(listen_, actual)) return Status::Ok();
    if (report_) {
      report_("load balancer: the running one listens on " + actual + ", not " + listen_ +
              ": replacing it");
    }
    (void)Call(dir_, "POST", "/v1/stop");
    return Status(StatusCode::kUnavailable, "replacing the load balancer on " + actual);
  }
  if (spawned_pid_ != 0) {
    if (!runtime::ChildExited(spawned_pid_)) {
      if (std::chrono::steady_clock::now() - spawned_at_ < kStartGrace) {
        return Status(StatusCode::kUnavailable, starting_);
      }
      return Status(StatusCode::kUnavailable,
                    "the load balancer (pid " + std::to_string(spawned_pid_) +
                        ") does not answer on " + dir_.ProxySocketPath());
    }
    spawned_pid_ = 0;
    backoff_ = std::clamp(backoff_ * 2, kMinBackoff, kMaxBackoff);
    next_start_ = std::chrono::steady_clock::now() + backoff_;
    exit_reason_ = LogTail(dir_.ProxyLogPath(), 1);
  }
  if (!may_start_) return health.status();
  if (std::chrono::steady_clock::now() < next_start_) {
    // The same message until the next attempt, so it is reported once.
    return Status(StatusCode::kUnavailable,
                  "the load balancer exited" +
                      (exit_reason_.empty() ? std::string() : ": " + exit_reason_) +
                      "; starting it again in at most " + std::to_string(backoff_.count()) + " s");
  }
  return Spawn();
}

std::string TlsDir(const std::string& state_dir) { return state_dir + "/tls"; }

Status ResolveHttps(std::optional<alb::HttpsListenerSpec>& https, const std::string& config_dir,
                    const std::string& state_dir, std::string* self_signed) {
  if (!https) return Status::Ok();
  for (alb::CertificateFiles& files : https->certificates) {
    files.certificate_file = alb::ResolvePath(config_dir, files.certificate_file);
    files.private_key_file = alb::ResolvePath(config_dir, files.private_key_file);
  }
  if (!https->certificates.empty() && https->certificates.front().certificate_file.empty()) {
    if (self_signed->empty()) {
      Result<proxy::TlsCertificateFiles> pair =
          proxy::EnsureSelfSignedCertificate(TlsDir(state_dir), nullptr);
      if (!pair.ok()) return pair.status();
      *self_signed = pair->certificate_file;
    }
    // EnsureSelfSignedCertificate's names.
    https->certificates.front() = {*self_signed, TlsDir(state_dir) + "/self-signed.key"};
  }
  return Status::Ok();
}

Status ProxyLink::Push(const alb::ProxyConfig& config) {
  DRYDOCK_RETURN_IF_ERROR(EnsureRunning());
  alb::ProxyConfig resolved = config;
  // The self-signed pair is checked (and made) once per control plane, not every round.
  if (Status ready = ResolveHttps(resolved.spec.https, config_dir_, dir_.path(), &self_signed_);
      !ready.ok()) {
    return Status(ready.code(), "HTTPS: " + ready.message());
  }
  const bool uses_self_signed = resolved.spec.https &&
                                resolved.spec.https->certificates.front().certificate_file == self_signed_;
  Result<runtime::HttpResponse> answer =
      Call(dir_, "PUT", "/v1/config", alb::EncodeProxyConfig(resolved));
  if (!answer.ok()) return answer.status();
  // Said once, until it changes: the certificate users trust, or why HTTPS
  // serves old certificates (or none).
  const json body = json::parse(answer->body, nullptr, /*allow_exceptions=*/false);
  std::string note = body.is_object() ? body.value("httpsError", "") : "";
  if (note.empty() && uses_self_signed) {
    note = "load balancer: HTTPS with the self-signed certificate " + self_signed_ +
           " (curl --cacert " + self_signed_ + ")";
  }
  if (note != https_note_ && !note.empty() && report_) report_(note);
  https_note_ = std::move(note);
  return Status::Ok();
}

Result<std::vector<alb::TargetGroupReport>> ProxyLink::Targets() { return AskProxyTargets(dir_); }

void ProxyLink::Stop() {
  if (!Call(dir_, "POST", "/v1/stop").ok()) return;
  if (report_) report_("load balancer stopped");
}

Result<std::vector<alb::TargetGroupReport>> AskProxyTargets(const state::StateDir& dir) {
  Result<runtime::HttpResponse> answer = Call(dir, "GET", "/v1/targets");
  if (!answer.ok()) return answer.status();
  return alb::DecodeTargets(answer->body);
}

std::string AskProxyListen(const state::StateDir& dir) {
  Result<runtime::HttpResponse> health = Call(dir, "GET", "/v1/health");
  if (!health.ok()) return "";
  const json answer = json::parse(health->body, nullptr, /*allow_exceptions=*/false);
  return answer.is_object() ? answer.value("listen", "") : "";
}

}  // namespace drydock::cli
