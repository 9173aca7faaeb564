#include "config/value.h"

#include <cstdio>

#include "base/strings.h"

namespace drydock::config {

Value Value::Null(SourceRange range) {
  Value v;
  v.range_ = range;
  return v;
}

Value Value::Bool(bool b, SourceRange range) {
  Value v;
  v.kind_ = Kind::kBool;
  v.bool_ = b;
  v.range_ = range;
  return v;
}

Value Value::Number(double n, SourceRange range) {
  Value v;
  v.kind_ = Kind::kNumber;
  v.number_ = n;
  v.range_ = range;
  return v;
}

Value Value::String(std::string s, SourceRange range) {
  Value v;
  v.kind_ = Kind::kString;
  v.string_ = std::move(s);
  v.range_ = range;
  return v;
}

Value Value::List(std::vector<Value> items, SourceRange range) {
  Value v;
  v.kind_ = Kind::kList;
  v.items_ = std::move(items);
  v.range_ = range;
  return v;
}

Value Value::Object(std::vector<ObjectEntry> entries, SourceRange range) {
  Value v;
  v.kind_ = Kind::kObject;
  v.entries_ = std::move(entries);
  v.range_ = range;
  return v;
}

Value::Value(const Value& other)
    : kind_(other.kind_),
      range_(other.range_),
      bool_(other.bool_),
      number_(other.number_),
      string_(other.string_),
      items_(other.items_) {
  entries_.reserve(other.entries_.size());
  for (const ObjectEntry& e : other.entries_) {
    entries_.push_back({e.key, e.key_range, std::make_unique<Value>(*e.value)});
  }
}

Value& Value::operator=(const Value& other) {
  if (this != &other) *this = Value(other);
  return *this;
}

const ObjectEntry* Value::Find(const std::string& key) const {
  for (const ObjectEntry& e : entries_) {
    if (e.key == key) return &e;
  }
  return nullptr;
}

const char* KindName(Value::Kind kind) {
  switch (kind) {
    case Value::Kind::kNull: return "null";
    case Value::Kind::kBool: return "bool";
    case Value::Kind::kNumber: return "number";
    case Value::Kind::kString: return "string";
    case Value::Kind::kList: return "list";
    case Value::Kind::kObject: return "object";
  }
  return "?";
}

namespace {

void AppendJsonString(const std::string& s, std::string* out) {
  out->push_back('"');
  for (unsigned char c : s) {
    switch (c) {
      case '"': *out += "\\\""; break;
      case '\\': *out += "\\\\"; break;
      case '\n': *out += "\\n"; break;
      case '\r': *out += "\\r"; break;
      case '\t': *out += "\\t"; break;
      default:
        if (c < 0x20) {
          char buffer[8];
          std::snprintf(buffer, sizeof buffer, "\\u%04x", c);
          *out += buffer;
        } else {
          out->push_back(static_cast<char>(c));
        }
    }
  }
  out->push_back('"');
}

void AppendJson(const Value& value, std::string* out) {
  switch (value.kind()) {
    case Value::Kind::kNull: *out += "null"; break;
    case Value::Kind::kBool: *out += value.bool_value() ? "true" : "false"; break;
    case Value::Kind::kNumber: *out += FormatNumber(value.number_value()); break;
    case Value::Kind::kString: AppendJsonString(value.string_value(), out); break;
    case Value::Kind::kList: {
      out->push_back('[');
      for (size_t i = 0; i < value.items().size(); ++i) {
        if (i > 0) out->push_back(',');
        AppendJson(value.items()[i], out);
      }
      out->push_back(']');
      break;
    }
    case Value::Kind::kObject: {
      out->push_back('{');
      for (size_t i = 0; i < value.entries().size(); ++i) {
        if (i > 0) out->push_back(',');
        AppendJsonString(value.entries()[i].key, out);
        out->push_back(':');
        AppendJson(*value.entries()[i].value, out);
      }
      out->push_back('}');
      break;
    }
  }
}

}  // namespace

std::string ToJson(const Value& value) {
  std::string out;
  AppendJson(value, &out);
  return out;
}

}  // namespace drydock::config
