#include "config/source.h"

#include <algorithm>

namespace drydock::config {

bool HasErrors(const Diagnostics& diagnostics) {
  return std::any_of(diagnostics.begin(), diagnostics.end(),
                     [](const Diagnostic& d) { return d.severity == Severity::kError; });
}

std::string FormatDiagnostic(const Diagnostic& d, bool color) {
  const bool error = d.severity == Severity::kError;
  const char* on = !color ? "" : (error ? "\033[1;31m" : "\033[1;33m");
  const char* off = color ? "\033[0m" : "";
  // Line 0: the diagnostic is about the file as a whole (it cannot be read).
  std::string out = d.file;
  if (d.pos.line > 0) out += ":" + std::to_string(d.pos.line) + ":" + std::to_string(d.pos.column);
  out += std::string(": ") + on + (error ? "error" : "warning") + off + ": ";
  if (!d.setting.empty()) out += d.setting + ": ";
  out += d.message;
  if (!d.rule.empty()) out += " [" + d.rule + "]";
  out += "\n";
  if (!d.fix.empty()) out += "  fix: " + d.fix + "\n";
  return out;
}

}  // namespace drydock::config
