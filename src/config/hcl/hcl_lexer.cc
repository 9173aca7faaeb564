#include "config/hcl/hcl_lexer.h"

#include <limits>
#include <vector>

namespace drydock::config::hcl {
namespace {

bool IsIdentStart(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

bool IsIdentContinue(char c) { return IsIdentStart(c) || (c >= '0' && c <= '9') || c == '-'; }

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

std::string PosText(SourcePos pos) {
  return std::to_string(pos.line) + ":" + std::to_string(pos.column);
}

// The heredoc line (without its "\n") stripped of the white space around it,
// any Unicode white space as in HCL: what is compared with the closing marker.
std::string_view MarkerCandidate(std::string_view line) { return text::TrimUnicodeSpace(line); }

// Number of leading code points of `line` that are white space, or -1 when the
// whole line (newline included) is white space: HCL does not let such blank
// lines take part in measuring the indentation of a <<- heredoc.
int LeadingSpaces(std::string_view line) {
  int count = 0;
  size_t i = 0;
  while (i < line.size()) {
    uint32_t cp = 0;
    const size_t length = text::DecodeUtf8(line.substr(i), &cp);
    if (!text::IsUnicodeSpace(cp)) return count;
    ++count;
    i += length;
  }
  return -1;
}

// Removes the first `count` code points of `line`.
std::string_view DropCodePoints(std::string_view line, int count) {
  size_t i = 0;
  for (int n = 0; n < count && i < line.size(); ++n) {
    uint32_t cp = 0;
    i += text::DecodeUtf8(line.substr(i), &cp);
  }
  return line.substr(i);
}

// The <<- form: strips the smallest indentation of the non-blank lines from
// each of them, counting characters (a tab counts as one), as HCL does.
std::string StripIndentation(const std::vector<std::string>& lines) {
  int smallest = std::numeric_limits<int>::max();
  for (const std::string& line : lines) {
    const int spaces = LeadingSpaces(line);
    if (spaces >= 0 && spaces < smallest) smallest = spaces;
  }
  std::string out;
  for (const std::string& line : lines) {
    out += LeadingSpaces(line) < 0 ? std::string_view(line) : DropCodePoints(line, smallest);
  }
  return out;
}

}  // namespace

std::string Abbreviate(std::string_view text) {
  if (text.size() <= 40) return std::string(text);
  size_t cut = 37;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return std::string(text.substr(0, cut)) + "...";
}

Token Lexer::Make(TokenKind kind, SourcePos begin) {
  Token token;
  token.kind = kind;
  token.range = {begin, cursor_.pos()};
  token.text = cursor_.Since(static_cast<size_t>(begin.offset));
  return token;
}

Token Lexer::Fail(SourcePos pos, std::string message, std::string fix) {
  if (!failed_) error_ = LexError{pos, std::move(message), std::move(fix)};
  failed_ = true;
  Token token;
  token.kind = TokenKind::kError;
  token.range = {pos, pos};
  return token;
}

Token Lexer::Next() {
  if (failed_) return Fail(error_.pos, error_.message, error_.fix);
  if (!SkipBlanks()) return Fail(error_.pos, error_.message, error_.fix);
  const SourcePos begin = cursor_.pos();
  if (cursor_.AtEnd()) return Make(TokenKind::kEof, begin);
  if (cursor_.LookingAt("\r\n")) {
    cursor_.Advance(2);
    return Make(TokenKind::kNewline, begin);
  }
  const char c = cursor_.Peek();
  if (IsIdentStart(c)) return LexIdentifier();
  if (IsDigit(c)) return LexNumber();
  if (c == '"') return LexString();
  if (cursor_.LookingAt("<<")) return LexHeredoc();
  static constexpr std::pair<char, TokenKind> kPunctuation[] = {
      {'\n', TokenKind::kNewline}, {'{', TokenKind::kLBrace},   {'}', TokenKind::kRBrace},
      {'[', TokenKind::kLBracket}, {']', TokenKind::kRBracket}, {'(', TokenKind::kLParen},
      {')', TokenKind::kRParen},   {'=', TokenKind::kEquals},   {':', TokenKind::kColon},
      {',', TokenKind::kComma},    {'-', TokenKind::kMinus}};
  for (const auto& [ch, kind] : kPunctuation) {
    if (c == ch) {
      cursor_.Advance();
      return Make(kind, begin);
    }
  }
  uint32_t cp = 0;
  cursor_.Advance(text::DecodeUtf8(cursor_.Rest(), &cp));
  return Make(TokenKind::kOther, begin);
}

bool Lexer::SkipBlanks() {
  for (;;) {
    const char c = cursor_.Peek();
    if (c == ' ' || c == '\t') {
      cursor_.Advance();
    } else if (c == '#' || cursor_.LookingAt("//")) {
      while (!cursor_.AtEnd() && cursor_.Peek() != '\n' && !cursor_.LookingAt("\r\n")) {
        cursor_.Advance();
      }
    } else if (cursor_.LookingAt("/*")) {
      const SourcePos open = cursor_.pos();
      const size_t close = cursor_.Rest().find("*/", 2);
      if (close == std::string_view::npos) {
        cursor_.Advance(cursor_.Rest().size());
        Fail(cursor_.pos(), "found end of file inside the comment opened at " + PosText(open) +
                                "; expected '*/' to close it");
        return false;
      }
      cursor_.Advance(close + 2);
    } else {
      return true;
    }
  }
}

Token Lexer::LexIdentifier() {
  const SourcePos begin = cursor_.pos();
  while (IsIdentContinue(cursor_.Peek())) cursor_.Advance();
  return Make(TokenKind::kIdent, begin);
}

// digits ('.' digits)? ([eE] [+-]? digits)?, as HCL spells numbers.
Token Lexer::LexNumber() {
  const SourcePos begin = cursor_.pos();
  while (IsDigit(cursor_.Peek())) cursor_.Advance();
  if (cursor_.Peek() == '.') {
    cursor_.Advance();
    if (!IsDigit(cursor_.Peek())) {
      return Fail(cursor_.pos(), "found " + text::DescribeNext(cursor_.Rest()) + " after '" +
                                     std::string(cursor_.Since(begin.offset)) +
                                     "'; expected a digit after the decimal point");
    }
    while (IsDigit(cursor_.Peek())) cursor_.Advance();
  }
  if (cursor_.Peek() == 'e' || cursor_.Peek() == 'E') {
    cursor_.Advance();
    if (cursor_.Peek() == '+' || cursor_.Peek() == '-') cursor_.Advance();
    if (!IsDigit(cursor_.Peek())) {
      return Fail(cursor_.pos(), "found " + text::DescribeNext(cursor_.Rest()) + " after '" +
                                     std::string(cursor_.Since(begin.offset)) +
                                     "'; expected the digits of the exponent");
    }
    while (IsDigit(cursor_.Peek())) cursor_.Advance();
  }
  return Make(TokenKind::kNumber, begin);
}

bool Lexer::DecodeTemplateSequence(std::string* out, bool* failed) {
  *failed = false;
  if (cursor_.LookingAt("$${") || cursor_.LookingAt("%%{")) {
    out->push_back(cursor_.Peek());  // "$${" is a literal "${", "%%{" a literal "%{"
    out->push_back('{');
    cursor_.Advance(3);
    return true;
  }
  if (cursor_.LookingAt("${") || cursor_.LookingAt("%{")) {
    const bool directive = cursor_.Peek() == '%';
    Fail(cursor_.pos(),
         std::string(directive ? "template directives are" : "interpolation is") +
             " not available in .tfvars: variables and functions cannot be used here (found '" +
             std::string(cursor_.Rest().substr(0, 2)) + "'; expected a literal value)",
         std::string("write the value itself; to get a literal '") + cursor_.Peek() +
             "{', write '" + cursor_.Peek() + cursor_.Peek() + "{'");
    *failed = true;
    return true;
  }
  return false;
}

bool Lexer::DecodeEscape(std::string* out) {
  const SourcePos at = cursor_.pos();
  const char selector = cursor_.Peek(1);
  static constexpr std::pair<char, char> kSimple[] = {
      {'n', '\n'}, {'r', '\r'}, {'t', '\t'}, {'"', '"'}, {'\\', '\\'}};
  for (const auto& [name, byte] : kSimple) {
    if (selector == name) {
      out->push_back(byte);
      cursor_.Advance(2);
      return true;
    }
  }
  if (selector != 'u' && selector != 'U') {
    const bool printable = selector > ' ' && selector < 0x7F;
    const std::string shown = printable ? std::string("\\") + selector
                                        : "\\ followed by " + text::DescribeNext(cursor_.Rest().substr(1));
    Fail(at, "found the escape sequence " + shown +
                 "; expected one of \\n \\r \\t \\\" \\\\ \\uNNNN \\UNNNNNNNN",
         "write \\\\ for a literal backslash");
    return false;
  }
  const size_t digits = selector == 'u' ? 4 : 8;
  uint32_t cp = 0;
  const std::string_view hex = cursor_.Rest().substr(2, digits);
  if (hex.size() != digits || !text::ParseHex(hex, &cp)) {
    Fail(at, "found '\\" + std::string(cursor_.Rest().substr(1, digits + 1)) + "'; expected " +
                 std::to_string(digits) + " hexadecimal digits after \\" + selector);
    return false;
  }
  if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
    Fail(at, "found '\\" + std::string(cursor_.Rest().substr(1, digits + 1)) +
                 "', which is not a Unicode character; expected a code point up to U+10FFFF "
                 "outside the surrogates U+D800-U+DFFF");
    return false;
  }
  text::AppendUtf8(cp, out);
  cursor_.Advance(2 + digits);
  return true;
}

Token Lexer::LexString() {
  const SourcePos begin = cursor_.pos();
  cursor_.Advance();  // opening quote
  std::string value;
  for (;;) {
    const char c = cursor_.Peek();
    if (cursor_.AtEnd() || c == '\n' || c == '\r') {
      const std::string found = cursor_.AtEnd() ? "end of file" : "end of the line";
      return Fail(cursor_.pos(),
                  "found " + found + " inside the string opened at " + PosText(begin) +
                      "; expected its closing '\"'",
                  "a quoted string cannot span lines: use \\n for a line break or a heredoc "
                  "(<<EOT) for multi-line text");
    }
    if (c == '"') break;
    bool failed = false;
    if (c == '\\') {
      if (!DecodeEscape(&value)) return Fail(error_.pos, error_.message, error_.fix);
    } else if (DecodeTemplateSequence(&value, &failed)) {
      if (failed) return Fail(error_.pos, error_.message, error_.fix);
    } else {
      value.push_back(c);
      cursor_.Advance();
    }
  }
  cursor_.Advance();  // closing quote
  Token token = Make(TokenKind::kString, begin);
  token.value = std::move(value);
  return token;
}

Token Lexer::LexHeredoc() {
  const SourcePos begin = cursor_.pos();
  cursor_.Advance(2);
  const bool indented = cursor_.Peek() == '-';
  if (indented) cursor_.Advance();
  const size_t marker_start = cursor_.offset();
  if (IsIdentStart(cursor_.Peek())) {
    while (IsIdentContinue(cursor_.Peek())) cursor_.Advance();
  }
  const std::string_view marker = cursor_.Since(marker_start);
  if (marker.empty()) {
    return Fail(cursor_.pos(), "found " + text::DescribeNext(cursor_.Rest()) + " after '" +
                                   std::string(cursor_.Since(begin.offset)) +
                                   "'; expected a heredoc marker such as EOT");
  }
  if (cursor_.LookingAt("\r\n")) cursor_.Advance();
  if (cursor_.Peek() != '\n') {
    return Fail(cursor_.pos(), "found " + text::DescribeNext(cursor_.Rest()) +
                                   " after the heredoc marker " + std::string(marker) +
                                   "; expected a newline (the text starts on the next line)");
  }
  cursor_.Advance();
  std::vector<std::string> lines;
  if (!ReadHeredocBody(marker, begin, &lines)) return Fail(error_.pos, error_.message, error_.fix);
  Token token = Make(TokenKind::kHeredoc, begin);
  if (indented) {
    token.value = StripIndentation(lines);
  } else {
    for (const std::string& l : lines) token.value += l;
  }
  return token;
}

// Reads the lines after the opening line up to the closing marker, leaving the
// cursor on the line break after the marker.
bool Lexer::ReadHeredocBody(std::string_view marker, SourcePos open,
                            std::vector<std::string>* lines) {
  for (;;) {
    const std::string_view rest = cursor_.Rest();
    const size_t newline = rest.find('\n');
    if (MarkerCandidate(rest.substr(0, newline)) == marker) {
      if (newline == std::string_view::npos) {
        cursor_.Advance(rest.size());
        Fail(cursor_.pos(), "found end of file right after the closing marker " +
                                std::string(marker) + "; expected a newline (HCL requires one "
                                "after it)");
        return false;
      }
      // Stop before the line break: it is the newline that ends the value.
      cursor_.Advance(newline > 0 && rest[newline - 1] == '\r' ? newline - 1 : newline);
      return true;
    }
    if (newline == std::string_view::npos) {
      cursor_.Advance(rest.size());
      Fail(cursor_.pos(), "found end of file inside the heredoc opened at " + PosText(open) +
                              "; expected a line holding only its closing marker " +
                              std::string(marker));
      return false;
    }
    std::string line;
    if (!DecodeHeredocLine(&line)) return false;
    lines->push_back(std::move(line));
  }
}

bool Lexer::DecodeHeredocLine(std::string* out) {
  for (;;) {
    const char c = cursor_.Peek();
    bool failed = false;
    if (DecodeTemplateSequence(out, &failed)) {
      if (failed) return false;
      continue;
    }
    if (c == '\r' && cursor_.Peek(1) != '\n') {
      Fail(cursor_.pos(), "found a carriage return (U+000D) that does not end the line inside a "
                          "heredoc; expected a newline or text");
      return false;
    }
    out->push_back(c);  // backslashes are literal in a heredoc
    cursor_.Advance();
    if (c == '\n') return true;
  }
}

std::string DescribeToken(const Token& token) {
  switch (token.kind) {
    case TokenKind::kIdent: return "'" + std::string(token.text) + "'";
    case TokenKind::kNumber: return "the number " + std::string(token.text);
    case TokenKind::kString: return "the string " + Abbreviate(token.text);
    case TokenKind::kHeredoc: return "a heredoc string";
    case TokenKind::kNewline: return "newline";
    case TokenKind::kEof: return "end of file";
    case TokenKind::kOther: return text::DescribeNext(token.text);
    case TokenKind::kError: return "an error";
    default: return "'" + std::string(token.text) + "'";
  }
}

}  // namespace drydock::config::hcl
