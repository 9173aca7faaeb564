// Recursive-descent parser for the literal subset of HCL native syntax that a
// .tfvars file may hold. It follows hashicorp/hcl's hclsyntax where the two
// overlap: newlines end attributes and separate object items, but are ignored
// inside [ ] lists; stops at the first error.
#include "config/hcl/hcl_parser.h"

#include <optional>
#include <utility>
#include <vector>

#include "base/strings.h"
#include "config/hcl/hcl_lexer.h"
#include "config/hcl/source_text.h"

namespace drydock::config {
namespace {

using hcl::Lexer;
using hcl::Token;
using hcl::TokenKind;

// Deeper nesting is refused so that hostile input cannot exhaust the stack.
constexpr int kMaxDepth = 128;

std::string PosText(SourcePos pos) {
  return std::to_string(pos.line) + ":" + std::to_string(pos.column);
}

class Parser {
 public:
  Parser(std::string_view text, std::string file) : lexer_(text), file_(std::move(file)) {}

  // Parses the whole body into `entries`; false on the first error.
  bool ParseBody(std::vector<ObjectEntry>* entries);
  SourcePos end_pos() const { return lexer_.pos(); }
  Diagnostics TakeDiagnostics();

 private:
  bool ParseAttribute(std::vector<ObjectEntry>* entries, text::KeyIndex* keys);
  bool ParseValue(int depth, Value* out);
  bool ParseNumber(std::optional<SourcePos> minus, Value* out);
  bool ParseList(int depth, Value* out);
  bool ParseObject(int depth, Value* out);
  bool ParseObjectItem(int depth, std::vector<ObjectEntry>* entries, text::KeyIndex* keys);
  bool ParseKey(std::string* key, SourceRange* range);
  bool FailIdentifier(const Token& name);
  bool CheckAttributeName(const Token& name);
  bool FailBlock(const Token& name);
  bool FailNonAsciiName(const Token& name, const Token& next);
  bool CheckDepth(int depth, const Token& open);

  // The next token; newlines are skipped while inside a list.
  const Token& Peek();
  Token Take();
  // Records the first error (later ones are consequences) and returns false.
  bool Fail(SourcePos pos, std::string message, std::string fix = "");
  bool FailFound(const Token& found, const std::string& expected, std::string fix = "");

  Lexer lexer_;
  std::string file_;
  std::optional<Token> peeked_;
  // true: newlines are tokens (top level, objects); false: inside a list.
  std::vector<bool> newlines_{true};
  std::optional<Diagnostic> error_;
};

const Token& Parser::Peek() {
  for (;;) {
    if (!peeked_) peeked_ = lexer_.Next();
    if (peeked_->kind == TokenKind::kError && !error_) {
      Fail(lexer_.error().pos, lexer_.error().message, lexer_.error().fix);
    }
    if (peeked_->kind != TokenKind::kNewline || newlines_.back()) return *peeked_;
    peeked_.reset();
  }
}

Token Parser::Take() {
  Peek();
  Token token = std::move(*peeked_);
  peeked_.reset();
  return token;
}

bool Parser::Fail(SourcePos pos, std::string message, std::string fix) {
  if (!error_) {
    error_ = Diagnostic{Severity::kError, file_, pos, "", "syntax", std::move(message),
                        std::move(fix)};
  }
  return false;
}

bool Parser::FailFound(const Token& found, const std::string& expected, std::string fix) {
  return Fail(found.range.begin, "found " + hcl::DescribeToken(found) + "; expected " + expected,
              std::move(fix));
}

Diagnostics Parser::TakeDiagnostics() {
  if (!error_) return {};
  return {std::move(*error_)};
}

bool Parser::ParseBody(std::vector<ObjectEntry>* entries) {
  text::KeyIndex keys;
  for (;;) {
    const Token& next = Peek();
    if (next.kind == TokenKind::kError) return false;
    if (next.kind == TokenKind::kEof) return true;
    if (next.kind == TokenKind::kNewline) {
      Take();
      continue;
    }
    if (!ParseAttribute(entries, &keys)) return false;
  }
}

bool Parser::ParseAttribute(std::vector<ObjectEntry>* entries, text::KeyIndex* keys) {
  Token name = Take();
  if (!CheckAttributeName(name)) return false;
  const Token& op = Peek();
  if (op.kind == TokenKind::kLBrace || op.kind == TokenKind::kString ||
      op.kind == TokenKind::kIdent) {
    if (FailBlock(name)) return false;
  }
  if (FailNonAsciiName(name, op)) return false;
  if (op.kind != TokenKind::kEquals) {
    return FailFound(op, "'=' after the attribute name " + std::string(name.text),
                     op.kind == TokenKind::kColon ? "':' is only allowed inside { } objects" : "");
  }
  Take();
  std::string key(name.text);
  int first_line = 0;
  if (!keys->Insert(key, name.range.begin.line, &first_line)) {
    return Fail(name.range.begin, "attribute " + key + " is already defined at line " +
                                      std::to_string(first_line),
                "remove one of the two definitions");
  }
  Value value = Value::Null({});
  if (!ParseValue(0, &value)) return false;
  const Token& end = Peek();
  if (end.kind != TokenKind::kNewline && end.kind != TokenKind::kEof) {
    return FailFound(end, "a newline after the value of " + key +
                              " (each attribute goes on its own line)");
  }
  entries->push_back({key, name.range, std::make_unique<Value>(std::move(value))});
  return true;
}

bool Parser::CheckAttributeName(const Token& name) {
  if (name.kind == TokenKind::kIdent) return true;
  if (name.kind == TokenKind::kString) {
    return FailFound(name, "an attribute name: attribute names must not be quoted",
                     "write " + name.value + " = ... without the quotes");
  }
  const bool non_ascii =
      name.kind == TokenKind::kOther && static_cast<unsigned char>(name.text[0]) >= 0x80;
  return FailFound(name, "an attribute name (a letter or '_' followed by letters, digits, '_' "
                         "or '-')",
                   non_ascii ? "drydock accepts ASCII names only" : "");
}

// Called when an attribute name is followed by '{', a string or a name: if
// labels and then '{' follow, this is a block. Returns true when it failed.
bool Parser::FailBlock(const Token& name) {
  Lexer ahead = lexer_;  // lexes past peeked_ without consuming
  TokenKind kind = peeked_->kind;
  for (int labels = 0; labels < 8 && kind != TokenKind::kLBrace; ++labels) {
    if (kind != TokenKind::kString && kind != TokenKind::kIdent) return false;
    kind = ahead.Next().kind;
  }
  if (kind != TokenKind::kLBrace) return false;
  std::string attribute(name.text);
  return !Fail(name.range.begin,
               "blocks are not allowed in a .tfvars file: found a block " + attribute +
                   "; expected an attribute such as " + attribute + " = value",
               "to set an object, write " + attribute + " = { ... }");
}

// A name directly followed by a non-ASCII character: HCL would accept a
// Unicode letter there, drydock takes ASCII names only. Returns true when it
// failed.
bool Parser::FailNonAsciiName(const Token& name, const Token& next) {
  if (name.kind != TokenKind::kIdent || next.kind != TokenKind::kOther ||
      next.range.begin.offset != name.range.end.offset ||
      static_cast<unsigned char>(next.text[0]) < 0x80) {
    return false;
  }
  return !Fail(next.range.begin, "found " + hcl::DescribeToken(next) + " in the name " +
                                     std::string(name.text) + "...; expected ASCII letters, "
                                     "digits, '_' or '-' (drydock accepts ASCII names only)",
               "rename it using ASCII characters, or quote it where a key is expected");
}

bool Parser::ParseValue(int depth, Value* out) {
  const Token& next = Peek();
  switch (next.kind) {
    case TokenKind::kString:
    case TokenKind::kHeredoc: {
      Token token = Take();
      *out = Value::String(std::move(token.value), token.range);
      return true;
    }
    case TokenKind::kNumber: return ParseNumber(std::nullopt, out);
    case TokenKind::kMinus: return ParseNumber(Take().range.begin, out);
    case TokenKind::kLBracket: return ParseList(depth, out);
    case TokenKind::kLBrace: return ParseObject(depth, out);
    case TokenKind::kIdent: {
      Token token = Take();
      if (token.text == "true" || token.text == "false") {
        *out = Value::Bool(token.text == "true", token.range);
      } else if (token.text == "null") {
        *out = Value::Null(token.range);
      } else {
        return FailIdentifier(token);
      }
      return true;
    }
    case TokenKind::kLParen:
      return FailFound(next, "a value: expressions are not available in .tfvars, only literal "
                             "values");
    case TokenKind::kError: return false;
    default:
      return FailFound(next, "a value (a \"string\", a number, true, false, null, a [list] or "
                             "an {object})");
  }
}

bool Parser::FailIdentifier(const Token& name) {
  const std::string word(name.text);
  if (Peek().kind == TokenKind::kLParen) {
    return Fail(name.range.begin, "found a call of the function " + word +
                                      "; expected a literal value: variables and functions "
                                      "cannot be used in .tfvars");
  }
  std::string lower = word;
  for (char& c : lower) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  const std::string keyword = ClosestMatch(lower, {"true", "false", "null"});
  return Fail(name.range.begin,
              "found the name " + word + "; expected a value: variables and functions cannot be "
                                         "used in .tfvars",
              keyword.empty() ? "to write the text " + word + ", quote it: \"" + word + "\""
                              : "did you mean " + keyword + "?");
}

// A number, negated when `minus` holds the position of a preceding '-'.
bool Parser::ParseNumber(std::optional<SourcePos> minus, Value* out) {
  Token token = Take();
  if (token.kind != TokenKind::kNumber) {
    return FailFound(token, "a number after '-'");
  }
  double number = 0;
  const text::DecimalStatus status = text::ParseDecimal(token.text, &number);
  if (status != text::DecimalStatus::kOk) {
    return Fail(token.range.begin, "the number " + hcl::Abbreviate(token.text) + " is " +
                                       text::DescribeRangeError(status));
  }
  SourceRange range = token.range;
  if (minus) {
    range.begin = *minus;
    number = -number;
  }
  *out = Value::Number(number, range);
  return true;
}

bool Parser::CheckDepth(int depth, const Token& open) {
  if (depth < kMaxDepth) return true;
  return Fail(open.range.begin, "found lists and objects nested more than " +
                                    std::to_string(kMaxDepth) + " levels deep; expected at most " +
                                    std::to_string(kMaxDepth));
}

bool Parser::ParseList(int depth, Value* out) {
  Token open = Take();
  if (!CheckDepth(depth, open)) return false;
  newlines_.push_back(false);
  std::vector<Value> items;
  for (;;) {
    if (Peek().kind == TokenKind::kRBracket) break;
    Value item = Value::Null({});
    if (!ParseValue(depth + 1, &item)) return false;
    items.push_back(std::move(item));
    const Token& next = Peek();
    if (next.kind == TokenKind::kComma) {
      Take();
    } else if (next.kind != TokenKind::kRBracket) {
      return FailFound(next, "',' or ']' to close the list opened at " +
                                 PosText(open.range.begin));
    }
  }
  Token close = Take();
  newlines_.pop_back();
  *out = Value::List(std::move(items), {open.range.begin, close.range.end});
  return true;
}

bool Parser::ParseObject(int depth, Value* out) {
  Token open = Take();
  if (!CheckDepth(depth, open)) return false;
  newlines_.push_back(true);
  std::vector<ObjectEntry> entries;
  text::KeyIndex keys;
  for (;;) {
    const Token& next = Peek();
    if (next.kind == TokenKind::kRBrace) break;
    if (next.kind == TokenKind::kNewline) {
      Take();
      continue;
    }
    if (entries.empty() && next.kind == TokenKind::kIdent && next.text == "for") {
      // HCL reads "{ for" as the start of a for expression, even as a key.
      return Fail(next.range.begin, "found 'for' as the first key of an object; expected another "
                                    "key: HCL reads '{ for' as the start of a for expression",
                  "quote the key: \"for\" = ...");
    }
    if (!ParseObjectItem(depth, &entries, &keys)) return false;
    const Token& separator = Peek();
    if (separator.kind == TokenKind::kComma || separator.kind == TokenKind::kNewline) {
      Take();
    } else if (separator.kind != TokenKind::kRBrace) {
      return FailFound(separator, "',' or a newline before the next item, or '}' to close the "
                                  "object opened at " + PosText(open.range.begin));
    }
  }
  Token close = Take();
  newlines_.pop_back();
  *out = Value::Object(std::move(entries), {open.range.begin, close.range.end});
  return true;
}

bool Parser::ParseObjectItem(int depth, std::vector<ObjectEntry>* entries,
                             text::KeyIndex* keys) {
  std::string key;
  SourceRange key_range;
  if (!ParseKey(&key, &key_range)) return false;
  const Token& op = Peek();
  if (op.kind != TokenKind::kEquals && op.kind != TokenKind::kColon) {
    const bool dot = op.kind == TokenKind::kOther && op.text == ".";
    return FailFound(op, "'=' or ':' after the key " + key,
                     dot ? "to use a key that contains dots, quote the whole key, e.g. \"a.b\"" : "");
  }
  Take();
  int first_line = 0;
  if (!keys->Insert(key, key_range.begin.line, &first_line)) {
    return Fail(key_range.begin, "key " + key + " is already defined at line " +
                                     std::to_string(first_line) + " in this object",
                "remove one of the two definitions");
  }
  Value value = Value::Null({});
  if (!ParseValue(depth + 1, &value)) return false;
  entries->push_back({std::move(key), key_range, std::make_unique<Value>(std::move(value))});
  return true;
}

// name | "string" | number | ("string"): HCL turns each into a string key.
bool Parser::ParseKey(std::string* key, SourceRange* range) {
  Token token = Take();
  *range = token.range;
  switch (token.kind) {
    case TokenKind::kIdent:
      *key = std::string(token.text);
      return !FailNonAsciiName(token, Peek());
    case TokenKind::kString: *key = std::move(token.value); return true;
    case TokenKind::kNumber: {
      double number = 0;
      const text::DecimalStatus status = text::ParseDecimal(token.text, &number);
      if (status != text::DecimalStatus::kOk) {
        return Fail(token.range.begin, "the number key " + hcl::Abbreviate(token.text) + " is " +
                                           text::DescribeRangeError(status));
      }
      *key = text::FormatKeyNumber(number);
      return true;
    }
    case TokenKind::kLParen: {
      newlines_.push_back(false);  // as in HCL, newlines are free inside ( )
      Token inner = Take();
      if (inner.kind != TokenKind::kString) {
        return FailFound(inner, "a quoted string inside '(' ')': only literal keys are "
                                "available in .tfvars");
      }
      Token close = Take();
      newlines_.pop_back();
      if (close.kind != TokenKind::kRParen) return FailFound(close, "')' after the key");
      *key = std::move(inner.value);
      range->end = close.range.end;
      return true;
    }
    case TokenKind::kError: return false;
    default:
      return FailFound(token, "an object key (a name or a \"quoted string\")");
  }
}

}  // namespace

Diagnostics ParseHcl(std::string_view text, const std::string& file, Document* document) {
  document->file = file;
  if (std::optional<text::TextError> bad = text::ValidateText(text)) {
    return {Diagnostic{Severity::kError, file, bad->pos, "", "syntax", bad->message, ""}};
  }
  Parser parser(text, file);
  std::vector<ObjectEntry> entries;
  const SourcePos begin = text::Cursor(text).pos();
  parser.ParseBody(&entries);
  document->root = Value::Object(std::move(entries), {begin, parser.end_pos()});
  return parser.TakeDiagnostics();
}

}  // namespace drydock::config
