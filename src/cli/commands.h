// One function per verb. Each takes parsed options and returns an exit code.
#pragma once

#include <string>

#include "cli/cli.h"

namespace drydock::cli {

enum class OutputFormat { kText, kJson };

int RunValidate(const std::string& file, OutputFormat format, Terminal& terminal);
int RunPlan(const std::string& file, OutputFormat format, Terminal& terminal);
int RunParse(const std::string& file, Terminal& terminal);

}  // namespace drydock::cli
