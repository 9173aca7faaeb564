// The control plane's link to its `drydock proxy` process over
// <state-dir>/proxy.sock. The process is started on demand (in its own
// session, so it outlives the control plane: a `kill -9` of `drydock up`
// loses no request) and replaced when it listens elsewhere than asked.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "live/load_balancer_link.h"
#include "state/state_dir.h"

namespace drydock::cli {

class ProxyLink final : public live::LoadBalancerLink {
 public:
  // `listen` "127.0.0.1:8080" (port 0: any free port); `idle_timeout_seconds`
  // alb_idle_timeout. Without `may_start` (`drydock down`) it only talks to
  // a running proxy. `report` gets a line when a running proxy is replaced.
  ProxyLink(state::StateDir dir, std::string listen, int idle_timeout_seconds, bool may_start,
            std::function<void(const std::string&)> report);

  // Relative certificate paths resolve against `dir` (the configuration
  // file's directory; "." until set).
  void SetConfigDir(std::string dir) { config_dir_ = std::move(dir); }

  Status Push(const alb::ProxyConfig& config) override;
  Result<std::vector<alb::TargetGroupReport>> Targets() override;
  void Stop() override;

 private:
  // The running proxy listens where asked, or a new one is starting.
  Status EnsureRunning();
  Status Spawn();

  const state::StateDir dir_;
  const std::string listen_;
  const int idle_timeout_seconds_;
  const bool may_start_;
  const std::function<void(const std::string&)> report_;
  std::string config_dir_ = ".";
  std::string https_note_;  // the last self-signed / HTTPS error line reported
  std::string self_signed_;  // the self-signed certificate's path, once made or checked
  int spawned_pid_ = 0;  // our child, reaped when it exits
  std::chrono::steady_clock::time_point spawned_at_{};
  // After a start that failed (the child exited), no new one before this;
  // the wait doubles with every failure in a row (2 s .. 60 s).
  std::chrono::steady_clock::time_point next_start_{};
  std::chrono::seconds backoff_{0};
  std::string exit_reason_;  // the last line its log had when it exited
  std::string starting_;     // "starting on ADDR (pid N, log PATH)"
  bool checked_ = false;  // the running proxy's listen address was compared
};

// The HTTPS listener of a spec from live::LoadBalancerSpecFor (certificate
// paths as written; the self-signed default as empty paths) made ready to
// push: relative paths resolved against `config_dir`, the default certificate
// the self-signed pair of `state_dir`: checked (and generated if need be) when
// `*self_signed` is "", which then gets the certificate's path; reused as is
// otherwise.
Status ResolveHttps(std::optional<alb::HttpsListenerSpec>& https, const std::string& config_dir,
                    const std::string& state_dir, std::string* self_signed);
// "<state-dir>/tls": where the self-signed pair lives.
std::string TlsDir(const std::string& state_dir);

// GET /v1/targets of the proxy of `dir`; an error when none answers.
Result<std::vector<alb::TargetGroupReport>> AskProxyTargets(const state::StateDir& dir);
// The address the proxy of `dir` listens on ("127.0.0.1:8080"); "" when none answers.
std::string AskProxyListen(const state::StateDir& dir);

}  // namespace drydock::cli
