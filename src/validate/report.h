// Collects the diagnostics of the validation rules for one configuration:
// every finding gets the file, the position of the offending setting (or of
// its closest written parent), the setting path, a rule id, a message and a
// fix.
#pragma once

#include <string>
#include <utility>

#include "config/spec/settings.h"

namespace drydock::validate {

class Report {
 public:
  explicit Report(const config::Config& config) : config_(config) {}

  const config::Config& config() const { return config_; }
  const config::Settings& settings() const { return config_.settings; }

  // Adds a finding about `setting` (a dotted path such as
  // "services.api.priority"), positioned where the file wrote it.
  void Error(const std::string& setting, const std::string& rule, std::string message,
             std::string fix);
  void Warning(const std::string& setting, const std::string& rule, std::string message,
               std::string fix);

  // The same, positioned at `pos` instead of the setting's position (e.g.
  // one element of a list).
  void ErrorAt(config::SourcePos pos, const std::string& setting, const std::string& rule,
               std::string message, std::string fix);
  void WarningAt(config::SourcePos pos, const std::string& setting, const std::string& rule,
                 std::string message, std::string fix);

  // Where element `index` of the list `setting` was written: the decoder may
  // record it as "setting.index" or "setting[index]"; falls back to the
  // list's own position.
  config::SourcePos ElementPos(const std::string& setting, size_t index) const;

  // "line L, column C" of a setting, for messages naming a second place.
  std::string Where(const std::string& setting) const;

  // The findings ordered by position (line, column), then rule id; findings
  // with equal keys keep the order the rules produced them in.
  config::Diagnostics Take();

 private:
  void Add(config::Severity severity, config::SourcePos pos, const std::string& setting,
           const std::string& rule, std::string message, std::string fix);

  const config::Config& config_;
  config::Diagnostics diagnostics_;
};

// "services.<name>.<field>".
std::string ServicePath(const config::ServiceSettings& service, const std::string& field);

// Quotes a user string for a message: "value".
std::string Quote(const std::string& text);

// Formats ints for messages.
inline std::string Str(int value) { return std::to_string(value); }
std::string Str(double value);

// "'%'" for printable ASCII, "'\x07'" (hex) for control bytes and the whole
// UTF-8 sequence for non-ASCII characters; `length` receives its byte count.
std::string DescribeChar(const std::string& text, size_t index, size_t* length);

// For RequireRange: the value has only a lower bound.
inline constexpr long long kNoUpperBound = 2147483647;

// Reports `rule` as an error on `setting` unless low <= value <= high.
// `what` says whose range it is ("ALB listener rule priorities"). Returns
// whether the value was in range.
bool RequireRange(Report& report, const std::string& setting, const std::string& rule,
                  long long value, long long low, long long high, const std::string& what);

}  // namespace drydock::validate
