// The validation rules: everything AWS (or physics) would refuse, as errors,
// and the traps AWS accepts but that bite later, as warnings. Each rule has a
// stable id; docs/validation.md lists them all.
#pragma once

#include "config/spec/settings.h"

namespace drydock::validate {

// Runs every rule on a decoded configuration. Diagnostics are ordered by
// position in the file (then by rule id) so output is stable.
config::Diagnostics Validate(const config::Config& config);

}  // namespace drydock::validate
