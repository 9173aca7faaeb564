#include "alb/health.h"

#include <gtest/gtest.h>

#include "alb/health_test_util.h"

namespace drydock::alb {
namespace {

using testing::kFail;
using testing::kPass;
using testing::kT0;


HealthCheckPolicy Policy(int healthy_threshold = 5, int unhealthy_threshold = 2) {
  HealthCheckPolicy policy;
  policy.healthy_threshold = healthy_threshold;
  policy.unhealthy_threshold = unhealthy_threshold;
  return policy;
}


TargetHealth RunChecks(TargetHealth health, const std::vector<bool>& passes,
                       const HealthCheckPolicy& policy) {
  for (bool pass : passes) health = AfterCheck(health, pass ? kPass : kFail, policy);
  return health;
}

TargetHealth WithState(TargetState state) {
  TargetHealth health;
  health.state = state;
  return health;
}

TEST(AlbHealth, StateNames) {
  EXPECT_EQ(TargetStateName(TargetState::kInitial), "initial");
  EXPECT_EQ(TargetStateName(TargetState::kHealthy), "healthy");
  EXPECT_EQ(TargetStateName(TargetState::kUnhealthy), "unhealthy");
  EXPECT_EQ(TargetStateName(TargetState::kDraining), "draining");
  EXPECT_EQ(TargetStateName(TargetState::kUnused), "unused");
}

TEST(AlbHealth, RegistrationReasons) {
  const TargetHealth registered = Registered();
  EXPECT_EQ(registered.state, TargetState::kInitial);
  EXPECT_EQ(registered.reason, "Elb.RegistrationInProgress");
  const TargetHealth checking = BeginChecking(registered);
  EXPECT_EQ(checking.state, TargetState::kInitial);
  EXPECT_EQ(checking.reason, "Elb.InitialHealthChecking");
  // Not initial: unchanged.
  EXPECT_EQ(BeginChecking(WithState(TargetState::kHealthy)).reason,
            WithState(TargetState::kHealthy).reason);
}

TEST(AlbHealth, NewTargetNeedsOnePass) {
  const TargetHealth health = AfterCheck(BeginChecking(Registered()), kPass, Policy(5, 2));
  EXPECT_EQ(health.state, TargetState::kHealthy);
  EXPECT_EQ(health.reason, "");
}

TEST(AlbHealth, NewTargetFailsAfterUnhealthyThreshold) {
  const HealthCheckPolicy policy = Policy(5, 3);
  TargetHealth health = RunChecks(BeginChecking(Registered()), {false, false}, policy);
  EXPECT_EQ(health.state, TargetState::kInitial);
  health = AfterCheck(health, kFail, policy);
  EXPECT_EQ(health.state, TargetState::kUnhealthy);
  EXPECT_EQ(health.reason, "Target.ResponseCodeMismatch");
  EXPECT_EQ(health.description, "Health checks failed with these codes: [500]");
}

TEST(AlbHealth, NewTargetPassAfterFailuresIsHealthy) {
  EXPECT_EQ(RunChecks(Registered(), {false, true}, Policy(5, 2)).state, TargetState::kHealthy);
}

TEST(AlbHealth, HealthyNeedsConsecutiveFailures) {
  const HealthCheckPolicy policy = Policy(5, 2);
  TargetHealth health = RunChecks(Registered(), {true}, policy);
  ASSERT_EQ(health.state, TargetState::kHealthy);
  // A pass between failures resets the count.
  health = RunChecks(health, {false, true, false, true, false}, policy);
  EXPECT_EQ(health.state, TargetState::kHealthy);
  health = AfterCheck(health, kFail, policy);
  EXPECT_EQ(health.state, TargetState::kUnhealthy);
}

TEST(AlbHealth, UnhealthyRecoversAfterHealthyThreshold) {
  const HealthCheckPolicy policy = Policy(5, 2);
  TargetHealth health = RunChecks(Registered(), {true, false, false}, policy);
  ASSERT_EQ(health.state, TargetState::kUnhealthy);
  health = RunChecks(health, {true, true, true, true, false}, policy);  // 4 then a failure
  EXPECT_EQ(health.state, TargetState::kUnhealthy);
  health = RunChecks(health, {true, true, true, true}, policy);
  EXPECT_EQ(health.state, TargetState::kUnhealthy);
  health = AfterCheck(health, kPass, policy);
  EXPECT_EQ(health.state, TargetState::kHealthy);
  EXPECT_EQ(health.reason, "");
}

TEST(AlbHealth, UnhealthyReportsLatestFailureReason) {
  const HealthCheckPolicy policy = Policy(5, 2);
  TargetHealth health = RunChecks(Registered(), {false, false}, policy);
  ASSERT_EQ(health.state, TargetState::kUnhealthy);
  health = AfterCheck(health, CheckTimedOut(), policy);
  EXPECT_EQ(health.reason, "Target.Timeout");
  health = AfterCheck(health, CheckConnectionFailed("connection refused"), policy);
  EXPECT_EQ(health.reason, "Target.FailedHealthChecks");
  EXPECT_EQ(health.description, "connection refused");
}

TEST(AlbHealth, DrainingAndUnusedIgnoreChecks) {
  const HealthCheckPolicy policy = Policy(2, 2);
  TargetHealth draining = StartDraining(RunChecks(Registered(), {true}, policy), kT0);
  EXPECT_EQ(RunChecks(draining, {false, false, false}, policy).state, TargetState::kDraining);
  EXPECT_EQ(RunChecks(draining, {true, true, true}, policy).state, TargetState::kDraining);
  TargetHealth unused = Finish(draining);
  EXPECT_EQ(RunChecks(unused, {true, true, false, false}, policy).state, TargetState::kUnused);
}

TEST(AlbHealth, Draining) {
  const TargetHealth draining = StartDraining(RunChecks(Registered(), {true}, Policy()), kT0);
  EXPECT_EQ(draining.state, TargetState::kDraining);
  EXPECT_EQ(draining.reason, "Target.DeregistrationInProgress");
  ASSERT_TRUE(draining.draining_since.has_value());
  EXPECT_EQ(*draining.draining_since, kT0);
  // Draining again keeps the original start.
  EXPECT_EQ(*StartDraining(draining, kT0 + Seconds(10)).draining_since, kT0);

  const Duration delay = Seconds(300);
  EXPECT_FALSE(DrainComplete(draining, kT0 + Seconds(1), delay, 2));
  EXPECT_FALSE(DrainComplete(draining, kT0 + Seconds(299), delay, 1));
  EXPECT_TRUE(DrainComplete(draining, kT0 + Seconds(1), delay, 0));    // nothing in flight
  EXPECT_TRUE(DrainComplete(draining, kT0 + Seconds(300), delay, 3));  // delay expired
  EXPECT_TRUE(DrainComplete(draining, kT0, Seconds(0), 1));            // delay 0
  EXPECT_FALSE(DrainComplete(WithState(TargetState::kHealthy), kT0, delay, 0));

  const TargetHealth unused = Finish(draining);
  EXPECT_EQ(unused.state, TargetState::kUnused);
  EXPECT_EQ(unused.reason, "Target.NotRegistered");
  EXPECT_FALSE(unused.draining_since.has_value());
  EXPECT_EQ(StartDraining(unused, kT0).state, TargetState::kUnused);
}

TEST(AlbHealth, InitialTargetsCanDrain) {
  const TargetHealth draining = StartDraining(Registered(), kT0);
  EXPECT_EQ(draining.state, TargetState::kDraining);
}

std::vector<TargetHealth> Targets(std::initializer_list<TargetState> states) {
  std::vector<TargetHealth> targets;
  for (TargetState state : states) targets.push_back(WithState(state));
  return targets;
}

using S = TargetState;

TEST(AlbRoutable, HealthyOnly) {
  EXPECT_EQ(RoutableTargets(Targets(
                {S::kHealthy, S::kUnhealthy, S::kInitial, S::kHealthy, S::kDraining, S::kUnused})),
            (std::vector<size_t>{0, 3}));
}

TEST(AlbRoutable, FailsOpenToUnhealthyWhenNoneHealthy) {
  EXPECT_EQ(RoutableTargets(Targets({S::kUnhealthy, S::kUnhealthy, S::kUnhealthy})),
            (std::vector<size_t>{0, 1, 2}));
  // Initial, draining and unused targets stay out even when failing open.
  EXPECT_EQ(RoutableTargets(
                Targets({S::kDraining, S::kUnhealthy, S::kInitial, S::kUnused, S::kUnhealthy})),
            (std::vector<size_t>{1, 4}));
}

TEST(AlbRoutable, NothingRoutable) {
  EXPECT_TRUE(RoutableTargets({}).empty());
  EXPECT_TRUE(RoutableTargets(Targets({S::kInitial, S::kInitial})).empty());
  EXPECT_TRUE(RoutableTargets(Targets({S::kDraining, S::kUnused})).empty());
}

TEST(AlbRoutable, AnyRegistered) {
  EXPECT_FALSE(AnyRegistered({}));
  EXPECT_FALSE(AnyRegistered(Targets({S::kDraining, S::kUnused})));
  EXPECT_TRUE(AnyRegistered(Targets({S::kUnused, S::kInitial})));
  EXPECT_TRUE(AnyRegistered(Targets({S::kUnhealthy})));
}

TEST(AlbRoutable, FullLifecycle) {
  const HealthCheckPolicy policy = Policy(2, 2);
  std::vector<TargetHealth> targets = {BeginChecking(Registered()), BeginChecking(Registered())};
  EXPECT_TRUE(RoutableTargets(targets).empty());
  targets[0] = AfterCheck(targets[0], kPass, policy);
  EXPECT_EQ(RoutableTargets(targets), (std::vector<size_t>{0}));
  targets[1] = RunChecks(targets[1], {false, false}, policy);
  EXPECT_EQ(RoutableTargets(targets), (std::vector<size_t>{0}));
  targets[0] = RunChecks(targets[0], {false, false}, policy);  // both unhealthy: fail open
  EXPECT_EQ(RoutableTargets(targets), (std::vector<size_t>{0, 1}));
  targets[1] = RunChecks(targets[1], {true, true}, policy);  // recovers
  EXPECT_EQ(RoutableTargets(targets), (std::vector<size_t>{1}));
  targets[1] = StartDraining(targets[1], kT0);  // no healthy left: fail open to 0
  EXPECT_EQ(RoutableTargets(targets), (std::vector<size_t>{0}));
  targets[0] = Finish(StartDraining(targets[0], kT0));
  targets[1] = Finish(targets[1]);
  EXPECT_TRUE(RoutableTargets(targets).empty());
  EXPECT_FALSE(AnyRegistered(targets));
}

TEST(AlbHealthPolicy, FromSettings) {
  config::HealthCheckSettings settings;
  settings.path = "/health";
  settings.interval_seconds = 10;
  settings.timeout_seconds = 3;
  settings.healthy_threshold = 3;
  settings.unhealthy_threshold = 4;
  settings.matcher = "200,202,300-399";
  Result<HealthCheckPolicy> policy = HealthCheckPolicyFromSettings(settings);
  ASSERT_TRUE(policy.ok()) << policy.status().message();
  EXPECT_EQ(policy->path, "/health");
  EXPECT_EQ(policy->interval, Seconds(10));
  EXPECT_EQ(policy->timeout, Seconds(3));
  EXPECT_EQ(policy->healthy_threshold, 3);
  EXPECT_EQ(policy->unhealthy_threshold, 4);
  EXPECT_TRUE(MatcherAccepts(*policy, 200));
  EXPECT_FALSE(MatcherAccepts(*policy, 201));
  EXPECT_TRUE(MatcherAccepts(*policy, 202));
  EXPECT_TRUE(MatcherAccepts(*policy, 300));
  EXPECT_TRUE(MatcherAccepts(*policy, 399));
  EXPECT_FALSE(MatcherAccepts(*policy, 400));
  EXPECT_FALSE(MatcherAccepts(*policy, 500));
}

TEST(AlbHealthPolicy, Defaults) {
  Result<HealthCheckPolicy> policy = HealthCheckPolicyFromSettings({});
  ASSERT_TRUE(policy.ok()) << policy.status().message();
  EXPECT_TRUE(MatcherAccepts(*policy, 200));
  EXPECT_FALSE(MatcherAccepts(*policy, 204));
  EXPECT_EQ(CheckFromStatus(*policy, 200).passed, true);
  const CheckResult mismatch = CheckFromStatus(*policy, 503);
  EXPECT_FALSE(mismatch.passed);
  EXPECT_EQ(mismatch.reason, "Target.ResponseCodeMismatch");
  EXPECT_EQ(mismatch.description, "Health checks failed with these codes: [503]");
}

TEST(AlbHealthPolicy, MatcherErrors) {
  for (const char* bad : {"", "20", "2000", "abc", "200,", ",200", "200-", "-299", "299-200", "199",
                          "500", "100-299", "200-500", "200 ,202", "200;202"}) {
    config::HealthCheckSettings settings;
    settings.matcher = bad;
    Result<HealthCheckPolicy> policy = HealthCheckPolicyFromSettings(settings);
    ASSERT_FALSE(policy.ok()) << "\"" << bad << "\"";
    EXPECT_EQ(policy.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(policy.status().message().find("health_check.matcher"), std::string::npos);
  }
  for (const char* good : {"200", "499", "200-499", "200,202", "200-299,302,404"}) {
    config::HealthCheckSettings settings;
    settings.matcher = good;
    EXPECT_TRUE(HealthCheckPolicyFromSettings(settings).ok()) << good;
  }
}

TEST(AlbHealthPolicy, RangeErrors) {
  auto rejects = [](auto mutate) {
    config::HealthCheckSettings settings;
    mutate(settings);
    return !HealthCheckPolicyFromSettings(settings).ok();
  };
  EXPECT_TRUE(rejects([](auto& s) { s.interval_seconds = 4; }));
  EXPECT_TRUE(rejects([](auto& s) { s.interval_seconds = 301; }));
  EXPECT_TRUE(rejects([](auto& s) { s.timeout_seconds = 1; }));
  EXPECT_TRUE(rejects([](auto& s) { s.timeout_seconds = 30; }));  // == interval
  EXPECT_TRUE(rejects([](auto& s) { s.healthy_threshold = 1; }));
  EXPECT_TRUE(rejects([](auto& s) { s.unhealthy_threshold = 11; }));
  EXPECT_TRUE(rejects([](auto& s) { s.path = "health"; }));
  EXPECT_TRUE(rejects([](auto& s) { s.path = "/" + std::string(1024, 'a'); }));
  EXPECT_FALSE(rejects([](auto& s) { s.path = "/" + std::string(1023, 'a'); }));
  EXPECT_FALSE(rejects([](auto& s) {
    s.interval_seconds = 300;
    s.timeout_seconds = 120;
    s.healthy_threshold = 10;
    s.unhealthy_threshold = 2;
  }));
}

}  // namespace
}  // namespace drydock::alb
