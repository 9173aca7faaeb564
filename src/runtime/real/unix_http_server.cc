#include "runtime/real/unix_http_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstring>
#include <utility>
#include <vector>

#include "base/strings.h"
#include "runtime/real/control_token.h"

namespace drydock::runtime {
namespace {

constexpr int kMaxAcceptsPerTurn = 64;
// Real time to wait before accepting again when out of fds or memory.
constexpr std::chrono::milliseconds kAcceptRetry{100};
constexpr size_t kReadChunk = 16 * 1024;

// `real` time as cluster time on the loop's clock, rounded up.
Duration ToClusterDuration(const RealEventLoop& loop, std::chrono::milliseconds real) {
  return Duration(static_cast<Duration::rep>(
      std::ceil(static_cast<double>(real.count()) * loop.clock().time_scale())));
}

// Best effort, without reading the request: a small answer fits in the
// socket's empty send buffer.
void RejectAndClose(int fd, int status, const std::string& message) {
  const std::string wire = EncodeResponse(JsonErrorResponse(status, message), false);
  [[maybe_unused]] ssize_t sent = send(fd, wire.data(), wire.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
  close(fd);
}

// 401 without saying anything of the token but where it lives.
HttpResponse Unauthorized(const std::string& hint) {
  HttpResponse response = JsonErrorResponse(
      401, "missing or wrong bearer token: send `Authorization: Bearer <token>`" +
               (hint.empty() ? std::string() : ", the token being the contents of " + hint));
  response.extra_headers.emplace_back("WWW-Authenticate", "Bearer");
  return response;
}

bool PeerIsSameUser(int fd) {
  ucred peer{};
  socklen_t length = sizeof peer;
  if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &peer, &length) != 0) return false;
  return peer.uid == geteuid() || peer.uid == 0;
}

// Removes `path` if it is a socket nothing accepts on (a crashed server's).
Status RemoveStaleSocket(const std::string& path, const sockaddr_un& address) {
  struct stat info {};
  if (lstat(path.c_str(), &info) != 0) {
    return errno == ENOENT ? Status::Ok() : IoError(ErrnoMessage("cannot stat " + path));
  }
  if (!S_ISSOCK(info.st_mode)) {
    return Status(StatusCode::kAlreadyExists, path + " exists and is not a socket; not replacing it");
  }
  const int probe = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (probe < 0) return IoError(ErrnoMessage("socket"));
  const int connected = connect(probe, reinterpret_cast<const sockaddr*>(&address), sizeof address);
  const int error = errno;
  close(probe);
  // EAGAIN: a live server with a full backlog.
  if (connected == 0 || error == EAGAIN) {
    return Status(StatusCode::kAlreadyExists, "a server is already listening on " + path);
  }
  if (error != ECONNREFUSED) return IoError("cannot probe " + path + ": " + std::strerror(error));
  if (unlink(path.c_str()) != 0 && errno != ENOENT) return IoError(ErrnoMessage("cannot remove stale socket " + path));
  return Status::Ok();
}

}  // namespace

struct HttpServer::Connection {
  Connection(uint64_t connection_id, int socket_fd, size_t max_body_bytes)
      : id(connection_id), fd(socket_fd), decoder(HttpDecoderOptions{.max_body_bytes = max_body_bytes}) {}

  const uint64_t id;
  const int fd;
  HttpRequestDecoder decoder;
  std::string out;  // the response being sent
  size_t sent = 0;
  bool close_after_write = false;
  // Watched for writability (a response is pending) or else readability:
  // no request is read while a response waits, which bounds what one
  // connection can buffer.
  bool writing = false;
  TimerId timer = 0;
};

Result<std::unique_ptr<HttpServer>> HttpServer::ListenTcp(RealEventLoop& loop, const std::string& address,
                                                          int port, HttpHandler handler,
                                                          HttpServerOptions options) {
  sockaddr_in socket_address{};
  socket_address.sin_family = AF_INET;
  socket_address.sin_port = htons(static_cast<uint16_t>(port));
  const std::string name = address + ":" + std::to_string(port);
  if (port < 0 || port > 65535 || inet_pton(AF_INET, address.c_str(), &socket_address.sin_addr) != 1) {
    return InvalidArgument("not an IPv4 address and port: " + name);
  }
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return IoError(ErrnoMessage("socket"));
  const int one = 1;
  // A restarted server may rebind while old connections sit in TIME_WAIT.
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  socklen_t length = sizeof socket_address;
  if (bind(fd, reinterpret_cast<const sockaddr*>(&socket_address), sizeof socket_address) != 0 ||
      listen(fd, SOMAXCONN) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&socket_address), &length) != 0) {
    Status status = IoError(ErrnoMessage("cannot listen on " + name));
    close(fd);
    return status;
  }
  Result<std::unique_ptr<HttpServer>> server = Serve(loop, fd, std::move(handler), options);
  if (server.ok()) (*server)->port_ = ntohs(socket_address.sin_port);
  return server;
}

Result<std::unique_ptr<HttpServer>> HttpServer::Serve(RealEventLoop& loop, int listen_fd, HttpHandler handler,
                                                      HttpServerOptions options) {
  std::unique_ptr<HttpServer> server(new HttpServer(loop, listen_fd, std::move(handler), options));
  HttpServer* raw = server.get();
  DRYDOCK_RETURN_IF_ERROR(loop.WatchReadable(listen_fd, [raw] { raw->OnAcceptable(); }));
  return server;
}

HttpServer::HttpServer(RealEventLoop& loop, int listen_fd, HttpHandler handler, HttpServerOptions options)
    : loop_(loop),
      listen_fd_(listen_fd),
      handler_(std::move(handler)),
      options_(options),
      timeout_(ToClusterDuration(loop, options.request_timeout)) {}

HttpServer::~HttpServer() {
  StopListening();
  for (auto& [id, connection] : connections_) Release(*connection);
}

void HttpServer::Shutdown(Callback on_drained) {
  shutting_down_ = true;
  on_drained_ = std::move(on_drained);
  StopListening();
  std::vector<uint64_t> idle;
  for (const auto& [id, connection] : connections_) {
    if (!connection->writing && connection->decoder.idle() && id != in_handler_) idle.push_back(id);
  }
  for (uint64_t id : idle) Close(id);
  MaybeDrained();
}

void HttpServer::StopListening() {
  if (listen_fd_ < 0) return;
  loop_.Unwatch(listen_fd_);
  close(listen_fd_);
  listen_fd_ = -1;
  loop_.Cancel(accept_retry_);
}

void HttpServer::OnAcceptable() {
  for (int i = 0; i < kMaxAcceptsPerTurn; ++i) {
    const int fd = accept4(listen_fd_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd >= 0) {
      Admit(fd);
      continue;
    }
    // Out of fds or memory, the connection stays queued and the socket
    // readable: stop watching it for a while rather than spin.
    if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) PauseAccepting();
    return;  // EAGAIN: none left; ECONNABORTED and the like: the next turn retries
  }
}

void HttpServer::PauseAccepting() {
  loop_.Unwatch(listen_fd_);
  accept_retry_ = loop_.ScheduleAfter(ToClusterDuration(loop_, kAcceptRetry), [this] {
    accept_retry_ = 0;
    if (!loop_.WatchReadable(listen_fd_, [this] { OnAcceptable(); }).ok()) PauseAccepting();
  });
}

void HttpServer::Admit(int fd) {
  if (options_.same_user_only && !PeerIsSameUser(fd)) {
    RejectAndClose(fd, 403, "only the user running the control plane (or root) may use this socket");
    return;
  }
  if (connections_.size() >= options_.max_connections) {
    RejectAndClose(fd, 503, "too many connections (limit " + std::to_string(options_.max_connections) + ")");
    return;
  }
  const uint64_t id = next_id_++;
  if (!loop_.WatchReadable(fd, [this, id] { OnReadable(id); }).ok()) {
    close(fd);
    return;
  }
  auto connection = std::make_unique<Connection>(id, fd, options_.max_body_bytes);
  ArmTimer(*connection);
  connections_.emplace(id, std::move(connection));
}

void HttpServer::OnReadable(uint64_t id) {
  auto it = connections_.find(id);
  if (it == connections_.end()) return;
  char buffer[kReadChunk];
  const ssize_t got = recv(it->second->fd, buffer, sizeof buffer, 0);
  if (got < 0 && (errno == EAGAIN || errno == EINTR)) return;
  if (got <= 0) {
    Close(id);  // end of stream or reset; no response is owed while reading
    return;
  }
  ServeRequests(*it->second, std::string_view(buffer, static_cast<size_t>(got)));
}

void HttpServer::OnWritable(uint64_t id) {
  auto it = connections_.find(id);
  if (it == connections_.end()) return;
  Connection& connection = *it->second;
  if (Flush(connection)) ServeRequests(connection, {});
}

void HttpServer::ServeRequests(Connection& connection, std::string_view bytes) {
  while (true) {
    const HttpRequestDecoder::Step step = connection.decoder.Feed(bytes);
    bytes = {};
    if (step.state == HttpRequestDecoder::State::kNeedMore) return;
    if (step.state == HttpRequestDecoder::State::kError) {
      Respond(connection, JsonErrorResponse(step.error.status, step.error.message), false, false);
      return;
    }
    const HttpRequest& request = step.message;
    in_handler_ = connection.id;  // a handler may call Shutdown(), which must spare this connection
    const HttpResponse response = options_.bearer_token.empty() ||
                                          HasBearerToken(request, options_.bearer_token)
                                      ? handler_(request)
                                      : Unauthorized(options_.bearer_hint);
    in_handler_ = 0;
    if (!Respond(connection, response, request.keep_alive && !shutting_down_, request.method == "HEAD")) return;
  }
}

bool HttpServer::Respond(Connection& connection, const HttpResponse& response, bool keep_alive, bool head) {
  connection.out = EncodeResponse(response, keep_alive);
  // HEAD: the headers GET would get, Content-Length included, and no body.
  if (head) connection.out.resize(connection.out.size() - response.body.size());
  connection.sent = 0;
  connection.close_after_write = !keep_alive;
  return Flush(connection);
}

bool HttpServer::Flush(Connection& connection) {
  while (connection.sent < connection.out.size()) {
    const ssize_t sent = send(connection.fd, connection.out.data() + connection.sent,
                              connection.out.size() - connection.sent, MSG_NOSIGNAL);
    if (sent >= 0) {
      connection.sent += static_cast<size_t>(sent);
    } else if (errno == EAGAIN || errno == EWOULDBLOCK) {
      if (!connection.writing) SetWriting(connection, true);
      return false;
    } else if (errno != EINTR) {
      Close(connection.id);
      return false;
    }
  }
  connection.out.clear();
  if (connection.close_after_write || (shutting_down_ && connection.decoder.idle())) {
    Close(connection.id);
    return false;
  }
  ArmTimer(connection);
  return !connection.writing || SetWriting(connection, false);
}

bool HttpServer::SetWriting(Connection& connection, bool writing) {
  const uint64_t id = connection.id;
  loop_.Unwatch(connection.fd);
  connection.writing = writing;
  const Status watched = writing ? loop_.WatchWritable(connection.fd, [this, id] { OnWritable(id); })
                                 : loop_.WatchReadable(connection.fd, [this, id] { OnReadable(id); });
  if (watched.ok()) return true;
  Close(id);
  return false;
}

void HttpServer::ArmTimer(Connection& connection) {
  loop_.Cancel(connection.timer);
  const uint64_t id = connection.id;
  connection.timer = loop_.ScheduleAfter(timeout_, [this, id] { Close(id); });
}

void HttpServer::Release(Connection& connection) {
  loop_.Unwatch(connection.fd);
  close(connection.fd);
  loop_.Cancel(connection.timer);
}

void HttpServer::Close(uint64_t id) {
  auto it = connections_.find(id);
  if (it == connections_.end()) return;
  Release(*it->second);
  connections_.erase(it);
  MaybeDrained();
}

void HttpServer::MaybeDrained() {
  if (shutting_down_ && connections_.empty() && on_drained_) loop_.Post(std::exchange(on_drained_, nullptr));
}

Result<std::unique_ptr<UnixHttpServer>> UnixHttpServer::Listen(RealEventLoop& loop, const std::string& socket_path,
                                                              Handler handler, Options options) {
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  if (socket_path.empty() || socket_path.size() >= sizeof address.sun_path) {
    return InvalidArgument("a Unix socket path must have 1 to " + std::to_string(sizeof address.sun_path - 1) +
                           " bytes: " + socket_path);
  }
  std::memcpy(address.sun_path, socket_path.data(), socket_path.size());
  DRYDOCK_RETURN_IF_ERROR(RemoveStaleSocket(socket_path, address));

  const int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return IoError(ErrnoMessage("socket"));
  // Linux creates the file with the socket's mode minus the umask: 0600
  // from the start, never briefly wider. The chmod after bind makes it
  // exactly 0600 even under a umask such as 0777.
  if (fchmod(fd, S_IRUSR | S_IWUSR) != 0 ||
      bind(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
    const int error = errno;
    close(fd);
    if (error == EADDRINUSE) {
      return Status(StatusCode::kAlreadyExists, "a server is already listening on " + socket_path);
    }
    return IoError("cannot bind " + socket_path + ": " + std::strerror(error));
  }
  struct stat info {};
  if (chmod(socket_path.c_str(), S_IRUSR | S_IWUSR) != 0 || lstat(socket_path.c_str(), &info) != 0 ||
      listen(fd, SOMAXCONN) != 0) {
    Status status = IoError(ErrnoMessage("cannot listen on " + socket_path));
    close(fd);
    unlink(socket_path.c_str());
    return status;
  }
  options.same_user_only = true;
  Result<std::unique_ptr<HttpServer>> server = HttpServer::Serve(loop, fd, std::move(handler), options);
  if (!server.ok()) {
    unlink(socket_path.c_str());
    return server.status();
  }
  return std::unique_ptr<UnixHttpServer>(new UnixHttpServer(socket_path, info.st_dev, info.st_ino, std::move(*server)));
}

UnixHttpServer::~UnixHttpServer() {
  // Unlink first: from then on a client finds no socket rather than a dead one.
  struct stat info {};
  if (lstat(path_.c_str(), &info) == 0 && info.st_dev == device_ && info.st_ino == inode_) unlink(path_.c_str());
}

}  // namespace drydock::runtime
