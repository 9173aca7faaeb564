#include "aws/cidr.h"

#include <algorithm>
#include <charconv>

namespace drydock::aws {
namespace {

uint32_t PrefixMask(int prefix_length) {
  return prefix_length == 0 ? 0 : ~uint32_t{0} << (32 - prefix_length);
}

bool ParseDecimal(std::string_view text, int max, int* out) {
  if (text.empty() || text.size() > 3) return false;
  if (text.size() > 1 && text[0] == '0') return false;  // no leading zeros (ambiguous octal)
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  int value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value > max) return false;
  *out = value;
  return true;
}

}  // namespace

bool Ipv4Cidr::IsCanonical() const { return (address & ~PrefixMask(prefix_length)) == 0; }

Ipv4Cidr Ipv4Cidr::Canonical() const {
  return Ipv4Cidr{address & PrefixMask(prefix_length), prefix_length};
}

std::string Ipv4Cidr::ToString() const {
  return std::to_string(address >> 24) + "." + std::to_string((address >> 16) & 0xff) + "." +
         std::to_string((address >> 8) & 0xff) + "." + std::to_string(address & 0xff) + "/" +
         std::to_string(prefix_length);
}

Result<Ipv4Cidr> ParseIpv4Cidr(std::string_view text) {
  const size_t slash = text.find('/');
  if (slash == std::string_view::npos) {
    return InvalidArgument("\"" + std::string(text) + "\" has no prefix length (expected a.b.c.d/n)");
  }
  std::string_view address = text.substr(0, slash);
  Ipv4Cidr cidr;
  for (int octet_index = 0; octet_index < 4; ++octet_index) {
    const size_t dot = address.find('.');
    const bool last = octet_index == 3;
    if (last != (dot == std::string_view::npos)) {
      return InvalidArgument("\"" + std::string(text) + "\" does not have four dot-separated octets");
    }
    std::string_view part = last ? address : address.substr(0, dot);
    int octet = 0;
    if (!ParseDecimal(part, 255, &octet)) {
      return InvalidArgument("\"" + std::string(text) + "\" has an invalid octet \"" +
                             std::string(part) + "\" (each octet is 0..255, no leading zeros)");
    }
    cidr.address = (cidr.address << 8) | static_cast<uint32_t>(octet);
    if (!last) address.remove_prefix(dot + 1);
  }
  if (!ParseDecimal(text.substr(slash + 1), 32, &cidr.prefix_length)) {
    return InvalidArgument("\"" + std::string(text) + "\" has an invalid prefix length \"" +
                           std::string(text.substr(slash + 1)) + "\" (0..32)");
  }
  return cidr;
}

Ipv4Cidr CidrSubnet(const Ipv4Cidr& prefix, int newbits, uint32_t netnum) {
  const int length = prefix.prefix_length + newbits;
  const uint32_t base = prefix.Canonical().address;
  const uint32_t offset = length == 0 ? 0 : netnum << (32 - length);
  return Ipv4Cidr{base | offset, length};
}

bool IsPrivateRange(const Ipv4Cidr& cidr) {
  const auto within = [&](uint32_t network, int length) {
    return cidr.prefix_length >= length &&
           (cidr.address & PrefixMask(length)) == network;
  };
  return within(0x0A000000, 8) || within(0xAC100000, 12) || within(0xC0A80000, 16) ||
         within(0x64400000, 10);
}

SubnetLayout LayoutSubnets(const Ipv4Cidr& vpc, int az_count) {
  SubnetLayout layout;
  layout.newbits = std::min(8, 28 - vpc.prefix_length);
  if (layout.newbits < 0 || az_count <= 0) return {};
  const uint64_t available = uint64_t{1} << layout.newbits;
  if (available < static_cast<uint64_t>(2 * az_count)) return {};
  for (int i = 0; i < az_count; ++i) {
    layout.public_subnets.push_back(CidrSubnet(vpc, layout.newbits, static_cast<uint32_t>(i)));
  }
  for (int i = 0; i < az_count; ++i) {
    layout.private_subnets.push_back(
        CidrSubnet(vpc, layout.newbits, static_cast<uint32_t>(az_count + i)));
  }
  return layout;
}

}  // namespace drydock::aws
