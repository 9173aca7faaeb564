// Runs the CLI in-process with captured output, for the verbs' tests.
#pragma once

#include <sstream>
#include <string>
#include <vector>

#include "cli/cli.h"

namespace drydock::cli::testing {

struct CliRun {
  int exit_code;
  std::string out;
  std::string err;
};

// `args` without the program name.
inline CliRun RunArgs(std::vector<const char*> args) {
  args.insert(args.begin(), "drydock");
  std::ostringstream out, err;
  Terminal terminal{out, err, false};
  int code = RunCli(static_cast<int>(args.size()), args.data(), terminal);
  return {code, out.str(), err.str()};
}

}  // namespace drydock::cli::testing
