// The AWS-only resource groups in the plan: VPC endpoints, the WAF web ACL
// and the CloudWatch alarms (always created; their topic is optional).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "plan/plan.h"
#include "plan/plan_test_util.h"

namespace drydock::plan {
namespace {

using testing::AttributeText;
using testing::FindResource;
using testing::OriginConfig;

constexpr const char* kTopic = "arn:aws:sns:us-east-1:123456789012:ops";

std::vector<std::string> AddressesOfType(const Plan& plan, const std::string& module,
                                         const std::string& type) {
  std::vector<std::string> addresses;
  for (const Resource& r : plan.resources) {
    if (r.module == module && r.type == type) addresses.push_back(r.Address());
  }
  return addresses;
}

TEST(PlanVpcEndpoints, OffByDefault) {
  const Plan plan = BuildPlan(OriginConfig());
  EXPECT_TRUE(AddressesOfType(plan, "networking", "aws_vpc_endpoint").empty());
  EXPECT_EQ(FindResource(plan, "networking", "aws_security_group.vpc_endpoints"), nullptr);
}

TEST(PlanVpcEndpoints, GatewayForS3AndInterfacesInOrder) {
  config::Config config = OriginConfig();
  config.settings.enable_vpc_endpoints = true;
  const Plan plan = BuildPlan(config);
  EXPECT_EQ(
      AddressesOfType(plan, "networking", "aws_vpc_endpoint"),
      (std::vector<std::string>{"aws_vpc_endpoint.s3", "aws_vpc_endpoint.interface[\"ecr.api\"]",
                                "aws_vpc_endpoint.interface[\"ecr.dkr\"]",
                                "aws_vpc_endpoint.interface[\"secretsmanager\"]",
                                "aws_vpc_endpoint.interface[\"logs\"]"}));
  const Resource* sg = FindResource(plan, "networking", "aws_security_group.vpc_endpoints");
  ASSERT_NE(sg, nullptr);
  EXPECT_EQ(AttributeText(*sg, "name"), "production-cluster-vpc-endpoints");
  EXPECT_EQ(AttributeText(*sg, "ingress"), "tcp 443 from 10.0.0.0/16");
  const Resource* s3 = FindResource(plan, "networking", "aws_vpc_endpoint.s3");
  EXPECT_EQ(AttributeText(*s3, "vpc_endpoint_type"), "Gateway");
  EXPECT_EQ(AttributeText(*s3, "service_name"), "com.amazonaws.us-east-1.s3");
  EXPECT_EQ(AttributeText(*s3, "route_table_ids"),
            "aws_route_table.private[0].id,aws_route_table.private[1].id");
  const Resource* logs = FindResource(plan, "networking", "aws_vpc_endpoint.interface[\"logs\"]");
  EXPECT_EQ(AttributeText(*logs, "vpc_endpoint_type"), "Interface");
  EXPECT_EQ(AttributeText(*logs, "service_name"), "com.amazonaws.us-east-1.logs");
  EXPECT_EQ(AttributeText(*logs, "subnet_ids"),
            "aws_subnet.private[0].id,aws_subnet.private[1].id");
  EXPECT_EQ(AttributeText(*logs, "security_group_ids"), "aws_security_group.vpc_endpoints.id");
  EXPECT_EQ(AttributeText(*logs, "private_dns_enabled"), "true");
}

TEST(PlanWaf, WebAclAndAssociationOnlyWhenEnabled) {
  config::Config config = OriginConfig();
  EXPECT_EQ(FindResource(BuildPlan(config), "alb", "aws_wafv2_web_acl.main"), nullptr);
  EXPECT_EQ(FindResource(BuildPlan(config), "alb", "aws_wafv2_web_acl_association.main"), nullptr);
  config.settings.enable_waf = true;
  const Plan plan = BuildPlan(config);
  const Resource* acl = FindResource(plan, "alb", "aws_wafv2_web_acl.main");
  ASSERT_NE(acl, nullptr);
  EXPECT_EQ(AttributeText(*acl, "name"), "production-cluster-alb");
  EXPECT_EQ(AttributeText(*acl, "scope"), "REGIONAL");
  EXPECT_EQ(AttributeText(*acl, "default_action"), "allow");
  EXPECT_EQ(AttributeText(*acl, "rule.managed_rule_groups"),
            "AWSManagedRulesCommonRuleSet (priority 1),"
            "AWSManagedRulesKnownBadInputsRuleSet (priority 2),"
            "AWSManagedRulesAmazonIpReputationList (priority 3)");
  EXPECT_EQ(AttributeText(*acl, "rule.vendor_name"), "AWS");
  EXPECT_EQ(AttributeText(*acl, "rule.override_action"), "none");
  EXPECT_EQ(AttributeText(*acl, "visibility_config.cloudwatch_metrics_enabled"), "true");
  const Resource* association = FindResource(plan, "alb", "aws_wafv2_web_acl_association.main");
  ASSERT_NE(association, nullptr);
  EXPECT_EQ(AttributeText(*association, "resource_arn"), "aws_lb.main.arn");
  EXPECT_EQ(AttributeText(*association, "web_acl_arn"), "aws_wafv2_web_acl.main.arn");
}

TEST(PlanAlarms, EveryModuleGetsItsAlarms) {
  const Plan plan = BuildPlan(OriginConfig());
  EXPECT_EQ(AddressesOfType(plan, "networking", "aws_cloudwatch_metric_alarm"),
            std::vector<std::string>{});
  EXPECT_EQ(AddressesOfType(plan, "alb", "aws_cloudwatch_metric_alarm"),
            std::vector<std::string>{"aws_cloudwatch_metric_alarm.http_5xx"});
  EXPECT_EQ(AddressesOfType(plan, "ecs-cluster", "aws_cloudwatch_metric_alarm"),
            (std::vector<std::string>{"aws_cloudwatch_metric_alarm.spot_interruptions",
                                      "aws_cloudwatch_metric_alarm.capacity_reservation"}));
  for (const char* module : {"ecs-service[\"nginx\"]", "ecs-service[\"api\"]"}) {
    EXPECT_EQ(AddressesOfType(plan, module, "aws_cloudwatch_metric_alarm"),
              (std::vector<std::string>{"aws_cloudwatch_metric_alarm.running_tasks",
                                        "aws_cloudwatch_metric_alarm.unhealthy_hosts",
                                        "aws_cloudwatch_metric_alarm.cpu",
                                        "aws_cloudwatch_metric_alarm.memory"}))
        << module;
  }
}

TEST(PlanAlarms, AlbErrorRateIsMetricMath) {
  const Plan plan = BuildPlan(OriginConfig());
  const Resource* alarm = FindResource(plan, "alb", "aws_cloudwatch_metric_alarm.http_5xx");
  ASSERT_NE(alarm, nullptr);
  EXPECT_EQ(AttributeText(*alarm, "alarm_name"), "production-cluster-alb-5xx");
  EXPECT_EQ(AttributeText(*alarm, "namespace"), "AWS/ApplicationELB");
  EXPECT_EQ(AttributeText(*alarm, "expression"),
            "100 * (FILL(elb5xx, 0) + FILL(target5xx, 0)) / (FILL(requests, 0) + FILL(elb5xx, 0))");
  EXPECT_EQ(AttributeText(*alarm, "metrics"),
            "elb5xx=HTTPCode_ELB_5XX_Count,target5xx=HTTPCode_Target_5XX_Count,"
            "requests=RequestCount");
  EXPECT_EQ(AttributeText(*alarm, "metric_name"), "<missing metric_name>");
  EXPECT_EQ(AttributeText(*alarm, "statistic"), "Sum");
  EXPECT_EQ(AttributeText(*alarm, "period"), "60");
  EXPECT_EQ(AttributeText(*alarm, "evaluation_periods"), "5");
  EXPECT_EQ(AttributeText(*alarm, "threshold"), "1");
  EXPECT_EQ(AttributeText(*alarm, "comparison_operator"), "GreaterThanThreshold");
  EXPECT_EQ(AttributeText(*alarm, "treat_missing_data"), "notBreaching");
  EXPECT_EQ(AttributeText(*alarm, "alarm_actions"), "");
}

TEST(PlanAlarms, ClusterAlarms) {
  const Plan plan = BuildPlan(OriginConfig());
  const Resource* spot =
      FindResource(plan, "ecs-cluster", "aws_cloudwatch_metric_alarm.spot_interruptions");
  ASSERT_NE(spot, nullptr);
  EXPECT_EQ(AttributeText(*spot, "alarm_name"), "production-cluster-spot-interruptions");
  EXPECT_EQ(AttributeText(*spot, "namespace"), "AWS/Events");
  EXPECT_EQ(AttributeText(*spot, "metric_name"), "TriggeredRules");
  EXPECT_EQ(AttributeText(*spot, "dimensions"),
            "RuleName=aws_cloudwatch_event_rule.spot_interruption.name");
  EXPECT_EQ(AttributeText(*spot, "period"), "300");
  EXPECT_EQ(AttributeText(*spot, "evaluation_periods"), "1");
  EXPECT_EQ(AttributeText(*spot, "threshold"), "2");
  EXPECT_EQ(AttributeText(*spot, "comparison_operator"), "GreaterThanOrEqualToThreshold");
  const Resource* reservation =
      FindResource(plan, "ecs-cluster", "aws_cloudwatch_metric_alarm.capacity_reservation");
  ASSERT_NE(reservation, nullptr);
  EXPECT_EQ(AttributeText(*reservation, "namespace"), "AWS/ECS/ManagedScaling");
  EXPECT_EQ(AttributeText(*reservation, "metric_name"), "CapacityProviderReservation");
  EXPECT_EQ(AttributeText(*reservation, "dimensions"),
            "ClusterName=production-cluster,CapacityProviderName=production-cluster-cp");
  EXPECT_EQ(AttributeText(*reservation, "statistic"), "Average");
  EXPECT_EQ(AttributeText(*reservation, "evaluation_periods"), "15");
  EXPECT_EQ(AttributeText(*reservation, "threshold"), "100");
}

TEST(PlanAlarms, ServiceAlarms) {
  const Plan plan = BuildPlan(OriginConfig());
  const std::string module = "ecs-service[\"api\"]";
  const Resource* running = FindResource(plan, module, "aws_cloudwatch_metric_alarm.running_tasks");
  ASSERT_NE(running, nullptr);
  EXPECT_EQ(AttributeText(*running, "alarm_name"), "production-cluster-api-running-tasks");
  EXPECT_EQ(AttributeText(*running, "namespace"), "ECS/ContainerInsights");
  EXPECT_EQ(AttributeText(*running, "expression"), "desired - running");
  EXPECT_EQ(AttributeText(*running, "metrics"),
            "desired=DesiredTaskCount,running=RunningTaskCount");
  EXPECT_EQ(AttributeText(*running, "dimensions"),
            "ClusterName=production-cluster,ServiceName=api");
  const Resource* unhealthy =
      FindResource(plan, module, "aws_cloudwatch_metric_alarm.unhealthy_hosts");
  ASSERT_NE(unhealthy, nullptr);
  EXPECT_EQ(AttributeText(*unhealthy, "metric_name"), "UnHealthyHostCount");
  EXPECT_EQ(AttributeText(*unhealthy, "statistic"), "Maximum");
  EXPECT_EQ(AttributeText(*unhealthy, "dimensions"),
            "TargetGroup=aws_lb_target_group.service.arn_suffix,"
            "LoadBalancer=module.alb.aws_lb.main.arn_suffix");
  const Resource* cpu = FindResource(plan, module, "aws_cloudwatch_metric_alarm.cpu");
  ASSERT_NE(cpu, nullptr);
  EXPECT_EQ(AttributeText(*cpu, "alarm_name"), "production-cluster-api-cpu-high");
  EXPECT_EQ(AttributeText(*cpu, "metric_name"), "CPUUtilization");
  EXPECT_EQ(AttributeText(*cpu, "threshold"), "90");
  const Resource* memory = FindResource(plan, module, "aws_cloudwatch_metric_alarm.memory");
  ASSERT_NE(memory, nullptr);
  EXPECT_EQ(AttributeText(*memory, "alarm_name"), "production-cluster-api-memory-high");
  EXPECT_EQ(AttributeText(*memory, "namespace"), "AWS/ECS");
  EXPECT_EQ(AttributeText(*memory, "metric_name"), "MemoryUtilization");
}

TEST(PlanAlarms, RunningTasksNeedsContainerInsights) {
  config::Config config = OriginConfig();
  config.settings.container_insights = false;
  const Plan plan = BuildPlan(config);
  EXPECT_EQ(FindResource(plan, "ecs-service[\"api\"]", "aws_cloudwatch_metric_alarm.running_tasks"),
            nullptr);
  EXPECT_NE(FindResource(plan, "ecs-service[\"api\"]", "aws_cloudwatch_metric_alarm.cpu"), nullptr);
}

TEST(PlanAlarms, TopicIsEveryAlarmsActionWhenSet) {
  config::Config config = OriginConfig();
  config.settings.alarm_sns_topic_arn = kTopic;
  const Plan plan = BuildPlan(config);
  int alarms = 0;
  for (const Resource& r : plan.resources) {
    if (r.type != "aws_cloudwatch_metric_alarm") continue;
    ++alarms;
    EXPECT_EQ(AttributeText(r, "alarm_actions"), kTopic) << r.module << " " << r.Address();
    EXPECT_EQ(AttributeText(r, "ok_actions"), kTopic) << r.module << " " << r.Address();
  }
  EXPECT_EQ(alarms, 11);  // 1 ALB + 2 cluster + 4 per service
}

}  // namespace
}  // namespace drydock::plan
