// Builders for the planned Terraform resources, one function per module of
// deploy/aws. Internal to the plan layer. The resource list is the contract
// the Terraform modules are written against: change both together.
#pragma once

#include <string>
#include <vector>

#include "config/spec/settings.h"
#include "plan/plan.h"

namespace drydock::plan {

// Appends resources of one module and their attributes, fluently:
//   ModuleBuilder m(&out, "alb");
//   m.Add("aws_lb", "main").Str("name", "x-alb").Num("idle_timeout", 60);
class ModuleBuilder {
public:
  ModuleBuilder(std::vector<Resource> *out, std::string module)
      : out_(out), module_(std::move(module)) {}

  ModuleBuilder &Add(std::string type, std::string name);
  ModuleBuilder &Str(std::string key, std::string value);
  ModuleBuilder &Num(std::string key, double value);
  ModuleBuilder &Bool(std::string key, bool value);
  ModuleBuilder &List(std::string key, std::vector<std::string> values);
  ModuleBuilder &Ref(std::string key, std::string target);
  ModuleBuilder &Refs(std::string key, std::vector<std::string> targets);

private:
  Resource &Last() { return out_->back(); } // REQUIRES: Add() was called

  std::vector<Resource> *out_;
  std::string module_;
};

// Module names as they appear in Resource::module.
std::string
ServiceModule(const std::string &service_name); // ecs-service["api"]

// "<region>a", "<region>b", ...: the AZ of subnet index i.
std::string AvailabilityZone(const std::string &region, int index);

// Names shared between modules.
std::string
CapacityProviderName(const config::Settings &settings); // "<cluster>-cp"
std::string AlbName(const config::Settings &settings);  // "<cluster>-alb"

// "[i]" references for count-indexed resources: {"aws_subnet.private[0].id",
// ...}.
std::vector<std::string> IndexedRefs(const std::string &prefix, int count,
                                     const std::string &suffix);

// One aws_cloudwatch_metric_alarm: a single metric, or metric math over
// `metrics` ("id=MetricName", all in `metric_namespace` with `dimensions`).
// Every alarm treats missing data as not breaching and notifies
// alarm_sns_topic_arn (alarm and OK) when it is set.
struct AlarmSpec {
  std::string name{};       // the resource name, e.g. "http_5xx"
  std::string alarm_name{}; // e.g. "<cluster>-alb-5xx"
  std::string metric_namespace{};
  std::string metric_name{}; // single metric; "" with `expression`
  std::string expression{};  // metric math; "" for a single metric
  std::vector<std::string>
      metrics{}; // the expression's inputs, "id=MetricName"
  std::vector<std::string> dimensions{}; // "Name=value"
  std::string statistic{};               // Sum, Average, Maximum
  int period = 60;                       // seconds
  int evaluation_periods = 5;            // all of them must breach
  double threshold = 0;
  std::string comparison{}; // e.g. GreaterThanThreshold
};
void AddAlarm(const config::Settings &settings, const AlarmSpec &alarm,
              ModuleBuilder &m);

// CloudWatch bills an alarm per metric it reads: 1, or the number of
// metrics of its metric math. The sum over every alarm the plan creates.
int AlarmMetricCount(const config::Settings &settings);

// The AWS managed rule groups of enable_waf's web ACL, in priority order;
// WAF prices each as one rule.
const std::vector<std::string> &WafRuleGroups();

// The interface endpoints of enable_vpc_endpoints, in plan order.
const std::vector<std::string> &InterfaceEndpointServices();

void AddNetworking(const config::Settings &settings,
                   std::vector<Resource> *out);
void AddAlb(const config::Settings &settings, std::vector<Resource> *out);
void AddCluster(const config::Settings &settings, std::vector<Resource> *out);
void AddService(const config::Settings &settings,
                const config::ServiceSettings &service,
                std::vector<Resource> *out);

} // namespace drydock::plan
