// module "networking": VPC, public and private subnets per AZ, internet
// gateway, NAT gateway(s) with their Elastic IPs, route tables, and with
// enable_vpc_endpoints the VPC endpoints that keep image pulls, secrets and
// logs off the NAT gateway.
#include "aws/cidr.h"
#include "plan/resources.h"

namespace drydock::plan {
namespace {

std::string Index(const std::string& name, int i) { return name + "[" + std::to_string(i) + "]"; }

// CIDRs of the subnets; "" when the VPC CIDR does not parse or cannot hold
// them (validation rejects both, so this is only a guard).
aws::SubnetLayout Layout(const config::Settings& s) {
  Result<aws::Ipv4Cidr> vpc = aws::ParseIpv4Cidr(s.vpc_cidr);
  if (!vpc.ok()) return {};
  return aws::LayoutSubnets(vpc->Canonical(), s.availability_zone_count);
}

void AddSubnets(const config::Settings& s, ModuleBuilder& m) {
  const aws::SubnetLayout layout = Layout(s);
  const int azs = s.availability_zone_count;
  for (int tier = 0; tier < 2; ++tier) {
    const bool is_public = tier == 0;
    const auto& cidrs = is_public ? layout.public_subnets : layout.private_subnets;
    for (int i = 0; i < azs; ++i) {
      const size_t at = static_cast<size_t>(i);
      m.Add("aws_subnet", Index(is_public ? "public" : "private", i))
          .Str("cidr_block", at < cidrs.size() ? cidrs[at].ToString() : "")
          .Str("availability_zone", AvailabilityZone(s.region, i))
          .Bool("map_public_ip_on_launch", is_public);
    }
  }
}

void AddNat(const config::Settings& s, ModuleBuilder& m) {
  const int gateways = s.nat_gateway_per_az ? s.availability_zone_count : 1;
  for (int i = 0; i < gateways; ++i) m.Add("aws_eip", Index("nat", i)).Str("domain", "vpc");
  for (int i = 0; i < gateways; ++i) {
    m.Add("aws_nat_gateway", Index("main", i))
        .Ref("allocation_id", Index("aws_eip.nat", i) + ".id")
        .Ref("subnet_id", Index("aws_subnet.public", i) + ".id");
  }
}

void AddRoutes(const config::Settings& s, ModuleBuilder& m) {
  const int azs = s.availability_zone_count;
  m.Add("aws_route_table", "public")
      .Str("route.cidr_block", "0.0.0.0/0")
      .Ref("route.gateway_id", "aws_internet_gateway.main.id");
  for (int i = 0; i < azs; ++i) {
    m.Add("aws_route_table_association", Index("public", i))
        .Ref("subnet_id", Index("aws_subnet.public", i) + ".id")
        .Ref("route_table_id", "aws_route_table.public.id");
  }
  for (int i = 0; i < azs; ++i) {
    // One shared NAT gateway (the origin) or the one in the same AZ.
    m.Add("aws_route_table", Index("private", i))
        .Str("route.cidr_block", "0.0.0.0/0")
        .Ref("route.nat_gateway_id",
             Index("aws_nat_gateway.main", s.nat_gateway_per_az ? i : 0) + ".id");
  }
  for (int i = 0; i < azs; ++i) {
    m.Add("aws_route_table_association", Index("private", i))
        .Ref("subnet_id", Index("aws_subnet.private", i) + ".id")
        .Ref("route_table_id", Index("aws_route_table.private", i) + ".id");
  }
}

// An S3 gateway endpoint on the private route tables (ECR image layers live
// in S3) and one interface endpoint per service in the private subnets,
// reachable on 443 from the whole VPC.
void AddVpcEndpoints(const config::Settings& s, ModuleBuilder& m) {
  const int azs = s.availability_zone_count;
  const std::string prefix = "com.amazonaws." + s.region + ".";
  m.Add("aws_security_group", "vpc_endpoints")
      .Str("name", s.cluster_name + "-vpc-endpoints")
      .Ref("vpc_id", "aws_vpc.main.id")
      .List("ingress", {"tcp 443 from " + s.vpc_cidr});
  m.Add("aws_vpc_endpoint", "s3")
      .Ref("vpc_id", "aws_vpc.main.id")
      .Str("service_name", prefix + "s3")
      .Str("vpc_endpoint_type", "Gateway")
      .Refs("route_table_ids", IndexedRefs("aws_route_table.private", azs, ".id"));
  for (const std::string& service : InterfaceEndpointServices()) {
    m.Add("aws_vpc_endpoint", "interface[\"" + service + "\"]")
        .Ref("vpc_id", "aws_vpc.main.id")
        .Str("service_name", prefix + service)
        .Str("vpc_endpoint_type", "Interface")
        .Refs("subnet_ids", IndexedRefs("aws_subnet.private", azs, ".id"))
        .Refs("security_group_ids", {"aws_security_group.vpc_endpoints.id"})
        .Bool("private_dns_enabled", true);
  }
}

}  // namespace

void AddNetworking(const config::Settings& s, std::vector<Resource>* out) {
  ModuleBuilder m(out, "networking");
  m.Add("aws_vpc", "main")
      .Str("cidr_block", s.vpc_cidr)
      .Bool("enable_dns_support", true)
      .Bool("enable_dns_hostnames", true);
  m.Add("aws_internet_gateway", "main").Ref("vpc_id", "aws_vpc.main.id");
  AddSubnets(s, m);
  AddNat(s, m);
  AddRoutes(s, m);
  if (s.enable_vpc_endpoints) AddVpcEndpoints(s, m);
}

}  // namespace drydock::plan
