#include "runtime/real/unix_http_server.h"

#include <gtest/gtest.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <thread>

#include "runtime/real/unix_http_client.h"

namespace drydock::runtime {
namespace {

using std::chrono::milliseconds;

// Bounds every wait; no test asserts how long anything takes.
constexpr milliseconds kTimeout{5000};

HttpResponse Echo(const HttpRequest& request) {
  return {200, "text/plain", request.method + " " + request.target + " " + request.body, {}};
}

// A socket file at `path` that nothing listens on, as a crashed server leaves.
void MakeStaleSocket(const std::string& path) {
  const int fd = socket(AF_UNIX, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::strncpy(address.sun_path, path.c_str(), sizeof address.sun_path - 1);
  ASSERT_EQ(bind(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address), 0);
  close(fd);
}

// A server on a socket in a fresh temp dir; the loop runs on its own thread
// between StartLoop() and StopLoop().
class HttpUnixServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char dir[] = "/tmp/drydock-http-XXXXXX";
    ASSERT_NE(mkdtemp(dir), nullptr);
    dir_ = dir;
    path_ = dir_ + "/control.sock";
    Result<std::unique_ptr<RealEventLoop>> loop = RealEventLoop::Create(clock_);
    ASSERT_TRUE(loop.ok()) << loop.status().message();
    loop_ = std::move(*loop);
  }

  void TearDown() override {
    StopLoop();
    server_.reset();
    std::filesystem::remove_all(dir_);
  }

  void Listen(HttpHandler handler = Echo, HttpServerOptions options = {}) {
    Result<std::unique_ptr<UnixHttpServer>> server = UnixHttpServer::Listen(*loop_, path_, handler, options);
    ASSERT_TRUE(server.ok()) << server.status().message();
    server_ = std::move(*server);
  }

  void StartLoop() {
    thread_ = std::thread([this] { loop_->Run(); });
  }
  void StopLoop() {
    if (!thread_.joinable()) return;
    loop_->Stop();
    thread_.join();
  }

  HttpClientConnection Connect() {
    Result<HttpClientConnection> connection = HttpClientConnection::ConnectUnix(path_, kTimeout);
    EXPECT_TRUE(connection.ok()) << connection.status().message();
    return std::move(connection).value();
  }

  RealClock clock_{1.0, RealClock::WallNow()};
  std::unique_ptr<RealEventLoop> loop_;
  std::unique_ptr<UnixHttpServer> server_;
  std::thread thread_;
  std::string dir_;
  std::string path_;
};

TEST_F(HttpUnixServerTest, RoundTrip) {
  Listen();
  StartLoop();
  Result<HttpResponse> response = UnixHttpCall(path_, "POST", "/v1/echo", "{}", kTimeout);
  ASSERT_TRUE(response.ok()) << response.status().message();
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->content_type, "text/plain");
  EXPECT_EQ(response->body, "POST /v1/echo {}");
}

TEST_F(HttpUnixServerTest, KeepAliveServesSeveralRequestsOnOneConnection) {
  Listen();
  StartLoop();
  HttpClientConnection connection = Connect();
  for (const std::string& target : {std::string("/one"), std::string("/two")}) {
    Result<HttpResponse> response = connection.Call({"GET", target, {}, "", true}, kTimeout);
    ASSERT_TRUE(response.ok()) << response.status().message();
    EXPECT_EQ(response->body, "GET " + target + " ");
  }
  Result<HttpResponse> head = connection.Call({"HEAD", "/three", {}, "", true}, kTimeout);
  ASSERT_TRUE(head.ok()) << head.status().message();
  EXPECT_EQ(head->body, "");
}

TEST_F(HttpUnixServerTest, LargeResponsesWaitForTheClient) {
  const std::string big(8 << 20, 'b');  // more than the socket buffers hold
  Listen([&big](const HttpRequest&) { return HttpResponse{200, "text/plain", big, {}}; });
  StartLoop();
  HttpClientConnection connection = Connect();
  for (int i = 0; i < 2; ++i) {
    Result<HttpResponse> response = connection.Call({"GET", "/big", {}, "", true}, kTimeout);
    ASSERT_TRUE(response.ok()) << response.status().message();
    EXPECT_EQ(response->body.size(), big.size());
  }
}

TEST_F(HttpUnixServerTest, MalformedRequestIsAnsweredAndClosedWithoutHarmingOthers) {
  Listen();
  StartLoop();
  HttpClientConnection bad = Connect();
  HttpClientConnection good = Connect();
  Result<HttpResponse> refused = bad.Exchange("GARBAGE\r\n\r\n", false, kTimeout);
  ASSERT_TRUE(refused.ok()) << refused.status().message();
  EXPECT_EQ(refused->status, 400);
  EXPECT_EQ(refused->content_type, "application/json");
  EXPECT_NE(refused->body.find("\"error\":\"malformed HTTP request"), std::string::npos) << refused->body;
  EXPECT_FALSE(bad.Call({"GET", "/", {}, "", true}, kTimeout).ok());  // closed
  Result<HttpResponse> served = good.Call({"GET", "/", {}, "", true}, kTimeout);
  ASSERT_TRUE(served.ok()) << served.status().message();
  EXPECT_EQ(served->status, 200);
}

TEST_F(HttpUnixServerTest, OversizedHeaderGets431) {
  Listen();
  StartLoop();
  HttpClientConnection connection = Connect();
  Result<HttpResponse> response = connection.Call(
      {"GET", "/", {{"X-Big", std::string(kMaxHttpHeaderBytes, 'x')}}, "", true}, kTimeout);
  ASSERT_TRUE(response.ok()) << response.status().message();
  EXPECT_EQ(response->status, 431);
}

TEST_F(HttpUnixServerTest, OversizedBodyGets413) {
  Listen(Echo, {.max_body_bytes = 10});
  StartLoop();
  Result<HttpResponse> response = UnixHttpCall(path_, "POST", "/", std::string(11, 'x'), kTimeout);
  ASSERT_TRUE(response.ok()) << response.status().message();
  EXPECT_EQ(response->status, 413);
}

TEST_F(HttpUnixServerTest, ConnectionsBeyondTheLimitGet503) {
  Listen(Echo, {.max_connections = 1});
  StartLoop();
  HttpClientConnection first = Connect();
  ASSERT_TRUE(first.Call({"GET", "/", {}, "", true}, kTimeout).ok());  // admitted, kept open
  Result<HttpResponse> second = UnixHttpCall(path_, "GET", "/", "", kTimeout);
  ASSERT_TRUE(second.ok()) << second.status().message();
  EXPECT_EQ(second->status, 503);
}

TEST_F(HttpUnixServerTest, SilentConnectionIsClosedAfterTheRequestTimeout) {
  Listen(Echo, {.request_timeout = milliseconds(50)});
  StartLoop();
  HttpClientConnection connection = Connect();
  Result<HttpResponse> nothing = connection.Exchange("", false, kTimeout);
  ASSERT_FALSE(nothing.ok());
  EXPECT_NE(nothing.status().message().find("closed the connection"), std::string::npos)
      << nothing.status().message();
}

TEST_F(HttpUnixServerTest, ShutdownFinishesResponsesInFlightAndClosesIdleConnections) {
  const std::string big(8 << 20, 'b');  // more than the socket buffers hold
  Listen([&big](const HttpRequest& request) {
    return HttpResponse{200, "text/plain", request.target == "/big" ? big : "small", {}};
  });
  StartLoop();
  HttpClientConnection idle = Connect();
  ASSERT_TRUE(idle.Call({"GET", "/", {}, "", true}, kTimeout).ok());
  // A raw client that asks for the big response and reads none of it yet.
  const int busy = socket(AF_UNIX, SOCK_STREAM, 0);
  ASSERT_GE(busy, 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::strncpy(address.sun_path, path_.c_str(), sizeof address.sun_path - 1);
  ASSERT_EQ(connect(busy, reinterpret_cast<const sockaddr*>(&address), sizeof address), 0);
  const std::string request = EncodeRequest({"GET", "/big", {}, "", true});
  ASSERT_EQ(send(busy, request.data(), request.size(), MSG_NOSIGNAL), static_cast<ssize_t>(request.size()));
  pollfd answered{busy, POLLIN, 0};
  ASSERT_EQ(poll(&answered, 1, static_cast<int>(kTimeout.count())), 1);  // now waiting to write the rest

  bool drained = false;
  loop_->Post([this, &drained] {
    loop_->ScheduleAfter(kTimeout, [this] { loop_->Stop(); });  // in case it never drains
    server_->server().Shutdown([this, &drained] {
      drained = true;
      loop_->Stop();
    });
  });
  HttpResponseDecoder decoder({.max_body_bytes = big.size()});
  HttpResponseDecoder::Step step;
  char buffer[16 * 1024];
  while (step.state == HttpResponseDecoder::State::kNeedMore) {
    const ssize_t got = read(busy, buffer, sizeof buffer);
    step = got > 0 ? decoder.Feed(std::string_view(buffer, static_cast<size_t>(got))) : decoder.Finish();
    if (got <= 0) break;
  }
  ASSERT_EQ(step.state, HttpResponseDecoder::State::kMessage) << step.error.message;
  EXPECT_EQ(step.message.body.size(), big.size());
  EXPECT_EQ(read(busy, buffer, sizeof buffer), 0);  // then closed
  close(busy);
  thread_.join();
  EXPECT_TRUE(drained);
  EXPECT_FALSE(idle.Call({"GET", "/", {}, "", true}, kTimeout).ok());
}

TEST_F(HttpUnixServerTest, HandlerMayShutTheServerDown) {
  bool drained = false;
  Listen([this, &drained](const HttpRequest&) {
    server_->server().Shutdown([this, &drained] {
      drained = true;
      loop_->Stop();
    });
    return HttpResponse{202, "", "bye", {}};
  });
  loop_->ScheduleAfter(kTimeout, [this] { loop_->Stop(); });  // in case it never drains
  StartLoop();
  Result<HttpResponse> response = UnixHttpCall(path_, "POST", "/v1/down", "", kTimeout);
  ASSERT_TRUE(response.ok()) << response.status().message();
  EXPECT_EQ(response->status, 202);
  EXPECT_EQ(response->body, "bye");
  thread_.join();
  EXPECT_TRUE(drained);
}

TEST_F(HttpUnixServerTest, SocketIsPrivateWhateverTheUmask) {
  const mode_t previous = umask(0);
  Listen();
  umask(previous);
  struct stat info {};
  ASSERT_EQ(lstat(path_.c_str(), &info), 0);
  EXPECT_TRUE(S_ISSOCK(info.st_mode));
  EXPECT_EQ(info.st_mode & 0777, 0600u);
}

TEST_F(HttpUnixServerTest, StaleSocketIsReplaced) {
  MakeStaleSocket(path_);
  Listen();
  StartLoop();
  Result<HttpResponse> response = UnixHttpCall(path_, "GET", "/", "", kTimeout);
  ASSERT_TRUE(response.ok()) << response.status().message();
  EXPECT_EQ(response->status, 200);
}

TEST_F(HttpUnixServerTest, LiveServerIsNotReplaced) {
  Listen();
  Result<std::unique_ptr<UnixHttpServer>> second = UnixHttpServer::Listen(*loop_, path_, Echo, {});
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), StatusCode::kAlreadyExists);
  StartLoop();
  EXPECT_TRUE(UnixHttpCall(path_, "GET", "/", "", kTimeout).ok());  // the first still serves
}

TEST_F(HttpUnixServerTest, OtherFilesAreNotReplaced) {
  std::ofstream(path_) << "precious";
  Result<std::unique_ptr<UnixHttpServer>> server = UnixHttpServer::Listen(*loop_, path_, Echo, {});
  ASSERT_FALSE(server.ok());
  EXPECT_EQ(server.status().code(), StatusCode::kAlreadyExists);
  EXPECT_TRUE(std::filesystem::is_regular_file(path_));
}

TEST_F(HttpUnixServerTest, DestructorRemovesTheSocket) {
  Listen();
  server_.reset();
  EXPECT_FALSE(std::filesystem::exists(path_));
}

TEST_F(HttpUnixServerTest, ClientNamesMissingAndStaleControlPlanes) {
  Result<HttpResponse> missing = UnixHttpCall(path_, "GET", "/", "", kTimeout);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(missing.status().message(),
            "no control plane is listening on " + path_ + " (is `drydock up` running?)");
  MakeStaleSocket(path_);
  Result<HttpResponse> stale = UnixHttpCall(path_, "GET", "/", "", kTimeout);
  ASSERT_FALSE(stale.ok());
  EXPECT_EQ(stale.status().code(), StatusCode::kUnavailable);
}

TEST_F(HttpUnixServerTest, ClientTimesOutOnASilentServer) {
  // Listens but never accepts: the connection and request sit in the backlog.
  const int fd = socket(AF_UNIX, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::strncpy(address.sun_path, path_.c_str(), sizeof address.sun_path - 1);
  ASSERT_EQ(bind(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address), 0);
  ASSERT_EQ(listen(fd, 4), 0);
  Result<HttpResponse> response = UnixHttpCall(path_, "GET", "/", "", milliseconds(50));
  close(fd);
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.status().code(), StatusCode::kUnavailable);
}

TEST_F(HttpUnixServerTest, OtherUsersGet403) {
  if (geteuid() != 0) GTEST_SKIP() << "needs root to connect as another user";
  Listen();
  // Open the way so that only the SO_PEERCRED check stands.
  ASSERT_EQ(chmod(dir_.c_str(), 0755), 0);
  ASSERT_EQ(chmod(path_.c_str(), 0666), 0);
  // Forked before the loop thread starts, so the child has a single thread.
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    if (setuid(65534) != 0) _exit(3);
    Result<HttpResponse> response = UnixHttpCall(path_, "GET", "/", "", kTimeout);
    _exit(!response.ok() ? 2 : response->status == 403 ? 0 : 1);
  }
  StartLoop();
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0) << "2: no answer, 1: not 403, 3: setuid failed";
}

// The control API and the load balancer API require the state directory's
// bearer token (runtime/real/control_token.h): missing, wrong, right.
TEST_F(HttpUnixServerTest, BearerTokenRequired) {
  const std::string token(64, 'a');
  HttpServerOptions options;
  options.bearer_token = token;
  options.bearer_hint = "/state/control.token";
  Listen(Echo, options);
  StartLoop();
  Result<HttpResponse> missing = UnixHttpCall(path_, "GET", "/v1/health", "", kTimeout);
  ASSERT_TRUE(missing.ok()) << missing.status().message();
  EXPECT_EQ(missing->status, 401);
  EXPECT_EQ(missing->content_type, "application/json");
  EXPECT_NE(missing->body.find("/state/control.token"), std::string::npos) << missing->body;
  EXPECT_EQ(missing->body.find(token), std::string::npos);
  Result<HttpResponse> wrong =
      UnixHttpCall(path_, "GET", "/v1/health", "", kTimeout, std::string(64, 'b'));
  ASSERT_TRUE(wrong.ok());
  EXPECT_EQ(wrong->status, 401);
  EXPECT_EQ(wrong->body.find(token), std::string::npos);
  Result<HttpResponse> right = UnixHttpCall(path_, "GET", "/v1/health", "", kTimeout, token);
  ASSERT_TRUE(right.ok());
  EXPECT_EQ(right->status, 200);
  EXPECT_EQ(right->body, "GET /v1/health ");
  // Keep-alive survives a 401: the next request on the connection is served.
  HttpClientConnection connection = Connect();
  HttpRequest bare{"GET", "/a", {{"Host", "localhost"}}, "", true};
  EXPECT_EQ(connection.Call(bare, kTimeout)->status, 401);
  HttpRequest good{"GET", "/b", {{"Host", "localhost"}, {"authorization", "bearer " + token}}, "", true};
  EXPECT_EQ(connection.Call(good, kTimeout)->status, 200);
  HttpRequest twice{"GET", "/c",
                    {{"Host", "localhost"}, {"Authorization", "Bearer " + token},
                     {"Authorization", "Bearer " + token}},
                    "", true};
  EXPECT_EQ(connection.Call(twice, kTimeout)->status, 401);
}

}  // namespace
}  // namespace drydock::runtime
