// module "alb": the shared Application Load Balancer in the public subnets,
// its security group, the HTTP listener whose default answer is 404 (with
// certificate_arn also the HTTPS listener and its extra certificates, and the
// HTTP one's redirect when redirect_http_to_https), the WAF web ACL
// (enable_waf) and the 5xx-rate alarm; the per-service listener rules live in
// module "ecs-service".
#include "plan/resources.h"

namespace drydock::plan {

namespace {

void AddNotFound(ModuleBuilder& m) {
  m.Str("default_action.type", "fixed-response")
      .Str("default_action.fixed_response.status_code", "404")
      .Str("default_action.fixed_response.content_type", "text/plain")
      .Str("default_action.fixed_response.message_body", "Not Found");
}

void AddHttpsListener(const config::Settings& s, ModuleBuilder& m) {
  m.Add("aws_lb_listener", "https")
      .Ref("load_balancer_arn", "aws_lb.main.arn")
      .Num("port", 443)
      .Str("protocol", "HTTPS")
      .Str("ssl_policy", s.ssl_policy)
      .Str("certificate_arn", s.certificate_arn);
  AddNotFound(m);
  // The extra certificates, chosen by SNI.
  for (size_t i = 0; i < s.additional_certificate_arns.size(); ++i) {
    m.Add("aws_lb_listener_certificate", "additional[" + std::to_string(i) + "]")
        .Ref("listener_arn", "aws_lb_listener.https.arn")
        .Str("certificate_arn", s.additional_certificate_arns[i]);
  }
}

void AddWaf(const config::Settings& s, ModuleBuilder& m) {
  std::vector<std::string> rules;
  for (size_t i = 0; i < WafRuleGroups().size(); ++i) {
    rules.push_back(WafRuleGroups()[i] + " (priority " + std::to_string(i + 1) + ")");
  }
  m.Add("aws_wafv2_web_acl", "main")
      .Str("name", AlbName(s))
      .Str("scope", "REGIONAL")
      .Str("default_action", "allow")
      .List("rule.managed_rule_groups", rules)
      .Str("rule.vendor_name", "AWS")
      .Str("rule.override_action", "none")
      .Bool("visibility_config.cloudwatch_metrics_enabled", true)
      .Bool("visibility_config.sampled_requests_enabled", true)
      .Str("visibility_config.metric_name", AlbName(s));
  m.Add("aws_wafv2_web_acl_association", "main")
      .Ref("resource_arn", "aws_lb.main.arn")
      .Ref("web_acl_arn", "aws_wafv2_web_acl.main.arn");
}

// The share of requests answered 5xx, by the ALB itself or by the targets.
// RequestCount leaves out what the ALB answered before choosing a target (a
// 503 without healthy targets), so those count in the denominator too.
void AddErrorRateAlarm(const config::Settings& s, ModuleBuilder& m) {
  AddAlarm(s,
           AlarmSpec{.name = "http_5xx",
                     .alarm_name = s.cluster_name + "-alb-5xx",
                     .metric_namespace = "AWS/ApplicationELB",
                     .expression = "100 * (FILL(elb5xx, 0) + FILL(target5xx, 0)) / "
                                   "(FILL(requests, 0) + FILL(elb5xx, 0))",
                     .metrics = {"elb5xx=HTTPCode_ELB_5XX_Count",
                                 "target5xx=HTTPCode_Target_5XX_Count", "requests=RequestCount"},
                     .dimensions = {"LoadBalancer=aws_lb.main.arn_suffix"},
                     .statistic = "Sum",
                     .period = 60,
                     .evaluation_periods = 5,
                     .threshold = 1,
                     .comparison = "GreaterThanThreshold"},
           m);
}

}  // namespace

const std::vector<std::string>& WafRuleGroups() {
  static const std::vector<std::string> kGroups = {"AWSManagedRulesCommonRuleSet",
                                                   "AWSManagedRulesKnownBadInputsRuleSet",
                                                   "AWSManagedRulesAmazonIpReputationList"};
  return kGroups;
}

void AddAlb(const config::Settings& s, std::vector<Resource>* out) {
  ModuleBuilder m(out, "alb");
  const bool https = !s.certificate_arn.empty();
  std::vector<std::string> ingress = {"tcp 80 from 0.0.0.0/0"};
  if (https) ingress.push_back("tcp 443 from 0.0.0.0/0");
  m.Add("aws_security_group", "alb")
      .Str("name", s.cluster_name + "-alb")
      .Ref("vpc_id", "module.networking.aws_vpc.main.id")
      .List("ingress", ingress)
      .List("egress", {"all to " + s.vpc_cidr});
  m.Add("aws_lb", "main")
      .Str("name", AlbName(s))
      .Str("load_balancer_type", "application")
      .Bool("internal", false)
      .Refs("subnets",
            IndexedRefs("module.networking.aws_subnet.public", s.availability_zone_count, ".id"))
      .Refs("security_groups", {"aws_security_group.alb.id"})
      .Num("idle_timeout", s.alb_idle_timeout);
  m.Add("aws_lb_listener", "http")
      .Ref("load_balancer_arn", "aws_lb.main.arn")
      .Num("port", 80)
      .Str("protocol", "HTTP");
  if (https && s.redirect_http_to_https) {
    // ALB's redirect action; host, path and query keep their defaults.
    m.Str("default_action.type", "redirect")
        .Str("default_action.redirect.port", "443")
        .Str("default_action.redirect.protocol", "HTTPS")
        .Str("default_action.redirect.status_code", "HTTP_301");
  } else {
    AddNotFound(m);
  }
  if (https) AddHttpsListener(s, m);
  if (s.enable_waf) AddWaf(s, m);
  AddErrorRateAlarm(s, m);
}

}  // namespace drydock::plan
