// One function per verb. Each takes parsed options and returns an exit code.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "cli/cli.h"

namespace drydock::cli {

enum class OutputFormat { kText, kJson };

int RunValidate(const std::string& file, OutputFormat format, Terminal& terminal);
int RunPlan(const std::string& file, OutputFormat format, Terminal& terminal);
int RunParse(const std::string& file, Terminal& terminal);

// status, events and logs read a state directory (observe_commands.cc).
// `state_dir` is --state-dir ("" when not given: $DRYDOCK_STATE_DIR, else
// ./.drydock).
int RunStatus(const std::string& state_dir, OutputFormat format, Terminal& terminal);
// `service` "" lists every service's events; `limit` <= 0 lists them all.
int RunEvents(const std::string& state_dir, const std::string& service, int limit,
              OutputFormat format, Terminal& terminal);
// `since` is "" or a duration like 10m (logs::ParseSince).
int RunLogs(const std::string& state_dir, const std::string& service, bool follow,
            const std::string& since, Terminal& terminal);

// up and down start and stop a cluster's control plane (live_commands.cc).
struct UpOptions {
  std::string file;
  std::string state_dir;  // --state-dir; "" for $DRYDOCK_STATE_DIR or ./.drydock
  double time_scale = 1;
  bool detach = false;
  std::optional<uint64_t> seed;
};
int RunUp(const UpOptions& options, Terminal& terminal);
int RunDown(const std::string& state_dir, Terminal& terminal);

}  // namespace drydock::cli
