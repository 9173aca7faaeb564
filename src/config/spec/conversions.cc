#include "config/spec/conversions.h"

#include <cctype>
#include <charconv>
#include <cmath>
#include <system_error>

namespace drydock::config {
namespace {

bool IsDigit(char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }

// Advances *i over a run of digits; returns how many there were.
size_t SkipDigits(std::string_view text, size_t* i) {
  size_t start = *i;
  while (*i < text.size() && IsDigit(text[*i])) ++*i;
  return *i - start;
}

// True when `text` is [+-] digits [. digits] [(e|E) [+-] digits] with at least
// one mantissa digit (".5" and "5." are allowed, as Go's big.Float allows).
bool IsDecimalNumber(std::string_view text) {
  size_t i = 0;
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
  size_t mantissa_digits = SkipDigits(text, &i);
  if (i < text.size() && text[i] == '.') {
    ++i;
    mantissa_digits += SkipDigits(text, &i);
  }
  if (mantissa_digits == 0) return false;
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
    if (SkipDigits(text, &i) == 0) return false;
  }
  return i == text.size();
}

}  // namespace

std::optional<double> ParseNumberString(std::string_view text) {
  if (!IsDecimalNumber(text)) return std::nullopt;
  if (text.front() == '+') text.remove_prefix(1);  // from_chars refuses a '+'
  double value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || !std::isfinite(value)) {
    return std::nullopt;
  }
  return value;
}

std::optional<bool> ParseBoolString(std::string_view text) {
  if (text == "true" || text == "1") return true;
  if (text == "false" || text == "0") return false;
  return std::nullopt;
}

std::string NumberToString(double value) {
  // Shortest fixed-notation form that reads back as the same double: 1e20
  // becomes "100000000000000000000" and 0.1 stays "0.1", as Terraform prints.
  char buffer[400];
  auto [end, error] =
      std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::fixed);
  if (error != std::errc()) return "0";  // unreachable: 400 bytes hold any double
  return std::string(buffer, end);
}

}  // namespace drydock::config
