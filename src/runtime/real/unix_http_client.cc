#include "runtime/real/unix_http_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstring>
#include <utility>

#include "base/strings.h"

namespace drydock::runtime {
namespace {

using SteadyClock = std::chrono::steady_clock;
using Milliseconds = std::chrono::milliseconds;

// Listings and logs can be large; a response is still bounded.
constexpr size_t kMaxResponseBodyBytes = 64 << 20;
constexpr size_t kReadChunk = 16 * 1024;

Status Unavailable(std::string message) { return Status(StatusCode::kUnavailable, std::move(message)); }

// OK once `fd` is ready for `events`; kUnavailable at the deadline.
Status WaitFor(int fd, short events, SteadyClock::time_point deadline, const std::string& doing) {
  while (true) {
    const auto left = std::chrono::ceil<Milliseconds>(deadline - SteadyClock::now()).count();
    if (left <= 0) return Unavailable("timed out " + doing);
    pollfd entry{fd, events, 0};
    const int ready = poll(&entry, 1, static_cast<int>(std::min<decltype(left)>(left, INT_MAX)));
    if (ready > 0) return Status::Ok();
    if (ready < 0 && errno != EINTR) return IoError(ErrnoMessage("poll"));
  }
}

// Connects the non-blocking socket `fd`; returns 0 or the errno (ETIMEDOUT
// at the deadline).
int Connect(int fd, const sockaddr* address, socklen_t length, SteadyClock::time_point deadline) {
  if (connect(fd, address, length) == 0) return 0;
  if (errno != EINPROGRESS) return errno;
  if (!WaitFor(fd, POLLOUT, deadline, "connecting").ok()) return ETIMEDOUT;
  int error = 0;
  socklen_t size = sizeof error;
  if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &size) != 0) return errno;
  return error;
}

}  // namespace

Result<HttpClientConnection> HttpClientConnection::ConnectUnix(const std::string& socket_path,
                                                               Milliseconds timeout) {
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  if (socket_path.empty() || socket_path.size() >= sizeof address.sun_path) {
    return InvalidArgument("not a usable Unix socket path: " + socket_path);
  }
  std::memcpy(address.sun_path, socket_path.data(), socket_path.size());
  const int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return IoError(ErrnoMessage("socket"));
  const int error =
      Connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address, SteadyClock::now() + timeout);
  if (error == 0) return HttpClientConnection(fd, socket_path);
  close(fd);
  const std::string hint = " (is `drydock up` running?)";
  switch (error) {
    case ENOENT: return NotFound("no control plane is listening on " + socket_path + hint);
    case ECONNREFUSED:
      return Unavailable("no control plane is listening on " + socket_path + ": the socket is stale" + hint);
    case EAGAIN:  // the backlog is full
    case ETIMEDOUT: return Unavailable("the control plane on " + socket_path + " is too busy to accept");
    default: return IoError("cannot connect to " + socket_path + ": " + std::strerror(error));
  }
}

Result<HttpClientConnection> HttpClientConnection::ConnectTcp(const std::string& address, int port,
                                                              Milliseconds timeout) {
  const std::string peer = address + ":" + std::to_string(port);
  sockaddr_in socket_address{};
  socket_address.sin_family = AF_INET;
  socket_address.sin_port = htons(static_cast<uint16_t>(port));
  if (port <= 0 || port > 65535 || inet_pton(AF_INET, address.c_str(), &socket_address.sin_addr) != 1) {
    return InvalidArgument("not an IPv4 address and port: " + peer);
  }
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return IoError(ErrnoMessage("socket"));
  const int error = Connect(fd, reinterpret_cast<const sockaddr*>(&socket_address), sizeof socket_address,
                            SteadyClock::now() + timeout);
  if (error == 0) return HttpClientConnection(fd, peer);
  close(fd);
  if (error == ECONNREFUSED || error == ETIMEDOUT) {
    return Unavailable("cannot connect to " + peer + ": " + std::strerror(error));
  }
  return IoError("cannot connect to " + peer + ": " + std::strerror(error));
}

HttpClientConnection::HttpClientConnection(HttpClientConnection&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)), peer_(std::move(other.peer_)) {}

HttpClientConnection::~HttpClientConnection() {
  if (fd_ >= 0) close(fd_);
}

Result<HttpResponse> HttpClientConnection::Call(const HttpRequest& request, Milliseconds timeout) {
  return Exchange(EncodeRequest(request), request.method == "HEAD", timeout);
}

Result<HttpResponse> HttpClientConnection::Exchange(std::string_view request_bytes, bool response_to_head,
                                                    Milliseconds timeout) {
  const SteadyClock::time_point deadline = SteadyClock::now() + timeout;
  Status sent = Status::Ok();
  while (sent.ok() && !request_bytes.empty()) {
    const ssize_t wrote = send(fd_, request_bytes.data(), request_bytes.size(), MSG_NOSIGNAL);
    if (wrote >= 0) {
      request_bytes.remove_prefix(static_cast<size_t>(wrote));
    } else if (errno == EAGAIN) {
      DRYDOCK_RETURN_IF_ERROR(WaitFor(fd_, POLLOUT, deadline, "sending to " + peer_));
    } else if (errno != EINTR) {
      // The server may have answered and closed before reading: read on.
      sent = IoError(ErrnoMessage("cannot send to " + peer_));
    }
  }

  HttpResponseDecoder decoder({.max_body_bytes = kMaxResponseBodyBytes, .response_to_head = response_to_head});
  char buffer[kReadChunk];
  while (true) {
    Status ready = WaitFor(fd_, POLLIN, deadline, "waiting for an answer from " + peer_);
    if (!ready.ok()) return sent.ok() ? ready : sent;
    const ssize_t got = recv(fd_, buffer, sizeof buffer, 0);
    if (got < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (got < 0) return sent.ok() ? IoError(ErrnoMessage("cannot read from " + peer_)) : sent;
    HttpResponseDecoder::Step step =
        got == 0 ? decoder.Finish() : decoder.Feed(std::string_view(buffer, static_cast<size_t>(got)));
    if (step.state == HttpResponseDecoder::State::kMessage) return std::move(step.message);
    if (step.state == HttpResponseDecoder::State::kError) {
      return IoError("bad answer from " + peer_ + ": " + step.error.message);
    }
    if (got == 0) return sent.ok() ? Unavailable(peer_ + " closed the connection without answering") : sent;
  }
}

Result<HttpResponse> UnixHttpCall(const std::string& socket_path, const std::string& method,
                                  const std::string& target, const std::string& body, Milliseconds timeout) {
  return UnixHttpCall(socket_path, method, target, body, timeout, "");
}

Result<HttpResponse> UnixHttpCall(const std::string& socket_path, const std::string& method,
                                  const std::string& target, const std::string& body,
                                  Milliseconds timeout, const std::string& bearer_token) {
  const SteadyClock::time_point deadline = SteadyClock::now() + timeout;
  Result<HttpClientConnection> connection = HttpClientConnection::ConnectUnix(socket_path, timeout);
  if (!connection.ok()) return connection.status();
  HttpRequest request{method, target, {{"Host", "localhost"}}, body, false};
  if (!body.empty()) request.headers.emplace_back("Content-Type", "application/json");
  if (!bearer_token.empty()) request.headers.emplace_back("Authorization", "Bearer " + bearer_token);
  const Milliseconds left = std::chrono::ceil<Milliseconds>(deadline - SteadyClock::now());
  return connection->Call(request, std::max(left, Milliseconds(0)));
}

}  // namespace drydock::runtime
