// status, events and logs: the verbs that read a state directory while a
// control plane may be writing it (docs/observe.md). They never write.
#include <chrono>
#include <filesystem>
#include <optional>
#include <ostream>

#include "base/strings.h"
#include "cli/cli_edge.h"
#include "cli/recorded_state.h"
#include "cli/commands.h"
#include "cli/proxy_link.h"
#include "describe/describe.h"
#include "logs/log_paths.h"
#include "logs/log_reader.h"
#include "logs/since.h"
#include "runtime/real/real_clock.h"
#include "state/sqlite/sqlite_store.h"
#include "state/state_dir.h"
#include "state/state_dir_lock.h"

namespace drydock::cli {
namespace {

// A state directory opened for reading, and whether a control plane runs on it.
struct Observed {
  state::StateDir dir;
  std::unique_ptr<state::SqliteStore> store;
  describe::DescribeOptions control;
};

std::string NoStateMessage(const std::string& path) {
  std::error_code ignored;
  const std::string absolute = std::filesystem::absolute(path, ignored).lexically_normal().string();
  return "no drydock state in " + absolute + ": run `drydock up FILE` first (or pass --state-dir)";
}

Result<describe::DescribeOptions> ProbeControlPlane(const state::StateDir& dir) {
  Result<std::optional<int>> holder = state::ProbeControlLock(dir);
  if (!holder.ok()) return holder.status();
  return describe::DescribeOptions{holder->has_value(), holder->value_or(0), {}};
}

// Prints why and returns nullopt when there is no state to read.
std::optional<Observed> Open(const std::string& state_dir_flag, Terminal& terminal) {
  const std::string path = StateDirPath(state_dir_flag);
  auto fail = [&](const Status& status) {
    terminal.err << (status.code() == StatusCode::kNotFound ? NoStateMessage(path)
                                                            : status.message())
                 << "\n";
    return std::nullopt;
  };
  Result<RecordedState> recorded = OpenRecordedState(path);
  if (!recorded.ok()) return fail(recorded.status());
  Result<describe::DescribeOptions> control = ProbeControlPlane(recorded->dir);
  if (!control.ok()) return fail(control.status());
  return Observed{std::move(recorded->dir), std::move(recorded->store), *control};
}

// The recorded cluster; nullopt (after saying why) when it cannot be read.
std::optional<state::Snapshot> LoadSnapshot(Observed& observed, Terminal& terminal) {
  Result<state::Snapshot> snapshot = observed.store->Load();
  if (!snapshot.ok()) {
    terminal.err << snapshot.status().message() << "\n";
    return std::nullopt;
  }
  return std::move(*snapshot);
}

// kExitFailure, with the services there are, when `service` is not one.
int UnknownService(const state::Snapshot& snapshot, const std::string& service,
                   Terminal& terminal) {
  terminal.err << "no service '" << service << "' in cluster " << snapshot.identity.cluster_name
               << "; services: " << ServiceNames(snapshot) << "\n";
  return kExitFailure;
}

// "<time> <task> <text>", and "<time> <task> stderr| <text>" for stderr.
std::string FormatLogEvent(const logs::LogEvent& event) {
  const std::string task_id = event.stream_name.substr(event.stream_name.rfind('/') + 1);
  std::string line = FormatTime(event.time) + " " + describe::ShortTaskId(task_id);
  if (event.stream == runtime::LogStream::kStderr) line += " stderr|";
  if (!event.text.empty()) line += " " + event.text;
  return line + "\n";
}

void PrintLogEvents(const std::vector<logs::LogEvent>& events, Terminal& terminal) {
  for (const logs::LogEvent& event : events) terminal.out << FormatLogEvent(event);
  terminal.out.flush();
}

// Prints new events until the control plane is gone and a poll made after
// that found nothing new (so lines written before it exited are printed).
int FollowLogs(const state::StateDir& dir, logs::LogTail& tail, Terminal& terminal) {
  while (true) {
    Result<describe::DescribeOptions> control = ProbeControlPlane(dir);
    if (!control.ok()) {
      terminal.err << control.status().message() << "\n";
      return kExitFailure;
    }
    Result<std::vector<logs::LogEvent>> events = tail.Poll();
    if (!events.ok()) {
      terminal.err << events.status().message() << "\n";
      return kExitFailure;
    }
    PrintLogEvents(*events, terminal);
    if (events->empty() && !control->control_plane_running) return kExitOk;
    PauseBeforeNextPoll(std::chrono::milliseconds(250));
  }
}

}  // namespace

int RunStatus(const std::string& state_dir, const std::string& service, OutputFormat format,
              Terminal& terminal) {
  std::optional<Observed> observed = Open(state_dir, terminal);
  if (!observed) return kExitFailure;
  std::optional<state::Snapshot> snapshot = LoadSnapshot(*observed, terminal);
  if (!snapshot) return kExitFailure;
  if (!service.empty()) {
    const std::string described =
        format == OutputFormat::kJson
            ? describe::DescribeServiceJson(*snapshot, service, observed->control)
            : describe::DescribeServiceText(*snapshot, service, observed->control);
    if (described.empty()) return UnknownService(*snapshot, service, terminal);
    terminal.out << described;
    return kExitOk;
  }
  describe::LoadBalancerInfo& load_balancer = observed->control.load_balancer;
  load_balancer.listen = AskProxyListen(observed->dir);
  if (!load_balancer.listen.empty()) {
    Result<std::vector<alb::TargetGroupReport>> groups = AskProxyTargets(observed->dir);
    load_balancer.running = groups.ok();
    if (groups.ok()) load_balancer.target_groups = std::move(*groups);
  }
  terminal.out << (format == OutputFormat::kJson
                       ? describe::DescribeJson(*snapshot, observed->control)
                       : describe::DescribeText(*snapshot, observed->control));
  return kExitOk;
}

int RunEvents(const std::string& state_dir, const std::string& service, int limit,
              OutputFormat format, Terminal& terminal) {
  std::optional<Observed> observed = Open(state_dir, terminal);
  if (!observed) return kExitFailure;
  state::EventQuery query;
  if (!service.empty()) query.service = service;
  query.limit = limit;
  Result<std::vector<state::ServiceEvent>> events = observed->store->ListEvents(query);
  if (!events.ok()) {
    terminal.err << events.status().message() << "\n";
    return kExitFailure;
  }
  if (!service.empty() && events->empty()) {
    std::optional<state::Snapshot> snapshot = LoadSnapshot(*observed, terminal);
    if (!snapshot) return kExitFailure;
    if (!snapshot->FindService(service)) return UnknownService(*snapshot, service, terminal);
  }
  terminal.out << (format == OutputFormat::kJson ? describe::DescribeEventsJson(*events)
                                                 : describe::DescribeEventsText(*events));
  return kExitOk;
}

int RunLogs(const std::string& state_dir, const std::string& service, bool follow,
            const std::string& since, Terminal& terminal) {
  std::optional<Duration> since_duration;
  if (!since.empty()) {
    Result<Duration> parsed = logs::ParseSince(since);
    if (!parsed.ok()) {
      terminal.err << "--since: " << parsed.status().message() << "\n";
      return kExitUsage;
    }
    since_duration = *parsed;
  }
  std::optional<Observed> observed = Open(state_dir, terminal);
  if (!observed) return kExitFailure;
  std::optional<state::Snapshot> snapshot = LoadSnapshot(*observed, terminal);
  if (!snapshot) return kExitFailure;
  const std::string logs_dir = observed->dir.LogsDir();
  const std::string group = logs::LogGroupName(service);
  if (!snapshot->FindService(service)) {
    // A deleted service keeps its log group while its streams are on disk.
    Result<std::vector<std::string>> streams = logs::ListStreamNames(logs_dir, group);
    if (!streams.ok() || streams->empty()) return UnknownService(*snapshot, service, terminal);
  }
  // Log records carry the wall clock (the shim's), not cluster time.
  std::optional<TimePoint> from;
  if (since_duration) from = runtime::RealClock::WallNow() - *since_duration;
  int exit_code = kExitOk;
  int64_t malformed = 0;
  if (follow) {
    Result<logs::LogTail> tail = logs::LogTail::Open(logs_dir, group, from);
    if (!tail.ok()) {
      terminal.err << tail.status().message() << "\n";
      return kExitFailure;
    }
    exit_code = FollowLogs(observed->dir, *tail, terminal);
    malformed = tail->malformed_records();
  } else {
    Result<logs::LogEvents> read = logs::ReadLogGroup(logs_dir, group, from, std::nullopt);
    if (!read.ok()) {
      terminal.err << read.status().message() << "\n";
      return kExitFailure;
    }
    PrintLogEvents(read->events, terminal);
    malformed = read->malformed_records;
  }
  if (malformed > 0) {
    terminal.err << "skipped " << malformed << " malformed log record"
                 << (malformed == 1 ? "" : "s") << " in " << logs_dir << group << "\n";
  }
  return exit_code;
}

}  // namespace drydock::cli
