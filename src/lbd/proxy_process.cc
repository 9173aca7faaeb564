#include "lbd/proxy_process.h"

#include <unistd.h>

#include <chrono>
#include <csignal>
#include <future>
#include <memory>
#include <thread>
#include <utility>

#include <nlohmann/json.hpp>

#include "lbd/balancer_driver.h"
#include "lbd/https_listener.h"
#include "proxy/proxy.h"
#include "runtime/real/real_clock.h"
#include "runtime/real/real_event_loop.h"
#include "runtime/real/unix_http_server.h"

namespace drydock::lbd {
namespace {

using nlohmann::json;
using runtime::HttpRequest;
using runtime::HttpResponse;

// The longest an API call waits for the proxy thread (which never blocks).
constexpr std::chrono::seconds kProxyThreadTimeout{5};

HttpResponse Json(int status, const json& body) {
  return {status, "application/json", body.dump(2) + "\n", {}};
}

HttpResponse Error(int status, const std::string& message) {
  return Json(status, {{"error", message}});
}

// Runs `fn` on the proxy thread and waits for its result.
template <typename T>
std::optional<T> OnProxyThread(proxy::Proxy& proxy, std::function<T()> fn) {
  auto promise = std::make_shared<std::promise<T>>();
  std::future<T> future = promise->get_future();
  proxy.Post([promise, fn = std::move(fn)] { promise->set_value(fn()); });
  if (future.wait_for(kProxyThreadTimeout) != std::future_status::ready) return std::nullopt;
  return future.get();
}

class ProxyApi {
 public:
  ProxyApi(proxy::Proxy& proxy, BalancerDriver& driver, HttpsListenerKeeper& https,
           std::string listen, std::function<void()> stop)
      : proxy_(proxy),
        driver_(driver),
        https_(https),
        listen_(std::move(listen)),
        stop_(std::move(stop)) {}

  HttpResponse Handle(const HttpRequest& request) {
    const std::string path = request.target.substr(0, request.target.find('?'));
    if (path == "/v1/health") {
      if (request.method != "GET") return MethodNotAllowed("GET");
      const std::optional<bool> configured =
          OnProxyThread<bool>(proxy_, [this] { return driver_.configured(); });
      return Json(200, {{"pid", getpid()},
                        {"listen", listen_},
                        {"configured", configured.value_or(false)}});
    }
    if (path == "/v1/config") {
      if (request.method != "PUT") return MethodNotAllowed("PUT");
      Result<alb::ProxyConfig> config = alb::DecodeProxyConfig(request.body);
      if (!config.ok()) return Error(400, "invalid configuration: " + config.status().message());
      auto shared = std::make_shared<alb::ProxyConfig>(std::move(*config));
      // Certificates are read here, not on the proxy thread (which never blocks).
      auto update = std::make_shared<HttpsListenerKeeper::Update>(https_.Prepare(shared->spec.https));
      const std::optional<std::string> applied = OnProxyThread<std::string>(proxy_, [this, shared, update] {
        std::string https_error = https_.Commit(*update, proxy_, driver_);
        driver_.Apply(*shared);
        return https_error;
      });
      if (!applied) return Error(503, "the proxy thread did not answer");
      json answer = {{"targetGroups", shared->spec.target_groups.size()}};
      // The rest of the configuration applies: a certificate problem is reported, not refused.
      if (!applied->empty()) answer["httpsError"] = *applied;
      return Json(200, answer);
    }
    if (path == "/v1/targets") {
      if (request.method != "GET") return MethodNotAllowed("GET");
      const std::optional<std::string> targets =
          OnProxyThread<std::string>(proxy_, [this] { return driver_.TargetsJson(); });
      if (!targets) return Error(503, "the proxy thread did not answer");
      return {200, "application/json", *targets, {}};
    }
    if (path == "/v1/stop") {
      if (request.method != "POST") return MethodNotAllowed("POST");
      stop_();
      return Json(200, {{"message", "the load balancer is stopping"}});
    }
    return Error(404, "no such endpoint: " + path);
  }

 private:
  static HttpResponse MethodNotAllowed(const char* allowed) {
    HttpResponse response = Error(405, std::string("use ") + allowed);
    response.extra_headers.push_back({"Allow", allowed});
    return response;
  }

  proxy::Proxy& proxy_;
  BalancerDriver& driver_;
  HttpsListenerKeeper& https_;
  const std::string listen_;
  const std::function<void()> stop_;
};

}  // namespace

int RunProxyProcess(const ProxyProcessOptions& options) {
  auto log = [&](const std::string& line) {
    if (options.log) options.log(line);
  };
  runtime::RealClock clock(1, runtime::RealClock::WallNow());
  auto loop = runtime::RealEventLoop::Create(clock);
  if (!loop.ok()) return log("cannot start: " + loop.status().message()), 1;
  // Signals go through the loop; this must precede the proxy thread.
  for (int signal : {SIGINT, SIGTERM}) {
    if (Status watched = (*loop)->WatchSignal(signal, [&] { (*loop)->Stop(); }); !watched.ok()) {
      return log("cannot start: " + watched.message()), 1;
    }
  }

  BalancerDriver driver(clock);
  proxy::ProxyOptions proxy_options;
  proxy_options.listen_address = options.listen_host;
  proxy_options.listen_port = options.listen_port;
  proxy_options.idle_timeout = options.idle_timeout;
  // ALB answers 504 when a target does not respond within the idle timeout.
  proxy_options.upstream_timeout = options.idle_timeout;
  auto proxy = proxy::Proxy::Start(proxy_options, [&driver](std::string_view method,
                                                            std::string_view target) {
    return driver.RouteHttp(method, target);
  });
  if (!proxy.ok()) return log("cannot start: " + proxy.status().message()), 1;
  driver.Attach(proxy->get());
  HttpsListenerKeeper https(log);
  if (options.initial) {
    auto update = std::make_shared<HttpsListenerKeeper::Update>(https.Prepare(options.initial->spec.https));
    (*proxy)->Post([&driver, &https, &proxy, update, config = *options.initial] {
      https.Commit(*update, **proxy, driver);
      driver.Apply(config);
    });
  }
  const std::string listen = options.listen_host + ":" + std::to_string((*proxy)->port());

  std::unique_ptr<ProxyApi> api;
  std::unique_ptr<runtime::UnixHttpServer> server;
  if (!options.control_socket.empty()) {
    // Stopping on the next turn lets the answer to POST /v1/stop go out first.
    api = std::make_unique<ProxyApi>(**proxy, driver, https, listen,
                                     [&] { (*loop)->Post([&] { (*loop)->Stop(); }); });
    auto listening = runtime::UnixHttpServer::Listen(
        **loop, options.control_socket,
        [&api](const HttpRequest& request) { return api->Handle(request); },
        runtime::HttpServerOptions{.bearer_token = options.bearer_token,
                                   .bearer_hint = options.bearer_hint});
    if (!listening.ok()) return log("cannot start: " + listening.status().message()), 1;
    server = std::move(*listening);
  }

  std::thread proxy_thread([&proxy] { (*proxy)->Run(); });
  log("listening on http://" + listen + " (pid " + std::to_string(getpid()) + ")" +
      (options.control_socket.empty() ? "" : ", API on " + options.control_socket));
  (*loop)->Run();
  log("stopping");
  server.reset();  // no API call waits on the proxy thread any more
  (*proxy)->Stop();
  proxy_thread.join();
  proxy->reset();
  return 0;
}

}  // namespace drydock::lbd
