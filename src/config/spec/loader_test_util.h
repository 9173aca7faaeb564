// Test-only helpers for decoder tests that go through the real parsers
// (LoadConfigText): a minimal service and diagnostics as one string.
#pragma once

#include <string>

#include "config/loader.h"

namespace drydock::config::testing {

// `services` with one service `api` holding the six required settings.
inline constexpr const char* kOneServiceHcl =
    "services = {\n"
    "  api = { desired_count = 1, path_pattern = [\"/api*\"], priority = 110, container_port = 80, "
    "cpu = 256, memory = 512 }\n"
    "}\n";

// Every diagnostic as the CLI prints it (no colour), for failure messages.
inline std::string DescribeDiagnostics(const Diagnostics& diagnostics) {
  std::string out;
  for (const Diagnostic& d : diagnostics) out += FormatDiagnostic(d, false);
  return out;
}

}  // namespace drydock::config::testing
