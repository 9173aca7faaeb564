// Loading a configuration the way every verb that takes FILE does: parse,
// decode and validate, with the diagnostics printed in one format.
#pragma once

#include <optional>
#include <string>

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

// file:line:col diagnostics on the terminal's error stream.
void PrintDiagnostics(const config::Diagnostics& diagnostics, Terminal& terminal);

}  // namespace drydock::cli
