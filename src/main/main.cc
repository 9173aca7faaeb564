// The composition root: the only place that looks at the process's real
// terminal and environment before handing over to the CLI. Two hidden verbs
// bypass the CLI: `shim` (the per-task supervisor the control plane starts)
// and `stand-in` (the app a service without a `command` runs); both are this
// same executable so that a task never depends on another installed binary.
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <iostream>

#include "cli/cli.h"
#include "runtime/real/shim.h"
#include "runtime/standin/stand_in.h"

int main(int argc, char** argv) {
  if (argc > 1 && std::strcmp(argv[1], "shim") == 0) {
    return drydock::runtime::RunShim(argc - 1, argv + 1);
  }
  if (argc > 1 && std::strcmp(argv[1], "stand-in") == 0) {
    return drydock::runtime::RunStandIn(argc - 1, argv + 1);
  }
  const bool color = std::getenv("NO_COLOR") == nullptr && isatty(STDERR_FILENO) == 1;
  drydock::cli::Terminal terminal{std::cout, std::cerr, color};
  return drydock::cli::RunCli(argc, argv, terminal);
}
