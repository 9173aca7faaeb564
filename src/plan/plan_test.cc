#include "plan/plan.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "plan/plan_test_util.h"

namespace drydock::plan {
namespace {

using testing::AttributeText;
using testing::FindResource;
using testing::OriginConfig;


const std::vector<std::string> kServiceResources = {
    "aws_cloudwatch_log_group.service",
    "aws_secretsmanager_secret.service",
    "aws_secretsmanager_secret_version.service",
    "aws_iam_role.execution",
    "aws_iam_role_policy_attachment.execution",
    "aws_iam_policy.execution_secrets",
    "aws_iam_role_policy_attachment.execution_secrets",
    "aws_iam_role.task",
    "aws_security_group.service",
    "aws_lb_target_group.service",
    "aws_lb_listener_rule.service",
    "aws_ecs_task_definition.service",
    "aws_ecs_service.service",
    "aws_appautoscaling_target.service",
    "aws_appautoscaling_policy.cpu",
    "aws_appautoscaling_policy.memory",
    "aws_appautoscaling_policy.requests",
    "aws_cloudwatch_metric_alarm.running_tasks",
    "aws_cloudwatch_metric_alarm.unhealthy_hosts",
    "aws_cloudwatch_metric_alarm.cpu",
    "aws_cloudwatch_metric_alarm.memory",
};

TEST(PlanResourcesTest, ModulesInOrder) {
  const Plan plan = BuildPlan(OriginConfig());
  EXPECT_EQ(plan.modules,
            (std::vector<std::string>{"networking", "alb", "ecs-cluster", "ecs-service[\"nginx\"]",
                                      "ecs-service[\"api\"]"}));
}

TEST(PlanResourcesTest, EachServiceHasEveryPerServiceResource) {
  const Plan plan = BuildPlan(OriginConfig());
  for (const char* service : {"nginx", "api"}) {
    const std::string module = std::string("ecs-service[\"") + service + "\"]";
    for (const std::string& address : kServiceResources) {
      EXPECT_NE(FindResource(plan, module, address), nullptr) << module << " " << address;
    }
  }
}

TEST(PlanResourcesTest, NetworkingLayout) {
  const Plan plan = BuildPlan(OriginConfig());
  const Resource* vpc = FindResource(plan, "networking", "aws_vpc.main");
  ASSERT_NE(vpc, nullptr);
  EXPECT_EQ(AttributeText(*vpc, "cidr_block"), "10.0.0.0/16");
  const Resource* public1 = FindResource(plan, "networking", "aws_subnet.public[1]");
  ASSERT_NE(public1, nullptr);
  EXPECT_EQ(AttributeText(*public1, "cidr_block"), "10.0.1.0/24");
  EXPECT_EQ(AttributeText(*public1, "availability_zone"), "us-east-1b");
  const Resource* private0 = FindResource(plan, "networking", "aws_subnet.private[0]");
  ASSERT_NE(private0, nullptr);
  EXPECT_EQ(AttributeText(*private0, "cidr_block"), "10.0.2.0/24");
  EXPECT_NE(FindResource(plan, "networking", "aws_nat_gateway.main[0]"), nullptr);
  EXPECT_EQ(FindResource(plan, "networking", "aws_nat_gateway.main[1]"), nullptr);
}

TEST(PlanResourcesTest, NatGatewayPerAz) {
  config::Config config = OriginConfig();
  config.settings.nat_gateway_per_az = true;
  const Plan plan = BuildPlan(config);
  EXPECT_NE(FindResource(plan, "networking", "aws_eip.nat[1]"), nullptr);
  const Resource* route = FindResource(plan, "networking", "aws_route_table.private[1]");
  ASSERT_NE(route, nullptr);
  EXPECT_EQ(AttributeText(*route, "route.nat_gateway_id"), "aws_nat_gateway.main[1].id");
}

TEST(PlanResourcesTest, ListenerRuleAndTargetGroup) {
  const Plan plan = BuildPlan(OriginConfig());
  const std::string api = "ecs-service[\"api\"]";
  const Resource* rule = FindResource(plan, api, "aws_lb_listener_rule.service");
  ASSERT_NE(rule, nullptr);
  EXPECT_EQ(AttributeText(*rule, "priority"), "110");
  EXPECT_EQ(AttributeText(*rule, "path_pattern"), "/api*");
  const Resource* tg = FindResource(plan, api, "aws_lb_target_group.service");
  ASSERT_NE(tg, nullptr);
  EXPECT_EQ(AttributeText(*tg, "name"), "api-tg");
  EXPECT_EQ(AttributeText(*tg, "target_type"), "ip");
  EXPECT_EQ(AttributeText(*tg, "deregistration_delay"), "30");
}

TEST(PlanResourcesTest, ExecutionRoleReadsOnlyItsOwnSecret) {
  const Plan plan = BuildPlan(OriginConfig());
  const Resource* policy =
      FindResource(plan, "ecs-service[\"nginx\"]", "aws_iam_policy.execution_secrets");
  ASSERT_NE(policy, nullptr);
  EXPECT_EQ(AttributeText(*policy, "actions"), "secretsmanager:GetSecretValue");
  EXPECT_EQ(AttributeText(*policy, "resources"), "aws_secretsmanager_secret.service.arn");
}

TEST(PlanResourcesTest, TaskDefinitionSecretsUseTheVaultArn) {
  config::Config config = OriginConfig();
  const Plan origin = BuildPlan(config);
  const Resource* nginx =
      FindResource(origin, "ecs-service[\"nginx\"]", "aws_ecs_task_definition.service");
  ASSERT_NE(nginx, nullptr);
  EXPECT_EQ(AttributeText(*nginx, "container.secrets"),
            "SECRETS=aws_secretsmanager_secret.service.arn");

  config.settings.services[1].secrets = {
      {"PORT", "api:PORT::"},
      {"OLD", "api::AWSPREVIOUS:"},
      {"SHARED", "arn:aws:secretsmanager:us-east-1:000000000000:secret:shared-AbCdEf"}};
  const Plan changed = BuildPlan(config);
  const Resource* api =
      FindResource(changed, "ecs-service[\"api\"]", "aws_ecs_task_definition.service");
  ASSERT_NE(api, nullptr);
  EXPECT_EQ(AttributeText(*api, "container.secrets"),
            "OLD=aws_secretsmanager_secret.service.arn::AWSPREVIOUS:,"
            "PORT=aws_secretsmanager_secret.service.arn:PORT::,"
            "SHARED=arn:aws:secretsmanager:us-east-1:000000000000:secret:shared-AbCdEf");
}

TEST(PlanResourcesTest, BridgeModeHasNoServiceSecurityGroup) {
  config::Config config = OriginConfig();
  config.settings.network_mode = "bridge";
  const Plan plan = BuildPlan(config);
  EXPECT_EQ(FindResource(plan, "ecs-service[\"nginx\"]", "aws_security_group.service"), nullptr);
  const Resource* tg = FindResource(plan, "ecs-service[\"nginx\"]", "aws_lb_target_group.service");
  ASSERT_NE(tg, nullptr);
  EXPECT_EQ(AttributeText(*tg, "target_type"), "instance");
}

TEST(PlanResourcesTest, ClusterResources) {
  const Plan plan = BuildPlan(OriginConfig());
  const Resource* asg = FindResource(plan, "ecs-cluster", "aws_autoscaling_group.ecs");
  ASSERT_NE(asg, nullptr);
  EXPECT_EQ(AttributeText(*asg, "launch_template.overrides"), "t3.medium,t3a.medium,t2.medium");
  EXPECT_EQ(AttributeText(*asg, "protect_from_scale_in"), "true");
  const Resource* cp = FindResource(plan, "ecs-cluster", "aws_ecs_capacity_provider.main");
  ASSERT_NE(cp, nullptr);
  EXPECT_EQ(AttributeText(*cp, "managed_scaling.maximum_scaling_step_size"), "10");
  const Resource* lt = FindResource(plan, "ecs-cluster", "aws_launch_template.ecs");
  ASSERT_NE(lt, nullptr);
  EXPECT_EQ(AttributeText(*lt, "metadata_options.http_tokens"), "required");
  EXPECT_NE(FindResource(plan, "ecs-cluster", "aws_cloudwatch_event_rule.spot_interruption"),
            nullptr);
}

TEST(PlanResourcesTest, RegionOtherThanUsEast1GetsANote) {
  config::Config config = OriginConfig();
  config.settings.region = "eu-west-1";
  const Plan plan = BuildPlan(config);
  const bool noted = std::any_of(plan.notes.begin(), plan.notes.end(), [](const std::string& n) {
    return n.find("us-east-1 prices") != std::string::npos;
  });
  EXPECT_TRUE(noted);
  const Resource* subnet = FindResource(plan, "networking", "aws_subnet.private[1]");
  ASSERT_NE(subnet, nullptr);
  EXPECT_EQ(AttributeText(*subnet, "availability_zone"), "eu-west-1b");
}

TEST(PlanJsonTest, HasTheRequiredFields) {
  const nlohmann::json json = nlohmann::json::parse(RenderJson(BuildPlan(OriginConfig())));
  ASSERT_TRUE(json["resources"].is_array());
  for (const auto& r : json["resources"]) {
    EXPECT_TRUE(r["module"].is_string());
    EXPECT_TRUE(r["type"].is_string());
    EXPECT_TRUE(r["name"].is_string());
    EXPECT_TRUE(r["attributes"].is_object());
  }
  ASSERT_EQ(json["capacity"]["asg_mix"].size(), 9u);
  EXPECT_EQ(json["capacity"]["asg_mix"][0],
            (nlohmann::json{{"size", 2}, {"on_demand", 2}, {"spot", 0}}));
  EXPECT_EQ(json["capacity"]["services"].size(), 2u);
  EXPECT_TRUE(json["capacity"]["scenarios"].is_array());
  EXPECT_TRUE(json["cost"]["hourly_usd"].is_number());
  EXPECT_TRUE(json["cost"]["monthly_usd"].is_number());
  for (const auto& item : json["cost"]["items"]) {
    for (const char* key : {"item", "quantity", "unit_usd", "monthly_usd"}) {
      EXPECT_TRUE(item.contains(key)) << key;
    }
  }
  EXPECT_TRUE(json["notes"].is_array());
}

TEST(PlanJsonTest, DottedAttributesNest) {
  const nlohmann::json json = nlohmann::json::parse(RenderJson(BuildPlan(OriginConfig())));
  for (const auto& r : json["resources"]) {
    if (r["module"] != "ecs-service[\"api\"]" || r["type"] != "aws_lb_target_group") continue;
    EXPECT_EQ(r["attributes"]["health_check"]["interval"], 30);
    EXPECT_EQ(r["attributes"]["health_check"]["matcher"], "200");
    return;
  }
  ADD_FAILURE() << "no target group for api";
}

TEST(PlanJsonTest, EveryServiceResourcePerServiceInJson) {
  const nlohmann::json json = nlohmann::json::parse(RenderJson(BuildPlan(OriginConfig())));
  for (const char* service : {"nginx", "api"}) {
    const std::string module = std::string("ecs-service[\"") + service + "\"]";
    for (const std::string& address : kServiceResources) {
      const bool found = std::any_of(json["resources"].begin(), json["resources"].end(),
                                     [&](const nlohmann::json& r) {
                                       return r["module"] == module && r["address"] == address;
                                     });
      EXPECT_TRUE(found) << module << " " << address;
    }
  }
}

TEST(PlanTextTest, OneLinePerResourceWithExampleFormat) {
  const std::string text = RenderText(BuildPlan(OriginConfig()));
  EXPECT_NE(text.find("+ aws_lb_listener_rule.service"), std::string::npos);
  EXPECT_NE(text.find("priority=110 path_pattern=[\"/api*\"]"), std::string::npos);
  EXPECT_NE(text.find("module.ecs-service[\"api\"] (21 to add)"), std::string::npos);
  EXPECT_EQ(RenderText(BuildPlan(OriginConfig())), text);  // deterministic
}

TEST(PlanTextTest, NoServices) {
  config::Config config = OriginConfig();
  config.settings.services.clear();
  const Plan plan = BuildPlan(config);
  EXPECT_EQ(plan.modules.size(), 3u);
  const std::string text = RenderText(plan);
  EXPECT_NE(text.find("steady state: 0 tasks need 0 instances; fits"), std::string::npos) << text;
  EXPECT_NO_THROW(nlohmann::json::parse(RenderJson(plan)));
}

TEST(PlanTextTest, OnlyUnknownInstanceTypes) {
  config::Config config = OriginConfig();
  config.settings.instance_type = "x1.weird";
  config.settings.spot_instance_types = {"x2.weird"};
  const Plan plan = BuildPlan(config);
  EXPECT_TRUE(plan.capacity.instance_types.empty());
  EXPECT_TRUE(plan.capacity.scenarios.empty());
  const std::string text = RenderText(plan);
  EXPECT_NE(text.find("x1.weird, x2.weird"), std::string::npos) << text;
  EXPECT_NO_THROW(nlohmann::json::parse(RenderJson(plan)));
}

TEST(PlanTextTest, LargeGroupsElideTheMixTableInTextOnly) {
  config::Config config = OriginConfig();
  config.settings.asg_max_size = 500;
  const Plan plan = BuildPlan(config);
  EXPECT_NE(RenderText(plan).find("459 sizes left out"), std::string::npos);
  const nlohmann::json json = nlohmann::json::parse(RenderJson(plan));
  EXPECT_EQ(json["capacity"]["asg_mix"].size(), 499u);
  EXPECT_EQ(json["capacity"]["asg_mix"].back()["on_demand"], 101);  // 1 + ceil(499 * 0.2)
}

TEST(PlanTextTest, HostModeOpensServicePortsOnInstances) {
  config::Config config = OriginConfig();
  config.settings.network_mode = "host";
  const Plan plan = BuildPlan(config);
  const Resource* sg = FindResource(plan, "ecs-cluster", "aws_security_group.ecs_instances");
  ASSERT_NE(sg, nullptr);
  EXPECT_EQ(AttributeText(*sg, "ingress"), "tcp 80 from module.alb.aws_security_group.alb.id");
  EXPECT_NE(RenderText(plan).find("bound by its static host port"), std::string::npos);
}

}  // namespace
}  // namespace drydock::plan
