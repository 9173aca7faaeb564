// `drydock proxy`: the load balancer as its own process, so it keeps serving
// while the control plane restarts (the way Envoy outlives its management
// server). Two threads:
//   - the proxy thread runs proxy::Proxy and the BalancerDriver (routing,
//     health checks, draining);
//   - the main thread runs the load balancer API on a Unix socket (managed
//     mode): PUT /v1/config, GET /v1/targets, GET /v1/health, POST /v1/stop
//     (docs/control-api.md), handing each call to the proxy thread.
// Static mode (no socket) serves one configuration given at start: that is
// how benchmarks and the example run it without a control plane.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include "alb/wire.h"

namespace drydock::lbd {

struct ProxyProcessOptions {
  std::string listen_host = "127.0.0.1";  // IPv4 literal
  int listen_port = 8080;                 // 0: any free port (see GET /v1/health)
  // ALB's idle timeout (alb_idle_timeout), real time: client connections
  // are network connections, never on the cluster's scaled clock.
  std::chrono::milliseconds idle_timeout{60000};
  // Managed mode: serve the load balancer API on this socket path.
  std::string control_socket;
  // Managed mode: the token every API request must carry, and where it
  // lives, for the 401's message (runtime/real/control_token.h).
  std::string bearer_token{};
  std::string bearer_hint{};
  // The configuration served from the start (static mode: the only one).
  std::optional<alb::ProxyConfig> initial;
  // One line per notable fact ("listening on ..."), for the process's log.
  std::function<void(const std::string&)> log;
};

// Runs until SIGINT/SIGTERM or POST /v1/stop. Returns 0, or 1 after logging
// why it could not start (the listen address is taken, the socket exists).
int RunProxyProcess(const ProxyProcessOptions& options);

}  // namespace drydock::lbd
