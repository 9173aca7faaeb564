#include "control/ids.h"

namespace drydock::control {
namespace {

std::string Hex(Random& random, int digits) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(static_cast<size_t>(digits));
  for (int i = 0; i < digits; ++i) out += kDigits[random.Below(16)];
  return out;
}

std::string Unique(Random& random, std::set<std::string>* taken, const std::string& prefix,
                   int digits) {
  while (true) {
    std::string id = prefix + Hex(random, digits);
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

std::string ArnId(const std::string& arn) {
  const size_t slash = arn.rfind('/');
  return slash == std::string::npos ? arn : arn.substr(slash + 1);
}

}  // namespace drydock::control
