// Tokenizer for the literal subset of HCL native syntax used by .tfvars
// files. Strings and heredocs come out already decoded (escapes resolved,
// heredoc indentation stripped); interpolations and directives are errors.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "config/hcl/source_text.h"
#include "config/source.h"

namespace drydock::config::hcl {

enum class TokenKind {
  kIdent,     // name, true, false, null
  kNumber,    // unsigned decimal literal; text holds its spelling
  kString,    // "quoted"; value holds the decoded text
  kHeredoc,   // <<EOT ... EOT; value holds the decoded text
  kLBrace,
  kRBrace,
  kLBracket,
  kRBracket,
  kLParen,
  kRParen,
  kEquals,
  kColon,
  kComma,
  kMinus,
  kNewline,   // significant at top level and inside objects
  kEof,
  kOther,     // a character the grammar has no use for; text holds it
  kError,     // a lexical error; see Lexer::error()
};

struct Token {
  TokenKind kind = TokenKind::kEof;
  SourceRange range;
  std::string_view text;  // the source bytes of the token
  std::string value;      // decoded contents of kString and kHeredoc
};

// A lexical error: where, what was found and what was expected, and an
// optional hint for the fix.
struct LexError {
  SourcePos pos;
  std::string message;
  std::string fix;
};

// Produces tokens one at a time. Copyable, so a parser can look ahead by
// lexing from a copy. REQUIRES: the text passed text::ValidateText.
class Lexer {
 public:
  explicit Lexer(std::string_view text) : cursor_(text) {}

  // The next token. After a kError token, error() describes it and further
  // calls keep returning kError.
  Token Next();
  const LexError& error() const { return error_; }
  SourcePos pos() const { return cursor_.pos(); }

 private:
  // Skips blanks and comments; false on an unterminated /* comment.
  bool SkipBlanks();
  Token LexIdentifier();
  Token LexNumber();
  Token LexString();
  Token LexHeredoc();
  // Reads the heredoc lines after the opening line (each with its "\n");
  // false on error.
  bool ReadHeredocBody(std::string_view marker, SourcePos open, std::vector<std::string>* lines);
  // Decodes one heredoc line (cursor at its start) through its newline.
  bool DecodeHeredocLine(std::string* out);
  // Decodes a backslash escape in a quoted string (cursor at the '\').
  bool DecodeEscape(std::string* out);
  // Handles "$${", "%%{", "${" and "%{" at the cursor. Returns true when it
  // consumed an escape; sets `*failed` on an interpolation or directive.
  bool DecodeTemplateSequence(std::string* out, bool* failed);
  Token Make(TokenKind kind, SourcePos begin);
  Token Fail(SourcePos pos, std::string message, std::string fix = "");

  text::Cursor cursor_;
  LexError error_;
  bool failed_ = false;
};

// `text` cut to about 40 bytes (at a character boundary) with "..." added.
std::string Abbreviate(std::string_view text);

// Human description of a token for "found X" in error messages.
std::string DescribeToken(const Token& token);

}  // namespace drydock::config::hcl
