#include "alb/load_balancer.h"

#include <gtest/gtest.h>

#include "alb/health_test_util.h"

#include <string>
#include <vector>

namespace drydock::alb {
namespace {

using testing::kFail;
using testing::kPass;
using testing::kT0;

constexpr Duration kInterval = Seconds(10);
constexpr Duration kDelay = Seconds(60);


HealthCheckPolicy CheckPolicy(std::string path = "/health") {
  HealthCheckPolicy policy;
  policy.path = std::move(path);
  policy.interval = kInterval;
  policy.timeout = Seconds(5);
  policy.healthy_threshold = 2;
  policy.unhealthy_threshold = 2;
  return policy;
}

TargetSpec Target(int port) {
  return TargetSpec{.host = "127.0.0.1", .port = port, .task = "task-" + std::to_string(port)};
}

TargetGroupSpec Group(std::string name, std::vector<int> ports,
                      Algorithm algorithm = Algorithm::kRoundRobin) {
  TargetGroupSpec group;
  group.name = std::move(name);
  group.health_check = CheckPolicy();
  group.deregistration_delay = kDelay;
  group.algorithm = algorithm;
  for (int port : ports) group.targets.push_back(Target(port));
  return group;
}

// "/api/*" (priority 10) to api-tg, "/*" (priority 20) to web-tg, declared out
// of order; the default action is the plan's fixed 404.
Listener TwoRules() {
  Listener listener;
  listener.rules = {
      {.priority = 20, .path_patterns = {"/*"}, .target_group = "web-tg"},
      {.priority = 10, .path_patterns = {"/api/*"}, .target_group = "api-tg"},
  };
  listener.default_action.body = "Not Found";
  return listener;
}

// Only "/api/*": everything else gets the default action.
Listener ApiOnly() {
  Listener listener;
  listener.rules = {{.priority = 10, .path_patterns = {"/api/*"}, .target_group = "api-tg"}};
  listener.default_action.body = "Not Found";
  return listener;
}

LoadBalancerSpec Spec(Listener listener, std::vector<TargetGroupSpec> groups) {
  return LoadBalancerSpec{
      .listener = std::move(listener), .target_groups = std::move(groups), .https = {}};
}

// "api-tg 127.0.0.1:9001", "fixed 404 Not Found" or "503 api-tg".
std::string Where(const RouteChoice& choice) {
  switch (choice.kind) {
    case RouteChoice::Kind::kForward:
      return choice.target_group + " " + TargetKey(choice.host, choice.port);
    case RouteChoice::Kind::kFixed:
      return "fixed " + std::to_string(choice.fixed.status) + " " + choice.fixed.body;
    case RouteChoice::Kind::kNoTargets:
      return "503 " + choice.target_group;
  }
  return "?";
}

// Routes `count` requests to `path`, finishing each at once; the ports picked.
std::vector<int> Ports(LoadBalancer& lb, std::string_view path, int count) {
  std::vector<int> ports;
  for (int i = 0; i < count; ++i) {
    const RouteChoice choice = lb.Route(path);
    ports.push_back(choice.kind == RouteChoice::Kind::kForward ? choice.port : -1);
    lb.Finished(choice);
  }
  return ports;
}

// Runs every check due at `now` and reports `result` for each at `now`.
int CheckAll(LoadBalancer& lb, TimePoint now, const CheckResult& result) {
  const std::vector<HealthCheckRequest> checks = lb.DueChecks(now);
  for (const HealthCheckRequest& check : checks) lb.CheckDone(check, result, now);
  return static_cast<int>(checks.size());
}

// One line per target: "api-tg 127.0.0.1:9001 healthy  in_flight=0".
std::vector<std::string> Describe(const LoadBalancer& lb) {
  std::vector<std::string> lines;
  for (const TargetGroupReport& group : lb.Report()) {
    for (const TargetReport& target : group.targets) {
      lines.push_back(group.name + " " + TargetKey(target.target.host, target.target.port) + " " +
                      std::string(TargetStateName(target.health.state)) + " " +
                      target.health.reason + " in_flight=" + std::to_string(target.in_flight));
    }
  }
  return lines;
}

// Everything health-related of every target, for "nothing changed" checks.
std::vector<std::string> Snapshot(const LoadBalancer& lb) {
  std::vector<std::string> lines = Describe(lb);
  size_t i = 0;
  for (const TargetGroupReport& group : lb.Report()) {
    for (const TargetReport& target : group.targets) {
      const TargetHealth& health = target.health;
      lines[i++] += " " + target.target.task + " " + health.description +
                    " passes=" + std::to_string(health.consecutive_passes) +
                    " failures=" + std::to_string(health.consecutive_failures) + " since=" +
                    (health.draining_since ? FormatTime(*health.draining_since) : "-");
    }
  }
  return lines;
}

DataPlaneEffect CloseIdle(int port) {
  return DataPlaneEffect{.kind = DataPlaneEffect::Kind::kCloseIdle, .host = "127.0.0.1",
                         .port = port};
}

DataPlaneEffect Cut(int port) {
  return DataPlaneEffect{.kind = DataPlaneEffect::Kind::kCut, .host = "127.0.0.1", .port = port};
}

using Effects = std::vector<DataPlaneEffect>;

// api-tg {9001, 9002} and web-tg {9101}, all healthy after one check at kT0.
LoadBalancer HealthyTwoGroups(Algorithm api_algorithm = Algorithm::kRoundRobin) {
  LoadBalancer lb;
  lb.Apply(Spec(TwoRules(), {Group("api-tg", {9001, 9002}, api_algorithm),
                             Group("web-tg", {9101})}),
           kT0);
  CheckAll(lb, kT0, kPass);
  return lb;
}

TEST(LoadBalancerTargetKey, HostColonPort) {
  EXPECT_EQ(TargetKey("127.0.0.1", 49153), "127.0.0.1:49153");
  EXPECT_EQ(TargetKey("::1", 8080), "[::1]:8080");
}

TEST(LoadBalancerRoute, RulesByPriorityAndDefault404) {
  LoadBalancer lb = HealthyTwoGroups();
  EXPECT_EQ(Where(lb.Route("/api/users?page=2")), "api-tg 127.0.0.1:9001");
  EXPECT_EQ(Where(lb.Route("/index.html")), "web-tg 127.0.0.1:9101");
  EXPECT_EQ(Where(lb.Route("/api")), "web-tg 127.0.0.1:9101");  // "/api/*" needs the slash

  LoadBalancer api_only;
  api_only.Apply(Spec(ApiOnly(), {Group("api-tg", {9001})}), kT0);
  CheckAll(api_only, kT0, kPass);
  const RouteChoice fixed = api_only.Route("/index.html");
  EXPECT_EQ(fixed.kind, RouteChoice::Kind::kFixed);
  EXPECT_EQ(fixed.fixed.status, 404);
  EXPECT_EQ(fixed.fixed.body, "Not Found");
  api_only.Finished(fixed);  // not a forward: nothing to do
  EXPECT_EQ(Describe(api_only), (std::vector<std::string>{"api-tg 127.0.0.1:9001 healthy  "
                                                          "in_flight=0"}));
}

TEST(LoadBalancerRoute, ForwardCountsInFlightUntilFinished) {
  LoadBalancer lb = HealthyTwoGroups();
  const RouteChoice first = lb.Route("/api/a");
  const RouteChoice second = lb.Route("/api/b");
  EXPECT_EQ(Describe(lb), (std::vector<std::string>{"api-tg 127.0.0.1:9001 healthy  in_flight=1",
                                                    "api-tg 127.0.0.1:9002 healthy  in_flight=1",
                                                    "web-tg 127.0.0.1:9101 healthy  in_flight=0"}));
  lb.Finished(first);
  lb.Finished(second);
  lb.Finished(second);  // one Finished too many: never below zero
  EXPECT_EQ(Describe(lb), (std::vector<std::string>{"api-tg 127.0.0.1:9001 healthy  in_flight=0",
                                                    "api-tg 127.0.0.1:9002 healthy  in_flight=0",
                                                    "web-tg 127.0.0.1:9101 healthy  in_flight=0"}));
}

TEST(LoadBalancerRoute, UnknownGroupIs503) {
  LoadBalancer lb;
  lb.Apply(Spec(TwoRules(), {Group("web-tg", {9101})}), kT0);  // no api-tg
  CheckAll(lb, kT0, kPass);
  EXPECT_EQ(Where(lb.Route("/api/x")), "503 api-tg");
  EXPECT_EQ(Where(lb.Route("/x")), "web-tg 127.0.0.1:9101");
}

TEST(LoadBalancerRoute, NoTargetsOrAllInitialIs503) {
  LoadBalancer lb;
  lb.Apply(Spec(TwoRules(), {Group("api-tg", {}), Group("web-tg", {9101, 9102})}), kT0);
  EXPECT_EQ(Where(lb.Route("/api/x")), "503 api-tg");  // no registered target
  EXPECT_EQ(Where(lb.Route("/x")), "503 web-tg");      // all initial
  // A check running is not a check passed.
  EXPECT_EQ(lb.DueChecks(kT0).size(), 2u);
  EXPECT_EQ(Where(lb.Route("/x")), "503 web-tg");
  EXPECT_EQ(Describe(lb),
            (std::vector<std::string>{
                "web-tg 127.0.0.1:9101 initial Elb.InitialHealthChecking in_flight=0",
                "web-tg 127.0.0.1:9102 initial Elb.InitialHealthChecking in_flight=0"}));
}

TEST(LoadBalancerHealth, RoutableAfterFirstPassingCheck) {
  LoadBalancer lb;
  lb.Apply(Spec(ApiOnly(), {Group("api-tg", {9001, 9002})}), kT0);
  const std::vector<HealthCheckRequest> checks = lb.DueChecks(kT0);
  ASSERT_EQ(checks.size(), 2u);
  // One failure keeps 9002 initial (unhealthy_threshold 2); one pass makes 9001 healthy.
  lb.CheckDone(checks[1], kFail, kT0 + Seconds(1));
  EXPECT_EQ(Where(lb.Route("/api/x")), "503 api-tg");
  lb.CheckDone(checks[0], kPass, kT0 + Seconds(1));
  EXPECT_EQ(Ports(lb, "/api/x", 3), (std::vector<int>{9001, 9001, 9001}));
  EXPECT_EQ(Describe(lb),
            (std::vector<std::string>{
                "api-tg 127.0.0.1:9001 healthy  in_flight=0",
                "api-tg 127.0.0.1:9002 initial Elb.InitialHealthChecking in_flight=0"}));
  // 9002 passes its next check and joins the rotation.
  EXPECT_EQ(lb.DueChecks(kT0 + Seconds(5)).size(), 0u);
  EXPECT_EQ(CheckAll(lb, kT0 + kInterval + Seconds(1), kPass), 2);
  EXPECT_EQ(Ports(lb, "/api/x", 4), (std::vector<int>{9002, 9001, 9002, 9001}));
}

TEST(LoadBalancerRoute, RoundRobinAcrossTwoHealthyTargets) {
  LoadBalancer lb = HealthyTwoGroups();
  EXPECT_EQ(Ports(lb, "/api/x", 6), (std::vector<int>{9001, 9002, 9001, 9002, 9001, 9002}));
  // Requests to another group do not disturb the rotation.
  EXPECT_EQ(Ports(lb, "/web", 1), (std::vector<int>{9101}));
  EXPECT_EQ(Ports(lb, "/api/x", 2), (std::vector<int>{9001, 9002}));
}

TEST(LoadBalancerRoute, FailsOpenWhenAllRegisteredTargetsAreUnhealthy) {
  LoadBalancer lb = HealthyTwoGroups();
  // Two failures (unhealthy_threshold) for both api targets.
  EXPECT_EQ(CheckAll(lb, kT0 + kInterval, kFail), 3);
  EXPECT_EQ(CheckAll(lb, kT0 + 2 * kInterval, kFail), 3);
  EXPECT_EQ(Describe(lb)[0],
            "api-tg 127.0.0.1:9001 unhealthy Target.ResponseCodeMismatch in_flight=0");
  EXPECT_EQ(Ports(lb, "/api/x", 4), (std::vector<int>{9001, 9002, 9001, 9002}));

  // One recovers (healthy_threshold 2): only it gets requests again.
  const std::vector<HealthCheckRequest> checks = lb.DueChecks(kT0 + 3 * kInterval);
  ASSERT_EQ(checks.size(), 3u);
  lb.CheckDone(checks[0], kPass, kT0 + 3 * kInterval);
  lb.CheckDone(checks[1], kFail, kT0 + 3 * kInterval);
  const std::vector<HealthCheckRequest> again = lb.DueChecks(kT0 + 4 * kInterval);
  ASSERT_EQ(again.size(), 2u);  // the web target's check is still running
  lb.CheckDone(again[0], kPass, kT0 + 4 * kInterval);
  EXPECT_EQ(Ports(lb, "/api/x", 3), (std::vector<int>{9001, 9001, 9001}));
}

TEST(LoadBalancerRoute, LeastOutstandingRequestsPicksFewerInFlight) {
  LoadBalancer lb = HealthyTwoGroups(Algorithm::kLeastOutstandingRequests);
  const RouteChoice a = lb.Route("/api/x");
  const RouteChoice b = lb.Route("/api/x");
  EXPECT_EQ(a.port, 9001);  // tie: the rotation starts at the first target
  EXPECT_EQ(b.port, 9002);  // 9001 has one in flight
  lb.Finished(a);           // in flight: 9001 0, 9002 1
  const RouteChoice c = lb.Route("/api/x");
  EXPECT_EQ(c.port, 9001);
  const RouteChoice d = lb.Route("/api/x");  // 1 and 1: the tie rotates on
  EXPECT_EQ(d.port, 9002);
  const RouteChoice e = lb.Route("/api/x");  // 1 and 2
  EXPECT_EQ(e.port, 9001);
  EXPECT_EQ(Describe(lb)[0], "api-tg 127.0.0.1:9001 healthy  in_flight=2");
  EXPECT_EQ(Describe(lb)[1], "api-tg 127.0.0.1:9002 healthy  in_flight=2");
}

TEST(LoadBalancerApply, PolicyAndAlgorithmChangesKeepHealth) {
  LoadBalancer lb = HealthyTwoGroups();
  const RouteChoice held = lb.Route("/api/x");  // 9001: one in flight
  TargetGroupSpec api = Group("api-tg", {9001, 9002}, Algorithm::kLeastOutstandingRequests);
  api.health_check = CheckPolicy("/ready");
  EXPECT_EQ(lb.Apply(Spec(TwoRules(), {api, Group("web-tg", {9101})}), kT0 + Seconds(1)),
            Effects{});
  EXPECT_EQ(Describe(lb)[0], "api-tg 127.0.0.1:9001 healthy  in_flight=1");
  // The new algorithm applies at once; the next checks use the new path.
  EXPECT_EQ(Ports(lb, "/api/x", 2), (std::vector<int>{9002, 9002}));
  const std::vector<HealthCheckRequest> checks = lb.DueChecks(kT0 + kInterval);
  ASSERT_EQ(checks.size(), 3u);
  EXPECT_EQ(checks[0].path, "/ready");
  EXPECT_EQ(checks[2].path, "/health");
  lb.Finished(held);
}

TEST(LoadBalancerApply, SameSpecAgainChangesNothing) {
  // The control-plane-restart property: pushing the same configuration again
  // keeps every target's health, in-flight count and drain.
  const LoadBalancerSpec full =
      Spec(TwoRules(), {Group("api-tg", {9001, 9002, 9003}), Group("web-tg", {9101})});
  const LoadBalancerSpec spec =
      Spec(TwoRules(), {Group("api-tg", {9001, 9002}), Group("web-tg", {9101})});
  LoadBalancer lb;
  lb.Apply(full, kT0);
  CheckAll(lb, kT0, kPass);
  EXPECT_EQ(CheckAll(lb, kT0 + kInterval, kFail), 4);  // one failure: still healthy
  const RouteChoice held = lb.Route("/api/x");
  ASSERT_EQ(held.port, 9001);
  EXPECT_EQ(lb.Apply(spec, kT0 + kInterval), (Effects{CloseIdle(9003)}));

  const std::vector<std::string> before = Snapshot(lb);
  const std::optional<TimePoint> deadline = lb.NextDeadline();
  EXPECT_EQ(lb.Apply(spec, kT0 + kInterval + Seconds(3)), Effects{});
  EXPECT_EQ(Snapshot(lb), before);
  EXPECT_EQ(lb.NextDeadline(), deadline);
  EXPECT_TRUE(lb.DueChecks(kT0 + kInterval + Seconds(3)).empty());  // no check re-scheduled
  // The single failure is still counted: the next one makes 9001 unhealthy.
  const std::vector<HealthCheckRequest> checks = lb.DueChecks(kT0 + 2 * kInterval);
  ASSERT_EQ(checks.size(), 3u);
  lb.CheckDone(checks[0], kFail, kT0 + 2 * kInterval);
  EXPECT_EQ(Describe(lb)[0],
            "api-tg 127.0.0.1:9001 unhealthy Target.ResponseCodeMismatch in_flight=1");
}

TEST(LoadBalancerApply, EffectsInGroupThenRegistrationOrder) {
  LoadBalancer lb;
  // Registration order differs from port order.
  lb.Apply(Spec(TwoRules(), {Group("web-tg", {9103, 9101, 9102}), Group("api-tg", {9002, 9001})}),
           kT0);
  EXPECT_EQ(lb.Apply(Spec(TwoRules(), {Group("web-tg", {9101}), Group("api-tg", {})}), kT0),
            (Effects{CloseIdle(9002), CloseIdle(9001), CloseIdle(9103), CloseIdle(9102)}));
  EXPECT_EQ(Describe(lb),
            (std::vector<std::string>{
                "api-tg 127.0.0.1:9002 draining Target.DeregistrationInProgress in_flight=0",
                "api-tg 127.0.0.1:9001 draining Target.DeregistrationInProgress in_flight=0",
                "web-tg 127.0.0.1:9103 draining Target.DeregistrationInProgress in_flight=0",
                "web-tg 127.0.0.1:9101 initial Elb.InitialHealthChecking in_flight=0",
                "web-tg 127.0.0.1:9102 draining Target.DeregistrationInProgress in_flight=0"}));
}

TEST(LoadBalancerDrain, RemovedTargetDrainsUntilNothingIsInFlight) {
  LoadBalancer lb = HealthyTwoGroups();
  EXPECT_EQ(Ports(lb, "/api/x", 1), (std::vector<int>{9001}));
  const RouteChoice held = lb.Route("/api/x");
  ASSERT_EQ(held.port, 9002);
  const TimePoint removed = kT0 + Seconds(5);
  EXPECT_EQ(lb.Apply(Spec(TwoRules(), {Group("api-tg", {9001}), Group("web-tg", {9101})}), removed),
            (Effects{CloseIdle(9002)}));
  EXPECT_EQ(Describe(lb)[1],
            "api-tg 127.0.0.1:9002 draining Target.DeregistrationInProgress in_flight=1");
  // No new requests, and no health checks, for a draining target.
  EXPECT_EQ(Ports(lb, "/api/x", 3), (std::vector<int>{9001, 9001, 9001}));
  EXPECT_EQ(CheckAll(lb, removed + kInterval, kPass), 2);
  // Still in flight before the delay: it stays.
  EXPECT_EQ(lb.Sweep(removed + Seconds(30)), Effects{});
  EXPECT_EQ(Describe(lb).size(), 3u);
  lb.Finished(held);
  // Connections that went back to the pool meanwhile are closed too.
  EXPECT_EQ(lb.Sweep(removed + Seconds(31)), (Effects{CloseIdle(9002)}));
  EXPECT_EQ(Describe(lb), (std::vector<std::string>{"api-tg 127.0.0.1:9001 healthy  in_flight=0",
                                                    "web-tg 127.0.0.1:9101 healthy  in_flight=0"}));
}

TEST(LoadBalancerDrain, InFlightPastTheDelayIsCutOnce) {
  LoadBalancer lb = HealthyTwoGroups();
  const RouteChoice other = lb.Route("/api/x");
  const RouteChoice held = lb.Route("/api/x");
  ASSERT_EQ(held.port, 9002);
  const TimePoint removed = kT0 + Seconds(5);
  EXPECT_EQ(lb.Apply(Spec(TwoRules(), {Group("api-tg", {9001}), Group("web-tg", {9101})}), removed),
            (Effects{CloseIdle(9002)}));
  EXPECT_EQ(lb.Sweep(removed + kDelay - Duration(1)), Effects{});
  EXPECT_EQ(lb.Sweep(removed + kDelay), (Effects{Cut(9002)}));
  EXPECT_EQ(lb.Sweep(removed + kDelay + Seconds(1)), Effects{});
  EXPECT_EQ(Describe(lb), (std::vector<std::string>{"api-tg 127.0.0.1:9001 healthy  in_flight=1",
                                                    "web-tg 127.0.0.1:9101 healthy  in_flight=0"}));
  // The cut request ends later: harmless, and no other count moves.
  lb.Finished(held);
  lb.Finished(held);
  EXPECT_EQ(Describe(lb)[0], "api-tg 127.0.0.1:9001 healthy  in_flight=1");
  lb.Finished(other);
  EXPECT_EQ(Describe(lb)[0], "api-tg 127.0.0.1:9001 healthy  in_flight=0");
}

TEST(LoadBalancerDrain, RelistedDrainingTargetIsRegisteredAfresh) {
  LoadBalancer lb = HealthyTwoGroups();
  lb.Route("/api/x");
  const RouteChoice held = lb.Route("/api/x");
  ASSERT_EQ(held.port, 9002);
  const LoadBalancerSpec both = Spec(TwoRules(), {Group("api-tg", {9001, 9002}),
                                                  Group("web-tg", {9101})});
  const LoadBalancerSpec one = Spec(TwoRules(), {Group("api-tg", {9001}), Group("web-tg", {9101})});
  EXPECT_EQ(lb.Apply(one, kT0 + Seconds(1)), (Effects{CloseIdle(9002)}));
  const TimePoint relisted = kT0 + Seconds(2);
  EXPECT_EQ(lb.Apply(both, relisted), Effects{});
  // Fresh health, in-flight request still counted, first check due at once.
  EXPECT_EQ(Describe(lb)[1], "api-tg 127.0.0.1:9002 initial Elb.InitialHealthChecking in_flight=1");
  EXPECT_EQ(lb.NextDeadline(), relisted);
  const std::vector<HealthCheckRequest> checks = lb.DueChecks(relisted);
  ASSERT_EQ(checks.size(), 1u);
  EXPECT_EQ(checks[0].port, 9002);
  // Not draining any more: the old delay ends without a cut.
  EXPECT_EQ(lb.Sweep(kT0 + Seconds(1) + kDelay), Effects{});
  EXPECT_EQ(Describe(lb).size(), 3u);
  // Routable again after its first pass.
  lb.CheckDone(checks[0], kPass, relisted);
  lb.Finished(held);
  EXPECT_EQ(Describe(lb)[1], "api-tg 127.0.0.1:9002 healthy  in_flight=0");
}

TEST(LoadBalancerChecks, IntervalAndOneCheckAtATime) {
  LoadBalancer lb;
  lb.Apply(Spec(ApiOnly(), {Group("api-tg", {9001, 9002})}), kT0);
  EXPECT_TRUE(lb.DueChecks(kT0 - Duration(1)).empty());
  const std::vector<HealthCheckRequest> first = lb.DueChecks(kT0);
  EXPECT_EQ(first, (std::vector<HealthCheckRequest>{
                       {.target_group = "api-tg", .host = "127.0.0.1", .port = 9001,
                        .path = "/health", .timeout = Seconds(5)},
                       {.target_group = "api-tg", .host = "127.0.0.1", .port = 9002,
                        .path = "/health", .timeout = Seconds(5)}}));
  EXPECT_TRUE(lb.DueChecks(kT0).empty());  // both running
  lb.CheckDone(first[0], kPass, kT0 + Seconds(1));
  // 9001's next check is due an interval after its result; 9002's is still running.
  EXPECT_TRUE(lb.DueChecks(kT0 + Seconds(1) + kInterval - Duration(1)).empty());
  const std::vector<HealthCheckRequest> second = lb.DueChecks(kT0 + Seconds(30));
  ASSERT_EQ(second.size(), 1u);
  EXPECT_EQ(second[0].port, 9001);
  lb.CheckDone(first[1], kPass, kT0 + Seconds(31));
  EXPECT_TRUE(lb.DueChecks(kT0 + Seconds(31) + kInterval - Duration(1)).empty());
  EXPECT_EQ(lb.DueChecks(kT0 + Seconds(31) + kInterval).size(), 1u);
}

TEST(LoadBalancerChecks, ResultsForGoneOrDrainingTargetsAreIgnored) {
  LoadBalancer lb;
  lb.Apply(Spec(ApiOnly(), {Group("api-tg", {9001, 9002})}), kT0);
  const std::vector<HealthCheckRequest> checks = lb.DueChecks(kT0);
  ASSERT_EQ(checks.size(), 2u);
  // Both are deregistered and forgotten (nothing in flight) while their checks
  // run; then 9002 is registered again and drains again.
  lb.Apply(Spec(ApiOnly(), {Group("api-tg", {})}), kT0 + Seconds(1));
  lb.Route("/api/x");
  EXPECT_EQ(lb.Sweep(kT0 + Seconds(1)), (Effects{CloseIdle(9001), CloseIdle(9002)}));
  EXPECT_TRUE(Describe(lb).empty());
  lb.Apply(Spec(ApiOnly(), {Group("api-tg", {9002})}), kT0 + Seconds(2));
  const RouteChoice none = lb.Route("/api/x");
  EXPECT_EQ(Where(none), "503 api-tg");
  lb.Apply(Spec(ApiOnly(), {Group("api-tg", {})}), kT0 + Seconds(3));
  const std::vector<std::string> before = Snapshot(lb);

  lb.CheckDone(checks[0], kPass, kT0 + Seconds(4));  // 9001: gone
  lb.CheckDone(checks[1], kPass, kT0 + Seconds(4));  // 9002: draining
  HealthCheckRequest unknown = checks[0];
  unknown.target_group = "nope-tg";
  lb.CheckDone(unknown, kPass, kT0 + Seconds(4));
  EXPECT_EQ(Snapshot(lb), before);
}

TEST(LoadBalancerDeadline, NextDeadline) {
  LoadBalancer lb;
  EXPECT_EQ(lb.NextDeadline(), std::nullopt);
  lb.Apply(Spec(ApiOnly(), {Group("api-tg", {9001, 9002})}), kT0);
  EXPECT_EQ(lb.NextDeadline(), kT0);  // first checks due at once
  const std::vector<HealthCheckRequest> checks = lb.DueChecks(kT0);
  EXPECT_EQ(lb.NextDeadline(), std::nullopt);  // both running: the results come first
  lb.CheckDone(checks[1], kPass, kT0 + Seconds(2));
  EXPECT_EQ(lb.NextDeadline(), kT0 + Seconds(2) + kInterval);
  lb.CheckDone(checks[0], kPass, kT0 + Seconds(1));
  EXPECT_EQ(lb.NextDeadline(), kT0 + Seconds(1) + kInterval);

  // 9001 drains with a request in flight: its delay end joins the checks.
  const RouteChoice held = lb.Route("/api/x");
  ASSERT_EQ(held.port, 9001);
  const TimePoint removed = kT0 + Seconds(3);
  lb.Apply(Spec(ApiOnly(), {Group("api-tg", {9002})}), removed);
  EXPECT_EQ(lb.NextDeadline(), kT0 + Seconds(2) + kInterval);
  CheckAll(lb, kT0 + Seconds(2) + kInterval, kPass);
  CheckAll(lb, kT0 + Seconds(2) + 6 * kInterval, kPass);
  EXPECT_EQ(lb.NextDeadline(), removed + kDelay);  // before 9002's next check
  // Once nothing is in flight, Sweep has work at once.
  lb.Finished(held);
  EXPECT_EQ(lb.NextDeadline(), removed);
  EXPECT_EQ(lb.Sweep(kT0 + Seconds(2) + 6 * kInterval), (Effects{CloseIdle(9001)}));
  EXPECT_EQ(lb.NextDeadline(), kT0 + Seconds(2) + 7 * kInterval);

  lb.Apply(Spec(ApiOnly(), {}), kT0 + Seconds(100));  // the group goes: nothing left to check
  EXPECT_EQ(lb.NextDeadline(), kT0 + Seconds(100));
  lb.Sweep(kT0 + Seconds(100));
  EXPECT_EQ(lb.NextDeadline(), std::nullopt);
}

TEST(LoadBalancerApply, RemovedGroupDrainsThenDisappears) {
  LoadBalancer lb = HealthyTwoGroups();
  const RouteChoice held = lb.Route("/api/x");
  ASSERT_EQ(held.port, 9001);
  // api-tg and its rule go away together.
  Listener web_only;
  web_only.rules = {{.priority = 20, .path_patterns = {"/*"}, .target_group = "web-tg"}};
  const TimePoint removed = kT0 + Seconds(5);
  EXPECT_EQ(lb.Apply(Spec(web_only, {Group("web-tg", {9101})}), removed),
            (Effects{CloseIdle(9001), CloseIdle(9002)}));
  EXPECT_EQ(Describe(lb),
            (std::vector<std::string>{
                "api-tg 127.0.0.1:9001 draining Target.DeregistrationInProgress in_flight=1",
                "api-tg 127.0.0.1:9002 draining Target.DeregistrationInProgress in_flight=0",
                "web-tg 127.0.0.1:9101 healthy  in_flight=0"}));
  EXPECT_EQ(Where(lb.Route("/api/x")), "web-tg 127.0.0.1:9101");
  // 9002 goes at once, 9001 when its request ends; then the group.
  EXPECT_EQ(lb.Sweep(removed), (Effects{CloseIdle(9002)}));
  ASSERT_EQ(lb.Report().size(), 2u);
  EXPECT_EQ(lb.Report()[0].name, "api-tg");
  EXPECT_EQ(lb.Report()[0].targets.size(), 1u);
  lb.Finished(held);
  EXPECT_EQ(lb.Sweep(removed + Seconds(1)), (Effects{CloseIdle(9001)}));
  ASSERT_EQ(lb.Report().size(), 1u);
  EXPECT_EQ(lb.Report()[0].name, "web-tg");
}

TEST(LoadBalancerApply, GoneGroupStillNamedByARuleIs503) {
  LoadBalancer lb = HealthyTwoGroups();
  const RouteChoice held = lb.Route("/api/x");
  // The rule stays but the group is gone: its draining targets get nothing.
  EXPECT_EQ(lb.Apply(Spec(TwoRules(), {Group("web-tg", {9101})}), kT0 + Seconds(1)),
            (Effects{CloseIdle(9001), CloseIdle(9002)}));
  EXPECT_EQ(Where(lb.Route("/api/x")), "503 api-tg");
  EXPECT_EQ(lb.Sweep(kT0 + Seconds(1) + kDelay), (Effects{Cut(9001), CloseIdle(9002)}));
  EXPECT_EQ(lb.Report().size(), 1u);
  lb.Finished(held);
  // A gone group with no target is forgotten by Apply itself.
  LoadBalancer empty_group;
  empty_group.Apply(Spec(TwoRules(), {Group("api-tg", {})}), kT0);
  empty_group.Apply(Spec(TwoRules(), {}), kT0);
  EXPECT_TRUE(empty_group.Report().empty());
}

}  // namespace
}  // namespace drydock::alb
