#include "runtime/real/shim_protocol.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <csignal>
#include <cstring>
#include <nlohmann/json.hpp>

#include "base/strings.h"

namespace drydock::runtime {
namespace {

constexpr std::string_view kSpecVersion = "drydock-shim-spec-1";

void AddRecord(std::string& out, std::string_view key, std::string_view value) {
  out.append(key);
  out.push_back('\0');
  out.append(value);
  out.push_back('\0');
}

bool ParseInt(std::string_view text, int& out) {
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), out);
  return error == std::errc() && end == text.data() + text.size();
}

// Reads the next NUL-terminated field; false at the end or on truncation.
bool NextField(std::string_view& rest, std::string_view& field) {
  const size_t end = rest.find('\0');
  if (end == std::string_view::npos) return false;
  field = rest.substr(0, end);
  rest.remove_prefix(end + 1);
  return true;
}

Status ApplyRecord(ProcessSpec& spec, std::string_view key, std::string_view value) {
  if (key == "task") { spec.task_id = value; return Status::Ok(); }
  if (key == "arg") { spec.argv.emplace_back(value); return Status::Ok(); }
  if (key == "env") {
    const size_t eq = value.find('=');
    if (eq == std::string_view::npos) return InvalidArgument("shim spec: env record without '='");
    spec.env.emplace_back(std::string(value.substr(0, eq)), std::string(value.substr(eq + 1)));
    return Status::Ok();
  }
  if (key == "cwd") { spec.working_dir = value; return Status::Ok(); }
  if (key == "stdout") { spec.stdout_path = value; return Status::Ok(); }
  if (key == "stderr") { spec.stderr_path = value; return Status::Ok(); }
  if (key == "status") { spec.status_path = value; return Status::Ok(); }
  if (key == "cpu" && ParseInt(value, spec.limits.cpu_units)) return Status::Ok();
  if (key == "mem" && ParseInt(value, spec.limits.memory_mib)) return Status::Ok();
  return InvalidArgument("shim spec: bad record '" + std::string(key) + "'");
}

std::string_view KindName(ExitStatus::Kind kind) {
  switch (kind) {
    case ExitStatus::Kind::kExited: return "exited";
    case ExitStatus::Kind::kSignaled: return "signaled";
    case ExitStatus::Kind::kFailedToStart: return "failed_to_start";
    case ExitStatus::Kind::kLost: return "lost";
  }
  return "lost";
}

Result<std::string> ReadWholeFile(const std::string& path) {
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return NotFound("no file " + path);
    return IoError(ErrnoMessage("cannot open " + path));
  }
  std::string text;
  char buffer[4096];
  ssize_t got;
  while ((got = read(fd, buffer, sizeof buffer)) > 0) text.append(buffer, static_cast<size_t>(got));
  const int read_errno = errno;
  close(fd);
  if (got < 0) return IoError("cannot read " + path + ": " + std::strerror(read_errno));
  return text;
}

Status WriteAll(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t wrote = write(fd, data.data(), data.size());
    if (wrote < 0 && errno == EINTR) continue;
    if (wrote <= 0) return IoError(ErrnoMessage("write"));
    data.remove_prefix(static_cast<size_t>(wrote));
  }
  return Status::Ok();
}

}  // namespace

int ShimKillSignal() { return SIGRTMIN + 2; }

bool IsForwardedSignal(int signal) {
  return signal == SIGTERM || signal == SIGINT || signal == SIGHUP || signal == SIGQUIT ||
         signal == SIGUSR1 || signal == SIGUSR2;
}

std::string EncodeShimSpec(const ProcessSpec& spec) {
  std::string out(kSpecVersion);
  out.push_back('\0');
  AddRecord(out, "task", spec.task_id);
  for (const std::string& arg : spec.argv) AddRecord(out, "arg", arg);
  for (const auto& [name, value] : spec.env) AddRecord(out, "env", name + "=" + value);
  AddRecord(out, "cwd", spec.working_dir);
  AddRecord(out, "stdout", spec.stdout_path);
  AddRecord(out, "stderr", spec.stderr_path);
  AddRecord(out, "status", spec.status_path);
  AddRecord(out, "cpu", std::to_string(spec.limits.cpu_units));
  AddRecord(out, "mem", std::to_string(spec.limits.memory_mib));
  return out;
}

Result<ProcessSpec> DecodeShimSpec(std::string_view bytes) {
  std::string_view field;
  if (!NextField(bytes, field) || field != kSpecVersion) {
    return InvalidArgument("shim spec: unknown version (is the shim binary from the same drydock?)");
  }
  ProcessSpec spec;
  std::string_view key, value;
  while (!bytes.empty()) {
    if (!NextField(bytes, key) || !NextField(bytes, value)) {
      return InvalidArgument("shim spec: truncated record");
    }
    DRYDOCK_RETURN_IF_ERROR(ApplyRecord(spec, key, value));
  }
  DRYDOCK_RETURN_IF_ERROR(ValidateProcessSpec(spec));
  return spec;
}

std::string EncodeShimReport(const ShimReport& report) {
  if (report.started) return "started " + std::to_string(report.task_pid) + "\n" + report.note;
  return "failed " + std::to_string(static_cast<int>(report.code)) + "\n" + report.message;
}

Result<ShimReport> DecodeShimReport(std::string_view text) {
  const size_t newline = text.find('\n');
  if (newline == std::string_view::npos) {
    return Status(StatusCode::kUnavailable, "the task supervisor exited before reporting");
  }
  const std::string_view head = text.substr(0, newline);
  const std::string_view body = text.substr(newline + 1);
  ShimReport report;
  int number = 0;
  if (head.rfind("started ", 0) == 0 && ParseInt(head.substr(8), number) && number > 0) {
    report.started = true;
    report.task_pid = number;
    report.note = body;
    return report;
  }
  if (head.rfind("failed ", 0) == 0 && ParseInt(head.substr(7), number) && number > 0) {
    report.code = static_cast<StatusCode>(number);
    report.message = body;
    return report;
  }
  return Internal("the task supervisor sent an unreadable report: '" + std::string(head) + "'");
}

std::string ExitStatusToJson(const ExitStatus& status, int task_pid) {
  nlohmann::json json;
  json["version"] = 1;
  json["taskPid"] = task_pid;
  json["kind"] = KindName(status.kind);
  json["exitCode"] = status.kind == ExitStatus::Kind::kExited ? nlohmann::json(status.exit_code)
                                                              : nlohmann::json(nullptr);
  const bool signaled = status.kind == ExitStatus::Kind::kSignaled;
  json["signal"] = signaled ? nlohmann::json(status.signal) : nlohmann::json(nullptr);
  json["signalName"] = signaled ? nlohmann::json(SignalName(status.signal)) : nlohmann::json(nullptr);
  json["timeMs"] = status.time.time_since_epoch().count();
  json["time"] = FormatTime(status.time);
  json["message"] = status.message;
  return json.dump() + "\n";
}

Result<ExitStatus> ExitStatusFromJson(std::string_view text) {
  const nlohmann::json json = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!json.is_object() || !json.contains("kind") || !json["kind"].is_string() ||
      !json.contains("timeMs") || !json["timeMs"].is_number_integer()) {
    return InvalidArgument("exit status is not drydock exit.json");
  }
  ExitStatus status;
  const std::string kind = json["kind"].get<std::string>();
  const auto number = [&](const char* key) -> std::optional<int> {
    if (!json.contains(key) || !json[key].is_number_integer()) return std::nullopt;
    return json[key].get<int>();
  };
  if (kind == "exited" && number("exitCode")) {
    status.kind = ExitStatus::Kind::kExited;
    status.exit_code = *number("exitCode");
  } else if (kind == "signaled" && number("signal")) {
    status.kind = ExitStatus::Kind::kSignaled;
    status.signal = *number("signal");
  } else if (kind == "failed_to_start") {
    status.kind = ExitStatus::Kind::kFailedToStart;
  } else {
    return InvalidArgument("exit status has unknown kind '" + kind + "'");
  }
  status.time = TimePoint(Duration(json["timeMs"].get<int64_t>()));
  if (json.contains("message") && json["message"].is_string()) {
    status.message = json["message"].get<std::string>();
  }
  return status;
}

std::string ShimIdentityPath(const std::string& status_path) { return status_path + ".shim"; }

Status WriteShimIdentityFile(const std::string& path, int pid, uint64_t start_ticks) {
  return WriteFileAtomically(path, std::to_string(pid) + " " + std::to_string(start_ticks) + "\n");
}

Result<ShimIdentity> ReadShimIdentityFile(const std::string& path) {
  Result<std::string> text = ReadWholeFile(path);
  if (!text.ok()) return text.status();
  std::string_view rest = *text;
  const size_t space = rest.find(' ');
  const size_t newline = rest.find('\n');
  ShimIdentity identity;
  if (space == std::string_view::npos || newline == std::string_view::npos || newline < space ||
      !ParseInt(rest.substr(0, space), identity.pid) || identity.pid <= 0 ||
      std::from_chars(rest.data() + space + 1, rest.data() + newline, identity.start_ticks).ptr !=
          rest.data() + newline) {
    return InvalidArgument(path + " is not a drydock shim identity file");
  }
  return identity;
}

Status WriteExitStatusFile(const std::string& path, const ExitStatus& status, int task_pid) {
  return WriteFileAtomically(path, ExitStatusToJson(status, task_pid));
}

Status WriteFileAtomically(const std::string& path, std::string_view content) {
  const std::string temp = path + ".tmp";
  const int fd = open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return IoError(ErrnoMessage("cannot create " + temp));
  Status written = WriteAll(fd, content);
  if (written.ok() && fsync(fd) != 0) written = IoError(ErrnoMessage("fsync " + temp));
  close(fd);
  if (written.ok() && rename(temp.c_str(), path.c_str()) != 0) {
    written = IoError(ErrnoMessage("rename " + temp + " to " + path));
  }
  if (!written.ok()) {
    unlink(temp.c_str());
    return written;
  }
  // Make the rename itself durable.
  const std::string dir = path.substr(0, path.find_last_of('/') + 1);
  const int dir_fd = open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd >= 0) {
    fsync(dir_fd);
    close(dir_fd);
  }
  return Status::Ok();
}

Result<ExitStatus> ReadExitStatusFile(const std::string& path) {
  Result<std::string> text = ReadWholeFile(path);
  if (!text.ok()) return text.status();
  Result<ExitStatus> status = ExitStatusFromJson(*text);
  if (!status.ok()) return InvalidArgument(path + ": " + status.status().message());
  return status;
}

}  // namespace drydock::runtime
