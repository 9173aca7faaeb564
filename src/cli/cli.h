// The drydock command line. main() only forwards to RunCli so that tests can
// run every verb in-process with captured output.
#pragma once

#include <iosfwd>

namespace drydock::cli {

// Exit codes scripts can trust.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;  // invalid configuration, failed operation
inline constexpr int kExitUsage = 2;    // bad command line

struct Terminal {
  std::ostream& out;
  std::ostream& err;
  bool color = false;  // ANSI colours on err (off when NO_COLOR is set or err is not a tty)
};

int RunCli(int argc, const char* const* argv, Terminal terminal);

}  // namespace drydock::cli
