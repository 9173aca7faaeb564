// module "alb": the shared Application Load Balancer in the public subnets,
// its security group and the HTTP listener whose default answer is 404 (with
// https_listen_address also the HTTPS listener, and the HTTP one's redirect
// when redirect_http_to_https); the
// per-service listener rules live in module "ecs-service".
#include "plan/resources.h"

namespace drydock::plan {

namespace {

void AddNotFound(ModuleBuilder& m) {
  m.Str("default_action.type", "fixed-response")
      .Str("default_action.fixed_response.status_code", "404")
      .Str("default_action.fixed_response.content_type", "text/plain")
      .Str("default_action.fixed_response.message_body", "Not Found");
}

}  // namespace

void AddAlb(const config::Settings& s, std::vector<Resource>* out) {
  ModuleBuilder m(out, "alb");
  const bool https = !s.https_listen_address.empty();
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
  if (!https) return;
  m.Add("aws_lb_listener", "https")
      .Ref("load_balancer_arn", "aws_lb.main.arn")
      .Num("port", 443)
      .Str("protocol", "HTTPS")
      .Str("ssl_policy", s.ssl_policy)
      .Ref("certificate_arn", "var.certificate_arn");
  AddNotFound(m);
  // The extra certificates, chosen by SNI (aws_lb_listener_certificate).
  for (size_t i = 0; i < s.additional_certificates.size(); ++i) {
    m.Add("aws_lb_listener_certificate", "additional_" + std::to_string(i))
        .Ref("listener_arn", "aws_lb_listener.https.arn")
        .Ref("certificate_arn", "var.additional_certificate_arns[" + std::to_string(i) + "]");
  }
}

}  // namespace drydock::plan
