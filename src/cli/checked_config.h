// Loading a configuration the way every verb that takes FILE does: parse,
// decode and validate, with the diagnostics printed in one format.
#pragma once

#include <optional>
#include <string>

#include "base/status.h"
#include "cli/cli.h"
#include "config/loader.h"

namespace drydock::cli {

struct Checked {
  std::optional<config::Config> config;  // set when there is no error
  config::Diagnostics diagnostics;
  std::string text;  // the file's bytes, read once
};

// Load, decode and validate; the config is kept only when all of it passed.
Checked LoadAndValidate(const std::string& file);
// The same from text already in memory; `file` names it in diagnostics.
Checked LoadAndValidateText(const std::string& text, const std::string& file);

// What a running control plane does with the text a later `up` hands over
// (live::ConfigLoader): the settings when valid, else kInvalidArgument whose
// message is the diagnostics as `validate` prints them, without colour.
Result<config::Settings> SettingsFromText(const std::string& path, const std::string& text);

// file:line:col diagnostics on the terminal's error stream.
void PrintDiagnostics(const config::Diagnostics& diagnostics, Terminal& terminal);

}  // namespace drydock::cli
