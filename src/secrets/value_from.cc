#include "secrets/value_from.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <vector>

#include "base/strings.h"
#include "secrets/vault.h"

namespace drydock::secrets {
namespace {

using nlohmann::ordered_json;

constexpr std::string_view kArnPrefix = "arn:";
constexpr size_t kArnFields = 7;  // arn:partition:service:region:account:secret:name-suffix

std::vector<std::string> SplitColons(std::string_view text) {
  std::vector<std::string> fields;
  size_t start = 0;
  while (true) {
    const size_t colon = text.find(':', start);
    fields.emplace_back(
        text.substr(start, colon == std::string_view::npos ? colon : colon - start));
    if (colon == std::string_view::npos) return fields;
    start = colon + 1;
  }
}

Status Bad(std::string_view text, const std::string& why) {
  return InvalidArgument("valueFrom '" + std::string(text) + "': " + why);
}

bool IsAlphanumeric(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// The seven fields of a Secrets Manager secret ARN.
Status CheckArn(std::string_view text, const std::vector<std::string>& fields) {
  static constexpr std::string_view kForm =
      "expected arn:aws:secretsmanager:<region>:<account>:secret:<name>-<6 characters>"
      "[:<json-key>:<version-stage>:<version-id>]";
  if (fields.size() < kArnFields) return Bad(text, std::string(kForm));
  const std::string& partition = fields[1];
  if (partition != "aws" && partition != "aws-cn" && partition != "aws-us-gov") {
    return Bad(text, "unknown partition '" + partition + "'; " + std::string(kForm));
  }
  if (fields[2] != "secretsmanager" || fields[5] != "secret") {
    return Bad(text, "not a Secrets Manager secret ARN; " + std::string(kForm));
  }
  if (fields[3].empty()) return Bad(text, "the ARN has no region");
  if (fields[4].size() != 12 || !ParseUint(fields[4])) {
    return Bad(text, "the account '" + fields[4] + "' is not 12 digits");
  }
  const std::string& name_suffix = fields[6];
  const size_t dash = name_suffix.rfind('-');
  if (dash == std::string::npos || name_suffix.size() - dash - 1 != 6 ||
      !std::all_of(name_suffix.begin() + static_cast<std::ptrdiff_t>(dash) + 1, name_suffix.end(),
                   IsAlphanumeric)) {
    return Bad(text,
               "the ARN must end in the secret's name and its 6-character suffix "
               "(<name>-AbCdEf), as `drydock secrets describe NAME` shows it");
  }
  Status name = ValidateSecretName(std::string_view(name_suffix).substr(0, dash));
  if (!name.ok()) return Bad(text, name.message());
  return Status::Ok();
}

// Fields after the secret: json-key, version-stage, version-id.
Status TakeOptionalFields(std::string_view text, const std::vector<std::string>& fields,
                          size_t first, ValueFrom* parsed) {
  if (fields.size() > first + 3) {
    return Bad(text,
               "too many ':'-separated fields; after the secret come at most "
               "<json-key>:<version-stage>:<version-id>");
  }
  auto field = [&](size_t i) -> std::optional<std::string> {
    if (first + i >= fields.size() || fields[first + i].empty()) return std::nullopt;
    return fields[first + i];
  };
  parsed->json_key = field(0);
  parsed->version_stage = field(1);
  parsed->version_id = field(2);
  if (parsed->version_stage && parsed->version_id) {
    return Bad(text,
               "version-stage and version-id are mutually exclusive; keep one "
               "(`…:<key>::<version-id>` or `…:<key>:<stage>:`)");
  }
  if (parsed->version_stage) {
    Status stage = ValidateStage(*parsed->version_stage);
    if (!stage.ok()) return Bad(text, stage.message());
  }
  if (parsed->version_id) {
    Status id = ValidateVersionId(*parsed->version_id);
    if (!id.ok()) return Bad(text, id.message());
  }
  return Status::Ok();
}

}  // namespace

Result<ValueFrom> ParseValueFrom(std::string_view text) {
  if (text.empty()) return InvalidArgument("valueFrom is empty: name a secret or its ARN");
  const std::vector<std::string> fields = SplitColons(text);
  ValueFrom parsed;
  size_t first_optional = 1;
  if (StartsWith(text, kArnPrefix)) {
    DRYDOCK_RETURN_IF_ERROR(CheckArn(text, fields));
    parsed.is_arn = true;
    parsed.secret_id = Join({fields.begin(), fields.begin() + kArnFields}, ":");
    first_optional = kArnFields;
  } else {
    Status name = ValidateSecretName(fields[0]);
    if (!name.ok()) return Bad(text, name.message());
    parsed.secret_id = fields[0];
  }
  DRYDOCK_RETURN_IF_ERROR(TakeOptionalFields(text, fields, first_optional, &parsed));
  return parsed;
}

Result<std::string> SelectValue(const ValueFrom& value_from, std::string_view secret_string) {
  if (!value_from.json_key) return std::string(secret_string);
  const std::string& key = *value_from.json_key;
  try {
    const ordered_json document = ordered_json::parse(secret_string, nullptr, false);
    if (!document.is_object()) {
      return InvalidArgument("secret " + value_from.secret_id +
                             ": its value is not a JSON object, so json-key '" + key +
                             "' cannot be selected (store a JSON object, or drop the key)");
    }
    auto found = document.find(key);
    if (found == document.end()) {
      return InvalidArgument("secret " + value_from.secret_id + " has no JSON key '" + key +
                             "' (add it with `drydock secrets put " + value_from.secret_id +
                             " --key " + key + "`)");
    }
    if (found->is_string()) return found->get<std::string>();
    return found->dump(-1, ' ', false, ordered_json::error_handler_t::replace);
  } catch (const std::exception&) {
    return InvalidArgument("secret " + value_from.secret_id +
                           ": its value could not be read as "
                           "JSON to select key '" +
                           key + "'");
  }
}

bool IsJsonObject(std::string_view text) {
  try {
    return ordered_json::parse(text, nullptr, false).is_object();
  } catch (const std::exception&) {
    return false;
  }
}

Result<std::string> SetJsonKey(std::string_view object_json, std::string_view key,
                               std::string_view value) {
  try {
    ordered_json document = ordered_json::parse(object_json, nullptr, false);
    if (!document.is_object()) {
      return InvalidArgument("the current value is not a JSON object, so key '" + std::string(key) +
                             "' cannot be set in it; put a whole value "
                             "instead (without --key)");
    }
    document[std::string(key)] = std::string(value);
    return document.dump();
  } catch (const std::exception&) {
    return InvalidArgument("the value for key '" + std::string(key) +
                           "' is not valid UTF-8, which a JSON string requires");
  }
}

}  // namespace drydock::secrets
