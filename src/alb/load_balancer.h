// The state of one load balancer (its listener and target groups) as a pure
// object: the caller (the `drydock proxy` process, or a test) owns the clock,
// runs the health checks and carries out the data-plane effects it returns.
//
// Configuration is state-of-the-world, as Envoy receives it: every Apply
// carries the complete list of registered targets of every group. A target
// that appears is registered (initial, first check due at once); one that
// disappears starts draining (rulebook section 6, "Deregistration") and is
// forgotten once its drain completes. So a control plane that restarts and
// pushes the same configuration again changes nothing.
//
// Not thread-safe: one thread (the proxy's) calls everything.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "alb/balancer.h"
#include "alb/health.h"
#include "alb/listener.h"
#include "alb/tls.h"
#include "base/time.h"

namespace drydock::alb {

// A registered target: an IP address and port (target type ip), with the
// task it belongs to for reports.
struct TargetSpec {
  std::string host = "127.0.0.1";
  int port = 0;
  std::string task;  // e.g. the task ARN; informational

  friend bool operator==(const TargetSpec&, const TargetSpec&) = default;
};

// "127.0.0.1:49153": a target's identity within its group.
std::string TargetKey(std::string_view host, int port);

struct TargetGroupSpec {
  std::string name;  // "<service>-tg"
  HealthCheckPolicy health_check;
  Duration deregistration_delay = Seconds(300);
  Algorithm algorithm = Algorithm::kRoundRobin;
  std::vector<TargetSpec> targets;  // registered now; keys unique
};

struct LoadBalancerSpec {
  Listener listener;  // rules and default action; the address is the caller's
  std::vector<TargetGroupSpec> target_groups;  // names unique
  // The HTTPS listener, if any: same rules and groups as `listener`; the
  // proxy process serves it (LoadBalancer itself ignores it).
  std::optional<HttpsListenerSpec> https;
};

// Where one request goes.
struct RouteChoice {
  enum class Kind {
    kForward,    // to `target` of `target_group`; call Finished() when it ends
    kFixed,      // answer `fixed`
    kNoTargets,  // 503: the group has no routable target
  };
  Kind kind = Kind::kFixed;
  std::string target_group;
  std::string host;
  int port = 0;
  FixedResponse fixed;
};

// A health check the caller should run now: GET `path` on host:port, with
// `timeout`; report it with CheckDone.
struct HealthCheckRequest {
  std::string target_group;
  std::string host;
  int port = 0;
  std::string path;
  Duration timeout{};

  friend bool operator==(const HealthCheckRequest&, const HealthCheckRequest&) = default;
};

// What the data plane must do to connections to one upstream.
struct DataPlaneEffect {
  enum class Kind {
    kCloseIdle,  // a target started draining: close its idle pooled connections
    kCut,        // its deregistration delay passed: close every connection to it
  };
  Kind kind = Kind::kCloseIdle;
  std::string host;
  int port = 0;

  friend bool operator==(const DataPlaneEffect&, const DataPlaneEffect&) = default;
};

struct TargetReport {
  TargetSpec target;
  TargetHealth health;
  int in_flight = 0;  // requests forwarded and not finished
};

struct TargetGroupReport {
  std::string name;
  std::vector<TargetReport> targets;  // registration order
};

class LoadBalancer {
 public:
  // Takes the new configuration at `now`:
  // - listener rules, default action, groups' policies and algorithms replace
  //   the old ones;
  // - a target listed for the first time (or listed again while draining) is
  //   registered: Registered() then BeginChecking(), first check due at `now`;
  // - a registered target no longer listed, or whose group is gone, starts
  //   draining at `now` (StartDraining) and gets a kCloseIdle effect;
  // - a listed target keeps its health and in-flight count.
  std::vector<DataPlaneEffect> Apply(const LoadBalancerSpec& spec, TimePoint now);

  // The listener's decision for `request_target` ("/api/x?y=1"). On
  // kForward the target's in-flight count goes up by one: the caller must call
  // Finished(choice) exactly once when the exchange ends.
  RouteChoice Route(std::string_view request_target);
  // Tolerates targets and groups that are gone meanwhile.
  void Finished(const RouteChoice& choice);

  // The checks due at `now` (one per registered target whose next check time
  // has come and with no check in flight); each is marked in flight.
  std::vector<HealthCheckRequest> DueChecks(TimePoint now);
  // The result of a check from DueChecks, finished at `now`: AfterCheck, and
  // the target's next check due `interval` after `now`. Ignored for targets
  // that are gone or draining.
  void CheckDone(const HealthCheckRequest& check, const CheckResult& result, TimePoint now);

  // Ends draining where DrainComplete says so. A target with requests still in
  // flight when its delay has passed gets a kCut effect, one without any a
  // kCloseIdle (connections that went back to the pool while it drained).
  // Finished targets are forgotten, as are groups that are gone and have no
  // target left.
  std::vector<DataPlaneEffect> Sweep(TimePoint now);

  // The earliest time at which DueChecks or Sweep has work (a check due, a
  // deregistration delay ending); nullopt when there is none.
  std::optional<TimePoint> NextDeadline() const;

  // Every group of the last Apply (and gone groups still draining), by name,
  // with its targets including draining ones.
  std::vector<TargetGroupReport> Report() const;

 private:
  struct Target {
    TargetSpec spec;
    TargetHealth health;
    int in_flight = 0;
    TimePoint next_check{};
    bool check_in_flight = false;
    bool cut = false;  // kCut already returned
  };
  struct Group {
    TargetGroupSpec spec;  // its `targets` are not used after Apply
    bool listed = true;    // in the last Apply
    std::vector<Target> targets;
    TargetPicker picker;
  };

  Target* FindTarget(const std::string& group, std::string_view host, int port);

  Listener listener_;
  std::map<std::string, Group> groups_;
};

}  // namespace drydock::alb
