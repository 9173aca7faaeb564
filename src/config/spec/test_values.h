// Test-only helpers that build Value trees the way the parsers do, with each
// node placed at an explicit line and column, so decoder tests do not depend
// on a parser.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "config/value.h"

namespace drydock::config::testing {

inline SourceRange At(int line, int column) {
  return SourceRange{SourcePos{line, column, 0}, SourcePos{line, column + 1, 0}};
}

inline Value Num(double n, int line, int column) { return Value::Number(n, At(line, column)); }
inline Value Str(std::string s, int line, int column) {
  return Value::String(std::move(s), At(line, column));
}
inline Value Bool(bool b, int line, int column) { return Value::Bool(b, At(line, column)); }
inline Value Null(int line, int column) { return Value::Null(At(line, column)); }
inline Value List(int line, int column, std::vector<Value> items) {
  return Value::List(std::move(items), At(line, column));
}

// `key` written at (line, column).
inline ObjectEntry Entry(std::string key, int line, int column, Value value) {
  return ObjectEntry{std::move(key), At(line, column), std::make_unique<Value>(std::move(value))};
}

// An object whose `{` is at (line, column).
template <typename... Entries>
Value Obj(int line, int column, Entries... entries) {
  std::vector<ObjectEntry> list;
  (list.push_back(std::move(entries)), ...);
  return Value::Object(std::move(list), At(line, column));
}

template <typename... Entries>
Document Doc(std::string file, Entries... entries) {
  Document document;
  document.file = std::move(file);
  document.root = Obj(1, 1, std::move(entries)...);
  return document;
}

}  // namespace drydock::config::testing
