#include "runtime/process_launcher.h"

#include <csignal>

namespace drydock::runtime {
namespace {

bool IsTaskIdChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         c == '.' || c == '_' || c == '-';
}

Status ValidateTaskId(const std::string& id) {
  if (id.empty() || id.size() > 128 || id == "." || id == "..") {
    return InvalidArgument("task id '" + id + "' must be 1..128 characters and not '.' or '..'");
  }
  for (char c : id) {
    if (!IsTaskIdChar(c)) {
      return InvalidArgument("task id '" + id + "' may only contain letters, digits, '.', '_' and '-'");
    }
  }
  return Status::Ok();
}

Status ValidateEnv(const std::vector<std::pair<std::string, std::string>>& env) {
  for (const auto& [name, value] : env) {
    if (name.empty() || name.find('=') != std::string::npos ||
        name.find('\0') != std::string::npos || value.find('\0') != std::string::npos) {
      return InvalidArgument("environment variable '" + name +
                             "' has an empty name, or a name with '=' or a NUL byte");
    }
  }
  return Status::Ok();
}

Status ValidatePath(const char* what, const std::string& path) {
  if (path.empty() || path[0] != '/' || path.find('\0') != std::string::npos) {
    return InvalidArgument(std::string(what) + " '" + path + "' must be an absolute path");
  }
  return Status::Ok();
}

}  // namespace

Status ValidateProcessSpec(const ProcessSpec& spec) {
  DRYDOCK_RETURN_IF_ERROR(ValidateTaskId(spec.task_id));
  if (spec.argv.empty() || spec.argv[0].empty()) {
    return InvalidArgument("task " + spec.task_id + " has an empty command; set the service's command");
  }
  for (const std::string& arg : spec.argv) {
    if (arg.find('\0') != std::string::npos) {
      return InvalidArgument("task " + spec.task_id + " has a command argument with a NUL byte");
    }
  }
  DRYDOCK_RETURN_IF_ERROR(ValidateEnv(spec.env));
  DRYDOCK_RETURN_IF_ERROR(ValidatePath("working directory", spec.working_dir));
  DRYDOCK_RETURN_IF_ERROR(ValidatePath("stdout log", spec.stdout_path));
  DRYDOCK_RETURN_IF_ERROR(ValidatePath("stderr log", spec.stderr_path));
  DRYDOCK_RETURN_IF_ERROR(ValidatePath("status file", spec.status_path));
  if (spec.limits.cpu_units < 0 || spec.limits.memory_mib < 0) {
    return InvalidArgument("task " + spec.task_id + " has negative cpu or memory limits");
  }
  return Status::Ok();
}

std::string SignalName(int signal) {
  switch (signal) {
    case SIGHUP: return "SIGHUP";
    case SIGINT: return "SIGINT";
    case SIGQUIT: return "SIGQUIT";
    case SIGILL: return "SIGILL";
    case SIGABRT: return "SIGABRT";
    case SIGBUS: return "SIGBUS";
    case SIGFPE: return "SIGFPE";
    case SIGKILL: return "SIGKILL";
    case SIGUSR1: return "SIGUSR1";
    case SIGSEGV: return "SIGSEGV";
    case SIGUSR2: return "SIGUSR2";
    case SIGPIPE: return "SIGPIPE";
    case SIGALRM: return "SIGALRM";
    case SIGTERM: return "SIGTERM";
    case SIGCHLD: return "SIGCHLD";
    case SIGXCPU: return "SIGXCPU";
    default: return "signal " + std::to_string(signal);
  }
}

std::optional<int> ExitStatus::ContainerExitCode() const {
  switch (kind) {
    case Kind::kExited: return exit_code;
    case Kind::kSignaled: return 128 + signal;
    default: return std::nullopt;
  }
}

std::string ExitStatus::Describe() const {
  switch (kind) {
    case Kind::kExited: return "exited with code " + std::to_string(exit_code);
    case Kind::kSignaled:
      return "killed by signal " + std::to_string(signal) + " (" + SignalName(signal) + ")";
    case Kind::kFailedToStart: return "failed to start: " + message;
    case Kind::kLost: return "lost: " + message;
  }
  return "unknown";
}

}  // namespace drydock::runtime
