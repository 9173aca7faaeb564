#include "runtime/standin/stand_in.h"

#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <iostream>

#include <nlohmann/json.hpp>
#include <openssl/evp.h>

#include "base/strings.h"
#include "runtime/real/real_clock.h"

namespace drydock::runtime {
namespace {

// Answer field, and the environment variable drydock sets it from.
constexpr std::pair<const char*, const char*> kIdentityFields[] = {
    {"service", "ECS_SERVICE_NAME"},
    {"taskArn", "ECS_TASK_ARN"},
    {"taskDefinition", "ECS_TASK_DEFINITION"},
    {"containerInstanceArn", "ECS_CONTAINER_INSTANCE_ARN"},
    {"ec2InstanceId", "EC2_INSTANCE_ID"},
    {"availabilityZone", "ECS_AVAILABILITY_ZONE"},
    {"cluster", "ECS_CLUSTER"},
};

HttpServerOptions StandInServerOptions() {
  HttpServerOptions options;
  options.max_connections = 512;  // a load test opens many
  // Longer than a load balancer's 60 s idle timeout, as AWS advises for
  // targets, so that the balancer is the side that closes idle connections.
  options.request_timeout = std::chrono::seconds(75);
  return options;
}

std::string Sha256Hex(std::string_view text) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(text.data(), text.size(), digest, &length, EVP_sha256(), nullptr) != 1) return "";
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned int i = 0; i < length; ++i) {
    hex += kHex[digest[i] >> 4];
    hex += kHex[digest[i] & 15];
  }
  return "sha256:" + hex;
}

}  // namespace

Result<StandInConfig> StandInConfigFromEnv() {
  StandInConfig config;
  const char* port = std::getenv("PORT");
  if (port == nullptr || *port == '\0') return InvalidArgument("PORT is not set: it names the port to listen on");
  const std::optional<uint64_t> number = ParseUint(port);
  if (!number || *number < 1 || *number > 65535) {
    return InvalidArgument("PORT must be a number from 1 to 65535, not '" + std::string(port) + "'");
  }
  config.port = static_cast<int>(*number);
  if (const char* address = std::getenv("STAND_IN_ADDRESS"); address != nullptr && *address != '\0') {
    config.address = address;
  }
  if (const char* status = std::getenv("STAND_IN_STATUS"); status != nullptr && *status != '\0') {
    const std::optional<uint64_t> code = ParseUint(status);
    if (!code || *code < 200 || *code > 599) {
      return InvalidArgument("STAND_IN_STATUS must be an HTTP status from 200 to 599, not '" +
                             std::string(status) + "'");
    }
    config.status = static_cast<int>(*code);
  }
  for (const auto& [field, variable] : kIdentityFields) {
    const char* value = std::getenv(variable);
    config.identity.emplace_back(field, value == nullptr ? std::nullopt : std::optional<std::string>(value));
  }
  if (const char* names = std::getenv("STAND_IN_DIGESTS"); names != nullptr) {
    std::string_view rest = names;
    while (!rest.empty()) {
      const size_t comma = rest.find(',');
      const std::string name(rest.substr(0, comma));
      rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
      if (name.empty()) continue;
      const char* value = std::getenv(name.c_str());
      config.digests.emplace_back(name, value == nullptr ? std::nullopt
                                                         : std::optional<std::string>(Sha256Hex(value)));
    }
  }
  return config;
}

Result<std::unique_ptr<StandInServer>> StandInServer::Start(RealEventLoop& loop, StandInConfig config,
                                                            std::ostream& access_log) {
  std::unique_ptr<StandInServer> stand_in(new StandInServer(std::move(config), access_log));
  StandInServer* raw = stand_in.get();
  Result<std::unique_ptr<HttpServer>> server =
      HttpServer::ListenTcp(loop, raw->config_.address, raw->config_.port,
                            [raw](const HttpRequest& request) { return raw->Answer(request); },
                            StandInServerOptions());
  if (!server.ok()) return server.status();
  stand_in->server_ = std::move(*server);
  return stand_in;
}

HttpResponse StandInServer::Answer(const HttpRequest& request) {
  nlohmann::ordered_json body = nlohmann::ordered_json::object();
  for (const auto& [field, value] : config_.identity) {
    body[field] = value ? nlohmann::ordered_json(*value) : nlohmann::ordered_json(nullptr);
  }
  body["method"] = request.method;
  body["path"] = request.target.substr(0, request.target.find('?'));
  body["port"] = port();
  body["pid"] = getpid();
  if (!config_.digests.empty()) {
    nlohmann::ordered_json& digests = body["digests"] = nlohmann::ordered_json::object();
    for (const auto& [name, digest] : config_.digests) {
      digests[name] = digest ? nlohmann::ordered_json(*digest) : nlohmann::ordered_json(nullptr);
    }
  }
  // replace: bytes that are not UTF-8 (in a target, say) must not throw.
  HttpResponse response{config_.status, "application/json",
                        body.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace), {}};
  access_log_ << request.method << ' ' << request.target << ' ' << response.status << '\n' << std::flush;
  return response;
}

int RunStandIn(int argc, char** argv) {
  auto fail = [](const std::string& message, int code) {
    std::cerr << "drydock stand-in: " << message << std::endl;
    return code;
  };
  if (argc > 1) {
    return fail(std::string("unexpected argument '") + argv[1] +
                    "'; the stand-in is configured by PORT, STAND_IN_ADDRESS, STAND_IN_STATUS, STAND_IN_DIGESTS and the ECS_* "
                    "environment variables",
                2);
  }
  Result<StandInConfig> config = StandInConfigFromEnv();
  if (!config.ok()) return fail(config.status().message(), 2);
  RealClock clock(1.0, RealClock::WallNow());
  Result<std::unique_ptr<RealEventLoop>> loop = RealEventLoop::Create(clock);
  if (!loop.ok()) return fail(loop.status().message(), 1);

  std::unique_ptr<StandInServer> server;
  bool stopping = false;
  auto stop = [&] {
    if (stopping) return;
    stopping = true;
    server->Shutdown([&] { (*loop)->Stop(); });
  };
  // Watched before listening: once "listening" is printed, SIGTERM is graceful.
  for (int signo : {SIGTERM, SIGINT}) {
    Status watched = (*loop)->WatchSignal(signo, stop);
    if (!watched.ok()) return fail(watched.message(), 1);
  }
  Result<std::unique_ptr<StandInServer>> started = StandInServer::Start(**loop, *config, std::cout);
  if (!started.ok()) {
    return fail(started.status().message(), started.status().code() == StatusCode::kInvalidArgument ? 2 : 1);
  }
  server = std::move(*started);
  std::cout << "listening on " << config->address << ":" << server->port() << std::endl;
  (*loop)->Run();
  return 0;
}

}  // namespace drydock::runtime
