// libFuzzer target for the JSON parser. Besides "no crash, leak or undefined
// behaviour", it checks that an accepted document renders (via ToJson) to
// JSON that parses back to the same rendering.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "config/json/json_parser.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace drydock::config;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  Document document;
  const Diagnostics diagnostics = ParseJson(text, "fuzz.json", &document);
  if (!diagnostics.empty()) {
    if (diagnostics.size() != 1 || diagnostics[0].pos.line < 1 || diagnostics[0].pos.column < 1) {
      std::abort();  // exactly one error, always positioned
    }
    (void)FormatDiagnostic(diagnostics[0], false);
    return 0;
  }
  const std::string json = ToJson(document.root);
  Document reparsed;
  if (!ParseJson(json, "fuzz.json", &reparsed).empty()) std::abort();
  if (ToJson(reparsed.root) != json) std::abort();
  return 0;
}
