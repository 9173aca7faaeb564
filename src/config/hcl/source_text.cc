#include "config/hcl/source_text.h"

#include <algorithm>
#include <charconv>
#include <cstdio>

namespace drydock::config::text {
namespace {

// Expected length of a UTF-8 sequence from its lead byte, 0 when the byte
// cannot start one.
size_t SequenceLength(unsigned char lead) {
  if (lead < 0x80) return 1;
  if (lead >= 0xC2 && lead <= 0xDF) return 2;
  if (lead >= 0xE0 && lead <= 0xEF) return 3;
  if (lead >= 0xF0 && lead <= 0xF4) return 4;
  return 0;
}

// Validates one multi-byte sequence of `length` bytes at the start of `s`:
// continuation bytes, overlong forms, surrogates, range.
bool ValidSequence(std::string_view s, size_t length) {
  if (s.size() < length) return false;
  const auto byte = [&](size_t i) { return static_cast<unsigned char>(s[i]); };
  for (size_t i = 1; i < length; ++i) {
    if ((byte(i) & 0xC0) != 0x80) return false;
  }
  if (length == 3) {
    if (byte(0) == 0xE0 && byte(1) < 0xA0) return false;   // overlong
    if (byte(0) == 0xED && byte(1) >= 0xA0) return false;  // surrogate
  }
  if (length == 4) {
    if (byte(0) == 0xF0 && byte(1) < 0x90) return false;   // overlong
    if (byte(0) == 0xF4 && byte(1) >= 0x90) return false;  // above U+10FFFF
  }
  return true;
}

std::string HexByte(unsigned char c) {
  char buffer[8];
  std::snprintf(buffer, sizeof buffer, "0x%02X", c);
  return buffer;
}

}  // namespace

size_t ByteOrderMarkLength(std::string_view text) {
  return text.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;
}

std::optional<TextError> ValidateText(std::string_view text) {
  Cursor cursor(text);
  while (!cursor.AtEnd()) {
    const auto lead = static_cast<unsigned char>(cursor.Peek());
    if (lead == 0) {
      return TextError{cursor.pos(), "found a NUL byte; expected text (is this a binary file?)"};
    }
    const size_t length = SequenceLength(lead);
    if (length == 0 || (length > 1 && !ValidSequence(cursor.Rest(), length))) {
      return TextError{cursor.pos(), "found the byte " + HexByte(lead) +
                                         " that is not valid UTF-8; expected UTF-8 text"};
    }
    cursor.Advance(length);
  }
  return std::nullopt;
}

Cursor::Cursor(std::string_view text) : text_(text) {
  offset_ = ByteOrderMarkLength(text);
  line_start_ = offset_;
}

SourcePos Cursor::pos() const {
  return SourcePos{line_, static_cast<int>(offset_ - line_start_) + 1, static_cast<int>(offset_)};
}

void Cursor::Advance(size_t n) {
  for (size_t i = 0; i < n && offset_ < text_.size(); ++i) {
    if (text_[offset_] == '\n') {
      ++line_;
      line_start_ = offset_ + 1;
    }
    ++offset_;
  }
}

void AppendUtf8(uint32_t cp, std::string* out) {
  const auto put = [out](uint32_t byte) { out->push_back(static_cast<char>(byte)); };
  if (cp < 0x80) {
    put(cp);
  } else if (cp < 0x800) {
    put(0xC0 | (cp >> 6));
    put(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    put(0xE0 | (cp >> 12));
    put(0x80 | ((cp >> 6) & 0x3F));
    put(0x80 | (cp & 0x3F));
  } else {
    put(0xF0 | (cp >> 18));
    put(0x80 | ((cp >> 12) & 0x3F));
    put(0x80 | ((cp >> 6) & 0x3F));
    put(0x80 | (cp & 0x3F));
  }
}

size_t DecodeUtf8(std::string_view text, uint32_t* code_point) {
  if (text.empty()) {
    *code_point = 0;
    return 0;
  }
  const auto lead = static_cast<unsigned char>(text[0]);
  size_t length = SequenceLength(lead);
  if (length == 0 || length > text.size()) length = 1;  // cannot happen on validated text
  static constexpr unsigned char kLeadMask[] = {0, 0x7F, 0x1F, 0x0F, 0x07};
  uint32_t value = lead & kLeadMask[length];
  for (size_t i = 1; i < length; ++i) {
    value = (value << 6) | (static_cast<unsigned char>(text[i]) & 0x3F);
  }
  *code_point = value;
  return length;
}

bool IsUnicodeSpace(uint32_t cp) {
  switch (cp) {
    case '\t': case '\n': case '\v': case '\f': case '\r': case ' ':
    case 0x85: case 0xA0: case 0x1680: case 0x2028: case 0x2029:
    case 0x202F: case 0x205F: case 0x3000:
      return true;
    default:
      return cp >= 0x2000 && cp <= 0x200A;
  }
}

std::string_view TrimUnicodeSpace(std::string_view text) {
  size_t begin = std::string_view::npos;
  size_t end = 0;
  for (size_t i = 0; i < text.size();) {
    uint32_t cp = 0;
    const size_t length = DecodeUtf8(text.substr(i), &cp);
    if (!IsUnicodeSpace(cp)) {
      if (begin == std::string_view::npos) begin = i;
      end = i + length;
    }
    i += length;
  }
  return begin == std::string_view::npos ? std::string_view() : text.substr(begin, end - begin);
}

std::string DescribeNext(std::string_view rest) {
  if (rest.empty()) return "end of file";
  if (rest[0] == '\n' || rest.substr(0, 2) == "\r\n") return "newline";
  uint32_t cp = 0;
  const size_t length = DecodeUtf8(rest, &cp);
  if (cp < 0x20 || cp == 0x7F) {
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "U+%04X", cp);
    return std::string("control character ") + buffer;
  }
  std::string out = "'" + std::string(rest.substr(0, length)) + "'";
  if (cp >= 0x80) {
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, " (U+%04X)", cp);
    out += buffer;
  }
  return out;
}

DecimalStatus ParseDecimal(std::string_view spelling, double* value) {
  const char* first = spelling.data();
  const char* last = first + spelling.size();
  const auto [end, error] = std::from_chars(first, last, *value, std::chars_format::general);
  if (error == std::errc() && end == last) return DecimalStatus::kOk;
  // Out of range: the power of ten of the first significant digit tells
  // overflow from underflow (from_chars reports both the same way).
  const size_t exponent_at = spelling.find_first_of("eE");
  const std::string_view mantissa = spelling.substr(0, exponent_at);
  long long exponent = 0;
  if (exponent_at != std::string_view::npos) {
    std::string_view digits = spelling.substr(exponent_at + 1);
    const bool negative = !digits.empty() && digits[0] == '-';
    if (!digits.empty() && (digits[0] == '-' || digits[0] == '+')) digits.remove_prefix(1);
    for (char c : digits) exponent = std::min(exponent * 10 + (c - '0'), 1000000000LL);
    if (negative) exponent = -exponent;
  }
  const size_t point = std::min(mantissa.find('.'), mantissa.size());
  const size_t significant = mantissa.find_first_of("123456789");
  if (significant == std::string_view::npos) return DecimalStatus::kTooSmall;  // not reached
  const long long magnitude =
      exponent + (significant < point ? static_cast<long long>(point - significant) - 1
                                      : -static_cast<long long>(significant - point));
  return magnitude > 0 ? DecimalStatus::kTooLarge : DecimalStatus::kTooSmall;
}

std::string DescribeRangeError(DecimalStatus status) {
  if (status == DecimalStatus::kTooLarge) {
    return "too large; expected a magnitude below 1.8e308 (numbers are stored as doubles)";
  }
  return "too small: it would become 0; expected 0 or a magnitude of at least 4.9e-324 "
         "(numbers are stored as doubles)";
}

std::string FormatKeyNumber(double value) {
  char buffer[400];  // the longest fixed form, of the smallest subnormal, has 326 characters
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::fixed);
  if (result.ec != std::errc()) return std::to_string(value);
  return std::string(buffer, result.ptr);
}

bool ParseHex(std::string_view digits, uint32_t* value) {
  uint32_t result = 0;
  for (char c : digits) {
    uint32_t digit = 0;
    if (c >= '0' && c <= '9') {
      digit = static_cast<uint32_t>(c - '0');
    } else if (c >= 'a' && c <= 'f') {
      digit = static_cast<uint32_t>(c - 'a' + 10);
    } else if (c >= 'A' && c <= 'F') {
      digit = static_cast<uint32_t>(c - 'A' + 10);
    } else {
      return false;
    }
    result = result * 16 + digit;
  }
  *value = result;
  return true;
}

}  // namespace drydock::config::text
