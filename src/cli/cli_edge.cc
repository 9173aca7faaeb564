#include "cli/cli_edge.h"

#include <cstdlib>
#include <thread>

#include "state/state_dir.h"

namespace drydock::cli {

std::string StateDirPath(const std::string& flag) {
  const std::string variable(state::kStateDirEnvironmentVariable);
  return state::ResolveStateDirPath(flag, std::getenv(variable.c_str()));
}

void PauseBeforeNextPoll(std::chrono::milliseconds pause) { std::this_thread::sleep_for(pause); }

}  // namespace drydock::cli
