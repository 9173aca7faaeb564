// Reading /proc/<pid>/stat: a process's identity (start time, field 22, in
// clock ticks since boot) and state. A pid plus its start ticks names one
// process for the machine's uptime: a recycled pid has other start ticks.
#pragma once

#include <cstdint>
#include <string_view>

#include "base/status.h"

namespace drydock::runtime {

struct ProcStat {
  char state = '?';  // R, S, D, T, Z (zombie), X (dead), ...
  int ppid = 0;
  int pgrp = 0;
  uint64_t start_ticks = 0;
};

// kNotFound if there is no such process.
Result<ProcStat> ReadProcStat(int pid);
// Parses the text of a stat file (the command name may hold spaces and parens).
Result<ProcStat> ParseProcStat(std::string_view text);
// True if `pid` exists, has these start ticks and has not exited (not a zombie).
bool IsLiveProcess(int pid, uint64_t start_ticks);

}  // namespace drydock::runtime
