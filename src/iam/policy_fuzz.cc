// libFuzzer target for IAM policy documents (iam/policy.h). Besides "no
// crash, leak or undefined behaviour": whatever parses re-encodes to a fixed
// point (ToJson parses back to the same document), every statement has
// actions and resources, and evaluating it against a request never fails.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "iam/evaluate.h"
#include "iam/policy.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  drydock::Result<drydock::iam::PolicyDocument> parsed = drydock::iam::ParsePolicyDocument(text);
  if (!parsed.ok()) {
    if (parsed.status().message().empty()) std::abort();
    return 0;
  }
  for (const drydock::iam::Statement& statement : parsed->statements) {
    if (statement.actions.empty() || statement.resources.empty()) std::abort();
  }
  const std::string encoded = drydock::iam::ToJson(*parsed);
  drydock::Result<drydock::iam::PolicyDocument> again = drydock::iam::ParsePolicyDocument(encoded);
  if (!again.ok() || !(*again == *parsed)) std::abort();
  if (drydock::iam::ToJson(*again) != encoded) std::abort();
  // Patterns from the input against text from the input: the matcher must
  // stay bounded whatever the pattern.
  const drydock::iam::Request request{"arn:aws:sts::000000000000:assumed-role/r/s",
                                      parsed->statements[0].actions[0],
                                      parsed->statements[0].resources[0]};
  (void)drydock::iam::Evaluate({{"arn:aws:iam::000000000000:policy/p", *parsed}}, request);
  return 0;
}
