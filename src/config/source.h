// Source positions and diagnostics shared by the parsers, the decoder and the
// validation rules.
#pragma once

#include <string>
#include <vector>

namespace drydock::config {

// 1-based line and column (columns count bytes); offset is 0-based.
struct SourcePos {
  int line = 0;
  int column = 0;
  int offset = 0;
};

struct SourceRange {
  SourcePos begin;
  SourcePos end;
};

enum class Severity { kError, kWarning };

// One finding about a configuration file. Rendered as
//   file:line:col: error: <setting>: <message> [<rule>]
//     fix: <fix>
struct Diagnostic {
  Severity severity = Severity::kError;
  std::string file;
  SourcePos pos;
  std::string setting;  // dotted path, e.g. "services.api.priority"; "" for syntax errors
  std::string rule;     // stable rule id, e.g. "listener-priority-range"
  std::string message;  // what is wrong
  std::string fix;      // how to fix it; may be empty for syntax errors
};

using Diagnostics = std::vector<Diagnostic>;

bool HasErrors(const Diagnostics& diagnostics);

// Human form, one diagnostic per paragraph: "file:line:col: error: ..." (just
// "file: error: ..." when the position is unknown, line 0). `color` adds ANSI colours.
std::string FormatDiagnostic(const Diagnostic& diagnostic, bool color);

}  // namespace drydock::config
