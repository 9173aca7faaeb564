// What the verbs that work on a state directory share at the CLI's edge: the
// directory a --state-dir flag names, and the one pause between polls.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>

namespace drydock::cli {

// --state-dir, else $DRYDOCK_STATE_DIR, else ./.drydock.
std::string StateDirPath(const std::string& flag);

// The CLI's only sleep: the pause between two polls of a wait (`up
// --detach`, `down`, `logs --follow`, `deploy`). A blocking sleep is acceptable at this
// edge (a short-lived command with nothing else to do); SIGINT and SIGTERM end
// the process with their default action.
void PauseBeforeNextPoll(std::chrono::milliseconds pause);

// The last `lines` lines of the file at `path` (a process's log), without the
// final newline; "" when it cannot be read.
std::string LogTail(const std::string& path, size_t lines);

}  // namespace drydock::cli
