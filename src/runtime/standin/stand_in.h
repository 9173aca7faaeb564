// The stand-in app: what drydock runs for a service without a local
// `command`, in place of its container image. It answers every HTTP request
// on 127.0.0.1:$PORT with one JSON object naming the task that served it
// (service, task ARN, instance, zone, ...), so load balancing, draining and
// deployments can be watched from outside, and it stops like a well-behaved
// container: SIGTERM or SIGINT finishes in-flight requests, then exits 0.
#pragma once

#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "base/status.h"
#include "runtime/real/real_event_loop.h"
#include "runtime/real/unix_http_server.h"

namespace drydock::runtime {

struct StandInConfig {
  std::string address = "127.0.0.1";
  int port = 0;  // 0: any free port
  // The identity fields of every answer, in order, e.g. {"service", "web"};
  // nullopt is rendered as null.
  std::vector<std::pair<std::string, std::optional<std::string>>> identity;
  // The status of every answer: 200, or what STAND_IN_STATUS says, so that a
  // deployment can ship a "broken version" whose health checks fail.
  int status = 200;
  // Variables whose SHA-256 every answer reports ("digests": {"NAME":
  // "sha256:<hex>"}), from STAND_IN_DIGESTS="NAME,NAME": a test can check
  // which secret value a task received without the value ever being sent.
  // The digest of a variable that is not set is null.
  std::vector<std::pair<std::string, std::optional<std::string>>> digests;
};

// From the environment drydock gives a task: PORT (required, 1-65535),
// STAND_IN_ADDRESS (optional IPv4 address), STAND_IN_STATUS (optional,
// 200-599), STAND_IN_DIGESTS (optional, variable names) and the identity: ECS_SERVICE_NAME,
// ECS_TASK_ARN, ECS_TASK_DEFINITION, ECS_CONTAINER_INSTANCE_ARN,
// EC2_INSTANCE_ID, ECS_AVAILABILITY_ZONE, ECS_CLUSTER.
Result<StandInConfig> StandInConfigFromEnv();

class StandInServer {
 public:
  // Listens on config.address:config.port. `access_log` gets one line per
  // answered request, "<method> <target> <status>", and must outlive the
  // server. Loop-affine, like HttpServer.
  static Result<std::unique_ptr<StandInServer>> Start(RealEventLoop& loop, StandInConfig config,
                                                      std::ostream& access_log);

  int port() const { return server_->port(); }
  // See HttpServer::Shutdown.
  void Shutdown(Callback on_drained) { server_->Shutdown(std::move(on_drained)); }

 private:
  StandInServer(StandInConfig config, std::ostream& access_log)
      : config_(std::move(config)), access_log_(access_log) {}
  HttpResponse Answer(const HttpRequest& request);

  const StandInConfig config_;
  std::ostream& access_log_;
  std::unique_ptr<HttpServer> server_;
};

// `drydock stand-in` (argv[0] is the verb; no arguments): serves until
// SIGTERM or SIGINT, then returns 0; 2 if the environment is wrong, 1 if it
// cannot listen. Prints "listening on <address>:<port>" once ready.
int RunStandIn(int argc, char** argv);

}  // namespace drydock::runtime
