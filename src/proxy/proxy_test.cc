#include "proxy/proxy.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "runtime/http/http_codec.h"

namespace drydock::proxy {
namespace {

using runtime::HttpRequest;
using runtime::HttpResponse;
using namespace std::chrono_literals;

constexpr size_t kMaxBody = 4 << 20;

// Every blocking socket call in these tests gives up after this long.
void SetTimeouts(int fd) {
  timeval tv{};
  tv.tv_sec = 5;
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
}

sockaddr_in Loopback(int port) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return address;
}

bool SendAll(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t sent = send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (sent <= 0) return false;
    bytes.remove_prefix(static_cast<size_t>(sent));
  }
  return true;
}

// A port on which nothing listens: bound, so that no other test (or test
// process) gets it while we use it, but not listening, so connects are refused.
class DeadPort {
 public:
  DeadPort() : fd_(socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in address = Loopback(0);
    EXPECT_EQ(bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
    socklen_t length = sizeof address;
    getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length);
    port_ = ntohs(address.sin_port);
  }
  DeadPort(const DeadPort&) = delete;
  DeadPort& operator=(const DeadPort&) = delete;
  ~DeadPort() { close(fd_); }
  int port() const { return port_; }

 private:
  int fd_;
  int port_ = 0;
};

// What a test upstream does with a request.
struct Reply {
  std::string bytes;  // sent as is
  bool close = false;  // close the connection after sending (without saying so)
  bool hang = false;  // send nothing, keep the connection open
};

// A blocking HTTP/1.1 server on loopback: one thread per connection.
class TestUpstream {
 public:
  explicit TestUpstream(std::function<Reply(const HttpRequest&)> handler) : handler_(std::move(handler)) {
    listen_fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address = Loopback(0);
    EXPECT_EQ(bind(listen_fd_, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
    EXPECT_EQ(listen(listen_fd_, 64), 0);
    socklen_t length = sizeof address;
    getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&address), &length);
    port_ = ntohs(address.sin_port);
    acceptor_ = std::thread([this] { AcceptLoop(); });
  }
  ~TestUpstream() {
    stopping_ = true;
    shutdown(listen_fd_, SHUT_RDWR);  // wakes accept()
    acceptor_.join();
    close(listen_fd_);
    {
      std::lock_guard<std::mutex> lock(mu_);
      for (int fd : fds_) shutdown(fd, SHUT_RDWR);
    }
    for (std::thread& thread : threads_) thread.join();
  }

  int port() const { return port_; }
  int accepts() const { return accepts_; }
  std::vector<HttpRequest> requests() {
    std::lock_guard<std::mutex> lock(mu_);
    return requests_;
  }

 private:
  void AcceptLoop() {
    while (!stopping_) {
      const int fd = accept(listen_fd_, nullptr, nullptr);
      if (fd < 0) continue;
      if (stopping_) {
        close(fd);
        break;
      }
      ++accepts_;
      SetTimeouts(fd);
      std::lock_guard<std::mutex> lock(mu_);
      fds_.push_back(fd);
      threads_.emplace_back([this, fd] { Serve(fd); });
    }
  }

  void Serve(int fd) {
    runtime::HttpRequestDecoder decoder({kMaxBody, false});
    std::vector<char> buffer(64 * 1024);
    bool hanging = false;
    auto step = decoder.Feed({});
    while (!stopping_) {
      if (step.state == runtime::HttpRequestDecoder::State::kError) break;
      if (step.state == runtime::HttpRequestDecoder::State::kMessage) {
        {
          std::lock_guard<std::mutex> lock(mu_);
          requests_.push_back(step.message);
        }
        const Reply reply = handler_(step.message);
        hanging = hanging || reply.hang;
        if (!reply.hang && (!SendAll(fd, reply.bytes) || reply.close)) break;
        step = decoder.Feed({});  // a pipelined request, if any
        continue;
      }
      const ssize_t got = recv(fd, buffer.data(), buffer.size(), 0);
      if (got < 0 && (errno == EAGAIN || errno == EINTR) && hanging) continue;
      if (got <= 0) break;
      step = decoder.Feed(std::string_view(buffer.data(), static_cast<size_t>(got)));
    }
    shutdown(fd, SHUT_RDWR);
  }

  std::function<Reply(const HttpRequest&)> handler_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<int> accepts_{0};
  std::thread acceptor_;
  std::mutex mu_;
  std::vector<int> fds_;
  std::vector<std::thread> threads_;
  std::vector<HttpRequest> requests_;
};

std::string Header(const HttpRequest& request, std::string_view name) {
  std::string out;
  for (const auto& [key, value] : request.headers) {
    if (key.size() == name.size() && strncasecmp(key.c_str(), name.data(), name.size()) == 0) {
      if (!out.empty()) out += "|";
      out += value;
    }
  }
  return out;
}

std::string Header(const HttpResponse& response, std::string_view name) {
  HttpRequest as_request;
  as_request.headers = response.extra_headers;
  return Header(as_request, name);
}

std::string Ok(std::string_view body, std::string_view extra = "") {
  return "HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(body.size()) + "\r\n" + std::string(extra) +
         "\r\n" + std::string(body);
}

// Echoes the request body with a Content-Length response.
Reply Echo(const HttpRequest& request) { return {Ok(request.body), false, false}; }

// A client connection to the proxy.
class Client {
 public:
  explicit Client(int port, bool head = false) : decoder_({kMaxBody, head}) {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    SetTimeouts(fd_);
    const sockaddr_in address = Loopback(port);
    connected_ = connect(fd_, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0;
  }
  ~Client() { close(fd_); }

  bool connected() const { return connected_; }
  bool Send(std::string_view bytes) { return SendAll(fd_, bytes); }

  // The next response, or nullopt on error, EOF or timeout.
  std::optional<HttpResponse> Read() {
    std::vector<char> buffer(64 * 1024);
    auto step = decoder_.Feed({});
    while (step.state == runtime::HttpResponseDecoder::State::kNeedMore) {
      const ssize_t got = recv(fd_, buffer.data(), buffer.size(), 0);
      if (got < 0) return std::nullopt;
      if (got == 0) {
        step = decoder_.Finish();
        break;
      }
      step = decoder_.Feed(std::string_view(buffer.data(), static_cast<size_t>(got)));
    }
    if (step.state != runtime::HttpResponseDecoder::State::kMessage) return std::nullopt;
    return step.message;
  }
  // Raw bytes until `marker` has arrived; false on error, EOF or timeout.
  bool ReadUntil(std::string_view marker) {
    std::string seen;
    char buffer[4096];
    while (seen.find(marker) == std::string::npos) {
      const ssize_t got = recv(fd_, buffer, sizeof buffer, 0);
      if (got <= 0) return false;
      seen.append(buffer, static_cast<size_t>(got));
    }
    return true;
  }
  // True if the proxy closes the connection (EOF or reset) within 5 s.
  bool Closed() {
    char byte;
    while (true) {
      const ssize_t got = recv(fd_, &byte, 1, 0);
      if (got == 0) return true;
      if (got < 0) return errno == ECONNRESET;
    }
  }

 private:
  int fd_ = -1;
  bool connected_ = false;
  runtime::HttpResponseDecoder decoder_;
};

std::string Get(std::string_view target, std::string_view extra = "") {
  return "GET " + std::string(target) + " HTTP/1.1\r\nHost: app.example\r\n" + std::string(extra) + "\r\n";
}

class ProxyTest : public ::testing::Test {
 protected:
  void StartProxy(int upstream_port, ProxyOptions options = {}) {
    upstream_port_ = upstream_port;
    auto proxy = Proxy::Start(std::move(options), [this](std::string_view, std::string_view target) {
      RouteResult route;
      if (target.starts_with("/fixed")) {
        route.kind = RouteResult::Kind::kFixed;
        route.status = 404;
        route.content_type = "text/plain";
        route.body = "no rule matched";
      } else if (target.starts_with("/none")) {
        route.kind = RouteResult::Kind::kNoTargets;
      } else {
        route.kind = RouteResult::Kind::kForward;
        route.upstream.port = target.starts_with("/dead") ? dead_port_.port() : upstream_port_;
        ++routed_;
        route.done = [this] { ++done_; };
      }
      return route;
    });
    ASSERT_TRUE(proxy.ok()) << proxy.status().message();
    proxy_ = std::move(proxy).value();
    thread_ = std::thread([this] { proxy_->Run(); });
  }
  void TearDown() override {
    if (proxy_) {
      proxy_->Stop();
      thread_.join();
      proxy_.reset();
      // Every forwarded exchange ended, one way or another, exactly once.
      EXPECT_EQ(done_.load(), routed_.load());
    }
  }
  // Waits (bounded) until `done` was called `count` times.
  bool WaitDone(int count) {
    for (int i = 0; i < 500 && done_ < count; ++i) std::this_thread::sleep_for(10ms);
    return done_ == count;
  }

  int upstream_port_ = 0;
  DeadPort dead_port_;
  std::atomic<int> routed_{0};
  std::atomic<int> done_{0};
  std::unique_ptr<Proxy> proxy_;
  std::thread thread_;
};

TEST_F(ProxyTest, ForwardsAndReusesConnectionsOnBothSides) {
  TestUpstream upstream([](const HttpRequest& request) { return Reply{Ok("hello " + request.target)}; });
  StartProxy(upstream.port());
  Client client(proxy_->port());
  ASSERT_TRUE(client.connected());
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(client.Send(Get("/app/" + std::to_string(i))));
    std::optional<HttpResponse> response = client.Read();
    ASSERT_TRUE(response.has_value());
    EXPECT_EQ(response->status, 200);
    EXPECT_EQ(response->body, "hello /app/" + std::to_string(i));
  }
  // A second client is served on the pooled upstream connection too.
  ASSERT_TRUE(WaitDone(3));
  Client other(proxy_->port());
  ASSERT_TRUE(other.Send(Get("/other")));
  std::optional<HttpResponse> response = other.Read();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->body, "hello /other");
  EXPECT_EQ(upstream.accepts(), 1);
  EXPECT_EQ(upstream.requests().size(), 4u);
  ASSERT_TRUE(WaitDone(4));
}

TEST_F(ProxyTest, PipelinedRequestsAreAnsweredInOrder) {
  TestUpstream upstream([](const HttpRequest& request) { return Reply{Ok(request.target)}; });
  StartProxy(upstream.port());
  Client client(proxy_->port());
  ASSERT_TRUE(client.Send(Get("/a") + Get("/b") + Get("/fixed")));
  std::optional<HttpResponse> a = client.Read();
  std::optional<HttpResponse> b = client.Read();
  std::optional<HttpResponse> c = client.Read();
  ASSERT_TRUE(a && b && c);
  EXPECT_EQ(a->body, "/a");
  EXPECT_EQ(b->body, "/b");
  EXPECT_EQ(c->status, 404);
}

TEST_F(ProxyTest, SetsForwardedHeadersAndDropsHopByHopBothWays) {
  TestUpstream upstream([](const HttpRequest&) {
    return Reply{Ok("x", "Connection: X-Resp-Hop\r\nX-Resp-Hop: 1\r\nKeep-Alive: timeout=5\r\nX-Kept: yes\r\n")};
  });
  StartProxy(upstream.port());
  Client client(proxy_->port());
  ASSERT_TRUE(client.Send(
      Get("/h", "Connection: keep-alive, X-Hop\r\nX-Hop: 1\r\nKeep-Alive: timeout=5\r\nTE: trailers\r\n"
                "Upgrade: websocket\r\nProxy-Connection: keep-alive\r\nX-Forwarded-For: 10.0.0.1\r\n"
                "X-Forwarded-Proto: https\r\nX-End-To-End: kept\r\n")));
  std::optional<HttpResponse> response = client.Read();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(Header(*response, "X-Kept"), "yes");
  EXPECT_EQ(Header(*response, "X-Resp-Hop"), "");
  EXPECT_EQ(Header(*response, "Keep-Alive"), "");

  const std::vector<HttpRequest> seen = upstream.requests();
  ASSERT_EQ(seen.size(), 1u);
  const HttpRequest& request = seen[0];
  EXPECT_EQ(Header(request, "Host"), "app.example");
  EXPECT_EQ(Header(request, "X-End-To-End"), "kept");
  EXPECT_EQ(Header(request, "X-Forwarded-For"), "10.0.0.1, 127.0.0.1");
  EXPECT_EQ(Header(request, "X-Forwarded-Proto"), "http");
  EXPECT_EQ(Header(request, "X-Forwarded-Port"), std::to_string(proxy_->port()));
  for (const char* name : {"Connection", "X-Hop", "Keep-Alive", "TE", "Upgrade", "Proxy-Connection"}) {
    EXPECT_EQ(Header(request, name), "") << name;
  }
}

TEST_F(ProxyTest, ChunkedBodiesRoundTrip) {
  TestUpstream upstream([](const HttpRequest& request) {
    std::string reply = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
    for (char c : request.body) reply += "1\r\n" + std::string(1, c) + "\r\n";
    reply += "0\r\n\r\n";
    return Reply{reply};
  });
  StartProxy(upstream.port());
  Client client(proxy_->port());
  for (int i = 0; i < 2; ++i) {
    ASSERT_TRUE(client.Send("POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                            "5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\nX-Trailer: t\r\n\r\n"));
    std::optional<HttpResponse> response = client.Read();
    ASSERT_TRUE(response.has_value());
    EXPECT_EQ(response->status, 200);
    EXPECT_EQ(response->body, "hello world");
  }
  const std::vector<HttpRequest> seen = upstream.requests();
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0].body, "hello world");
  EXPECT_EQ(Header(seen[0], "Transfer-Encoding"), "chunked");
  EXPECT_EQ(Header(seen[0], "X-Trailer"), "");
  EXPECT_EQ(upstream.accepts(), 1);
}

TEST_F(ProxyTest, StreamsLargeBodies) {
  TestUpstream upstream(Echo);
  StartProxy(upstream.port());
  std::string body(1 << 20, 'x');
  for (size_t i = 0; i < body.size(); i += 997) body[i] = static_cast<char>('a' + i % 26);
  Client client(proxy_->port());
  const std::string head =
      "POST /big HTTP/1.1\r\nHost: a\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n";
  // Send from another thread: the echo comes back while we still send.
  std::thread sender([&] { client.Send(head + body); });
  std::optional<HttpResponse> response = client.Read();
  sender.join();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 200);
  EXPECT_TRUE(response->body == body);

  // The same body chunked, on the same connection.
  std::string chunked = "POST /big HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n";
  for (size_t at = 0; at < body.size(); at += 16 * 1024) {
    chunked += "4000\r\n" + body.substr(at, 16 * 1024) + "\r\n";
  }
  chunked += "0\r\n\r\n";
  std::thread chunked_sender([&] { client.Send(chunked); });
  response = client.Read();
  chunked_sender.join();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 200);
  EXPECT_TRUE(response->body == body);
  EXPECT_EQ(upstream.accepts(), 1);
}

TEST_F(ProxyTest, MapsFailuresLikeAlb) {
  TestUpstream upstream(Echo);
  StartProxy(upstream.port());
  Client client(proxy_->port());
  ASSERT_TRUE(client.Send(Get("/dead")));
  std::optional<HttpResponse> response = client.Read();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 502);
  // The client connection survives an error of the upstream.
  ASSERT_TRUE(client.Send(Get("/none")));
  response = client.Read();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 503);
  ASSERT_TRUE(client.Send(Get("/fixed")));
  response = client.Read();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 404);
  EXPECT_EQ(response->content_type, "text/plain");
  EXPECT_EQ(response->body, "no rule matched");
}

TEST_F(ProxyTest, SlowUpstreamGets504) {
  TestUpstream upstream([](const HttpRequest&) { return Reply{"", false, true}; });
  ProxyOptions options;
  options.upstream_timeout = 200ms;
  StartProxy(upstream.port(), options);
  Client client(proxy_->port());
  ASSERT_TRUE(client.Send(Get("/slow")));
  std::optional<HttpResponse> response = client.Read();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 504);
}

TEST_F(ProxyTest, UpstreamClosingAnIdleConnectionIsNotAnError) {
  // The upstream closes after each response without saying so.
  TestUpstream upstream([](const HttpRequest& request) { return Reply{Ok(request.target), true}; });
  StartProxy(upstream.port());
  Client client(proxy_->port());
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(client.Send(Get("/r" + std::to_string(i))));
    std::optional<HttpResponse> response = client.Read();
    ASSERT_TRUE(response.has_value());
    EXPECT_EQ(response->status, 200);
    EXPECT_EQ(response->body, "/r" + std::to_string(i));
  }
  EXPECT_EQ(upstream.accepts(), 3);
}

ProxyStats Stats(Proxy& proxy) {
  std::promise<ProxyStats> promise;
  std::future<ProxyStats> future = promise.get_future();
  proxy.GetStats([&promise](const ProxyStats& stats) { promise.set_value(stats); });
  EXPECT_EQ(future.wait_for(5s), std::future_status::ready);
  return future.get();
}

TEST_F(ProxyTest, RetriesAnIdempotentRequestOnceWhenAPooledConnectionFails) {
  // The second request the upstream sees is dropped: its connection closes
  // without a response, as when a keep-alive timeout races a new request.
  std::atomic<int> count{0};
  TestUpstream upstream([&count](const HttpRequest& request) {
    if (++count == 2) return Reply{"", true};
    return Reply{Ok(request.target)};
  });
  StartProxy(upstream.port());
  Client client(proxy_->port());
  for (const char* target : {"/one", "/two"}) {
    ASSERT_TRUE(client.Send(Get(target)));
    std::optional<HttpResponse> response = client.Read();
    ASSERT_TRUE(response.has_value());
    EXPECT_EQ(response->status, 200);
    EXPECT_EQ(response->body, target);
  }
  EXPECT_EQ(upstream.accepts(), 2);
  const ProxyStats stats = Stats(*proxy_);
  EXPECT_EQ(stats.upstream_connects, 2u);
  EXPECT_EQ(stats.upstream_reuses, 1u);
  EXPECT_EQ(stats.upstream_retries, 1u);
  EXPECT_EQ(stats.client_connections, 1u);
}

TEST_F(ProxyTest, DoesNotRetryANonIdempotentRequest) {
  std::atomic<int> count{0};
  TestUpstream upstream([&count](const HttpRequest& request) {
    if (++count == 2) return Reply{"", true};
    return Reply{Ok(request.target)};
  });
  StartProxy(upstream.port());
  Client client(proxy_->port());
  ASSERT_TRUE(client.Send(Get("/one")));
  ASSERT_TRUE(client.Read().has_value());
  ASSERT_TRUE(client.Send("POST /two HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n"));
  std::optional<HttpResponse> response = client.Read();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 502);
  EXPECT_EQ(upstream.accepts(), 1);
  EXPECT_EQ(Stats(*proxy_).upstream_retries, 0u);
}

TEST_F(ProxyTest, ReframesACloseDelimitedResponse) {
  TestUpstream upstream([](const HttpRequest&) {
    return Reply{"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nuntil the end", true};
  });
  StartProxy(upstream.port());
  Client client(proxy_->port());
  for (int i = 0; i < 2; ++i) {  // re-chunked: the client connection stays usable
    ASSERT_TRUE(client.Send(Get("/eof")));
    std::optional<HttpResponse> response = client.Read();
    ASSERT_TRUE(response.has_value());
    EXPECT_EQ(response->body, "until the end");
  }
  EXPECT_EQ(upstream.accepts(), 2);
}

TEST_F(ProxyTest, UpstreamClosingMidResponseClosesTheClient) {
  TestUpstream upstream([](const HttpRequest&) {
    return Reply{"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly part", true};
  });
  StartProxy(upstream.port());
  Client client(proxy_->port());
  ASSERT_TRUE(client.Send(Get("/cut")));
  EXPECT_FALSE(client.Read().has_value());
}

TEST_F(ProxyTest, MalformedResponseGets502) {
  TestUpstream upstream([](const HttpRequest&) {
    return Reply{"HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nxy", true};
  });
  StartProxy(upstream.port());
  Client client(proxy_->port());
  ASSERT_TRUE(client.Send(Get("/bad")));
  std::optional<HttpResponse> response = client.Read();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 502);
}

TEST_F(ProxyTest, RefusesSmugglingWith400AndCloses) {
  TestUpstream upstream(Echo);
  StartProxy(upstream.port());
  const std::vector<std::string> requests = {
      "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
      "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\nhello",
      "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5, 5\r\n\r\nhello",
      "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n",
      "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n",
      "GET / HTTP/1.1\r\nHost: a\r\nX-Folded: one\r\n two\r\n\r\n",
      "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
      "GET / HTTP/1.1\r\n\r\n",
  };
  for (const std::string& request : requests) {
    Client client(proxy_->port());
    ASSERT_TRUE(client.Send(request));
    std::optional<HttpResponse> response = client.Read();
    ASSERT_TRUE(response.has_value()) << request;
    EXPECT_EQ(response->status, 400) << request;
    EXPECT_TRUE(client.Closed()) << request;
  }
  // None of the refused header blocks reached the upstream whole.
  for (const HttpRequest& seen : upstream.requests()) EXPECT_NE(seen.body, "hello");
}

TEST_F(ProxyTest, OversizedHeaderGets431) {
  TestUpstream upstream(Echo);
  StartProxy(upstream.port());
  Client client(proxy_->port());
  ASSERT_TRUE(client.Send(Get("/", "X-Big: " + std::string(17 * 1024, 'b') + "\r\n")));
  std::optional<HttpResponse> response = client.Read();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 431);
  EXPECT_TRUE(client.Closed());
  EXPECT_EQ(upstream.requests().size(), 0u);
}

TEST_F(ProxyTest, SlowClientGets408WhileOthersAreServed) {
  TestUpstream upstream(Echo);
  ProxyOptions options;
  options.header_timeout = 300ms;
  StartProxy(upstream.port(), options);
  Client slow(proxy_->port());
  ASSERT_TRUE(slow.Send("GET / HTTP/1.1\r\nHost: a\r\n"));
  Client quick(proxy_->port());
  ASSERT_TRUE(quick.Send(Get("/quick")));
  std::optional<HttpResponse> served = quick.Read();
  ASSERT_TRUE(served.has_value());
  EXPECT_EQ(served->status, 200);
  std::optional<HttpResponse> timed_out = slow.Read();
  ASSERT_TRUE(timed_out.has_value());
  EXPECT_EQ(timed_out->status, 408);
  EXPECT_TRUE(slow.Closed());
}

TEST_F(ProxyTest, ClosesIdleConnections) {
  TestUpstream upstream(Echo);
  ProxyOptions options;
  options.idle_timeout = 200ms;
  StartProxy(upstream.port(), options);
  Client client(proxy_->port());
  ASSERT_TRUE(client.Send(Get("/")));
  ASSERT_TRUE(client.Read().has_value());
  EXPECT_TRUE(client.Closed());
}

TEST_F(ProxyTest, AnswersExpectContinue) {
  TestUpstream upstream(Echo);
  StartProxy(upstream.port());
  Client client(proxy_->port());
  ASSERT_TRUE(client.Send("PUT /e HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nExpect: 100-continue\r\n\r\n"));
  std::optional<HttpResponse> interim = client.Read();
  ASSERT_TRUE(interim.has_value());
  EXPECT_EQ(interim->status, 100);
  ASSERT_TRUE(client.Send("abc"));
  std::optional<HttpResponse> response = client.Read();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->body, "abc");
  ASSERT_EQ(upstream.requests().size(), 1u);
  EXPECT_EQ(Header(upstream.requests()[0], "Expect"), "");
}

TEST_F(ProxyTest, HeadResponsesKeepTheirLengthAndNoBody) {
  TestUpstream upstream([](const HttpRequest& request) {
    EXPECT_EQ(request.method, "HEAD");
    return Reply{"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-Head: yes\r\n\r\n"};
  });
  StartProxy(upstream.port());
  Client client(proxy_->port(), /*head=*/true);
  for (int i = 0; i < 2; ++i) {
    ASSERT_TRUE(client.Send("HEAD /h HTTP/1.1\r\nHost: a\r\n\r\n"));
    std::optional<HttpResponse> response = client.Read();
    ASSERT_TRUE(response.has_value());
    EXPECT_EQ(response->status, 200);
    EXPECT_EQ(Header(*response, "X-Head"), "yes");
    EXPECT_EQ(response->body, "");
  }
  EXPECT_EQ(upstream.accepts(), 1);
  // Our own answers to HEAD have no body either.
  ASSERT_TRUE(client.Send("HEAD /fixed HTTP/1.1\r\nHost: a\r\n\r\n"));
  std::optional<HttpResponse> fixed = client.Read();
  ASSERT_TRUE(fixed.has_value());
  EXPECT_EQ(fixed->status, 404);
  ASSERT_TRUE(client.Send("HEAD /h HTTP/1.1\r\nHost: a\r\n\r\n"));
  std::optional<HttpResponse> after = client.Read();
  ASSERT_TRUE(after.has_value());
  EXPECT_EQ(after->status, 200);
}

TEST_F(ProxyTest, ClosesConnectionsBeyondTheLimit) {
  TestUpstream upstream(Echo);
  ProxyOptions options;
  options.max_connections = 1;
  StartProxy(upstream.port(), options);
  Client first(proxy_->port());
  ASSERT_TRUE(first.Send(Get("/")));
  ASSERT_TRUE(first.Read().has_value());  // `first` is counted now
  Client second(proxy_->port());
  EXPECT_TRUE(second.Closed());
  ASSERT_TRUE(first.Send(Get("/")));
  ASSERT_TRUE(first.Read().has_value());
}

TEST_F(ProxyTest, DestroyingTheProxyEndsExchangesInFlight) {
  TestUpstream upstream([](const HttpRequest&) { return Reply{"", false, true}; });
  StartProxy(upstream.port());
  Client client(proxy_->port());
  ASSERT_TRUE(client.Send(Get("/stuck")));
  for (int i = 0; i < 500 && upstream.requests().empty(); ++i) std::this_thread::sleep_for(10ms);
  ASSERT_EQ(upstream.requests().size(), 1u);
  proxy_->Stop();
  thread_.join();
  proxy_.reset();
  EXPECT_EQ(done_.load(), 1);
  EXPECT_TRUE(client.Closed());
}

// Runs `fn` on the proxy's thread through Post() and waits for it (5 s at
// most); the id of the thread it ran on.
std::thread::id RunOnProxy(Proxy& proxy, std::function<void()> fn) {
  auto ran = std::make_shared<std::promise<std::thread::id>>();
  std::future<std::thread::id> future = ran->get_future();
  proxy.Post([ran, fn = std::move(fn)] {
    fn();
    ran->set_value(std::this_thread::get_id());
  });
  EXPECT_EQ(future.wait_for(5s), std::future_status::ready);
  return future.wait_for(0s) == std::future_status::ready ? future.get() : std::thread::id();
}

struct Probed {
  ProbeResult result;
  std::thread::id thread;
};

// A probe from the test's thread (Probe is thread-safe); waits for `done`.
Probed ProbeNow(Proxy& proxy, int port, std::string path, std::chrono::milliseconds timeout) {
  auto done = std::make_shared<std::promise<Probed>>();
  std::future<Probed> future = done->get_future();
  Upstream upstream;
  upstream.port = port;
  proxy.Probe(upstream, std::move(path), timeout, [done](const ProbeResult& result) {
    done->set_value({result, std::this_thread::get_id()});
  });
  EXPECT_EQ(future.wait_for(10s), std::future_status::ready);
  if (future.wait_for(0s) != std::future_status::ready) return {};
  return future.get();
}

TEST_F(ProxyTest, PostRunsOnTheProxyThread) {
  TestUpstream upstream(Echo);
  StartProxy(upstream.port());
  int calls = 0;
  EXPECT_EQ(RunOnProxy(*proxy_, [&calls] { ++calls; }), thread_.get_id());
  EXPECT_EQ(calls, 1);
  // An exception out of `fn` does not stop the proxy.
  proxy_->Post([] { throw std::runtime_error("ignored"); });
  Client client(proxy_->port());
  ASSERT_TRUE(client.Send(Get("/fixed")));
  std::optional<HttpResponse> response = client.Read();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 404);
}

TEST_F(ProxyTest, RunAfterRunsOnTheProxyThreadNoEarlierThanItsDelay) {
  TestUpstream upstream(Echo);
  StartProxy(upstream.port());
  auto ran = std::make_shared<std::promise<std::thread::id>>();
  std::future<std::thread::id> future = ran->get_future();
  const auto start = std::chrono::steady_clock::now();
  proxy_->RunAfter(50ms, [ran] { ran->set_value(std::this_thread::get_id()); });
  ASSERT_EQ(future.wait_for(5s), std::future_status::ready);
  EXPECT_GE(std::chrono::steady_clock::now() - start, 50ms);
  EXPECT_EQ(future.get(), thread_.get_id());
}

TEST_F(ProxyTest, RunAfterNeverRunsIfTheProxyIsDestroyedFirst) {
  TestUpstream upstream(Echo);
  StartProxy(upstream.port());
  auto ran = std::make_shared<std::atomic<bool>>(false);
  proxy_->RunAfter(std::chrono::hours(1), [ran] { *ran = true; });
  RunOnProxy(*proxy_, [] {});  // the timer is set by now
  proxy_->Stop();
  thread_.join();
  proxy_.reset();
  EXPECT_FALSE(*ran);
  EXPECT_EQ(ran.use_count(), 1);  // the callback is gone with the proxy
}

TEST_F(ProxyTest, ProbeSendsAlbsRequestAndGetsTheStatus) {
  TestUpstream upstream([](const HttpRequest& request) {
    return Reply{request.target == "/sick" ? "HTTP/1.1 500 Oops\r\nContent-Length: 0\r\n\r\n"
                                           : Ok("healthy")};
  });
  StartProxy(upstream.port());
  const Probed ok = ProbeNow(*proxy_, upstream.port(), "/health?deep=1", 5s);
  EXPECT_EQ(ok.result.kind, ProbeResult::Kind::kStatus) << ok.result.error;
  EXPECT_EQ(ok.result.status, 200);
  EXPECT_EQ(ok.thread, thread_.get_id());
  const Probed sick = ProbeNow(*proxy_, upstream.port(), "/sick", 5s);
  EXPECT_EQ(sick.result.kind, ProbeResult::Kind::kStatus) << sick.result.error;
  EXPECT_EQ(sick.result.status, 500);

  const std::vector<HttpRequest> seen = upstream.requests();
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0].method, "GET");
  EXPECT_EQ(seen[0].target, "/health?deep=1");
  EXPECT_EQ(Header(seen[0], "Host"), "127.0.0.1:" + std::to_string(upstream.port()));
  EXPECT_EQ(Header(seen[0], "User-Agent"), "ELB-HealthChecker/2.0");
  EXPECT_EQ(Header(seen[0], "Accept"), "*/*");
  EXPECT_EQ(Header(seen[0], "Connection"), "close");
  EXPECT_EQ(upstream.accepts(), 2);  // a new connection each, never pooled
  EXPECT_EQ(Stats(*proxy_).upstream_connects, 0u);
}

TEST_F(ProxyTest, ProbeTimesOutAgainstASilentServer) {
  TestUpstream upstream([](const HttpRequest&) { return Reply{"", false, true}; });
  StartProxy(upstream.port());
  const Probed probed = ProbeNow(*proxy_, upstream.port(), "/", 200ms);
  EXPECT_EQ(probed.result.kind, ProbeResult::Kind::kTimeout);
  EXPECT_FALSE(probed.result.error.empty());
  EXPECT_EQ(probed.thread, thread_.get_id());
}

TEST_F(ProxyTest, ProbeReportsFailedConnectionsAndBadResponses) {
  std::atomic<int> count{0};
  TestUpstream upstream([&count](const HttpRequest&) {
    return ++count == 1 ? Reply{"NOT HTTP AT ALL\r\n\r\n", true} : Reply{"", true};
  });
  StartProxy(upstream.port());
  const Probed refused = ProbeNow(*proxy_, dead_port_.port(), "/", 5s);
  EXPECT_EQ(refused.result.kind, ProbeResult::Kind::kConnectFailed);
  EXPECT_EQ(refused.result.error, "connection refused");
  EXPECT_EQ(refused.thread, thread_.get_id());
  const Probed malformed = ProbeNow(*proxy_, upstream.port(), "/", 5s);
  EXPECT_EQ(malformed.result.kind, ProbeResult::Kind::kConnectFailed);
  EXPECT_TRUE(malformed.result.error.starts_with("malformed response")) << malformed.result.error;
  const Probed closed = ProbeNow(*proxy_, upstream.port(), "/", 5s);
  EXPECT_EQ(closed.result.kind, ProbeResult::Kind::kConnectFailed);
  EXPECT_EQ(closed.result.error, "connection closed before the response header");
  const Probed bad_path = ProbeNow(*proxy_, upstream.port(), "/a b", 5s);
  EXPECT_EQ(bad_path.result.kind, ProbeResult::Kind::kConnectFailed);
  EXPECT_EQ(upstream.accepts(), 2);
}

TEST_F(ProxyTest, CloseIdleMakesTheNextRequestConnectAnew) {
  TestUpstream upstream([](const HttpRequest& request) { return Reply{Ok(request.target)}; });
  StartProxy(upstream.port());
  Client client(proxy_->port());
  ASSERT_TRUE(client.Send(Get("/one")));
  ASSERT_TRUE(client.Read().has_value());
  ASSERT_TRUE(WaitDone(1));  // the connection is back in the pool
  Upstream target;
  target.port = upstream.port();
  RunOnProxy(*proxy_, [&] { proxy_->CloseIdle(target); });
  ASSERT_TRUE(client.Send(Get("/two")));
  std::optional<HttpResponse> response = client.Read();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->body, "/two");
  const ProxyStats stats = Stats(*proxy_);
  EXPECT_EQ(stats.upstream_connects, 2u);
  EXPECT_EQ(stats.upstream_reuses, 0u);
  EXPECT_EQ(stats.upstream_cuts, 0u);
  EXPECT_EQ(upstream.accepts(), 2);
}

TEST_F(ProxyTest, CutClosesAClientReceivingTheBody) {
  // The header and part of the body, then nothing more (the connection stays open).
  TestUpstream upstream([](const HttpRequest&) {
    return Reply{"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly part"};
  });
  StartProxy(upstream.port());
  Client client(proxy_->port());
  ASSERT_TRUE(client.Send(Get("/slow")));
  ASSERT_TRUE(client.ReadUntil("only part"));
  Upstream target;
  target.port = upstream.port();
  RunOnProxy(*proxy_, [&] { proxy_->Cut(target); });
  EXPECT_TRUE(client.Closed());
  ASSERT_TRUE(WaitDone(1));
  EXPECT_EQ(Stats(*proxy_).upstream_cuts, 1u);
}

TEST_F(ProxyTest, CutBeforeTheResponseHeaderGets502WithoutRetry) {
  std::atomic<int> count{0};
  TestUpstream upstream([&count](const HttpRequest& request) {
    if (++count == 2) return Reply{"", false, true};  // the second request hangs
    return Reply{Ok(request.target)};
  });
  StartProxy(upstream.port());
  Client client(proxy_->port());
  ASSERT_TRUE(client.Send(Get("/one")));
  ASSERT_TRUE(client.Read().has_value());
  // The second request goes on the pooled connection: a retryable one, were
  // it not cut.
  ASSERT_TRUE(client.Send(Get("/two")));
  for (int i = 0; i < 500 && upstream.requests().size() < 2; ++i) std::this_thread::sleep_for(10ms);
  ASSERT_EQ(upstream.requests().size(), 2u);
  Upstream target;
  target.port = upstream.port();
  RunOnProxy(*proxy_, [&] { proxy_->Cut(target); });
  std::optional<HttpResponse> response = client.Read();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 502);
  const ProxyStats stats = Stats(*proxy_);
  EXPECT_EQ(stats.upstream_cuts, 1u);
  EXPECT_EQ(stats.upstream_retries, 0u);
  EXPECT_EQ(upstream.accepts(), 1);
  // The client connection is still usable; the next request connects anew.
  ASSERT_TRUE(client.Send(Get("/three")));
  response = client.Read();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->body, "/three");
  EXPECT_EQ(upstream.accepts(), 2);
}

TEST(ProxyStartTest, RefusesABadListenAddress) {
  ProxyOptions options;
  options.listen_address = "not an address";
  auto proxy = Proxy::Start(options, [](std::string_view, std::string_view) { return RouteResult{}; });
  ASSERT_FALSE(proxy.ok());
  EXPECT_EQ(proxy.status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace drydock::proxy
