// libFuzzer target for the control API's request bodies (live/control_api.h):
// POST /v1/services/deploy and /v1/services/rollback. Besides "no crash, leak
// or undefined behaviour": whatever decodes satisfies the contract the
// control plane relies on (a named service, positive sizes, a program to run,
// variable names without '=').
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "live/control_api.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string body(reinterpret_cast<const char*>(data), size);
  if (auto request = drydock::live::DecodeDeployRequest(body); request.ok()) {
    if (request->service.empty()) std::abort();
    if (request->cpu_units && *request->cpu_units <= 0) std::abort();
    if (request->memory_mib && *request->memory_mib <= 0) std::abort();
    if (request->command && (request->command->empty() || (*request->command)[0].empty())) {
      std::abort();
    }
    for (const auto& [name, value] : request->environment) {
      if (name.empty() || name.find('=') != std::string::npos) std::abort();
    }
  }
  if (auto service = drydock::live::DecodeRollbackRequest(body); service.ok()) {
    if (service->empty()) std::abort();
  }
  return 0;
}
