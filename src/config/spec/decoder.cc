// The decoder walks the schema tables (schema.h) over the parsed value tree.
// Each setting's C++ type selects its conversion through overloading of
// DecodeInto(); objects recurse with their own table.
#include "config/spec/decoder.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <variant>
#include <vector>

#include "base/strings.h"
#include "config/spec/conversions.h"
#include "config/spec/schema.h"

namespace drydock::config {
namespace {

constexpr const char* kDocs = "docs/configuration.md";

// Where an object being decoded sits: its dotted path prefix ("services.api."),
// how messages name it (" in service `api`"), and where its key was written.
struct Scope {
  std::string prefix;
  std::string where;
  SourcePos anchor;
};

// A short description of a value for "found ..." in messages.
std::string Describe(const Value& value) {
  switch (value.kind()) {
    case Value::Kind::kString: {
      const std::string& s = value.string_value();
      return s.size() <= 40 ? "string \"" + s + "\"" : "string \"" + s.substr(0, 37) + "...\"";
    }
    case Value::Kind::kNumber: return "number " + NumberToString(value.number_value());
    case Value::Kind::kBool: return value.bool_value() ? "bool true" : "bool false";
    default: return KindName(value.kind());
  }
}

// Converts a primitive to string as Terraform does; false for null, lists and
// objects.
bool ToStringValue(const Value& value, std::string* out) {
  switch (value.kind()) {
    case Value::Kind::kString: *out = value.string_value(); return true;
    case Value::Kind::kNumber: *out = NumberToString(value.number_value()); return true;
    case Value::Kind::kBool: *out = value.bool_value() ? "true" : "false"; return true;
    default: return false;
  }
}

std::optional<double> ToNumber(const Value& value) {
  if (value.kind() == Value::Kind::kNumber) return value.number_value();
  if (value.kind() == Value::Kind::kString) return ParseNumberString(value.string_value());
  return std::nullopt;
}

// The last component of a dotted path: the name the user typed.
std::string LastName(const std::string& path) {
  size_t dot = path.rfind('.');
  return dot == std::string::npos ? path : path.substr(dot + 1);
}

class Decoder {
 public:
  Decoder(const std::string& file, SourceMap* sources)
      : file_(file), json_(EndsWith(file, ".json")), sources_(sources) {}

  Diagnostics TakeDiagnostics() { return std::move(diagnostics_); }

  template <typename S>
  std::set<std::string> DecodeObject(const Value& object, const Scope& scope,
                                     const std::vector<Field<S>>& fields, S* out);

 private:
  void Error(SourcePos pos, std::string setting, std::string rule, std::string message,
             std::string fix) {
    diagnostics_.push_back(Diagnostic{Severity::kError, file_, pos, std::move(setting),
                                      std::move(rule), std::move(message), std::move(fix)});
  }
  void TypeMismatch(const Value& value, const std::string& path, const std::string& expected,
                    std::string fix) {
    Error(value.range().begin, path, "type-mismatch",
          "expected " + expected + ", found " + Describe(value), std::move(fix));
  }
  // `name = value` in the syntax of the file being decoded.
  std::string Assign(const std::string& name, const std::string& value) const {
    return json_ ? "\"" + name + "\": " + value : name + " = " + value;
  }

  // Reports an unknown key; returns the setting it suggests instead, or "".
  std::string UnknownSetting(const ObjectEntry& entry, const Scope& scope,
                             const std::vector<std::string>& names);
  void MissingSetting(const Scope& scope, const char* name, const char* example);
  void NullRequired(const ObjectEntry& entry, const Scope& scope, const char* example);
  void Duplicate(const ObjectEntry& entry, const Scope& scope, SourcePos first);

  // One overload per setting type; `path` is the setting's dotted path.
  template <typename S>
  void DecodeField(const Field<S>& field, const Value& value, const std::string& path, S* out);
  void DecodeInto(const Value& value, const std::string& path, bool shell_string, int* out);
  void DecodeInto(const Value& value, const std::string& path, bool shell_string, double* out);
  void DecodeInto(const Value& value, const std::string& path, bool shell_string, bool* out);
  void DecodeInto(const Value& value, const std::string& path, bool shell_string,
                  std::string* out);
  void DecodeInto(const Value& value, const std::string& path, bool shell_string,
                  std::vector<std::string>* out);
  void DecodeInto(const Value& value, const std::string& path, bool shell_string,
                  std::map<std::string, std::string>* out);
  void DecodeInto(const Value& value, const std::string& path, bool shell_string,
                  HealthCheckSettings* out);
  void DecodeInto(const Value& value, const std::string& path, bool shell_string,
                  CircuitBreakerSettings* out);
  void DecodeInto(const Value& value, const std::string& path, bool shell_string,
                  std::vector<ServiceSettings>* out);
  void DecodeInto(const Value& value, const std::string& path, bool shell_string,
                  std::vector<CertificateSettings>* out);

  Scope NestedScope(const std::string& path) const {
    return Scope{path + ".", " in `" + path + "`", sources_->PositionOf(path)};
  }
  bool CheckObject(const Value& value, const std::string& path, const std::string& expected);
  bool ElementToString(const Value& value, const std::string& path, std::string* out);
  void DecodeService(const ObjectEntry& entry, std::vector<ServiceSettings>* out);

  std::string file_;
  bool json_;
  SourceMap* sources_;
  Diagnostics diagnostics_;
};

// ---- object walking ----

template <typename S>
std::set<std::string> Decoder::DecodeObject(const Value& object, const Scope& scope,
                                            const std::vector<Field<S>>& fields, S* out) {
  std::set<std::string> written;           // set to a non-null value
  std::map<std::string, SourcePos> seen;  // every key, for duplicates and required checks
  std::set<std::string> suggested;         // "did you mean" targets of unknown keys
  for (const ObjectEntry& entry : object.entries()) {
    auto field = std::find_if(fields.begin(), fields.end(),
                              [&](const Field<S>& f) { return entry.key == f.name; });
    if (field == fields.end()) {
      suggested.insert(UnknownSetting(entry, scope, FieldNames(fields)));
      continue;
    }
    if (auto [it, inserted] = seen.emplace(entry.key, entry.key_range.begin); !inserted) {
      Duplicate(entry, scope, it->second);
      continue;
    }
    if (entry.value->kind() == Value::Kind::kNull) {
      if (field->required) NullRequired(entry, scope, field->example);
      continue;  // Terraform: null for an optional attribute means "use the default"
    }
    const std::string path = scope.prefix + entry.key;
    written.insert(entry.key);
    const Value& value = *entry.value;
    // Objects are located by their key, everything else by its value.
    sources_->Record(path, value.kind() == Value::Kind::kObject ? entry.key_range.begin
                                                                : value.range().begin);
    DecodeField(*field, value, path, out);
  }
  for (const Field<S>& field : fields) {
    // A misspelt required setting is reported once, as the unknown key.
    if (field.required && seen.count(field.name) == 0 && suggested.count(field.name) == 0) {
      MissingSetting(scope, field.name, field.example);
    }
  }
  return written;
}

template <typename S>
void Decoder::DecodeField(const Field<S>& field, const Value& value, const std::string& path,
                          S* out) {
  std::visit([&](auto member) { DecodeInto(value, path, field.shell_string, &(out->*member)); },
             field.member);
}

// The level a setting name belongs to when it is not valid where it was
// written, e.g. "a service" for `cpu` at the top level; "" if none.
std::string OtherLevel(const std::string& key) {
  auto has = [&key](const std::vector<std::string>& names) {
    return std::find(names.begin(), names.end(), key) != names.end();
  };
  if (has(FieldNames(TopLevelFields()))) return "the top level of the file";
  if (has(FieldNames(ServiceFields()))) return "a service in `services`";
  if (has(FieldNames(HealthCheckFields()))) return "a service's `health_check`";
  if (has(FieldNames(CircuitBreakerFields()))) return "a service's `deployment_circuit_breaker`";
  if (has(FieldNames(CertificateFields()))) return "an entry of `additional_certificates`";
  return "";
}

// The name `key` was probably meant to be: the closest by edit distance, else
// one that shares a long prefix with it ("intervall" -> "interval_seconds",
// "timeout" -> "timeout_seconds"); "" when nothing is plausible.
std::string Suggest(const std::string& key, const std::vector<std::string>& names) {
  std::string best = ClosestMatch(key, names);
  if (!best.empty()) return best;
  size_t best_prefix = 0;
  for (const std::string& name : names) {
    size_t prefix = 0;
    while (prefix < key.size() && prefix < name.size() && key[prefix] == name[prefix]) ++prefix;
    if (prefix > best_prefix) {
      best_prefix = prefix;
      best = name;
    }
  }
  const bool plausible = best_prefix >= 6 && 3 * best_prefix >= 2 * key.size();
  return plausible ? best : "";
}

std::string Decoder::UnknownSetting(const ObjectEntry& entry, const Scope& scope,
                                    const std::vector<std::string>& names) {
  const std::string& key = entry.key;
  std::string message = "unknown setting `" + key + "`" + scope.where;
  std::string fix;
  std::string suggestion = Suggest(key, names);
  std::string level = OtherLevel(key);
  if (!suggestion.empty()) {
    message += "; did you mean `" + suggestion + "`?";
    fix = "rename `" + key + "` to `" + suggestion + "`";
  } else if (!level.empty()) {
    message += "; `" + key + "` is a setting of " + level;
    fix = "move `" + key + "` into " + level;
  } else {
    fix = "remove `" + key + "`; " + kDocs + " lists every setting";
  }
  Error(entry.key_range.begin, scope.prefix + key, "unknown-setting", message, fix);
  return suggestion;
}

void Decoder::MissingSetting(const Scope& scope, const char* name, const char* example) {
  std::string message = "required setting `" + std::string(name) + "` is missing" + scope.where;
  // scope.where reads " in service `api`"; the fix names the same place.
  std::string target = scope.prefix.empty() ? "the file" : scope.where.substr(4);
  Error(scope.anchor, scope.prefix + name, "missing-setting", message,
        "add `" + Assign(name, example) + "` to " + target);
}

void Decoder::NullRequired(const ObjectEntry& entry, const Scope& scope, const char* example) {
  Error(entry.value->range().begin, scope.prefix + entry.key, "missing-setting",
        "`" + entry.key + "` is required" + scope.where + " and cannot be null",
        "set it, e.g. " + Assign(entry.key, example));
}

void Decoder::Duplicate(const ObjectEntry& entry, const Scope& scope, SourcePos first) {
  Error(entry.key_range.begin, scope.prefix + entry.key, "duplicate-setting",
        "`" + entry.key + "` is set more than once" + scope.where + " (first at line " +
            std::to_string(first.line) + ")",
        "keep only one `" + entry.key + "`");
}

// ---- scalars ----

void Decoder::DecodeInto(const Value& value, const std::string& path, bool, int* out) {
  std::optional<double> number = ToNumber(value);
  if (!number) {
    TypeMismatch(value, path, "whole number",
                 "write a whole number, e.g. " + Assign(LastName(path), "2"));
    return;
  }
  const double n = *number;
  if (!std::isfinite(n) || n < -2147483648.0 || n > 2147483647.0) {
    Error(value.range().begin, path, "number-too-large",
          NumberToString(n) + " is outside the range of a whole-number setting",
          "use a value between -2147483648 and 2147483647");
    return;
  }
  if (n != std::trunc(n)) {
    Error(value.range().begin, path, "not-whole-number",
          NumberToString(n) + " is not a whole number",
          "use a whole number, e.g. " + NumberToString(std::floor(n)) + " or " +
              NumberToString(std::ceil(n)));
    return;
  }
  *out = static_cast<int>(n);
}

void Decoder::DecodeInto(const Value& value, const std::string& path, bool, double* out) {
  std::optional<double> number = ToNumber(value);
  if (!number) {
    TypeMismatch(value, path, "number", "write a number, e.g. " + Assign(LastName(path), "70"));
    return;
  }
  if (!std::isfinite(*number)) {
    Error(value.range().begin, path, "number-too-large", "the number is too large",
          "use a finite number");
    return;
  }
  *out = *number;
}

void Decoder::DecodeInto(const Value& value, const std::string& path, bool, bool* out) {
  if (value.kind() == Value::Kind::kBool) {
    *out = value.bool_value();
    return;
  }
  if (value.kind() == Value::Kind::kString) {
    if (std::optional<bool> b = ParseBoolString(value.string_value())) {
      *out = *b;
      return;
    }
  }
  TypeMismatch(value, path, "bool", "write true or false (lowercase, without quotes)");
}

void Decoder::DecodeInto(const Value& value, const std::string& path, bool, std::string* out) {
  if (!ToStringValue(value, out)) {
    TypeMismatch(value, path, "string",
                 "write a quoted string, e.g. " + Assign(LastName(path), "\"...\""));
  }
}

// ---- collections ----

bool Decoder::ElementToString(const Value& value, const std::string& path, std::string* out) {
  if (ToStringValue(value, out)) {
    sources_->Record(path, value.range().begin);
    return true;
  }
  TypeMismatch(value, path, "string", "every element must be a quoted string");
  return false;
}

void Decoder::DecodeInto(const Value& value, const std::string& path, bool shell_string,
                         std::vector<std::string>* out) {
  const std::string name = LastName(path);
  if (value.kind() == Value::Kind::kString && shell_string) {
    // A single string is a shell command line, as Docker's shell form.
    *out = {"/bin/sh", "-c", value.string_value()};
    return;
  }
  if (value.kind() != Value::Kind::kList) {
    std::string example = "[\"...\"]";
    if (value.kind() == Value::Kind::kString) example = "[\"" + value.string_value() + "\"]";
    TypeMismatch(value, path, "list of string", "write a list: " + Assign(name, example));
    return;
  }
  out->clear();
  for (size_t i = 0; i < value.items().size(); ++i) {
    std::string element;
    if (ElementToString(value.items()[i], path + "." + std::to_string(i), &element)) {
      out->push_back(std::move(element));
    }
  }
}

bool Decoder::CheckObject(const Value& value, const std::string& path,
                          const std::string& expected) {
  if (value.kind() == Value::Kind::kObject) return true;
  const char* example = json_ ? "{ \"...\": ... }" : "{ ... }";
  TypeMismatch(value, path, expected, "write an object: " + Assign(LastName(path), example));
  return false;
}

void Decoder::DecodeInto(const Value& value, const std::string& path, bool,
                         std::map<std::string, std::string>* out) {
  if (!CheckObject(value, path, "map of string")) return;
  out->clear();
  for (const ObjectEntry& entry : value.entries()) {
    std::string element;
    if (ElementToString(*entry.value, path + "." + entry.key, &element)) {
      (*out)[entry.key] = std::move(element);
    }
  }
}

void Decoder::DecodeInto(const Value& value, const std::string& path, bool,
                         HealthCheckSettings* out) {
  if (!CheckObject(value, path, "object")) return;
  DecodeObject(value, NestedScope(path), HealthCheckFields(), out);
}

void Decoder::DecodeInto(const Value& value, const std::string& path, bool,
                         CircuitBreakerSettings* out) {
  if (!CheckObject(value, path, "object")) return;
  DecodeObject(value, NestedScope(path), CircuitBreakerFields(), out);
}

void Decoder::DecodeInto(const Value& value, const std::string& path, bool,
                         std::vector<ServiceSettings>* out) {
  if (!CheckObject(value, path, "map of service objects")) return;
  std::map<std::string, SourcePos> seen;
  for (const ObjectEntry& entry : value.entries()) {
    if (auto [it, inserted] = seen.emplace(entry.key, entry.key_range.begin); !inserted) {
      Error(entry.key_range.begin, path + "." + entry.key, "duplicate-setting",
            "service `" + entry.key + "` is defined more than once (first at line " +
                std::to_string(it->second.line) + ")",
            "rename or remove one of them");
      continue;
    }
    DecodeService(entry, out);
  }
}

// A list of objects (`additional_certificates`): each element's settings are
// "<path>.<index>.<name>".
void Decoder::DecodeInto(const Value& value, const std::string& path, bool,
                         std::vector<CertificateSettings>* out) {
  if (value.kind() != Value::Kind::kList) {
    const char* example = json_ ? "[{ \"certificate_file\": \"...\", \"private_key_file\": \"...\" }]"
                                : "[{ certificate_file = \"...\", private_key_file = \"...\" }]";
    TypeMismatch(value, path, "list of object", "write a list: " + Assign(LastName(path), example));
    return;
  }
  out->clear();
  for (size_t i = 0; i < value.items().size(); ++i) {
    const Value& item = value.items()[i];
    const std::string item_path = path + "." + std::to_string(i);
    sources_->Record(item_path, item.range().begin);
    if (!CheckObject(item, item_path, "object")) continue;
    CertificateSettings certificate;
    DecodeObject(item, NestedScope(item_path), CertificateFields(), &certificate);
    out->push_back(std::move(certificate));
  }
}

void Decoder::DecodeService(const ObjectEntry& entry, std::vector<ServiceSettings>* out) {
  const std::string path = "services." + entry.key;
  sources_->Record(path, entry.key_range.begin);
  if (!CheckObject(*entry.value, path, "service object")) return;
  ServiceSettings service;
  service.name = entry.key;
  Scope scope{path + ".", " in service `" + entry.key + "`", entry.key_range.begin};
  std::set<std::string> written = DecodeObject(*entry.value, scope, ServiceFields(), &service);
  if (written.count("autoscaling_min_capacity") == 0) {
    service.autoscaling_min_capacity = service.desired_count;
  }
  if (written.count("secrets") == 0) service.secrets = DefaultSecrets(service.name);
  out->push_back(std::move(service));
}

bool ByPosition(const Diagnostic& a, const Diagnostic& b) {
  if (a.pos.line != b.pos.line) return a.pos.line < b.pos.line;
  return a.pos.column < b.pos.column;
}

}  // namespace

Diagnostics Decode(const Document& document, Config* config) {
  *config = Config{};
  config->file = document.file;
  Decoder decoder(document.file, &config->sources);
  decoder.DecodeObject(document.root, Scope{"", "", SourcePos{1, 1, 0}}, TopLevelFields(),
                       &config->settings);
  Diagnostics diagnostics = decoder.TakeDiagnostics();
  std::stable_sort(diagnostics.begin(), diagnostics.end(), ByPosition);
  return diagnostics;
}

}  // namespace drydock::config
