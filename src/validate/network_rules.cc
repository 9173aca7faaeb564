// Region, VPC and subnet layout, availability zones, network mode, ALB idle
// timeout.
#include <string>
#include <vector>

#include "aws/alb_rules.h"
#include "aws/cidr.h"
#include "base/strings.h"
#include "validate/rules.h"

namespace drydock::validate {
namespace {

constexpr int kMinVpcPrefix = 16;  // CreateVpc accepts /16 to /28
constexpr int kMaxVpcPrefix = 28;
constexpr int kMaxAvailabilityZones = 6;

const std::vector<std::string>& KnownRegions() {
  static const std::vector<std::string> kRegions = {
      "us-east-1",      "us-east-2",      "us-west-1",      "us-west-2",      "ca-central-1",
      "ca-west-1",      "eu-west-1",      "eu-west-2",      "eu-west-3",      "eu-central-1",
      "eu-central-2",   "eu-north-1",     "eu-south-1",     "eu-south-2",     "ap-south-1",
      "ap-south-2",     "ap-east-1",      "ap-northeast-1", "ap-northeast-2", "ap-northeast-3",
      "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4", "sa-east-1",
      "me-south-1",     "me-central-1",   "af-south-1",     "il-central-1",   "mx-central-1",
      "us-gov-west-1",  "us-gov-east-1",  "cn-north-1",     "cn-northwest-1"};
  return kRegions;
}

bool IsLower(char c) { return c >= 'a' && c <= 'z'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// "xx-word(-word)*-N": two letters, one or more lowercase words, a number.
bool LooksLikeRegion(const std::string& region) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (true) {
    const size_t dash = region.find('-', start);
    parts.push_back(region.substr(start, dash - start));
    if (dash == std::string::npos) break;
    start = dash + 1;
  }
  if (parts.size() < 3 || parts[0].size() != 2) return false;
  for (size_t i = 0; i + 1 < parts.size(); ++i) {
    if (parts[i].empty()) return false;
    for (char c : parts[i]) {
      if (!IsLower(c)) return false;
    }
  }
  const std::string& number = parts.back();
  if (number.empty()) return false;
  for (char c : number) {
    if (!IsDigit(c)) return false;
  }
  return true;
}

void CheckRegion(Report& report) {
  const std::string& region = report.settings().region;
  if (LooksLikeRegion(region)) return;
  const std::string guess = ClosestMatch(region, KnownRegions());
  report.Error("region", "region-format",
               Quote(region) +
                   " does not look like an AWS region (like us-east-1: area, "
                   "direction, number)",
               guess.empty() ? "use a region code such as \"us-east-1\""
                             : "did you mean " + Quote(guess) + "?");
}

// A VPC prefix that holds 2 x az_count subnets of at least /28.
int PrefixHolding(int az_count) {
  int newbits = 0;
  while ((1 << newbits) < 2 * az_count) ++newbits;
  return kMaxVpcPrefix - newbits;
}

void CheckVpcSize(Report& report, const aws::Ipv4Cidr& vpc) {
  const int az_count = report.settings().availability_zone_count;
  if (az_count < 1 || az_count > kMaxAvailabilityZones) return;  // reported on its own
  if (!aws::LayoutSubnets(vpc, az_count).private_subnets.empty()) return;
  const int holds = 1 << (kMaxVpcPrefix - vpc.prefix_length);
  const int prefix = PrefixHolding(az_count);
  const aws::Ipv4Cidr suggestion = aws::Ipv4Cidr{vpc.address, prefix}.Canonical();
  report.Error(
      "vpc_cidr", "vpc-cidr-too-small",
      vpc.ToString() + " holds " + Str(holds) + " subnet" + (holds == 1 ? "" : "s") +
          " of /28 (the smallest AWS subnet); availability_zone_count = " + Str(az_count) +
          " needs " + Str(2 * az_count) + " (one public and one private subnet per zone)",
      "use a /" + Str(prefix) + " or larger, e.g. vpc_cidr = " + Quote(suggestion.ToString()));
}

void CheckVpcCidr(Report& report) {
  const std::string& text = report.settings().vpc_cidr;
  Result<aws::Ipv4Cidr> parsed = aws::ParseIpv4Cidr(text);
  if (!parsed.ok()) {
    report.Error("vpc_cidr", "vpc-cidr-syntax",
                 "is not an IPv4 CIDR block: " + parsed.status().message(),
                 "write it as a.b.c.d/n, e.g. vpc_cidr = \"10.0.0.0/16\"");
    return;
  }
  const aws::Ipv4Cidr vpc = *parsed;
  if (!vpc.IsCanonical()) {
    report.Error("vpc_cidr", "vpc-cidr-not-canonical",
                 Quote(text) + " has host bits set beyond the /" + Str(vpc.prefix_length) +
                     " prefix; the network address is " + vpc.Canonical().ToString(),
                 "write vpc_cidr = " + Quote(vpc.Canonical().ToString()));
  }
  if (vpc.prefix_length < kMinVpcPrefix || vpc.prefix_length > kMaxVpcPrefix) {
    report.Error(
        "vpc_cidr", "vpc-cidr-prefix-range",
        "the prefix /" + Str(vpc.prefix_length) + " is outside /16../28, the VPC sizes AWS accepts",
        "use a prefix from /16 (65,536 addresses) to /28 (16), e.g. " +
            Quote(aws::Ipv4Cidr{vpc.address, kMinVpcPrefix}.Canonical().ToString()));
    return;
  }
  CheckVpcSize(report, vpc.Canonical());
  if (!aws::IsPrivateRange(vpc)) {
    report.Warning("vpc_cidr", "vpc-cidr-public-range",
                   vpc.ToString() +
                       " is not in a private range (10.0.0.0/8, 172.16.0.0/12, "
                       "192.168.0.0/16, 100.64.0.0/10); addresses in it on the "
                       "internet become unreachable from the VPC",
                   "use a private range, e.g. vpc_cidr = \"10.0.0.0/16\"");
  }
}

void CheckAvailabilityZones(Report& report) {
  const int count = report.settings().availability_zone_count;
  if (!RequireRange(report, "availability_zone_count", "availability-zone-count-range", count, 1,
                    kMaxAvailabilityZones, "availability zones drydock lays subnets out for")) {
    return;
  }
  if (count == 1) {
    report.Warning("availability_zone_count", "single-availability-zone",
                   "every instance and the load balancer's subnets are in one availability "
                   "zone: an AZ outage stops all services (and AWS requires an ALB to span at "
                   "least 2 zones)",
                   "set availability_zone_count = 2 or more");
  }
}

void CheckNetworkMode(Report& report) {
  const std::string& mode = report.settings().network_mode;
  if (mode == "awsvpc" || mode == "bridge" || mode == "host") return;
  const std::string guess = ClosestMatch(mode, {"awsvpc", "bridge", "host"});
  report.Error("network_mode", "network-mode-value",
               Quote(mode) + " is not a network mode drydock supports (awsvpc, bridge, host)",
               guess.empty() ? "set network_mode = \"awsvpc\", \"bridge\" or \"host\""
                             : "did you mean " + Quote(guess) + "?");
}

}  // namespace

std::string ListenAddressProblem(const std::string& address) {
  const size_t colon = address.rfind(':');
  if (colon == std::string::npos) return "has no \":PORT\"";
  const std::string host = address.substr(0, colon);
  const std::string port = address.substr(colon + 1);
  if (host.empty()) return "has no host before the port";
  const bool bracketed = host.front() == '[';
  if (bracketed != (host.back() == ']') || (!bracketed && host.find(':') != std::string::npos)) {
    return "has a malformed host (write IPv6 addresses in brackets, like [::1]:8080)";
  }
  if (port.empty() || port.size() > 5) return "has no port number 1..65535 after the colon";
  for (char c : port) {
    if (!IsDigit(c)) return "has a port \"" + port + "\" that is not a number";
  }
  const int number = std::stoi(port);
  if (number < 1 || number > 65535) return "has port " + port + ", outside 1..65535";
  return "";
}

void CheckListenAddress(Report& report) {
  const std::string& address = report.settings().listen_address;
  const std::string problem = ListenAddressProblem(address);
  if (problem.empty()) return;
  report.Error("listen_address", "listen-address",
               Quote(address) + " " + problem +
                   "; the load balancer's local listener needs "
                   "HOST:PORT",
               "write it like listen_address = \"127.0.0.1:8080\"");
}

void CheckNetwork(Report& report) {
  CheckRegion(report);
  CheckVpcCidr(report);
  CheckAvailabilityZones(report);
  CheckNetworkMode(report);
  RequireRange(report, "alb_idle_timeout", "alb-idle-timeout-range",
               report.settings().alb_idle_timeout, aws::kMinIdleTimeout, aws::kMaxIdleTimeout,
               "the ALB connection idle timeout in seconds");
}

}  // namespace drydock::validate
