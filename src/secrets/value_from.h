// ECS's `valueFrom` for a container secret, and the value it selects
// (rulebook section 8, "ECS valueFrom"):
//
//   arn:aws:secretsmanager:<region>:<acct>:secret:<name>-<6 chars>
//     [:<json-key>[:<version-stage>[:<version-id>]]]   (one line)
//
// The ARN is split after its 7th ':'; trailing fields are optional, and to
// use a later field the earlier ones are kept empty (`…:username::`,
// `…::AWSPREVIOUS:`, `…:::<uuid>`). Stage and id are mutually exclusive;
// neither means AWSCURRENT.
//
// drydock also accepts a local shorthand that names the secret instead of its
// ARN (secret names cannot contain ':'):
//
//   <name>[:<json-key>[:<version-stage>[:<version-id>]]]
//
// Text that starts with "arn:" is always read as an ARN, so a secret named
// "arn" can be named alone but needs its ARN to select a key or version.
//
// Pure; nlohmann-json stays in the .cc files.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "base/status.h"

namespace drydock::secrets {

struct ValueFrom {
  // The secret: its full ARN (from the ARN form) or its name (shorthand).
  std::string secret_id;
  bool is_arn = false;
  std::optional<std::string> json_key;       // absent: the whole SecretString
  std::optional<std::string> version_stage;  // absent with version_id: AWSCURRENT
  std::optional<std::string> version_id;

  friend bool operator==(const ValueFrom&, const ValueFrom&) = default;
};

// kInvalidArgument, naming the part that is wrong, for anything else. Empty
// fields are absent fields.
Result<ValueFrom> ParseValueFrom(std::string_view text);

// What the container receives: the whole `secret_string`, or the value of
// `json_key` in it (the secret must be a JSON object; a string value as is,
// any other JSON value serialised). A missing key or a non-object secret is
// an error that names the key but never prints the secret's content.
Result<std::string> SelectValue(const ValueFrom& value_from, std::string_view secret_string);

// JSON helpers shared with the store and the CLI (`put --key`, testSecret).
bool IsJsonObject(std::string_view text);
// `object_json` (a JSON object) with `key` set to the string `value`, keys in
// their original order. Errors never quote `object_json`.
Result<std::string> SetJsonKey(std::string_view object_json, std::string_view key,
                               std::string_view value);

}  // namespace drydock::secrets
