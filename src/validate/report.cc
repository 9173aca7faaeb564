#include "validate/report.h"

#include <algorithm>
#include <cstdio>
#include <tuple>

#include "base/strings.h"

namespace drydock::validate {

void Report::Error(const std::string& setting, const std::string& rule, std::string message,
                   std::string fix) {
  Add(config::Severity::kError, config_.sources.PositionOf(setting), setting, rule,
      std::move(message), std::move(fix));
}

void Report::Warning(const std::string& setting, const std::string& rule, std::string message,
                     std::string fix) {
  Add(config::Severity::kWarning, config_.sources.PositionOf(setting), setting, rule,
      std::move(message), std::move(fix));
}

void Report::ErrorAt(config::SourcePos pos, const std::string& setting, const std::string& rule,
                     std::string message, std::string fix) {
  Add(config::Severity::kError, pos, setting, rule, std::move(message), std::move(fix));
}

void Report::WarningAt(config::SourcePos pos, const std::string& setting, const std::string& rule,
                       std::string message, std::string fix) {
  Add(config::Severity::kWarning, pos, setting, rule, std::move(message), std::move(fix));
}

config::SourcePos Report::ElementPos(const std::string& setting, size_t index) const {
  const std::string dotted = setting + "." + std::to_string(index);
  const std::string bracketed = setting + "[" + std::to_string(index) + "]";
  if (config_.sources.Has(dotted)) return config_.sources.PositionOf(dotted);
  if (config_.sources.Has(bracketed)) return config_.sources.PositionOf(bracketed);
  return config_.sources.PositionOf(setting);
}

std::string Report::Where(const std::string& setting) const {
  const config::SourcePos pos = config_.sources.PositionOf(setting);
  return "line " + std::to_string(pos.line) + ", column " + std::to_string(pos.column);
}

void Report::Add(config::Severity severity, config::SourcePos pos, const std::string& setting,
                 const std::string& rule, std::string message, std::string fix) {
  diagnostics_.push_back(config::Diagnostic{severity, config_.file, pos, setting, rule,
                                            std::move(message), std::move(fix)});
}

config::Diagnostics Report::Take() {
  std::stable_sort(diagnostics_.begin(), diagnostics_.end(),
                   [](const config::Diagnostic& a, const config::Diagnostic& b) {
                     return std::tie(a.pos.line, a.pos.column, a.rule) <
                            std::tie(b.pos.line, b.pos.column, b.rule);
                   });
  return std::move(diagnostics_);
}

std::string ServicePath(const config::ServiceSettings& service, const std::string& field) {
  return "services." + service.name + "." + field;
}

std::string Quote(const std::string& text) { return "\"" + text + "\""; }

std::string Str(double value) { return FormatNumber(value); }

std::string DescribeChar(const std::string& text, size_t index, size_t* length) {
  const auto byte = static_cast<unsigned char>(text[index]);
  *length = 1;
  if (byte >= 0x20 && byte < 0x7f) return "'" + std::string(1, text[index]) + "'";
  if (byte < 0x80 || byte == 0x7f || (byte & 0xc0) == 0x80) {
    char hex[8];
    std::snprintf(hex, sizeof hex, "\\x%02x", byte);
    return std::string("'") + hex + "'";
  }
  // A UTF-8 lead byte: show the whole character.
  size_t size = (byte & 0xe0) == 0xc0 ? 2 : (byte & 0xf0) == 0xe0 ? 3 : 4;
  size = std::min(size, text.size() - index);
  *length = size;
  return "'" + text.substr(index, size) + "'";
}

bool RequireRange(Report& report, const std::string& setting, const std::string& rule,
                  long long value, long long low, long long high, const std::string& what) {
  if (value >= low && value <= high) return true;
  if (high == kNoUpperBound) {
    report.Error(
        setting, rule,
        std::to_string(value) + " is below " + std::to_string(low) + ", the minimum of " + what,
        "set " + std::to_string(low) + " or more");
    return false;
  }
  report.Error(setting, rule,
               std::to_string(value) + " is outside " + std::to_string(low) + ".." +
                   std::to_string(high) + ", the range of " + what,
               "set a value from " + std::to_string(low) + " to " + std::to_string(high));
  return false;
}

}  // namespace drydock::validate
