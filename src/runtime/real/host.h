// Small facts and acts on the host that the CLI and the control plane need:
// whether a loopback port is free, starting a detached control plane, and a
// fresh random seed.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/status.h"

namespace drydock::runtime {

// True when 127.0.0.1:`port` (TCP) can be bound right now. A port another
// process takes a moment later is caught by the task failing to bind and
// being replaced, as a container whose port is taken would be.
bool TcpPortFree(int port);

// Starts `argv` (argv[0] an absolute path) in a new session, stdin from
// /dev/null, stdout and stderr appended to `log_path` (created 0600), with
// this process's environment. Returns its pid; the caller reaps it with
// ChildExited or leaves it to init by exiting.
Result<int> SpawnDetached(const std::vector<std::string>& argv, const std::string& log_path);

// Non-blocking: true (and reaps it) when the child `pid` has exited.
bool ChildExited(int pid);

// A seed from the OS's entropy source, for a cluster started without --seed
// (the seed is then recorded, so a restart replays from it).
uint64_t FreshSeed();

}  // namespace drydock::runtime
