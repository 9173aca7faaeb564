// HTTP/1.1 servers on the RealEventLoop. HttpServer serves any listening
// stream socket (the stand-in app's loopback TCP port); UnixHttpServer is the
// control API: a 0600 Unix socket at a path, serving only its own user.
//
// Connections are non-blocking and independent: a slow, malformed or hostile
// client costs one connection slot, never the loop or other clients. Both
// classes are loop-affine: create, use and destroy them on the loop's thread
// (or while no thread runs the loop). Design: docs/control-api.md.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "base/status.h"
#include "runtime/http/http_codec.h"
#include "runtime/real/real_event_loop.h"

namespace drydock::runtime {

// Answers one request; runs on the loop thread, so it must not block. It may
// call Shutdown() but must not destroy the server.
using HttpHandler = std::function<HttpResponse(const HttpRequest&)>;

struct HttpServerOptions {
  size_t max_connections = 64;  // beyond: answered 503 and closed
  size_t max_body_bytes = 1 << 20;  // beyond: 413
  // Real time (the server scales it into the loop's cluster-time timers, so
  // --time-scale does not shorten it) a connection gets to deliver a whole
  // request and take the whole response, counted from its accept or from its
  // previous response. Then it is closed.
  std::chrono::milliseconds request_timeout{10'000};
  // Unix sockets only: serve only peers (SO_PEERCRED) with our effective uid,
  // or root; others get 403 and are closed.
  bool same_user_only = false;
  // When not empty, every request must carry `Authorization: Bearer
  // <bearer_token>` (runtime/real/control_token.h); others get 401 with
  // `bearer_hint` (where the token lives) and never reach the handler.
  std::string bearer_token{};
  std::string bearer_hint{};
};

class HttpServer {
 public:
  // Listens on `address` (IPv4, e.g. "127.0.0.1"):`port` (0: any free port).
  static Result<std::unique_ptr<HttpServer>> ListenTcp(RealEventLoop& loop, const std::string& address,
                                                       int port, HttpHandler handler,
                                                       HttpServerOptions options);
  // Serves on `listen_fd`, a listening non-blocking stream socket, which it
  // owns from now on (closed on failure too).
  static Result<std::unique_ptr<HttpServer>> Serve(RealEventLoop& loop, int listen_fd, HttpHandler handler,
                                                   HttpServerOptions options);
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;
  // Closes the listening socket and every connection at once.
  ~HttpServer();

  // Graceful stop: closes the listening socket and idle connections; the
  // others finish the request they are in (answered with Connection: close,
  // still bounded by request_timeout). Then posts `on_drained` to the loop.
  void Shutdown(Callback on_drained);

  int port() const { return port_; }  // the bound TCP port (ListenTcp), else 0
  size_t connection_count() const { return connections_.size(); }

 private:
  struct Connection;

  HttpServer(RealEventLoop& loop, int listen_fd, HttpHandler handler, HttpServerOptions options);
  void OnAcceptable();
  void PauseAccepting();
  void StopListening();
  void Admit(int fd);
  void OnReadable(uint64_t id);
  void OnWritable(uint64_t id);
  // Answers the complete requests in the connection's decoder after adding
  // `bytes`, until one needs more bytes or the socket more room.
  void ServeRequests(Connection& connection, std::string_view bytes);
  // Each returns false if the connection can no longer read (it was closed,
  // or waits to write).
  bool Respond(Connection& connection, const HttpResponse& response, bool keep_alive, bool head);
  bool Flush(Connection& connection);
  bool SetWriting(Connection& connection, bool writing);
  void ArmTimer(Connection& connection);
  // Unwatches and closes the socket, cancels the timer; Close() also forgets
  // the connection and may report the server drained.
  void Release(Connection& connection);
  void Close(uint64_t id);
  void MaybeDrained();

  RealEventLoop& loop_;
  int listen_fd_;
  HttpHandler handler_;
  const HttpServerOptions options_;
  const Duration timeout_;  // request_timeout in cluster time
  int port_ = 0;
  TimerId accept_retry_ = 0;
  uint64_t next_id_ = 1;
  uint64_t in_handler_ = 0;  // the connection whose request the handler is answering
  std::map<uint64_t, std::unique_ptr<Connection>> connections_;
  bool shutting_down_ = false;
  Callback on_drained_;
};

class UnixHttpServer {
 public:
  using Handler = HttpHandler;
  using Options = HttpServerOptions;  // same_user_only is always on

  // Binds `socket_path` with mode 0600 whatever the umask. Replaces a stale
  // socket file (nothing accepts on it); kAlreadyExists if a live server
  // answers there or the path is not a socket.
  static Result<std::unique_ptr<UnixHttpServer>> Listen(RealEventLoop& loop, const std::string& socket_path,
                                                        Handler handler, Options options);
  UnixHttpServer(const UnixHttpServer&) = delete;
  UnixHttpServer& operator=(const UnixHttpServer&) = delete;
  // Closes everything and unlinks the socket file, unless another server has
  // replaced it meanwhile.
  ~UnixHttpServer();

  const std::string& socket_path() const { return path_; }
  HttpServer& server() { return *server_; }

 private:
  UnixHttpServer(std::string path, uint64_t device, uint64_t inode, std::unique_ptr<HttpServer> server)
      : path_(std::move(path)), device_(device), inode_(inode), server_(std::move(server)) {}

  const std::string path_;
  const uint64_t device_;  // identify the socket file we bound
  const uint64_t inode_;
  std::unique_ptr<HttpServer> server_;
};

}  // namespace drydock::runtime
