#include "lbd/balancer_driver.h"

#include <algorithm>
#include <utility>

namespace drydock::lbd {
namespace {

// How often due health checks and ended drains are looked for (real time).
constexpr std::chrono::milliseconds kTick{20};

std::chrono::milliseconds Millis(Duration duration) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(duration);
}

}  // namespace

void BalancerDriver::Attach(proxy::Proxy* proxy) {
  proxy_ = proxy;
  proxy_->RunAfter(kTick, [this] { Tick(); });
}

proxy::RouteResult BalancerDriver::Route(std::string_view /*method*/, std::string_view target) {
  alb::RouteChoice choice = balancer_.Route(target);
  proxy::RouteResult result;
  switch (choice.kind) {
    case alb::RouteChoice::Kind::kFixed:
      result.kind = proxy::RouteResult::Kind::kFixed;
      result.status = choice.fixed.status;
      result.content_type = std::move(choice.fixed.content_type);
      result.body = std::move(choice.fixed.body);
      break;
    case alb::RouteChoice::Kind::kNoTargets:
      result.kind = proxy::RouteResult::Kind::kNoTargets;
      break;
    case alb::RouteChoice::Kind::kForward:
      result.kind = proxy::RouteResult::Kind::kForward;
      result.upstream = {choice.host, choice.port};
      result.done = [this, choice = std::move(choice)] { balancer_.Finished(choice); };
      break;
  }
  return result;
}

proxy::RouteResult BalancerDriver::RouteHttp(std::string_view method, std::string_view target) {
  if (redirect_port_ == 0) return Route(method, target);
  proxy::RouteResult result;
  result.kind = proxy::RouteResult::Kind::kRedirect;
  result.status = 301;  // the redirect action's default, HTTP_301
  // The port it listens on (the one asked for when it could not bind).
  const int port = proxy_ != nullptr && proxy_->tls_port() != 0 ? proxy_->tls_port() : redirect_port_;
  result.location = [port, target = std::string(target)](std::string_view host) {
    return alb::RedirectLocation(host, target, port);
  };
  return result;
}

void BalancerDriver::Apply(const alb::ProxyConfig& config) {
  const std::optional<alb::HttpsListenerSpec>& https = config.spec.https;
  redirect_port_ = https && https->redirect_http ? std::max(https->port, 1) : 0;
  const alb::LoadBalancerSpec spec = alb::ScaledSpec(config.spec, config.time_scale);
  for (const alb::TargetGroupSpec& group : spec.target_groups) {
    policies_[group.name] = group.health_check;
  }
  Carry(balancer_.Apply(spec, clock_.Now()));
  configured_ = true;
}

void BalancerDriver::Carry(const std::vector<alb::DataPlaneEffect>& effects) {
  for (const alb::DataPlaneEffect& effect : effects) {
    const proxy::Upstream upstream{effect.host, effect.port};
    if (effect.kind == alb::DataPlaneEffect::Kind::kCut) {
      proxy_->Cut(upstream);
    } else {
      proxy_->CloseIdle(upstream);
    }
  }
}

std::string BalancerDriver::TargetsJson() const { return alb::EncodeTargets(balancer_.Report()); }

void BalancerDriver::Tick() {
  const TimePoint now = clock_.Now();
  for (const alb::HealthCheckRequest& check : balancer_.DueChecks(now)) {
    proxy_->Probe({check.host, check.port}, check.path, Millis(check.timeout),
                  [this, check](const proxy::ProbeResult& probe) {
                    alb::CheckResult result;
                    switch (probe.kind) {
                      case proxy::ProbeResult::Kind::kStatus:
                        result = alb::CheckFromStatus(policies_[check.target_group], probe.status);
                        break;
                      case proxy::ProbeResult::Kind::kTimeout:
                        result = alb::CheckTimedOut();
                        break;
                      case proxy::ProbeResult::Kind::kConnectFailed:
                        result = alb::CheckConnectionFailed(probe.error);
                        break;
                    }
                    balancer_.CheckDone(check, result, clock_.Now());
                  });
  }
  Carry(balancer_.Sweep(now));
  proxy_->RunAfter(kTick, [this] { Tick(); });
}

}  // namespace drydock::lbd
