// validate, plan and parse: the verbs that read a configuration file.
#include <nlohmann/json.hpp>

#include <fstream>
#include <ostream>
#include <sstream>

#include "base/strings.h"
#include "cli/checked_config.h"
#include "cli/commands.h"
#include "config/hcl/hcl_parser.h"
#include "config/json/json_parser.h"
#include "config/loader.h"
#include "plan/plan.h"
#include "validate/validate.h"

namespace drydock::cli {
namespace {

size_t CountSeverity(const config::Diagnostics& diagnostics, config::Severity severity) {
  size_t count = 0;
  for (const config::Diagnostic& d : diagnostics) count += d.severity == severity ? 1 : 0;
  return count;
}

nlohmann::json DiagnosticsJson(const config::Diagnostics& diagnostics) {
  nlohmann::json list = nlohmann::json::array();
  for (const config::Diagnostic& d : diagnostics) {
    list.push_back({{"severity", d.severity == config::Severity::kError ? "error" : "warning"},
                    {"file", d.file},
                    {"line", d.pos.line},
                    {"column", d.pos.column},
                    {"setting", d.setting},
                    {"rule", d.rule},
                    {"message", d.message},
                    {"fix", d.fix}});
  }
  return list;
}

std::string Plural(size_t n, const char* word) {
  return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

}  // namespace

namespace {

Checked Validated(config::LoadResult loaded) {
  Checked checked{std::nullopt, std::move(loaded.diagnostics), std::move(loaded.text)};
  if (!loaded.config) return checked;
  config::Diagnostics rules = validate::Validate(*loaded.config);
  checked.diagnostics.insert(checked.diagnostics.end(), rules.begin(), rules.end());
  if (!config::HasErrors(checked.diagnostics)) checked.config = std::move(loaded.config);
  return checked;
}

}  // namespace

Checked LoadAndValidate(const std::string& file) {
  return Validated(config::LoadConfigFile(file));
}

Checked LoadAndValidateText(const std::string& text, const std::string& file) {
  return Validated(config::LoadConfigText(text, file));
}

Result<config::Settings> SettingsFromText(const std::string& path, const std::string& text) {
  Checked checked = LoadAndValidateText(text, path);
  if (checked.config) return std::move(checked.config->settings);
  std::string report;
  for (const config::Diagnostic& d : checked.diagnostics) {
    report += config::FormatDiagnostic(d, /*color=*/false);
  }
  while (!report.empty() && report.back() == '\n') report.pop_back();
  return InvalidArgument(report.empty() ? path + ": invalid configuration" : report);
}

void PrintDiagnostics(const config::Diagnostics& diagnostics, Terminal& terminal) {
  for (const config::Diagnostic& d : diagnostics) {
    terminal.err << config::FormatDiagnostic(d, terminal.color);
  }
}

int RunValidate(const std::string& file, OutputFormat format, Terminal& terminal) {
  Checked checked = LoadAndValidate(file);
  const size_t errors = CountSeverity(checked.diagnostics, config::Severity::kError);
  const size_t warnings = CountSeverity(checked.diagnostics, config::Severity::kWarning);
  if (format == OutputFormat::kJson) {
    nlohmann::json out = {{"valid", errors == 0},
                          {"error_count", errors},
                          {"warning_count", warnings},
                          {"diagnostics", DiagnosticsJson(checked.diagnostics)}};
    terminal.out << out.dump(2) << "\n";
    return errors == 0 ? kExitOk : kExitFailure;
  }
  PrintDiagnostics(checked.diagnostics, terminal);
  if (errors > 0) {
    terminal.err << file << ": invalid: " << Plural(errors, "error") << ", "
                 << Plural(warnings, "warning") << "\n";
    return kExitFailure;
  }
  const config::Settings& s = checked.config->settings;
  terminal.out << file << ": valid: " << Plural(s.services.size(), "service") << ", "
               << Plural(warnings, "warning") << "\n";
  return kExitOk;
}

int RunPlan(const std::string& file, OutputFormat format, Terminal& terminal) {
  Checked checked = LoadAndValidate(file);
  PrintDiagnostics(checked.diagnostics, terminal);
  if (!checked.config) {
    terminal.err << file << ": invalid configuration, no plan made\n";
    return kExitFailure;
  }
  plan::Plan built = plan::BuildPlan(*checked.config);
  terminal.out << (format == OutputFormat::kJson ? plan::RenderJson(built) : plan::RenderText(built));
  return kExitOk;
}

int RunParse(const std::string& file, Terminal& terminal) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    terminal.err << file << ": cannot read the file\n";
    return kExitFailure;
  }
  std::ostringstream contents;
  contents << in.rdbuf();
  config::Document document;
  config::Diagnostics diagnostics = EndsWith(file, ".json")
                                        ? config::ParseJson(contents.str(), file, &document)
                                        : config::ParseHcl(contents.str(), file, &document);
  PrintDiagnostics(diagnostics, terminal);
  if (config::HasErrors(diagnostics)) return kExitFailure;
  terminal.out << config::ToJson(document.root) << "\n";
  return kExitOk;
}

}  // namespace drydock::cli
