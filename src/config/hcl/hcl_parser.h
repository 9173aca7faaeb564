// Parser for HCL native syntax as it appears in Terraform .tfvars files:
// top-level attributes whose values are literal expressions (strings with
// escapes, numbers, bools, null, tuples/lists, objects/maps, heredocs).
#pragma once

#include <string>
#include <string_view>

#include "config/source.h"
#include "config/value.h"

namespace drydock::config {

// Parses `text` (the contents of `file`) into `document`. Returns the syntax
// errors found, each with file:line:col; on any error `document` holds what
// was parsed before it and must not be used.
Diagnostics ParseHcl(std::string_view text, const std::string& file, Document* document);

}  // namespace drydock::config
