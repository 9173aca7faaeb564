#include "cli/cli_edge.h"

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>

#include "state/state_dir.h"

namespace drydock::cli {

std::string StateDirPath(const std::string& flag) {
  const std::string variable(state::kStateDirEnvironmentVariable);
  return state::ResolveStateDirPath(flag, std::getenv(variable.c_str()));
}

void PauseBeforeNextPoll(std::chrono::milliseconds pause) { std::this_thread::sleep_for(pause); }

std::string LogTail(const std::string& path, size_t lines) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream contents;
  contents << in.rdbuf();
  std::string text = contents.str();
  while (!text.empty() && text.back() == '\n') text.pop_back();
  size_t start = text.size();
  for (size_t seen = 0; start > 0;) {
    if (text[start - 1] == '\n' && ++seen == lines) break;
    --start;
  }
  return text.substr(start);
}

}  // namespace drydock::cli
