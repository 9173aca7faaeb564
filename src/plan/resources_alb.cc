// module "alb": the shared Application Load Balancer in the public subnets,
// its security group and the HTTP listener whose default answer is 404; the
// per-service listener rules live in module "ecs-service".
#include "plan/resources.h"

namespace drydock::plan {

void AddAlb(const config::Settings& s, std::vector<Resource>* out) {
  ModuleBuilder m(out, "alb");
  m.Add("aws_security_group", "alb")
      .Str("name", s.cluster_name + "-alb")
      .Ref("vpc_id", "module.networking.aws_vpc.main.id")
      .List("ingress", {"tcp 80 from 0.0.0.0/0"})
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
      .Str("protocol", "HTTP")
      .Str("default_action.type", "fixed-response")
      .Str("default_action.fixed_response.status_code", "404")
      .Str("default_action.fixed_response.content_type", "text/plain")
      .Str("default_action.fixed_response.message_body", "Not Found");
}

}  // namespace drydock::plan
