// Blocking HTTP/1.1 client: the CLI's way to `drydock up`'s control API
// (UnixHttpCall), and tests' way to any of our servers. Every call blocks up
// to its timeout, so it has no place on an event-loop thread.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "base/status.h"
#include "runtime/http/http_codec.h"

namespace drydock::runtime {

// One connection, usable for several requests in turn (keep-alive).
class HttpClientConnection {
 public:
  // kNotFound if no socket file exists, kUnavailable if nothing accepts on
  // it (a stale socket) or the server is too busy to accept.
  static Result<HttpClientConnection> ConnectUnix(const std::string& socket_path,
                                                  std::chrono::milliseconds timeout);
  // kUnavailable if refused or not accepted within `timeout`.
  static Result<HttpClientConnection> ConnectTcp(const std::string& address, int port,
                                                 std::chrono::milliseconds timeout);
  HttpClientConnection(HttpClientConnection&& other) noexcept;
  HttpClientConnection& operator=(HttpClientConnection&&) = delete;
  HttpClientConnection(const HttpClientConnection&) = delete;
  ~HttpClientConnection();

  // Sends `request` and reads its response; kUnavailable on timeout or if
  // the server closes without answering. A server that answers and closes
  // before reading the request (403, 503) still gets its answer through.
  Result<HttpResponse> Call(const HttpRequest& request, std::chrono::milliseconds timeout);
  // The same with `request_bytes` sent as they are (tests send malformed
  // ones); `response_to_head`: the response has no body.
  Result<HttpResponse> Exchange(std::string_view request_bytes, bool response_to_head,
                                std::chrono::milliseconds timeout);

 private:
  HttpClientConnection(int fd, std::string peer) : fd_(fd), peer_(std::move(peer)) {}

  int fd_;
  std::string peer_;  // for messages: the path or address:port
};

// One request on a fresh connection to the control plane's socket, within
// `timeout` overall. A non-empty body is sent as application/json.
Result<HttpResponse> UnixHttpCall(const std::string& socket_path, const std::string& method,
                                  const std::string& target, const std::string& body,
                                  std::chrono::milliseconds timeout);
// The same with `Authorization: Bearer <bearer_token>` (control_token.h).
Result<HttpResponse> UnixHttpCall(const std::string& socket_path, const std::string& method,
                                  const std::string& target, const std::string& body,
                                  std::chrono::milliseconds timeout,
                                  const std::string& bearer_token);

}  // namespace drydock::runtime
