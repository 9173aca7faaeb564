// Low-level text handling shared by the hand-written HCL and JSON parsers:
// UTF-8 validation, a forward-only cursor that keeps line and column, and
// helpers to describe what was found in an error message.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "config/source.h"

namespace drydock::config::text {

// A problem found by ValidateText: where and what.
struct TextError {
  SourcePos pos;
  std::string message;
};

// Checks that `text` is well-formed UTF-8 (no overlong forms, surrogates or
// code points above U+10FFFF) and contains no NUL byte. Returns the first
// problem, positioned like the parsers position their errors.
std::optional<TextError> ValidateText(std::string_view text);

// Number of bytes of a UTF-8 byte order mark at the start of `text` (0 or 3).
size_t ByteOrderMarkLength(std::string_view text);

// Walks a text forwards, keeping the 1-based line and byte column. A UTF-8
// byte order mark at the start is skipped and does not count as a column.
class Cursor {
 public:
  explicit Cursor(std::string_view text);

  bool AtEnd() const { return offset_ >= text_.size(); }
  // The byte `ahead` bytes from here, or '\0' past the end.
  char Peek(size_t ahead = 0) const {
    return offset_ + ahead < text_.size() ? text_[offset_ + ahead] : '\0';
  }
  // True when the text from here starts with `prefix`.
  bool LookingAt(std::string_view prefix) const { return Rest().substr(0, prefix.size()) == prefix; }
  std::string_view Rest() const { return text_.substr(offset_); }
  // The bytes from offset `from` up to the cursor.
  std::string_view Since(size_t from) const { return text_.substr(from, offset_ - from); }
  size_t offset() const { return offset_; }
  SourcePos pos() const;

  // Moves `n` bytes forward (stops at the end), counting newlines.
  void Advance(size_t n = 1);

 private:
  std::string_view text_;
  size_t offset_ = 0;
  int line_ = 1;
  size_t line_start_ = 0;
};

// The keys seen so far in one object, for duplicate detection in O(1) per key
// (objects with many keys must not make parsing quadratic).
class KeyIndex {
 public:
  // Records `key` at `line`; when the key was already recorded, returns false
  // and sets `*first_line` to the line of its first definition.
  bool Insert(const std::string& key, int line, int* first_line) {
    const auto [it, inserted] = lines_.emplace(key, line);
    *first_line = it->second;
    return inserted;
  }

 private:
  std::unordered_map<std::string, int> lines_;
};

// Appends the UTF-8 encoding of `code_point`. REQUIRES: a Unicode scalar value
// (<= U+10FFFF and not a surrogate).
void AppendUtf8(uint32_t code_point, std::string* out);

// Decodes the code point starting `text` (valid UTF-8 assumed) and returns its
// byte length; `*code_point` receives the value.
size_t DecodeUtf8(std::string_view text, uint32_t* code_point);

// True for the characters Go's unicode.IsSpace accepts (HCL uses it to measure
// heredoc indentation): ASCII \t \n \v \f \r space, U+0085, U+00A0 and the
// Unicode White_Space characters above U+00FF.
bool IsUnicodeSpace(uint32_t code_point);

// `text` without the IsUnicodeSpace characters at both ends (Go's
// strings.TrimSpace). REQUIRES: valid UTF-8.
std::string_view TrimUnicodeSpace(std::string_view text);

// How an error message names the character at the start of `rest`:
// "end of file", "newline", "'x'" or "'é' (U+00E9)".
std::string DescribeNext(std::string_view rest);

// Converts a decimal literal (digits, optional fraction and exponent, as
// validated by the caller) to the nearest double. A value that a double cannot
// hold is refused rather than silently turned into infinity or 0: kTooLarge
// beyond about 1.8e308, kTooSmall for a non-zero value that would round to 0
// (below about 2.5e-324). Subnormal results are accepted.
enum class DecimalStatus { kOk, kTooLarge, kTooSmall };
DecimalStatus ParseDecimal(std::string_view spelling, double* value);

// "too large; expected ..." / "too small; expected ..." for error messages.
std::string DescribeRangeError(DecimalStatus status);

// A number as HCL spells it when it becomes an object key: the shortest
// digits that read back as the same double, in fixed notation (100, 0.1,
// 100000000000000000000), like Go's big.Float.Text('f', -1).
std::string FormatKeyNumber(double value);

// Parses hex digits; false when any is not a hex digit.
bool ParseHex(std::string_view digits, uint32_t* value);

}  // namespace drydock::config::text
