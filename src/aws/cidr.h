// IPv4 CIDR blocks and Terraform's cidrsubnet(), for VPC and subnet layout.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace drydock::aws {

struct Ipv4Cidr {
  uint32_t address = 0;  // host byte order
  int prefix_length = 0;

  // True when no bit outside the prefix is set (10.0.0.0/16, not 10.0.0.1/16).
  bool IsCanonical() const;
  Ipv4Cidr Canonical() const;
  std::string ToString() const;
  uint64_t AddressCount() const { return uint64_t{1} << (32 - prefix_length); }
};

// Parses "a.b.c.d/n". Errors name what is wrong ("octet 300 is above 255").
Result<Ipv4Cidr> ParseIpv4Cidr(std::string_view text);

// Terraform's cidrsubnet(prefix, newbits, netnum).
// REQUIRES: prefix_length + newbits <= 32 and netnum < 2^newbits.
Ipv4Cidr CidrSubnet(const Ipv4Cidr& prefix, int newbits, uint32_t netnum);

// True for 10/8, 172.16/12, 192.168/16 and 100.64/10 (AWS accepts the last).
bool IsPrivateRange(const Ipv4Cidr& cidr);

// The subnets drydock carves from the VPC: `az_count` public then `az_count`
// private subnets, each cidrsubnet(vpc, newbits, i) with
// newbits = min(8, 28 - vpc.prefix_length) (a /16 gives /24s; AWS's smallest
// subnet is /28). Empty when the VPC cannot hold them.
struct SubnetLayout {
  int newbits = 0;
  std::vector<Ipv4Cidr> public_subnets;
  std::vector<Ipv4Cidr> private_subnets;
};
SubnetLayout LayoutSubnets(const Ipv4Cidr& vpc, int az_count);

}  // namespace drydock::aws
