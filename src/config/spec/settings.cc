#include "config/spec/settings.h"

namespace drydock::config {

std::map<std::string, std::string> DefaultSecrets(const std::string& service_name) {
  return {{kDefaultSecretsVariable, service_name}};
}

SourcePos SourceMap::PositionOf(const std::string& path) const {
  std::string current = path;
  while (true) {
    auto it = positions_.find(current);
    if (it != positions_.end()) return it->second;
    size_t dot = current.rfind('.');
    if (dot == std::string::npos) break;
    current.resize(dot);
  }
  return SourcePos{1, 1, 0};
}

}  // namespace drydock::config
