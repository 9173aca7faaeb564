#include "plan/resources.h"

namespace drydock::plan {

Attribute Attribute::String(std::string key, std::string value) {
  Attribute a;
  a.key = std::move(key);
  a.kind = Kind::kString;
  a.text = std::move(value);
  return a;
}

Attribute Attribute::Number(std::string key, double value) {
  Attribute a;
  a.key = std::move(key);
  a.kind = Kind::kNumber;
  a.number = value;
  return a;
}

Attribute Attribute::Bool(std::string key, bool value) {
  Attribute a;
  a.key = std::move(key);
  a.kind = Kind::kBool;
  a.flag = value;
  return a;
}

Attribute Attribute::StringList(std::string key, std::vector<std::string> values) {
  Attribute a;
  a.key = std::move(key);
  a.kind = Kind::kStringList;
  a.items = std::move(values);
  return a;
}

Attribute Attribute::Reference(std::string key, std::string target) {
  Attribute a = String(std::move(key), std::move(target));
  a.kind = Kind::kReference;
  return a;
}

Attribute Attribute::ReferenceList(std::string key, std::vector<std::string> targets) {
  Attribute a = StringList(std::move(key), std::move(targets));
  a.kind = Kind::kReferenceList;
  return a;
}

ModuleBuilder& ModuleBuilder::Add(std::string type, std::string name) {
  out_->push_back(Resource{module_, std::move(type), std::move(name), {}});
  return *this;
}

ModuleBuilder& ModuleBuilder::Str(std::string key, std::string value) {
  Last().attributes.push_back(Attribute::String(std::move(key), std::move(value)));
  return *this;
}

ModuleBuilder& ModuleBuilder::Num(std::string key, double value) {
  Last().attributes.push_back(Attribute::Number(std::move(key), value));
  return *this;
}

ModuleBuilder& ModuleBuilder::Bool(std::string key, bool value) {
  Last().attributes.push_back(Attribute::Bool(std::move(key), value));
  return *this;
}

ModuleBuilder& ModuleBuilder::List(std::string key, std::vector<std::string> values) {
  Last().attributes.push_back(Attribute::StringList(std::move(key), std::move(values)));
  return *this;
}

ModuleBuilder& ModuleBuilder::Ref(std::string key, std::string target) {
  Last().attributes.push_back(Attribute::Reference(std::move(key), std::move(target)));
  return *this;
}

ModuleBuilder& ModuleBuilder::Refs(std::string key, std::vector<std::string> targets) {
  Last().attributes.push_back(Attribute::ReferenceList(std::move(key), std::move(targets)));
  return *this;
}

std::string ServiceModule(const std::string& service_name) {
  return "ecs-service[\"" + service_name + "\"]";
}

std::string AvailabilityZone(const std::string& region, int index) {
  return region + static_cast<char>('a' + index);
}

std::string CapacityProviderName(const config::Settings& settings) {
  return settings.cluster_name + "-cp";
}

std::string AlbName(const config::Settings& settings) { return settings.cluster_name + "-alb"; }

void AddAlarm(const config::Settings& s, const AlarmSpec& alarm, ModuleBuilder& m) {
  std::vector<std::string> actions;
  if (!s.alarm_sns_topic_arn.empty()) actions.push_back(s.alarm_sns_topic_arn);
  m.Add("aws_cloudwatch_metric_alarm", alarm.name)
      .Str("alarm_name", alarm.alarm_name)
      .Str("namespace", alarm.metric_namespace);
  if (alarm.expression.empty()) {
    m.Str("metric_name", alarm.metric_name);
  } else {
    m.Str("expression", alarm.expression).List("metrics", alarm.metrics);
  }
  m.List("dimensions", alarm.dimensions)
      .Str("statistic", alarm.statistic)
      .Num("period", alarm.period)
      .Num("evaluation_periods", alarm.evaluation_periods)
      .Num("datapoints_to_alarm", alarm.evaluation_periods)
      .Num("threshold", alarm.threshold)
      .Str("comparison_operator", alarm.comparison)
      .Str("treat_missing_data", "notBreaching")
      .List("alarm_actions", actions)
      .List("ok_actions", actions);
}

int AlarmMetricCount(const config::Settings& s) {
  std::vector<Resource> resources;
  AddNetworking(s, &resources);
  AddAlb(s, &resources);
  AddCluster(s, &resources);
  for (const config::ServiceSettings& service : s.services) AddService(s, service, &resources);
  int metrics = 0;
  for (const Resource& r : resources) {
    if (r.type != "aws_cloudwatch_metric_alarm") continue;
    int used = 1;
    for (const Attribute& a : r.attributes) {
      if (a.key == "metrics") used = static_cast<int>(a.items.size());
    }
    metrics += used;
  }
  return metrics;
}

const std::vector<std::string>& InterfaceEndpointServices() {
  static const std::vector<std::string> kServices = {"ecr.api", "ecr.dkr", "secretsmanager",
                                                     "logs"};
  return kServices;
}

std::vector<std::string> IndexedRefs(const std::string& prefix, int count,
                                     const std::string& suffix) {
  std::vector<std::string> refs;
  for (int i = 0; i < count; ++i) {
    refs.push_back(prefix + "[" + std::to_string(i) + "]" + suffix);
  }
  return refs;
}

}  // namespace drydock::plan
