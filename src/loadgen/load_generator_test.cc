#include "loadgen/load_generator.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <functional>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

namespace drydock::loadgen {
namespace {

using std::chrono::microseconds;
using std::chrono::milliseconds;

// ------------------------------------------------------------ a test server

// What the test server does with one request.
struct Reply {
  std::string bytes;         // sent as they are
  bool close_after = false;  // close the connection once sent
  bool hang = false;         // never answer (the client times out)
};

// Numbered over all connections from 0, in the order the heads arrive.
using Responder = std::function<Reply(int index)>;

std::string Ok(std::string_view extra_headers = "") {
  return "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n" + std::string(extra_headers) + "\r\nok";
}

// A tiny HTTP server on a loopback port chosen by the kernel: one thread
// accepts, one thread per connection reads request heads (GETs, no body)
// and answers what the responder says. Stops and joins on destruction.
class TestServer {
 public:
  explicit TestServer(Responder respond, bool ipv6 = false) : respond_(std::move(respond)) {
    listen_fd_ = socket(ipv6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (listen_fd_ < 0) return;
    sockaddr_storage address{};
    socklen_t length = 0;
    if (ipv6) {
      auto* in6 = reinterpret_cast<sockaddr_in6*>(&address);
      in6->sin6_family = AF_INET6;
      in6->sin6_addr = in6addr_loopback;
      length = sizeof(sockaddr_in6);
    } else {
      auto* in4 = reinterpret_cast<sockaddr_in*>(&address);
      in4->sin_family = AF_INET;
      in4->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
      length = sizeof(sockaddr_in);
    }
    if (bind(listen_fd_, reinterpret_cast<sockaddr*>(&address), length) != 0 || listen(listen_fd_, 128) != 0 ||
        getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
      close(listen_fd_);
      listen_fd_ = -1;
      return;
    }
    port_ = ntohs(ipv6 ? reinterpret_cast<sockaddr_in6*>(&address)->sin6_port
                       : reinterpret_cast<sockaddr_in*>(&address)->sin_port);
    acceptor_ = std::thread([this] { AcceptLoop(); });
  }

  ~TestServer() {
    stop_ = true;
    if (acceptor_.joinable()) acceptor_.join();
    std::vector<std::thread> workers;
    {
      std::lock_guard lock(mutex_);
      workers.swap(workers_);
    }
    for (std::thread& worker : workers) worker.join();
    if (listen_fd_ >= 0) close(listen_fd_);
  }

  bool ok() const { return listen_fd_ >= 0; }
  int port() const { return port_; }
  int connections() const { return connections_; }
  int requests() const { return requests_; }
  std::vector<std::string> heads() const {
    std::lock_guard lock(mutex_);
    return heads_;
  }

 private:
  // True once `fd` is readable; false when the server stops.
  bool WaitReadable(int fd) const {
    while (!stop_) {
      pollfd entry{fd, POLLIN, 0};
      if (poll(&entry, 1, 20) > 0) return true;
    }
    return false;
  }

  void AcceptLoop() {
    while (WaitReadable(listen_fd_)) {
      const int fd = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (fd < 0) continue;
      ++connections_;
      std::lock_guard lock(mutex_);
      workers_.emplace_back([this, fd] { Serve(fd); });
    }
  }

  void Serve(int fd) {
    std::string buffer;
    char chunk[4096];
    bool open = true;
    while (open && WaitReadable(fd)) {
      const ssize_t got = recv(fd, chunk, sizeof chunk, 0);
      if (got <= 0) break;
      buffer.append(chunk, static_cast<size_t>(got));
      for (size_t end = buffer.find("\r\n\r\n"); open && end != std::string::npos; end = buffer.find("\r\n\r\n")) {
        const std::string head = buffer.substr(0, end + 4);
        buffer.erase(0, end + 4);
        open = Answer(fd, head);
      }
    }
    close(fd);
  }

  // Answers one request; false if the connection is to be closed.
  bool Answer(int fd, const std::string& head) {
    const int index = requests_++;
    {
      std::lock_guard lock(mutex_);
      heads_.push_back(head);
    }
    const Reply reply = respond_(index);
    if (reply.hang) {
      while (WaitReadable(fd)) {  // until the client gives up and closes
        char byte;
        if (recv(fd, &byte, 1, 0) <= 0) break;
      }
      return false;
    }
    std::string_view bytes = reply.bytes;
    while (!bytes.empty()) {
      const ssize_t wrote = send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      if (wrote <= 0) return false;
      bytes.remove_prefix(static_cast<size_t>(wrote));
    }
    return !reply.close_after && head.find("Connection: close\r\n") == std::string::npos;
  }

  Responder respond_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<int> connections_{0};
  std::atomic<int> requests_{0};
  mutable std::mutex mutex_;
  std::vector<std::string> heads_;
  std::vector<std::thread> workers_;
  std::thread acceptor_;
};

LoadOptions OptionsFor(const TestServer& server, int64_t requests, int connections = 4) {
  LoadOptions options;
  options.target = *ParseTargetUrl("http://127.0.0.1:" + std::to_string(server.port()) + "/");
  options.max_requests = requests;
  options.connections = connections;
  options.duration = milliseconds(60'000);  // the request budget ends these runs
  return options;
}

int64_t Count(const LoadReport& report, Outcome outcome) { return report.tally.count(outcome); }

// ------------------------------------------------------------ URL

TEST(LoadGenUrl, AcceptsTheLoopbackForms) {
  Result<Target> ip = ParseTargetUrl("http://127.0.0.1:8080/api?x=1#top");
  ASSERT_TRUE(ip.ok()) << ip.status().message();
  EXPECT_EQ(*ip, (Target{"127.0.0.1", false, 8080, "127.0.0.1:8080", "/api?x=1"}));

  Result<Target> name = ParseTargetUrl("HTTP://LocalHost:9000");
  ASSERT_TRUE(name.ok()) << name.status().message();
  EXPECT_EQ(*name, (Target{"127.0.0.1", false, 9000, "localhost:9000", "/"}));

  Result<Target> v6 = ParseTargetUrl("http://[::1]:8081/nginx/");
  ASSERT_TRUE(v6.ok()) << v6.status().message();
  EXPECT_EQ(*v6, (Target{"::1", true, 8081, "[::1]:8081", "/nginx/"}));

  Result<Target> default_port = ParseTargetUrl("http://127.0.0.1?q=2");
  ASSERT_TRUE(default_port.ok()) << default_port.status().message();
  EXPECT_EQ(*default_port, (Target{"127.0.0.1", false, 80, "127.0.0.1", "/?q=2"}));
}

TEST(LoadGenUrl, RefusesEveryOtherHost) {
  for (const char* url : {"http://example.com/", "http://10.0.0.1:80/", "http://127.0.0.2:80/", "http://0.0.0.0:80/",
                          "http://[::2]:80/", "http://[::ffff:127.0.0.1]:80/", "http://localhost.example.com/",
                          "http://127.0.0.1.nip.io/", "http://:80/", "http://"}) {
    Result<Target> target = ParseTargetUrl(url);
    ASSERT_FALSE(target.ok()) << url;
    EXPECT_NE(target.status().message().find("only loopback"), std::string::npos) << target.status().message();
  }
}

TEST(LoadGenUrl, RefusesMalformedUrls) {
  for (const char* url : {"https://127.0.0.1/", "127.0.0.1:80/", "ftp://127.0.0.1/", "http://user@127.0.0.1/",
                          "http://127.0.0.1@example.com/", "http://127.0.0.1:0/", "http://127.0.0.1:65536/",
                          "http://127.0.0.1:8a/", "http://127.0.0.1:/", "http://127.0.0.1:80/a b",
                          "http://127.0.0.1:80/\x01", "http://[::1"}) {
    EXPECT_FALSE(ParseTargetUrl(url).ok()) << url;
  }
}

// ------------------------------------------------------------ arguments

Result<LoadOptions> Parse(std::vector<std::string> args) { return ParseLoadArgs(args); }

TEST(LoadGenArgs, DefaultsAndEveryOption) {
  Result<LoadOptions> defaults = Parse({"http://127.0.0.1:8080/x"});
  ASSERT_TRUE(defaults.ok()) << defaults.status().message();
  EXPECT_EQ(defaults->target.path, "/x");
  EXPECT_EQ(defaults->connections, 8);
  EXPECT_EQ(defaults->duration, milliseconds(10'000));
  EXPECT_EQ(defaults->max_requests, 0);
  EXPECT_EQ(defaults->rate, 0);
  EXPECT_EQ(defaults->timeout, milliseconds(5'000));
  EXPECT_FALSE(defaults->close_each || defaults->json || defaults->fail_on_error || defaults->help);
  EXPECT_TRUE(defaults->paths.empty());

  Result<LoadOptions> all = Parse({"--connections", "4", "--duration=2.5", "http://localhost:1/", "--requests", "50",
                                   "--rate", "100.5", "--close", "--timeout", "250", "--json", "--fail-on-error",
                                   "--path", "/a", "--path=/b?c=d"});
  ASSERT_TRUE(all.ok()) << all.status().message();
  EXPECT_EQ(all->connections, 4);
  EXPECT_EQ(all->duration, milliseconds(2'500));
  EXPECT_EQ(all->max_requests, 50);
  EXPECT_EQ(all->rate, 100.5);
  EXPECT_EQ(all->timeout, milliseconds(250));
  EXPECT_TRUE(all->close_each && all->json && all->fail_on_error);
  EXPECT_EQ(all->paths, (std::vector<std::string>{"/a", "/b?c=d"}));

  Result<LoadOptions> help = Parse({"--connections", "0", "--help"});
  ASSERT_TRUE(help.ok());
  EXPECT_TRUE(help->help);
}

TEST(LoadGenArgs, RefusesBadCommandLines) {
  const std::string url = "http://127.0.0.1:8080/";
  const std::vector<std::vector<std::string>> bad = {
      {},
      {url, url},
      {url, "--connections", "0"},
      {url, "--connections", "257"},
      {url, "--connections", "4x"},
      {url, "--duration", "0"},
      {url, "--duration", "3601"},
      {url, "--duration", "-1"},
      {url, "--duration", "nan"},
      {url, "--timeout", "0"},
      {url, "--rate", "-1"},
      {url, "--requests", "-5"},
      {url, "--requests"},
      {url, "--bogus", "1"},
      {url, "--json=yes"},
      {url, "-x"},
      {url, "--path", "a"},
      {url, "--path", "/a b"},
      {"http://192.168.1.1/"},
  };
  for (const auto& args : bad) {
    std::string joined;
    for (const std::string& arg : args) joined += arg + " ";
    EXPECT_FALSE(Parse(args).ok()) << joined;
  }
  EXPECT_TRUE(Parse({url, "--connections", "256", "--duration", "3600"}).ok());
}

// ------------------------------------------------------------ accounting

TEST(LoadGenPercentile, NearestRank) {
  EXPECT_EQ(Percentile({}, 50), 0u);
  EXPECT_EQ(Percentile({7}, 0), 7u);
  EXPECT_EQ(Percentile({7}, 99), 7u);
  std::vector<uint32_t> hundred(100);
  for (uint32_t i = 0; i < 100; ++i) hundred[i] = i + 1;
  EXPECT_EQ(Percentile(hundred, 0), 1u);
  EXPECT_EQ(Percentile(hundred, 50), 50u);
  EXPECT_EQ(Percentile(hundred, 90), 90u);
  EXPECT_EQ(Percentile(hundred, 99), 99u);
  EXPECT_EQ(Percentile(hundred, 100), 100u);
  EXPECT_EQ(Percentile({1, 2, 3, 4}, 50), 2u);
  EXPECT_EQ(Percentile({1, 2, 3, 4}, 75), 3u);
  EXPECT_EQ(Percentile({1, 2, 3, 4}, 76), 4u);
}

TEST(LoadGenTally, OutcomesOfStatusCodes) {
  EXPECT_EQ(OutcomeOfStatus(199), Outcome::kOther);
  EXPECT_EQ(OutcomeOfStatus(200), Outcome::k2xx);
  EXPECT_EQ(OutcomeOfStatus(302), Outcome::k3xx);
  EXPECT_EQ(OutcomeOfStatus(404), Outcome::k4xx);
  EXPECT_EQ(OutcomeOfStatus(599), Outcome::k5xx);
  EXPECT_EQ(OutcomeOfStatus(600), Outcome::kOther);
  EXPECT_EQ(OutcomeName(Outcome::kConnectError), "connect_error");
}

TEST(LoadGenTally, MergeAddsEverything) {
  LoadTally a;
  a.AddResponse(200, microseconds(10));
  a.AddFailure(Outcome::kClosed);
  LoadTally b;
  b.AddResponse(200, microseconds(30));
  b.AddResponse(503, microseconds(20));
  b.AddFailure(Outcome::kTimeout);
  LoadTally total;
  Merge(total, std::move(a));
  Merge(total, std::move(b));
  EXPECT_EQ(total.requests, 5);
  EXPECT_EQ(total.count(Outcome::k2xx), 2);
  EXPECT_EQ(total.count(Outcome::k5xx), 1);
  EXPECT_EQ(total.count(Outcome::kClosed), 1);
  EXPECT_EQ(total.count(Outcome::kTimeout), 1);
  EXPECT_EQ(total.status, (std::map<int, int64_t>{{200, 2}, {503, 1}}));
  std::sort(total.latencies_us.begin(), total.latencies_us.end());
  EXPECT_EQ(total.latencies_us, (std::vector<uint32_t>{10, 20, 30}));
}

TEST(LoadGenReport, JsonShape) {
  LoadReport report;
  report.tally.AddResponse(200, microseconds(1500));
  report.tally.AddResponse(503, microseconds(2500));
  report.tally.AddFailure(Outcome::kClosed);
  report.seconds = 2;
  const auto json = nlohmann::ordered_json::parse(FormatReportJson(report));
  std::vector<std::string> keys;
  for (const auto& item : json.items()) keys.push_back(item.key());
  EXPECT_EQ(keys, (std::vector<std::string>{"requests", "seconds", "rps", "outcomes", "status", "latency_ms"}));
  EXPECT_EQ(json["requests"], 3);
  EXPECT_EQ(json["rps"], 1.5);
  EXPECT_EQ(json["outcomes"],
            nlohmann::ordered_json::parse(R"({"2xx":1,"3xx":0,"4xx":0,"5xx":1,"connect_error":0,"closed":1,)"
                                          R"("timeout":0,"other":0})"));
  EXPECT_EQ(json["status"], nlohmann::ordered_json::parse(R"({"200":1,"503":1})"));
  EXPECT_EQ(json["latency_ms"], nlohmann::ordered_json::parse(R"({"p50":1.5,"p90":2.5,"p99":2.5,"max":2.5})"));
  EXPECT_EQ(report.failed(), 2);

  LoadOptions options;
  options.target = *ParseTargetUrl("http://localhost:8080/api");
  const std::string human = FormatReport(options, report);
  EXPECT_NE(human.find("http://localhost:8080/api"), std::string::npos) << human;
  EXPECT_NE(human.find("200: 1  503: 1"), std::string::npos) << human;
  EXPECT_NE(human.find("connect_error"), std::string::npos) << human;
}

// ------------------------------------------------------------ real runs

TEST(LoadGenRun, KeepAliveCountsEveryRequestOnFewConnections) {
  TestServer server([](int) { return Reply{Ok()}; });
  ASSERT_TRUE(server.ok());
  const LoadReport report = RunLoad(OptionsFor(server, 50));
  EXPECT_EQ(report.tally.requests, 50);
  EXPECT_EQ(Count(report, Outcome::k2xx), 50);
  EXPECT_EQ(report.tally.status, (std::map<int, int64_t>{{200, 50}}));
  EXPECT_EQ(report.tally.latencies_us.size(), 50u);
  EXPECT_EQ(report.failed(), 0);
  EXPECT_EQ(server.requests(), 50);
  EXPECT_LE(server.connections(), 4);  // one per connection thread, reused
  const std::string expected_host = "Host: 127.0.0.1:" + std::to_string(server.port()) + "\r\n";
  for (const std::string& head : server.heads()) {
    EXPECT_EQ(head.rfind("GET / HTTP/1.1\r\n", 0), 0u) << head;
    EXPECT_NE(head.find(expected_host), std::string::npos) << head;
  }
}

TEST(LoadGenRun, CloseModeOpensAConnectionPerRequest) {
  TestServer server([](int) { return Reply{Ok()}; });
  ASSERT_TRUE(server.ok());
  LoadOptions options = OptionsFor(server, 20, 3);
  options.close_each = true;
  const LoadReport report = RunLoad(options);
  EXPECT_EQ(Count(report, Outcome::k2xx), 20);
  EXPECT_EQ(server.connections(), 20);
  for (const std::string& head : server.heads()) {
    EXPECT_NE(head.find("Connection: close\r\n"), std::string::npos) << head;
  }
}

TEST(LoadGenRun, CountsEachStatusClass) {
  TestServer server([](int index) {
    switch (index % 5) {
      case 0: return Reply{"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 4\r\n\r\nbusy"};
      case 1: return Reply{"HTTP/1.1 302 Found\r\nLocation: /x\r\nContent-Length: 0\r\n\r\n"};
      case 2: return Reply{"HTTP/1.1 404 Not Found\r\nContent-Length: 3\r\n\r\nnah"};
      case 3: return Reply{"HTTP/1.1 204 No Content\r\n\r\n"};
      default: return Reply{Ok()};
    }
  });
  ASSERT_TRUE(server.ok());
  LoadOptions options = OptionsFor(server, 50);
  options.fail_on_error = true;
  const LoadReport report = RunLoad(options);
  EXPECT_EQ(report.tally.requests, 50);
  EXPECT_EQ(Count(report, Outcome::k2xx), 20);
  EXPECT_EQ(Count(report, Outcome::k3xx), 10);
  EXPECT_EQ(Count(report, Outcome::k4xx), 10);
  EXPECT_EQ(Count(report, Outcome::k5xx), 10);
  EXPECT_EQ(report.tally.status, (std::map<int, int64_t>{{200, 10}, {204, 10}, {302, 10}, {404, 10}, {503, 10}}));
  EXPECT_EQ(report.failed(), 20);
  EXPECT_LE(server.connections(), 4);
}

TEST(LoadGenRun, ReconnectsWhenTheServerSaysClose) {
  // Every second answer on a connection closes it, as announced.
  TestServer server([](int index) {
    return index % 2 == 0 ? Reply{Ok()} : Reply{Ok("Connection: close\r\n"), true};
  });
  ASSERT_TRUE(server.ok());
  const LoadReport report = RunLoad(OptionsFor(server, 40, 1));
  EXPECT_EQ(Count(report, Outcome::k2xx), 40);
  EXPECT_EQ(report.failed(), 0);
  EXPECT_EQ(server.connections(), 20);
}

TEST(LoadGenRun, ReadsEveryBodyFraming) {
  const std::string big(200'000, 'x');
  TestServer server([&big](int index) {
    switch (index % 6) {
      case 0:
        return Reply{"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n"
                     "A\r\n0123456789\r\n0\r\nX-Trailer: y\r\n\r\n"};
      case 1: return Reply{"HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil close", true};
      case 2: return Reply{"HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 2\r\n\r\nok"};
      case 3: return Reply{"HTTP/1.1 100 Continue\r\n\r\n" + Ok()};
      case 4: return Reply{"HTTP/1.1 200 OK\r\ncontent-length: " + std::to_string(big.size()) + "\r\n\r\n" + big};
      default: return Reply{"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\nok"};
    }
  });
  ASSERT_TRUE(server.ok());
  const LoadReport report = RunLoad(OptionsFor(server, 60, 2));
  EXPECT_EQ(Count(report, Outcome::k2xx), 60);
  EXPECT_EQ(report.failed(), 0);
}

TEST(LoadGenRun, CountsDroppedConnectionsAsClosed) {
  // Every fifth request: the server reads it and closes without answering.
  TestServer server([](int index) { return index % 5 == 4 ? Reply{"", true} : Reply{Ok()}; });
  ASSERT_TRUE(server.ok());
  const LoadReport report = RunLoad(OptionsFor(server, 50));
  EXPECT_EQ(report.tally.requests, 50);
  EXPECT_EQ(Count(report, Outcome::k2xx), 40);
  EXPECT_EQ(Count(report, Outcome::kClosed), 10);
  EXPECT_EQ(report.tally.latencies_us.size(), 40u);
}

TEST(LoadGenRun, CountsMalformedAnswersAsOther) {
  TestServer server([](int index) {
    switch (index % 4) {
      case 0: return Reply{"garbage\r\n\r\n", true};
      case 1: return Reply{"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nok", true};
      case 2: return Reply{"HTTP/1.1 2x0 OK\r\n\r\n", true};
      default: return Reply{"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", true};
    }
  });
  ASSERT_TRUE(server.ok());
  const LoadReport report = RunLoad(OptionsFor(server, 20, 2));
  EXPECT_EQ(report.tally.requests, 20);
  EXPECT_EQ(Count(report, Outcome::kOther), 20);
  EXPECT_TRUE(report.tally.status.empty());
}

TEST(LoadGenRun, CountsTimeouts) {
  TestServer server([](int) { return Reply{"", false, true}; });
  ASSERT_TRUE(server.ok());
  LoadOptions options = OptionsFor(server, 3, 1);
  options.timeout = milliseconds(100);
  const LoadReport report = RunLoad(options);
  EXPECT_EQ(report.tally.requests, 3);
  EXPECT_EQ(Count(report, Outcome::kTimeout), 3);
  EXPECT_EQ(server.connections(), 3);  // a timed-out connection is not reused
}

TEST(LoadGenRun, CountsRefusedConnections) {
  // A port that was free a moment ago and that nothing listens on.
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&address), length), 0);
  ASSERT_EQ(getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length), 0);
  LoadOptions options;
  options.target = *ParseTargetUrl("http://127.0.0.1:" + std::to_string(ntohs(address.sin_port)) + "/");
  options.max_requests = 5;
  options.connections = 2;
  const LoadReport report = RunLoad(options);
  close(fd);
  EXPECT_EQ(report.tally.requests, 5);
  EXPECT_EQ(Count(report, Outcome::kConnectError), 5);
  EXPECT_EQ(report.failed(), 5);
}

TEST(LoadGenRun, RotatesPaths) {
  TestServer server([](int) { return Reply{Ok()}; });
  ASSERT_TRUE(server.ok());
  LoadOptions options = OptionsFor(server, 12, 3);
  options.paths = {"/api", "/nginx", "/x?y=1"};
  const LoadReport report = RunLoad(options);
  EXPECT_EQ(Count(report, Outcome::k2xx), 12);
  const std::vector<std::string> heads = server.heads();
  for (const char* path : {"GET /api ", "GET /nginx ", "GET /x?y=1 "}) {
    EXPECT_EQ(std::count_if(heads.begin(), heads.end(),
                            [path](const std::string& head) { return head.rfind(path, 0) == 0; }),
              4)
        << path;
  }
}

TEST(LoadGenRun, RateLimitedRunStillSendsTheBudget) {
  TestServer server([](int) { return Reply{Ok()}; });
  ASSERT_TRUE(server.ok());
  LoadOptions options = OptionsFor(server, 20, 2);
  options.rate = 2000;
  const LoadReport report = RunLoad(options);
  EXPECT_EQ(Count(report, Outcome::k2xx), 20);
}

TEST(LoadGenRun, DurationBoundRunCountsWhatWasSent) {
  TestServer server([](int) { return Reply{Ok()}; });
  ASSERT_TRUE(server.ok());
  LoadOptions options = OptionsFor(server, 0, 2);
  options.duration = milliseconds(100);
  const LoadReport report = RunLoad(options);
  int64_t sum = 0;
  for (int64_t count : report.tally.outcomes) sum += count;
  EXPECT_EQ(sum, report.tally.requests);
  EXPECT_EQ(Count(report, Outcome::k2xx), report.tally.requests);
  EXPECT_EQ(server.requests(), report.tally.requests);  // in-flight requests were completed
}

TEST(LoadGenRun, StopFlagEndsTheRun) {
  TestServer server([](int) { return Reply{Ok()}; });
  ASSERT_TRUE(server.ok());
  const std::atomic<bool> stop{true};
  const LoadReport report = RunLoad(OptionsFor(server, 10), &stop);
  EXPECT_EQ(report.tally.requests, 0);
  EXPECT_TRUE(report.interrupted);
  EXPECT_EQ(server.requests(), 0);
}

TEST(LoadGenRun, Ipv6Loopback) {
  TestServer server([](int) { return Reply{Ok()}; }, /*ipv6=*/true);
  if (!server.ok()) GTEST_SKIP() << "no IPv6 loopback here";
  LoadOptions options;
  options.target = *ParseTargetUrl("http://[::1]:" + std::to_string(server.port()) + "/v6");
  options.max_requests = 10;
  options.connections = 2;
  const LoadReport report = RunLoad(options);
  EXPECT_EQ(Count(report, Outcome::k2xx), 10);
  const std::vector<std::string> heads = server.heads();
  ASSERT_FALSE(heads.empty());
  EXPECT_NE(heads[0].find("Host: [::1]:" + std::to_string(server.port())), std::string::npos) << heads[0];
}

}  // namespace
}  // namespace drydock::loadgen
