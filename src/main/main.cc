// The composition root: the only place that looks at the process's real
// terminal and environment before handing over to the CLI.
#include <unistd.h>

#include <cstdlib>
#include <iostream>

#include "cli/cli.h"

int main(int argc, char** argv) {
  const bool color = std::getenv("NO_COLOR") == nullptr && isatty(STDERR_FILENO) == 1;
  drydock::cli::Terminal terminal{std::cout, std::cerr, color};
  return drydock::cli::RunCli(argc, argv, terminal);
}
