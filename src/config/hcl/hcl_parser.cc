// PLACEHOLDER: being replaced by the real parser.
#include "config/hcl/hcl_parser.h"
namespace drydock::config {
Diagnostics ParseHcl(std::string_view, const std::string& file, Document*) {
  return {Diagnostic{Severity::kError, file, {1, 1, 0}, "", "syntax", "HCL parser not built yet", ""}};
}
}  // namespace drydock::config
