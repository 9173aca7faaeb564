// libFuzzer target for ECS's valueFrom (secrets/value_from.h). The input is
// a valueFrom, a newline, and a SecretString. Besides "no crash, leak or
// undefined behaviour":
// - whatever parses is a secret id with at most one of stage and id, and
//   writing it back in the long form parses to the same thing;
// - without a json-key the whole SecretString is selected; with one,
//   selecting succeeds only on a JSON object;
// - a failed selection's message does not depend on the SecretString's
//   content, so it can never quote it.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "secrets/value_from.h"

namespace {

std::string LongForm(const drydock::secrets::ValueFrom& parsed) {
  return parsed.secret_id + ":" + parsed.json_key.value_or("") + ":" +
         parsed.version_stage.value_or("") + ":" + parsed.version_id.value_or("");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);
  const size_t newline = input.find('\n');
  const std::string text = input.substr(0, newline);
  const std::string secret = newline == std::string::npos ? "" : input.substr(newline + 1);

  auto parsed = drydock::secrets::ParseValueFrom(text);
  if (!parsed.ok()) return 0;
  if (parsed->secret_id.empty()) std::abort();
  if (parsed->version_stage && parsed->version_id) std::abort();
  if (parsed->is_arn != (parsed->secret_id.rfind("arn:", 0) == 0)) std::abort();
  // (A secret named "arn" is the one exception: "arn:<key>" reads as an ARN.)
  if (parsed->is_arn || parsed->secret_id != "arn") {
    auto again = drydock::secrets::ParseValueFrom(LongForm(*parsed));
    if (!again.ok() || !(*again == *parsed)) std::abort();
  }

  auto selected = drydock::secrets::SelectValue(*parsed, secret);
  if (!parsed->json_key && (!selected.ok() || *selected != secret)) std::abort();
  if (parsed->json_key && selected.ok() && !drydock::secrets::IsJsonObject(secret)) std::abort();
  if (!selected.ok()) {
    // The message depends only on which way selection failed (not an
    // object, or no such key), never on the content.
    const std::string& message = selected.status().message();
    auto not_object = drydock::secrets::SelectValue(*parsed, "not json");
    auto no_key = drydock::secrets::SelectValue(*parsed, "{}");
    if (not_object.ok() || no_key.ok()) std::abort();
    if (message != not_object.status().message() && message != no_key.status().message()) {
      std::abort();
    }
  }
  return 0;
}
