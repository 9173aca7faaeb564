#include "state/sqlite/codec.h"

#include <limits>

#include <nlohmann/json.hpp>

namespace drydock::state::sqlite {
namespace {

using Json = nlohmann::json;

std::string Dump(const Json& json) {
  // `replace` keeps dump() from throwing on bytes that are not UTF-8.
  return json.dump(-1, ' ', false, Json::error_handler_t::replace);
}

// nullopt (a "discarded" value) when `text` is not JSON; never throws.
Json Parse(std::string_view text) {
  return Json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
}

}  // namespace

std::optional<int64_t> ToMillis(const std::optional<TimePoint>& t) {
  if (!t) return std::nullopt;
  return ToMillis(*t);
}

std::optional<TimePoint> FromMillis(const std::optional<int64_t>& ms) {
  if (!ms) return std::nullopt;
  return FromMillis(*ms);
}

std::string IntsToJson(const std::vector<int>& values) { return Dump(Json(values)); }

bool IntsFromJson(std::string_view text, std::vector<int>* values) {
  Json json = Parse(text);
  if (!json.is_array()) return false;
  values->clear();
  for (const Json& item : json) {
    if (!item.is_number_integer()) return false;
    int64_t value = item.get<int64_t>();
    if (value < std::numeric_limits<int>::min() || value > std::numeric_limits<int>::max()) {
      return false;
    }
    values->push_back(static_cast<int>(value));
  }
  return true;
}

std::string StringsToJson(const std::vector<std::string>& values) { return Dump(Json(values)); }

bool StringsFromJson(std::string_view text, std::vector<std::string>* values) {
  Json json = Parse(text);
  if (!json.is_array()) return false;
  values->clear();
  for (const Json& item : json) {
    if (!item.is_string()) return false;
    values->push_back(item.get<std::string>());
  }
  return true;
}

std::string StringMapToJson(const std::map<std::string, std::string>& values) {
  return Dump(Json(values));
}

bool StringMapFromJson(std::string_view text, std::map<std::string, std::string>* values) {
  Json json = Parse(text);
  if (!json.is_object()) return false;
  values->clear();
  for (const auto& [key, value] : json.items()) {
    if (!value.is_string()) return false;
    (*values)[key] = value.get<std::string>();
  }
  return true;
}

std::string SecretReferencesToJson(const std::vector<SecretReference>& values) {
  Json json = Json::array();
  for (const SecretReference& value : values) {
    json.push_back({{"name", value.name}, {"valueFrom", value.value_from}});
  }
  return Dump(json);
}

bool SecretReferencesFromJson(std::string_view text, std::vector<SecretReference>* values) {
  Json json = Parse(text);
  if (!json.is_array()) return false;
  values->clear();
  for (const Json& item : json) {
    if (!item.is_object() || item.size() != 2 || !item.contains("name") ||
        !item.contains("valueFrom") || !item["name"].is_string() ||
        !item["valueFrom"].is_string()) {
      return false;
    }
    values->push_back({item["name"].get<std::string>(), item["valueFrom"].get<std::string>()});
  }
  return true;
}

}  // namespace drydock::state::sqlite
