// `drydock proxy` (the load balancer process) and `drydock targets` (its
// target health). docs/alb.md describes both.
#include <algorithm>
#include <filesystem>
#include <iostream>
#include <ostream>

#include "alb/listener.h"
#include "alb/wire.h"
#include "base/strings.h"
#include "base/text_table.h"
#include "cli/checked_config.h"
#include "cli/cli_edge.h"
#include "cli/commands.h"
#include "cli/proxy_link.h"
#include "describe/describe.h"
#include "lbd/proxy_process.h"
#include "live/load_balancer_link.h"
#include "runtime/real/control_token.h"
#include "runtime/real/real_clock.h"
#include "state/state_dir.h"

namespace drydock::cli {
namespace {

// "127.0.0.1:9001,127.0.0.1:9002" as targets.
Result<std::vector<alb::TargetSpec>> ParseBackends(const std::string& list) {
  std::vector<alb::TargetSpec> targets;
  for (size_t start = 0; start <= list.size();) {
    const size_t comma = std::min(list.find(',', start), list.size());
    const std::string item = list.substr(start, comma - start);
    start = comma + 1;
    const size_t colon = item.rfind(':');
    const std::optional<uint64_t> port =
        colon == std::string::npos ? std::nullopt : ParseUint(item.substr(colon + 1));
    if (colon == 0 || !port || *port == 0 || *port > 65535) {
      return InvalidArgument("--backends: \"" + item + "\" is not IPV4:PORT (e.g. 127.0.0.1:9001)");
    }
    targets.push_back({item.substr(0, colon), static_cast<int>(*port), ""});
  }
  if (targets.empty()) return InvalidArgument("--backends: no backend given");
  return targets;
}

void LogLine(const std::string& line) {
  std::cerr << FormatTime(runtime::RealClock::WallNow()) << " drydock proxy: " << line
            << std::endl;
}

int Usage(Terminal& terminal, const std::string& message) {
  terminal.err << "drydock proxy: " << message << "\n";
  return kExitUsage;
}

}  // namespace

int RunProxy(const ProxyCommandOptions& options, Terminal& terminal) {
  lbd::ProxyProcessOptions process;
  process.log = LogLine;
  std::string listen = options.listen;
  if (options.managed) {
    if (!options.file.empty() || !options.backends.empty()) {
      return Usage(terminal, "--managed takes its configuration from the control plane, not "
                             "FILE or --backends");
    }
    if (listen.empty()) return Usage(terminal, "--managed needs --listen ADDR:PORT");
    Result<state::StateDir> dir = state::StateDir::OpenExisting(StateDirPath(options.state_dir));
    if (!dir.ok()) return Usage(terminal, dir.status().message());
    process.control_socket = dir->ProxySocketPath();
    // The API token, read from the state directory (never from argv).
    Result<std::string> token = runtime::EnsureControlToken(dir->ControlTokenPath());
    if (!token.ok()) {
      terminal.err << "drydock: " << token.status().message() << "\n";
      return kExitFailure;
    }
    process.bearer_token = *token;
    process.bearer_hint = dir->ControlTokenPath();
    process.idle_timeout = std::chrono::seconds(options.idle_timeout);
  } else {
    if (options.file.empty()) {
      return Usage(terminal, "give a configuration FILE (static mode) or --managed");
    }
    Checked checked = LoadAndValidate(options.file);
    PrintDiagnostics(checked.diagnostics, terminal);
    if (!checked.config) {
      terminal.err << options.file << ": invalid configuration, not serving\n";
      return kExitFailure;
    }
    const config::Settings& settings = checked.config->settings;
    Result<alb::LoadBalancerSpec> spec = live::LoadBalancerSpecFor(settings);
    if (!spec.ok()) return Usage(terminal, spec.status().message());
    if (!options.backends.empty()) {
      Result<std::vector<alb::TargetSpec>> backends = ParseBackends(options.backends);
      if (!backends.ok()) return Usage(terminal, backends.status().message());
      for (alb::TargetGroupSpec& group : spec->target_groups) group.targets = *backends;
    }
    if (spec->https) {
      // Certificates relative to FILE's directory; the self-signed default
      // under the state directory's tls/ (created if need be).
      std::string state_dir;
      if (spec->https->certificates.front().certificate_file.empty()) {
        Result<state::StateDir> dir = state::StateDir::Create(StateDirPath(options.state_dir));
        if (!dir.ok()) return Usage(terminal, dir.status().message());
        state_dir = dir->path();
      }
      const std::string config_dir =
          std::filesystem::absolute(options.file).parent_path().lexically_normal().string();
      std::string self_signed;
      if (Status ready = ResolveHttps(spec->https, config_dir, state_dir, &self_signed); !ready.ok()) {
        terminal.err << "drydock proxy: HTTPS: " << ready.message() << "\n";
        return kExitFailure;
      }
      if (!self_signed.empty()) {
        LogLine("HTTPS with the self-signed certificate " + self_signed + " (curl --cacert " +
                self_signed + ")");
      }
    }
    if (listen.empty()) listen = settings.listen_address;
    process.idle_timeout = std::chrono::seconds(settings.alb_idle_timeout);
    process.initial = alb::ProxyConfig{1, std::move(*spec)};
  }
  Result<alb::ListenAddress> address = alb::ParseListenAddress(listen, "--listen", true);
  if (!address.ok()) return Usage(terminal, address.status().message());
  process.listen_host = address->host;
  process.listen_port = address->port;
  return lbd::RunProxyProcess(process) == 0 ? kExitOk : kExitFailure;
}

int RunTargets(const std::string& state_dir, const std::string& service, OutputFormat format,
               Terminal& terminal) {
  const std::string path = StateDirPath(state_dir);
  Result<state::StateDir> dir = state::StateDir::OpenExisting(path);
  if (!dir.ok()) {
    terminal.err << "no drydock state in " << path << ": run `drydock up FILE` first\n";
    return kExitFailure;
  }
  Result<std::vector<alb::TargetGroupReport>> groups = AskProxyTargets(*dir);
  if (!groups.ok()) {
    terminal.err << "the load balancer does not answer on " << dir->ProxySocketPath() << " ("
                 << groups.status().message() << "); is the cluster up?\n";
    return kExitFailure;
  }
  const std::string name = alb::TargetGroupName(service);
  std::vector<std::string> names;
  for (const alb::TargetGroupReport& group : *groups) {
    names.push_back(group.name.substr(0, group.name.size() - 3));  // "-tg"
    if (group.name != name) continue;
    if (format == OutputFormat::kJson) {
      terminal.out << alb::EncodeTargets({group});
      return kExitOk;
    }
    terminal.out << describe::DescribeTargetsText(group);
    return kExitOk;
  }
  terminal.err << "no target group for service '" << service << "'; services: "
               << (names.empty() ? "none" : Join(names, ", ")) << "\n";
  return kExitFailure;
}

}  // namespace drydock::cli
