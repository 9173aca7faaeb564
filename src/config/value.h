// The syntax-independent value tree that both the HCL (.tfvars) and the JSON
// (.tfvars.json) parsers produce. Every node remembers where it came from so
// that later stages can point at the exact line and column.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "config/source.h"

namespace drydock::config {

class Value;

struct ObjectEntry {
  std::string key;
  SourceRange key_range;
  std::unique_ptr<Value> value;  // never null
};

class Value {
 public:
  enum class Kind { kNull, kBool, kNumber, kString, kList, kObject };

  static Value Null(SourceRange range);
  static Value Bool(bool b, SourceRange range);
  static Value Number(double n, SourceRange range);
  static Value String(std::string s, SourceRange range);
  static Value List(std::vector<Value> items, SourceRange range);
  static Value Object(std::vector<ObjectEntry> entries, SourceRange range);

  Value(const Value& other);
  Value& operator=(const Value& other);
  Value(Value&&) noexcept = default;
  Value& operator=(Value&&) noexcept = default;

  Kind kind() const { return kind_; }
  const SourceRange& range() const { return range_; }

  bool bool_value() const { return bool_; }
  double number_value() const { return number_; }
  const std::string& string_value() const { return string_; }
  const std::vector<Value>& items() const { return items_; }
  const std::vector<ObjectEntry>& entries() const { return entries_; }

  // The entry named `key`, or nullptr. REQUIRES: kind() == kObject.
  const ObjectEntry* Find(const std::string& key) const;

 private:
  Value() = default;
  Kind kind_ = Kind::kNull;
  SourceRange range_;
  bool bool_ = false;
  double number_ = 0;
  std::string string_;
  std::vector<Value> items_;
  std::vector<ObjectEntry> entries_;
};

// "null", "bool", "number", "string", "list", "object".
const char* KindName(Value::Kind kind);

// A parsed file: top-level attributes in source order.
struct Document {
  std::string file;
  Value root = Value::Object({}, {});  // kind() == kObject
};

// Canonical JSON rendering of a value (keys in source order), used by the
// differential test against HashiCorp's parser and by debugging output.
std::string ToJson(const Value& value);

}  // namespace drydock::config
