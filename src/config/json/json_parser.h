// Parser for .tfvars.json: one JSON object whose keys are variable names.
// Written for drydock (not nlohmann) because it must keep the line and column
// of every value for diagnostics.
#pragma once

#include <string>
#include <string_view>

#include "config/source.h"
#include "config/value.h"

namespace drydock::config {

// Same contract as ParseHcl: syntax errors with positions, `document` valid
// only when the result has no errors.
Diagnostics ParseJson(std::string_view text, const std::string& file, Document* document);

}  // namespace drydock::config
