// libFuzzer target for the load balancer API's bodies (alb/wire.h): the
// configuration a `drydock proxy` takes on PUT /v1/config and the target
// report the control plane reads back. Besides "no crash, leak or undefined
// behaviour": whatever decodes re-encodes to a document that decodes to the
// same encoding (the control plane compares encodings to skip pushes).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "alb/wire.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  using drydock::alb::DecodeProxyConfig;
  using drydock::alb::EncodeProxyConfig;
  if (auto config = DecodeProxyConfig(input); config.ok()) {
    const std::string once = EncodeProxyConfig(*config);
    auto again = DecodeProxyConfig(once);
    if (!again.ok() || EncodeProxyConfig(*again) != once) std::abort();
    (void)drydock::alb::ScaledSpec(config->spec, config->time_scale);
  }
  if (auto groups = drydock::alb::DecodeTargets(input); groups.ok()) {
    const std::string once = drydock::alb::EncodeTargets(*groups);
    auto again = drydock::alb::DecodeTargets(once);
    if (!again.ok() || drydock::alb::EncodeTargets(*again) != once) std::abort();
  }
  return 0;
}
