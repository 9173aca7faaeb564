#include "alb/wire.h"

#include <gtest/gtest.h>

namespace drydock::alb {
namespace {

ProxyConfig Sample() {
  ProxyConfig config;
  config.time_scale = 20;
  config.spec.listener.rules = {{100, {"/api*", "/v2/api*"}, "api-tg"}, {5, {"/nginx*"}, "nginx-tg"}};
  SortRules(config.spec.listener.rules);
  config.spec.listener.default_action = {404, "text/plain", "Not Found"};
  TargetGroupSpec api;
  api.name = "api-tg";
  api.algorithm = Algorithm::kLeastOutstandingRequests;
  api.deregistration_delay = Seconds(30);
  api.health_check.path = "/health";
  api.health_check.interval = Seconds(10);
  api.health_check.timeout = Seconds(4);
  api.health_check.healthy_threshold = 3;
  api.health_check.unhealthy_threshold = 2;
  api.health_check.matcher = {{200, 299}, {302, 302}};
  api.targets = {{"127.0.0.1", 49153, "task-a"}, {"127.0.0.1", 49154, "task-b"}};
  TargetGroupSpec nginx;
  nginx.name = "nginx-tg";
  config.spec.target_groups = {api, nginx};
  return config;
}

TEST(AlbWire, ConfigRoundTrips) {
  const ProxyConfig sent = Sample();
  Result<ProxyConfig> got = DecodeProxyConfig(EncodeProxyConfig(sent));
  ASSERT_TRUE(got.ok()) << got.status().message();
  EXPECT_EQ(got->time_scale, 20);
  ASSERT_EQ(got->spec.listener.rules.size(), 2u);
  EXPECT_EQ(got->spec.listener.rules[0].priority, 5);
  EXPECT_EQ(got->spec.listener.rules[1].path_patterns,
            (std::vector<std::string>{"/api*", "/v2/api*"}));
  EXPECT_EQ(got->spec.listener.default_action.body, "Not Found");
  ASSERT_EQ(got->spec.target_groups.size(), 2u);
  const TargetGroupSpec& api = got->spec.target_groups[0];
  EXPECT_EQ(api.algorithm, Algorithm::kLeastOutstandingRequests);
  EXPECT_EQ(api.deregistration_delay, Seconds(30));
  EXPECT_EQ(api.health_check.path, "/health");
  EXPECT_EQ(api.health_check.interval, Seconds(10));
  EXPECT_EQ(api.health_check.timeout, Seconds(4));
  EXPECT_EQ(api.health_check.healthy_threshold, 3);
  EXPECT_TRUE(MatcherAccepts(api.health_check, 302));
  EXPECT_TRUE(MatcherAccepts(api.health_check, 250));
  EXPECT_FALSE(MatcherAccepts(api.health_check, 301));
  EXPECT_EQ(api.targets, sent.spec.target_groups[0].targets);
  EXPECT_TRUE(got->spec.target_groups[1].targets.empty());
}

TEST(AlbWire, ScaledSpecDividesClusterDurations) {
  const LoadBalancerSpec scaled = ScaledSpec(Sample().spec, 20);
  EXPECT_EQ(scaled.target_groups[0].deregistration_delay, std::chrono::milliseconds(1500));
  EXPECT_EQ(scaled.target_groups[0].health_check.interval, std::chrono::milliseconds(500));
  EXPECT_EQ(scaled.target_groups[0].health_check.timeout, std::chrono::milliseconds(200));
}

// The first problem, named by its path.
std::string ErrorOf(const std::string& json) {
  Result<ProxyConfig> decoded = DecodeProxyConfig(json);
  return decoded.ok() ? "ok" : decoded.status().message();
}

TEST(AlbWire, BadConfigurationsNameTheField) {
  const std::string listener =
      R"("listener":{"rules":[],"defaultAction":{"statusCode":404}})";
  const std::string check =
      R"("healthCheck":{"path":"/","intervalSeconds":5,"timeoutSeconds":2,"healthyThreshold":2,"unhealthyThreshold":2,"matcher":"200"})";
  auto group = [&](const std::string& fields) {
    return "{" + listener + R"(,"targetGroups":[{"name":"a","algorithm":"round_robin","deregistrationDelaySeconds":1,)" +
           fields + "}]}";
  };
  EXPECT_EQ(ErrorOf("{"), "the body is not valid JSON");
  EXPECT_EQ(ErrorOf("[]"), "the body is not an object");
  EXPECT_EQ(ErrorOf("{" + listener + "}"), "targetGroups is missing");
  EXPECT_EQ(ErrorOf(group(check + R"(,"targets":[])")), "ok");
  EXPECT_EQ(ErrorOf(R"({"listener":{"rules":[{"priority":0,"pathPatterns":["/"],"targetGroup":"a"}],"defaultAction":{"statusCode":404}},"targetGroups":[]})"),
            "listener.rules[0].priority is outside 1..50000");
  EXPECT_EQ(ErrorOf(group(check + R"(,"targets":[{"id":"127.0.0.1","port":70000}])")),
            "targetGroups[0].targets[0].port is outside 1..65535");
  EXPECT_EQ(ErrorOf(group(check + R"(,"targets":[{"id":"127.0.0.1","port":1},{"id":"127.0.0.1","port":1}])")),
            "targetGroups[0].targets[1] registers 127.0.0.1:1 twice");
  EXPECT_NE(ErrorOf(group(R"("healthCheck":{"path":"/","intervalSeconds":5,"timeoutSeconds":2,"healthyThreshold":2,"unhealthyThreshold":2,"matcher":"600"},"targets":[])"))
                .find("targetGroups[0].healthCheck.matcher"),
            std::string::npos);
  EXPECT_EQ(ErrorOf(group(R"("healthCheck":{"path":"nope","intervalSeconds":5,"timeoutSeconds":2,"healthyThreshold":2,"unhealthyThreshold":2,"matcher":"200"},"targets":[])")),
            "targetGroups[0].healthCheck.path is not a path of at most 1024 characters starting "
            "with /");
  EXPECT_EQ(ErrorOf(group(R"("healthCheck":{"path":"/","intervalSeconds":"5","timeoutSeconds":2,"healthyThreshold":2,"unhealthyThreshold":2,"matcher":"200"},"targets":[])")),
            "targetGroups[0].healthCheck.intervalSeconds is not a number");
  const std::string two = "{" + listener + R"(,"targetGroups":[{"name":"a","algorithm":"round_robin","deregistrationDelaySeconds":1,)" +
                          check + R"(,"targets":[]},{"name":"a","algorithm":"round_robin","deregistrationDelaySeconds":1,)" +
                          check + R"(,"targets":[]}]})";
  EXPECT_EQ(ErrorOf(two), "targetGroups[1] repeats the name \"a\"");
}

TEST(AlbWire, TargetsRoundTripInDescribeTargetHealthShape) {
  TargetReport healthy;
  healthy.target = {"127.0.0.1", 49153, "task-a"};
  healthy.health.state = TargetState::kHealthy;
  healthy.health.reason = "";
  TargetReport unhealthy;
  unhealthy.target = {"127.0.0.1", 49154, "task-b"};
  unhealthy.health.state = TargetState::kUnhealthy;
  unhealthy.health.reason = "Target.ResponseCodeMismatch";
  unhealthy.health.description = "Health checks failed with these codes: [500]";
  unhealthy.in_flight = 2;
  const std::string json = EncodeTargets({{"api-tg", {healthy, unhealthy}}});
  EXPECT_NE(json.find(R"("targetGroupName": "api-tg")"), std::string::npos) << json;
  EXPECT_NE(json.find(R"("state": "unhealthy")"), std::string::npos) << json;
  Result<std::vector<TargetGroupReport>> back = DecodeTargets(json);
  ASSERT_TRUE(back.ok()) << back.status().message();
  ASSERT_EQ(back->size(), 1u);
  ASSERT_EQ((*back)[0].targets.size(), 2u);
  EXPECT_EQ((*back)[0].targets[1].target, unhealthy.target);
  EXPECT_EQ((*back)[0].targets[1].health.state, TargetState::kUnhealthy);
  EXPECT_EQ((*back)[0].targets[1].health.reason, "Target.ResponseCodeMismatch");
  EXPECT_EQ((*back)[0].targets[1].in_flight, 2);
  EXPECT_FALSE(DecodeTargets(R"({"targetGroups":[{"targetGroupName":"x","targetHealthDescriptions":[{"target":{"id":"a","port":1},"targetHealth":{"state":"sleepy"}}]}]})").ok());
}

TEST(AlbWire, AlgorithmNames) {
  EXPECT_EQ(AlgorithmName(Algorithm::kRoundRobin), "round_robin");
  EXPECT_EQ(ParseAlgorithm("least_outstanding_requests").value(),
            Algorithm::kLeastOutstandingRequests);
  EXPECT_FALSE(ParseAlgorithm("random").ok());
}

}  // namespace
}  // namespace drydock::alb
