// Strict RFC 8259 JSON, hand-written so that every value keeps its position.
// Only extensions: a UTF-8 byte order mark at the start is skipped (RFC 8259
// section 8.1 allows it), and the top level must be an object (a .tfvars.json
// file maps variable names to values). Stops at the first error.
#include "config/json/json_parser.h"

#include <cctype>
#include <optional>
#include <utility>
#include <vector>

#include "config/hcl/source_text.h"

namespace drydock::config {
namespace {

// Deeper nesting is refused so that hostile input cannot exhaust the stack.
constexpr int kMaxDepth = 128;

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

std::string PosText(SourcePos pos) {
  return std::to_string(pos.line) + ":" + std::to_string(pos.column);
}

class JsonParser {
 public:
  JsonParser(std::string_view text, std::string file) : cursor_(text), file_(std::move(file)) {}

  bool ParseDocument(Value* root);
  SourcePos pos() const { return cursor_.pos(); }
  Diagnostics TakeDiagnostics();

 private:
  bool ParseValue(int depth, Value* out);
  bool ParseObject(int depth, Value* out);
  bool ParseMember(int depth, std::vector<ObjectEntry>* entries, text::KeyIndex* keys);
  bool ParseArray(int depth, Value* out);
  bool ParseString(std::string* out, SourceRange* range);
  bool ParseEscape(std::string* out);
  bool ParseUnicodeEscape(std::string* out);
  bool ParseNumber(Value* out);
  bool ParseLiteral(Value* out);
  bool ReadDigits(const char* what);
  bool CheckDepth(int depth);
  void SkipWhitespace();

  bool Fail(SourcePos pos, std::string message, std::string fix = "");
  // "found <next>; expected <expected>" at the cursor.
  bool FailHere(const std::string& expected, std::string fix = "");

  text::Cursor cursor_;
  std::string file_;
  std::optional<Diagnostic> error_;
};

bool JsonParser::Fail(SourcePos pos, std::string message, std::string fix) {
  if (!error_) {
    error_ = Diagnostic{Severity::kError, file_, pos, "", "syntax", std::move(message),
                        std::move(fix)};
  }
  return false;
}

bool JsonParser::FailHere(const std::string& expected, std::string fix) {
  return Fail(cursor_.pos(), "found " + text::DescribeNext(cursor_.Rest()) + "; expected " +
                                 expected, std::move(fix));
}

Diagnostics JsonParser::TakeDiagnostics() {
  if (!error_) return {};
  return {std::move(*error_)};
}

void JsonParser::SkipWhitespace() {
  for (;;) {
    const char c = cursor_.Peek();
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return;
    cursor_.Advance();
  }
}

bool JsonParser::ParseDocument(Value* root) {
  SkipWhitespace();
  if (cursor_.Peek() != '{') {
    return FailHere("'{': a .tfvars.json file holds one object mapping variable names to values");
  }
  // The top-level object plays the part of an HCL body, which does not count
  // as a level: values nest up to kMaxDepth levels in both syntaxes.
  if (!ParseValue(-1, root)) return false;
  SkipWhitespace();
  if (!cursor_.AtEnd()) return FailHere("end of file after the top-level object");
  return true;
}

bool JsonParser::CheckDepth(int depth) {
  if (depth < kMaxDepth) return true;
  return Fail(cursor_.pos(), "found arrays and objects nested more than " +
                                 std::to_string(kMaxDepth) + " levels deep; expected at most " +
                                 std::to_string(kMaxDepth));
}

bool JsonParser::ParseValue(int depth, Value* out) {
  SkipWhitespace();
  const char c = cursor_.Peek();
  if (c == '{') return ParseObject(depth, out);
  if (c == '[') return ParseArray(depth, out);
  if (c == '-' || IsDigit(c)) return ParseNumber(out);
  if (c == '"') {
    std::string s;
    SourceRange range;
    if (!ParseString(&s, &range)) return false;
    *out = Value::String(std::move(s), range);
    return true;
  }
  if (std::isalpha(static_cast<unsigned char>(c))) return ParseLiteral(out);
  return FailHere("a value (a \"string\", a number, true, false, null, an [array] or an {object})",
                  c == '\'' ? "JSON strings use double quotes" : "");
}

bool JsonParser::ParseLiteral(Value* out) {
  const SourcePos begin = cursor_.pos();
  static constexpr std::string_view kWords[] = {"true", "false", "null"};
  for (std::string_view word : kWords) {
    if (!cursor_.LookingAt(word)) continue;
    cursor_.Advance(word.size());
    const SourceRange range{begin, cursor_.pos()};
    *out = word == "null" ? Value::Null(range) : Value::Bool(word == "true", range);
    return true;
  }
  size_t length = 0;
  while (length < 16 && std::isalnum(static_cast<unsigned char>(cursor_.Peek(length)))) ++length;
  return Fail(begin, "found '" + std::string(cursor_.Rest().substr(0, length)) +
                         "'; expected a value (true, false and null are lower case; strings "
                         "need double quotes)");
}

bool JsonParser::ReadDigits(const char* what) {
  if (!IsDigit(cursor_.Peek())) return FailHere(what);
  while (IsDigit(cursor_.Peek())) cursor_.Advance();
  return true;
}

// -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
bool JsonParser::ParseNumber(Value* out) {
  const SourcePos begin = cursor_.pos();
  const bool negative = cursor_.Peek() == '-';
  if (negative) cursor_.Advance();
  const size_t digits_start = cursor_.offset();
  if (cursor_.Peek() == '0') {
    cursor_.Advance();
    if (IsDigit(cursor_.Peek())) {
      return Fail(begin, "found a number with a leading zero; expected no leading zeros in "
                         "JSON numbers");
    }
  } else if (!ReadDigits("a digit after '-'")) {
    return false;
  }
  if (cursor_.Peek() == '.') {
    cursor_.Advance();
    if (!ReadDigits("a digit after the decimal point")) return false;
  }
  if (cursor_.Peek() == 'e' || cursor_.Peek() == 'E') {
    cursor_.Advance();
    if (cursor_.Peek() == '+' || cursor_.Peek() == '-') cursor_.Advance();
    if (!ReadDigits("the digits of the exponent")) return false;
  }
  double number = 0;
  const text::DecimalStatus status = text::ParseDecimal(cursor_.Since(digits_start), &number);
  if (status != text::DecimalStatus::kOk) {
    return Fail(begin, "the number " + std::string(cursor_.Since(begin.offset).substr(0, 40)) +
                           " is " + text::DescribeRangeError(status));
  }
  *out = Value::Number(negative ? -number : number, {begin, cursor_.pos()});
  return true;
}

bool JsonParser::ParseString(std::string* out, SourceRange* range) {
  range->begin = cursor_.pos();
  if (cursor_.Peek() != '"') return FailHere("'\"' to start a string");
  cursor_.Advance();
  for (;;) {
    if (cursor_.AtEnd()) {
      return FailHere("the closing '\"' of the string opened at " + PosText(range->begin));
    }
    const char c = cursor_.Peek();
    if (c == '"') break;
    if (static_cast<unsigned char>(c) < 0x20) {
      return FailHere("a character of the string opened at " + PosText(range->begin) +
                          ": control characters must be escaped",
                      "write \\n for a newline and \\t for a tab");
    }
    if (c == '\\') {
      if (!ParseEscape(out)) return false;
      continue;
    }
    out->push_back(c);
    cursor_.Advance();
  }
  cursor_.Advance();
  range->end = cursor_.pos();
  return true;
}

bool JsonParser::ParseEscape(std::string* out) {
  static constexpr std::pair<char, char> kSimple[] = {{'"', '"'},  {'\\', '\\'}, {'/', '/'},
                                                      {'b', '\b'}, {'f', '\f'},  {'n', '\n'},
                                                      {'r', '\r'}, {'t', '\t'}};
  const char selector = cursor_.Peek(1);
  for (const auto& [name, byte] : kSimple) {
    if (selector == name) {
      out->push_back(byte);
      cursor_.Advance(2);
      return true;
    }
  }
  if (selector == 'u') return ParseUnicodeEscape(out);
  const bool printable = selector > ' ' && selector < 0x7F;
  const std::string shown = printable ? std::string("\\") + selector
                                      : "\\ followed by " + text::DescribeNext(cursor_.Rest().substr(1));
  return Fail(cursor_.pos(), "found the escape sequence " + shown +
                                 "; expected one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX");
}

// \uXXXX, where a high surrogate must be followed by \uXXXX with a low one.
bool JsonParser::ParseUnicodeEscape(std::string* out) {
  const SourcePos at = cursor_.pos();
  const auto read_unit = [this](uint32_t* unit) {
    if (!cursor_.LookingAt("\\u")) return false;
    const std::string_view hex = cursor_.Rest().substr(2, 4);
    if (hex.size() != 4 || !text::ParseHex(hex, unit)) return false;
    cursor_.Advance(6);
    return true;
  };
  uint32_t unit = 0;
  if (!read_unit(&unit)) {
    return Fail(at, "found '" + std::string(cursor_.Rest().substr(0, 6)) +
                        "'; expected 4 hexadecimal digits after \\u");
  }
  if (unit >= 0xDC00 && unit <= 0xDFFF) {
    return Fail(at, "found a lone low surrogate \\u" + std::string(cursor_.Since(at.offset + 2)) +
                        "; expected it to follow a high surrogate \\uD800-\\uDBFF");
  }
  if (unit >= 0xD800 && unit <= 0xDBFF) {
    uint32_t low = 0;
    if (!read_unit(&low) || low < 0xDC00 || low > 0xDFFF) {
      return Fail(at, "found a high surrogate \\u" + std::string(cursor_.Since(at.offset + 2).substr(0, 4)) +
                          " without a low one; expected \\uDC00-\\uDFFF right after it");
    }
    unit = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
  }
  text::AppendUtf8(unit, out);
  return true;
}

bool JsonParser::ParseArray(int depth, Value* out) {
  const SourcePos begin = cursor_.pos();
  if (!CheckDepth(depth)) return false;
  cursor_.Advance();
  std::vector<Value> items;
  SkipWhitespace();
  if (cursor_.Peek() != ']') {
    for (;;) {
      Value item = Value::Null({});
      if (!ParseValue(depth + 1, &item)) return false;
      items.push_back(std::move(item));
      SkipWhitespace();
      if (cursor_.Peek() == ']') break;
      if (cursor_.Peek() != ',') {
        return FailHere("',' or ']' to close the array opened at " + PosText(begin));
      }
      cursor_.Advance();
      SkipWhitespace();
      if (cursor_.Peek() == ']') return FailHere("a value after ','", "JSON has no trailing commas");
    }
  }
  cursor_.Advance();
  *out = Value::List(std::move(items), {begin, cursor_.pos()});
  return true;
}

bool JsonParser::ParseObject(int depth, Value* out) {
  const SourcePos begin = cursor_.pos();
  if (!CheckDepth(depth)) return false;
  cursor_.Advance();
  std::vector<ObjectEntry> entries;
  text::KeyIndex keys;
  SkipWhitespace();
  if (cursor_.Peek() != '}') {
    for (;;) {
      if (!ParseMember(depth, &entries, &keys)) return false;
      SkipWhitespace();
      if (cursor_.Peek() == '}') break;
      if (cursor_.Peek() != ',') {
        return FailHere("',' or '}' to close the object opened at " + PosText(begin));
      }
      cursor_.Advance();
      SkipWhitespace();
      if (cursor_.Peek() == '}') return FailHere("a \"key\" after ','", "JSON has no trailing commas");
    }
  }
  cursor_.Advance();
  *out = Value::Object(std::move(entries), {begin, cursor_.pos()});
  return true;
}

bool JsonParser::ParseMember(int depth, std::vector<ObjectEntry>* entries,
                             text::KeyIndex* keys) {
  SkipWhitespace();
  if (cursor_.Peek() != '"') {
    return FailHere("a \"key\" in double quotes", "JSON object keys are always quoted strings");
  }
  std::string key;
  SourceRange key_range;
  if (!ParseString(&key, &key_range)) return false;
  int first_line = 0;
  if (!keys->Insert(key, key_range.begin.line, &first_line)) {
    return Fail(key_range.begin, "key \"" + key + "\" is already defined at line " +
                                     std::to_string(first_line) + " in this object",
                "remove one of the two definitions");
  }
  SkipWhitespace();
  if (cursor_.Peek() != ':') return FailHere("':' after the key \"" + key + "\"");
  cursor_.Advance();
  Value value = Value::Null({});
  if (!ParseValue(depth + 1, &value)) return false;
  entries->push_back({std::move(key), key_range, std::make_unique<Value>(std::move(value))});
  return true;
}

}  // namespace

Diagnostics ParseJson(std::string_view text, const std::string& file, Document* document) {
  document->file = file;
  if (std::optional<text::TextError> bad = text::ValidateText(text)) {
    return {Diagnostic{Severity::kError, file, bad->pos, "", "syntax", bad->message, ""}};
  }
  JsonParser parser(text, file);
  Value root = Value::Object({}, {});
  parser.ParseDocument(&root);
  document->root = std::move(root);
  return parser.TakeDiagnostics();
}

}  // namespace drydock::config
