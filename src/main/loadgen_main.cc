// drydock-load: the bundled HTTP/1.1 load generator (see docs/loadgen.md).
// Loopback targets only. Exit codes: 0 done, 1 failed requests with
// --fail-on-error, 2 bad command line.
#include <signal.h>

#include <atomic>
#include <iostream>
#include <string>
#include <vector>

#include "loadgen/load_generator.h"

namespace {

std::atomic<bool> g_stop{false};
static_assert(std::atomic<bool>::is_always_lock_free);

extern "C" void OnStopSignal(int) { g_stop.store(true); }

// The first Ctrl-C (or SIGTERM) stops the run and the summary is printed;
// a second one kills the process (SA_RESETHAND).
void InstallStopHandlers() {
  struct sigaction action {};
  action.sa_handler = OnStopSignal;
  action.sa_flags = SA_RESETHAND;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
  signal(SIGPIPE, SIG_IGN);
}

}  // namespace

int main(int argc, char** argv) {
  namespace loadgen = drydock::loadgen;
  const std::vector<std::string> args(argv + 1, argv + argc);
  const drydock::Result<loadgen::LoadOptions> options = loadgen::ParseLoadArgs(args);
  if (!options.ok()) {
    std::cerr << "drydock-load: " << options.status().message() << "\n\n" << loadgen::LoadUsage();
    return 2;
  }
  if (options->help) {
    std::cout << loadgen::LoadUsage();
    return 0;
  }
  InstallStopHandlers();
  const loadgen::LoadReport report = loadgen::RunLoad(*options, &g_stop);
  if (options->json) {
    std::cout << loadgen::FormatReportJson(report) << "\n";
  } else {
    std::cout << loadgen::FormatReport(*options, report);
  }
  std::cout.flush();
  return options->fail_on_error && report.failed() > 0 ? 1 : 0;
}
