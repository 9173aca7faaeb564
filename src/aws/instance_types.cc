#include "aws/instance_types.h"

#include <array>

namespace drydock::aws {
namespace {

// name, vCPU, memory MiB, registered MiB, ENIs, On-Demand $/h, Spot $/h.
// Registered memory: the agent reports total memory from /proc/meminfo, which
// is below the nominal size (see docs/instance-types.md for the derivation).
// Nitro types (t3, t3a, m5, m6i, c5, c6i, r5, r6i) of the same nominal memory
// register the same amount: 4 GiB -> 3904, 8 -> 7853, 16 -> 15822, 32 -> 31659.
// Prices: us-east-1 Linux, see docs/pricing.md for sources and date.
constexpr std::array kInstanceTypes = {
    InstanceType{"t2.micro", 1, 1024, 982, 2, 0.0116, 0.0035},
    InstanceType{"t2.small", 1, 2048, 1993, 3, 0.0230, 0.0069},
    InstanceType{"t2.medium", 2, 4096, 3943, 3, 0.0464, 0.0139},
    InstanceType{"t2.large", 2, 8192, 7982, 3, 0.0928, 0.0278},
    InstanceType{"t2.xlarge", 4, 16384, 15997, 3, 0.1856, 0.0557},
    InstanceType{"t3.micro", 2, 1024, 939, 2, 0.0104, 0.0031},
    InstanceType{"t3.small", 2, 2048, 1901, 3, 0.0208, 0.0062},
    InstanceType{"t3.medium", 2, 4096, 3904, 3, 0.0416, 0.0125},
    InstanceType{"t3.large", 2, 8192, 7853, 3, 0.0832, 0.0250},
    InstanceType{"t3.xlarge", 4, 16384, 15822, 4, 0.1664, 0.0499},
    InstanceType{"t3.2xlarge", 8, 32768, 31659, 4, 0.3328, 0.0998},
    InstanceType{"t3a.micro", 2, 1024, 939, 2, 0.0094, 0.0028},
    InstanceType{"t3a.small", 2, 2048, 1901, 2, 0.0188, 0.0056},
    InstanceType{"t3a.medium", 2, 4096, 3904, 3, 0.0376, 0.0113},
    InstanceType{"t3a.large", 2, 8192, 7853, 3, 0.0752, 0.0226},
    InstanceType{"t3a.xlarge", 4, 16384, 15822, 4, 0.1504, 0.0451},
    InstanceType{"t3a.2xlarge", 8, 32768, 31659, 4, 0.3008, 0.0902},
    InstanceType{"m5.large", 2, 8192, 7853, 3, 0.0960, 0.0350},
    InstanceType{"m5.xlarge", 4, 16384, 15822, 4, 0.1920, 0.0700},
    InstanceType{"m5.2xlarge", 8, 32768, 31659, 4, 0.3840, 0.1400},
    InstanceType{"m5.4xlarge", 16, 65536, 63340, 8, 0.7680, 0.2800},
    InstanceType{"m6i.large", 2, 8192, 7853, 3, 0.0960, 0.0340},
    InstanceType{"m6i.xlarge", 4, 16384, 15822, 4, 0.1920, 0.0680},
    InstanceType{"m6i.2xlarge", 8, 32768, 31659, 4, 0.3840, 0.1360},
    InstanceType{"c5.large", 2, 4096, 3904, 3, 0.0850, 0.0310},
    InstanceType{"c5.xlarge", 4, 8192, 7853, 4, 0.1700, 0.0620},
    InstanceType{"c5.2xlarge", 8, 16384, 15822, 4, 0.3400, 0.1240},
    InstanceType{"c6i.large", 2, 4096, 3904, 3, 0.0850, 0.0300},
    InstanceType{"c6i.xlarge", 4, 8192, 7853, 4, 0.1700, 0.0600},
    InstanceType{"r5.large", 2, 16384, 15822, 3, 0.1260, 0.0420},
    InstanceType{"r5.xlarge", 4, 32768, 31659, 4, 0.2520, 0.0840},
    InstanceType{"r6i.large", 2, 16384, 15822, 3, 0.1260, 0.0410},
};

}  // namespace

const InstanceType* FindInstanceType(std::string_view name) {
  for (const InstanceType& type : kInstanceTypes) {
    if (type.name == name) return &type;
  }
  return nullptr;
}

std::vector<std::string> InstanceTypeNames() {
  std::vector<std::string> names;
  for (const InstanceType& type : kInstanceTypes) names.emplace_back(type.name);
  return names;
}

}  // namespace drydock::aws
