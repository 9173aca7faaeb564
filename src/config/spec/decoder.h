// Turns a parsed Document into typed Settings: checks types (with Terraform's
// safe conversions, e.g. "2" -> 2), fills defaults, records source positions,
// and reports unknown keys with a "did you mean" suggestion.
#pragma once

#include "config/spec/settings.h"
#include "config/value.h"

namespace drydock::config {

// Decodes `document` into `config` (config->file is set from the document).
// Returns every decoding problem found; a Config with errors must not be used.
Diagnostics Decode(const Document& document, Config* config);

}  // namespace drydock::config
