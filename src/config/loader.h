// Entry point of the configuration layer: file -> parse -> decode.
#pragma once

#include <optional>
#include <string>

#include "config/spec/settings.h"

namespace drydock::config {

struct LoadResult {
  std::optional<Config> config;  // set when there were no errors
  Diagnostics diagnostics;       // errors and warnings, in file order
  std::string text;              // the bytes read ("" when the file could not be read)
};

// Reads `path` (".tfvars.json" by name is JSON, anything else HCL), parses
// and decodes it. Validation rules are a separate step (validate/validate.h).
LoadResult LoadConfigFile(const std::string& path);

// The same from text already in memory; `file` is used in diagnostics.
LoadResult LoadConfigText(const std::string& text, const std::string& file);

}  // namespace drydock::config
