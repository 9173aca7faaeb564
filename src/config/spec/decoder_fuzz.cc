// libFuzzer target for everything after the parser: HCL text -> ParseHcl ->
// Decode -> Validate -> BuildPlan and both renderers. Besides
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
#include "plan/plan.h"
#include "validate/validate.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace drydock::config;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  Document document;
  if (!ParseHcl(text, "fuzz.tfvars", &document).empty()) return 0;
  Config config;
  const Diagnostics decoded = Decode(document, &config);
  for (const Diagnostic& d : decoded) {
    const bool well_formed = d.severity == Severity::kError && d.pos.line >= 1 &&
                             d.pos.column >= 1 && !d.setting.empty() && !d.rule.empty() &&
                             !d.fix.empty();
    if (!well_formed) std::abort();
  }
  if (HasErrors(decoded)) return 0;
  // Rules and the plan must cope with any decodable value (huge counts,
  // extreme percentages) without overflow or a crash.
  const Diagnostics rules = drydock::validate::Validate(config);
  for (const Diagnostic& d : rules) {
    if (d.pos.line < 1 || d.rule.empty() || d.message.empty()) std::abort();
  }
  if (HasErrors(rules)) return 0;
  const drydock::plan::Plan plan = drydock::plan::BuildPlan(config);
  if (drydock::plan::RenderText(plan).empty() || drydock::plan::RenderJson(plan).empty()) {
    std::abort();
  }
  return 0;
}
