#include "control/ids.h"

namespace drydock::control {
namespace {

std::string Digits(Random& random, int digits, int base) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(static_cast<size_t>(digits));
  for (int i = 0; i < digits; ++i) out += kDigits[random.Below(static_cast<uint64_t>(base))];
  return out;
}

std::string Unique(Random& random, std::set<std::string>* taken, const std::string& prefix,
                   int digits, int base = 16) {
  while (true) {
    std::string id = prefix + Digits(random, digits, base);
    if (taken->insert(id).second) return id;
  }
}

}  // namespace

std::string NewInstanceId(Random& random, std::set<std::string>* taken) {
  return Unique(random, taken, "i-0", 16);
}

std::string NewTaskId(Random& random, std::set<std::string>* taken) {
  return Unique(random, taken, "", 32);
}

std::string NewContainerInstanceId(Random& random, std::set<std::string>* taken) {
  return Unique(random, taken, "", 32);
}

std::string NewDeploymentId(Random& random, std::set<std::string>* taken) {
  // ECS's ids are "ecs-svc/" and 19 decimal digits, the first never 0.
  const std::string lead(1, static_cast<char>('1' + random.Below(9)));
  return Unique(random, taken, "ecs-svc/" + lead, 18, 10);
}

std::string ArnId(const std::string& arn) {
  const size_t slash = arn.rfind('/');
  return slash == std::string::npos ? arn : arn.substr(slash + 1);
}

}  // namespace drydock::control
