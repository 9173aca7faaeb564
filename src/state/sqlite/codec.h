// How model values become column values and back: times as integer
// milliseconds, enums as their AWS names, short lists as JSON text.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/time.h"
#include "state/model.h"

namespace drydock::state::sqlite {

inline int64_t ToMillis(TimePoint t) { return t.time_since_epoch().count(); }
inline TimePoint FromMillis(int64_t ms) { return TimePoint(Duration(ms)); }
std::optional<int64_t> ToMillis(const std::optional<TimePoint>& t);
std::optional<TimePoint> FromMillis(const std::optional<int64_t>& ms);

// Finds the enum value whose AWS name (from model.h's XxxName function) is
// `text`. It tries every value in the enum's range instead of a list kept
// here, so a value added to model.h later is found without a change. The
// range is 0 up to the last value whose name differs from the name XxxName
// returns for an out-of-range value ("unknown", "UNKNOWN", ...), so that
// fallback name never parses unless an enumerator really has it
// (HealthStatus::kUnknown is "UNKNOWN"). Enumerators are contiguous from 0,
// and the last one's name must not be the fallback name.
template <typename Enum>
bool ParseEnumName(std::string_view text, const char* (*name)(Enum), Enum* out) {
  constexpr int kMaxEnumerators = 64;
  const std::string_view fallback = name(static_cast<Enum>(-1));
  int end = 0;  // one past the last value whose name is not the fallback
  for (int i = 0; i < kMaxEnumerators; ++i) {
    if (fallback != name(static_cast<Enum>(i))) end = i + 1;
  }
  for (int i = 0; i < end; ++i) {
    Enum candidate = static_cast<Enum>(i);
    if (text == name(candidate)) {
      *out = candidate;
      return true;
    }
  }
  return false;
}

// JSON arrays and objects. Encoding never fails (bytes that are not UTF-8
// are replaced); decoding returns false unless the text has exactly the
// expected shape.
std::string IntsToJson(const std::vector<int>& values);
bool IntsFromJson(std::string_view text, std::vector<int>* values);
std::string StringsToJson(const std::vector<std::string>& values);
bool StringsFromJson(std::string_view text, std::vector<std::string>* values);
std::string StringMapToJson(const std::map<std::string, std::string>& values);
bool StringMapFromJson(std::string_view text, std::map<std::string, std::string>* values);
// [{"name": .., "valueFrom": ..}], ECS's shape.
std::string SecretReferencesToJson(const std::vector<SecretReference>& values);
bool SecretReferencesFromJson(std::string_view text, std::vector<SecretReference>* values);

}  // namespace drydock::state::sqlite
