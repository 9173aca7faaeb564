// The data plane core of drydock's Application Load Balancer: an HTTP/1.1
// reverse proxy on one thread (one io_context). It parses client requests
// strictly, asks a Router where each goes, streams bodies both ways without
// buffering them whole, pools keep-alive connections per upstream, and maps
// failures to ALB's status codes. Design: docs/proxy.md.
//
// No header of ours includes Boost: Asio and Beast stay in src/proxy/*.cc.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "base/status.h"

namespace drydock::proxy {

struct Upstream {
  std::string host = "127.0.0.1";  // an IPv4 address, not a name
  int port = 0;
};

// What the router decides for one request.
struct RouteResult {
  enum class Kind {
    kForward,    // to `upstream`
    kFixed,      // answer `status`, `content_type`, `body` ourselves
    kNoTargets,  // 503, as ALB answers when a target group has no healthy target
    kRedirect,   // answer `status` (301) with the Location `location` gives
  };
  Kind kind = Kind::kFixed;
  Upstream upstream;  // kForward
  int status = 404;  // kFixed
  std::string content_type;  // kFixed; no Content-Type header if empty
  std::string body;  // kFixed
  // kRedirect: the Location for the request's Host header value ("" when it
  // has none); nullopt answers 400 (a Host no redirect should point to).
  std::function<std::optional<std::string>(std::string_view host)> location;
  // kForward: called exactly once when the exchange ends, however it ends
  // (also if the proxy is destroyed mid-exchange), on the proxy's thread.
  std::function<void()> done;
};

// Runs on the proxy's thread for every well-formed request; must not block.
using Router = std::function<RouteResult(std::string_view method, std::string_view target)>;

struct ProxyOptions {
  std::string listen_address = "127.0.0.1";  // IPv4
  int listen_port = 0;  // 0: any free port, see Proxy::port()
  // A client connection with no request in progress and no byte for this
  // long is closed (ALB's idle timeout); also bounds each body read.
  std::chrono::milliseconds idle_timeout{60000};
  // From the first byte of a request to the end of its header; then 408.
  std::chrono::milliseconds header_timeout{10000};
  // TCP connect to an upstream; then 504.
  std::chrono::milliseconds connect_timeout{10000};
  // Each wait on an upstream (writing the request, the response header, each
  // piece of the body); then 504 (or, mid-response, the client is closed).
  std::chrono::milliseconds upstream_timeout{60000};
  size_t max_header_bytes = 16 * 1024;  // request header beyond: 431
  size_t max_connections = 10000;  // client connections beyond are closed at once
  std::string forwarded_proto = "http";  // X-Forwarded-Proto
  // Pooled keep-alive connections per upstream. Sized for as many exchanges
  // as run at once under load: with fewer, every exchange beyond the cap
  // closes its connection and a later one connects anew (at 200 client
  // connections and a cap of 32, ~10% of requests paid a TCP connect).
  size_t max_idle_per_upstream = 512;
};

class TlsContext;  // proxy/tls.h

// The HTTPS listener: TLS (per `context`) in front of the same HTTP engine;
// requests on it get X-Forwarded-Proto "https" and X-Forwarded-Port its port.
struct TlsListener {
  std::string listen_address = "127.0.0.1";  // IPv4 or IPv6 literal
  int listen_port = 0;  // 0: any free port, see Proxy::tls_port()
  std::shared_ptr<const TlsContext> context;
  Router router;  // routes the requests that arrive on it
};

// Counters for tests and metrics; read them on the proxy's thread or after
// Run() returned.
struct ProxyStats {
  size_t client_connections = 0;  // open now
  size_t upstream_connects = 0;  // fresh upstream connections made, ever (probes not counted)
  size_t upstream_reuses = 0;  // requests sent on a pooled connection, ever
  size_t upstream_retries = 0;  // requests retried on a fresh connection, ever
  size_t upstream_cuts = 0;  // in-use upstream connections closed by Cut(), ever
};

// The outcome of one health-check probe (Proxy::Probe).
struct ProbeResult {
  enum class Kind {
    kStatus,  // a response header arrived: `status`
    kTimeout,  // not connected, sent and answered (header) within the timeout
    kConnectFailed,  // refused, reset, closed early, or a malformed response: `error`
  };
  Kind kind = Kind::kConnectFailed;
  int status = 0;  // kStatus: the HTTP status code
  std::string error;  // kTimeout, kConnectFailed: short and human, e.g. "connection refused"
};

class Proxy {
 public:
  // Binds and listens; serves once Run() is called.
  static Result<std::unique_ptr<Proxy>> Start(ProxyOptions options, Router router);
  Proxy(const Proxy&) = delete;
  Proxy& operator=(const Proxy&) = delete;
  // Closes every connection. Call it once Run() has returned (or never ran).
  ~Proxy();

  int port() const;  // the bound port
  // The HTTPS listener's bound port; 0 when there is none. Proxy thread only.
  int tls_port() const;
  // Proxy thread only. Starts the HTTPS listener, or changes it: a new
  // address rebinds (the old listener closes once the new one listens), a
  // new context or router serves the handshakes and requests from now on
  // (open connections keep theirs). On an error (invalid address, port
  // taken) the listener stays as it was.
  Status SetTlsListener(TlsListener listener);
  // Proxy thread only: closes the HTTPS listener (open connections stay).
  void StopTlsListener();
  // Serves on the calling thread until Stop(). Returns at once after Stop().
  void Run();
  // Thread-safe: makes Run() return soon. Connections stay open until the
  // Proxy is destroyed.
  void Stop();
  // Thread-safe; posted to the proxy's thread and answered there.
  void GetStats(std::function<void(const ProxyStats&)> callback);

  // Thread-safe: runs `fn` on the proxy's thread, after this call returns,
  // once Run() runs; never if the Proxy is destroyed first. `fn` must not
  // block; an exception out of it is swallowed (the proxy serves on).
  void Post(std::function<void()> fn);
  // Thread-safe one-shot timer: runs `fn` on the proxy's thread `delay` after
  // this call (not earlier), as Post() does; never if the Proxy is destroyed
  // first (nor while Run() is not running).
  void RunAfter(std::chrono::milliseconds delay, std::function<void()> fn);

  // A health check of `upstream`, as ALB's: a new TCP connection (never a
  // pooled one), "GET <path> HTTP/1.1" with Host "<host>:<port>", User-Agent
  // "ELB-HealthChecker/2.0" and Connection: close; only the response header
  // is read (at most 64 KiB; interim 1xx responses other than 101 are
  // skipped), then the connection is closed. Connect, write and read together
  // are bounded by `timeout`. Thread-safe (posted to the proxy's thread).
  // `done` is called exactly once, on the proxy's thread and never from
  // within Probe() — unless the Proxy is destroyed while the probe is
  // pending: then `done` is destroyed without being called.
  void Probe(const Upstream& upstream, std::string path, std::chrono::milliseconds timeout,
             std::function<void(const ProbeResult&)> done);

  // Draining hooks. Call them on the proxy's thread only (from the router, a
  // `done`, Post() or RunAfter()); they act at once.
  // Closes the pooled idle connections to `upstream`; exchanges in flight
  // are untouched, and their connections may return to the pool after.
  void CloseIdle(const Upstream& upstream);
  // Closes the idle connections to `upstream` and every one in use, so that
  // exchanges in flight with it end now: a client still waiting for the
  // response header gets a 502 (never a retry), one that is receiving the
  // response body has its connection closed (it cannot be told otherwise).
  // A request routed there later opens a new connection.
  void Cut(const Upstream& upstream);

 private:
  class Impl;
  explicit Proxy(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace drydock::proxy
