// Drives one alb::LoadBalancer on the proxy's thread: routes each request
// with it, runs the health checks it asks for with Proxy::Probe, and carries
// out its draining effects with Proxy::CloseIdle / Proxy::Cut. The only
// place where the pure load-balancer state meets the real clock and sockets.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "alb/load_balancer.h"
#include "alb/wire.h"
#include "proxy/proxy.h"
#include "runtime/clock.h"

namespace drydock::lbd {

class BalancerDriver {
 public:
  // `clock` is real time (time scale 1): configurations arrive in cluster
  // time and are scaled by their own time_scale.
  explicit BalancerDriver(const runtime::Clock& clock) : clock_(clock) {}
  BalancerDriver(const BalancerDriver&) = delete;
  BalancerDriver& operator=(const BalancerDriver&) = delete;

  // Call once the proxy exists, before it runs. Starts the check/sweep ticks.
  void Attach(proxy::Proxy* proxy);

  // The Router of the HTTPS listener, and of the HTTP one unless it
  // redirects (proxy thread).
  proxy::RouteResult Route(std::string_view method, std::string_view target);
  // The Router of the HTTP listener: with redirect_http_to_https, ALB's
  // redirect action (301 to the HTTPS listener); otherwise Route().
  proxy::RouteResult RouteHttp(std::string_view method, std::string_view target);

  // Proxy thread only.
  void Apply(const alb::ProxyConfig& config);
  std::string TargetsJson() const;
  bool configured() const { return configured_; }

 private:
  void Tick();
  void Carry(const std::vector<alb::DataPlaneEffect>& effects);

  const runtime::Clock& clock_;
  proxy::Proxy* proxy_ = nullptr;
  alb::LoadBalancer balancer_;
  // Each group's latest health check policy (its matcher judges a probe).
  std::map<std::string, alb::HealthCheckPolicy> policies_;
  bool configured_ = false;
  int redirect_port_ = 0;  // the HTTPS listener's configured port when redirecting; 0: no redirect
};

}  // namespace drydock::lbd
