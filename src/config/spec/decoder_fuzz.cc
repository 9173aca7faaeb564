// libFuzzer target for the decoder: HCL text -> ParseHcl -> Decode. Besides
// "no crash, leak or undefined behaviour", every decoding diagnostic must be
// a positioned error with a setting path, a rule id and a fix. Seed it with
// examples/ and the ```hcl blocks of docs/configuration.md to reach the
// decoder quickly.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "config/hcl/hcl_parser.h"
#include "config/spec/decoder.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace drydock::config;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  Document document;
  if (!ParseHcl(text, "fuzz.tfvars", &document).empty()) return 0;
  Config config;
  for (const Diagnostic& d : Decode(document, &config)) {
    const bool well_formed = d.severity == Severity::kError && d.pos.line >= 1 &&
                             d.pos.column >= 1 && !d.setting.empty() && !d.rule.empty() &&
                             !d.fix.empty();
    if (!well_formed) std::abort();
  }
  return 0;
}
