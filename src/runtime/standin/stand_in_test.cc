#include "runtime/standin/stand_in.h"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "runtime/real/unix_http_client.h"

namespace drydock::runtime {
namespace {

using std::chrono::milliseconds;

// Bounds every wait; no test asserts how long anything takes.
constexpr milliseconds kTimeout{5000};

// An in-process stand-in on an ephemeral loopback port; the loop runs on its
// own thread.
class StandInServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<std::unique_ptr<RealEventLoop>> loop = RealEventLoop::Create(clock_);
    ASSERT_TRUE(loop.ok()) << loop.status().message();
    loop_ = std::move(*loop);
    StandInConfig config;
    config.identity = {{"service", "web"}, {"taskArn", std::nullopt}};
    Result<std::unique_ptr<StandInServer>> server = StandInServer::Start(*loop_, config, log_);
    ASSERT_TRUE(server.ok()) << server.status().message();
    server_ = std::move(*server);
    thread_ = std::thread([this] { loop_->Run(); });
  }

  void TearDown() override {
    StopLoop();
    server_.reset();
  }

  void StopLoop() {
    if (!thread_.joinable()) return;
    loop_->Stop();
    thread_.join();
  }

  HttpClientConnection Connect() {
    Result<HttpClientConnection> connection = HttpClientConnection::ConnectTcp("127.0.0.1", server_->port(), kTimeout);
    EXPECT_TRUE(connection.ok()) << connection.status().message();
    return std::move(connection).value();
  }

  RealClock clock_{1.0, RealClock::WallNow()};
  std::unique_ptr<RealEventLoop> loop_;
  std::ostringstream log_;  // read only after StopLoop()
  std::unique_ptr<StandInServer> server_;
  std::thread thread_;
};

TEST_F(StandInServerTest, AnswersWithTheTaskIdentity) {
  HttpClientConnection connection = Connect();
  Result<HttpResponse> response = connection.Call({"GET", "/health?deep=1", {}, "", true}, kTimeout);
  ASSERT_TRUE(response.ok()) << response.status().message();
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->content_type, "application/json");
  const nlohmann::ordered_json expected = {{"service", "web"}, {"taskArn", nullptr},   {"method", "GET"},
                                           {"path", "/health"}, {"port", server_->port()}, {"pid", getpid()}};
  EXPECT_EQ(response->body, expected.dump());
}

TEST_F(StandInServerTest, EveryMethodGetsTheSameAnswerOnOneConnection) {
  HttpClientConnection connection = Connect();
  for (const std::string& method : {std::string("GET"), std::string("POST"), std::string("DELETE")}) {
    Result<HttpResponse> response = connection.Call({method, "/x", {}, "ignored body", true}, kTimeout);
    ASSERT_TRUE(response.ok()) << response.status().message();
    EXPECT_EQ(response->status, 200);
    EXPECT_EQ(nlohmann::json::parse(response->body)["method"], method);
  }
  Result<HttpResponse> head = connection.Call({"HEAD", "/x", {}, "", true}, kTimeout);
  ASSERT_TRUE(head.ok()) << head.status().message();
  EXPECT_EQ(head->status, 200);
  EXPECT_EQ(head->body, "");
}

TEST_F(StandInServerTest, ServesManyConnectionsAtOnce) {
  std::vector<HttpClientConnection> connections;
  for (int i = 0; i < 40; ++i) connections.push_back(Connect());
  for (HttpClientConnection& connection : connections) {
    Result<HttpResponse> response = connection.Call({"GET", "/", {}, "", true}, kTimeout);
    ASSERT_TRUE(response.ok()) << response.status().message();
    EXPECT_EQ(response->status, 200);
  }
}

TEST_F(StandInServerTest, WritesAnAccessLogLinePerRequest) {
  HttpClientConnection connection = Connect();
  ASSERT_TRUE(connection.Call({"GET", "/a?b=c", {}, "", true}, kTimeout).ok());
  ASSERT_TRUE(connection.Call({"PUT", "/d", {}, "x", true}, kTimeout).ok());
  StopLoop();
  EXPECT_EQ(log_.str(), "GET /a?b=c 200\nPUT /d 200\n");
}

TEST_F(StandInServerTest, ShutdownClosesIdleConnectionsAndStopsAccepting) {
  HttpClientConnection idle = Connect();
  ASSERT_TRUE(idle.Call({"GET", "/", {}, "", true}, kTimeout).ok());
  bool drained = false;
  loop_->Post([this, &drained] {
    loop_->ScheduleAfter(kTimeout, [this] { loop_->Stop(); });  // in case it never drains
    server_->Shutdown([this, &drained] {
      drained = true;
      loop_->Stop();
    });
  });
  thread_.join();
  EXPECT_TRUE(drained);
  EXPECT_FALSE(idle.Call({"GET", "/", {}, "", true}, kTimeout).ok());
  EXPECT_FALSE(HttpClientConnection::ConnectTcp("127.0.0.1", server_->port(), kTimeout).ok());
}

// Sets or unsets environment variables for one test.
class ScopedEnv {
 public:
  using Values = std::vector<std::pair<std::string, const char*>>;
  explicit ScopedEnv(const Values& values) {
    for (const auto& [name, value] : values) {
      const char* old = std::getenv(name.c_str());
      saved_.emplace_back(name, old == nullptr ? std::nullopt : std::optional<std::string>(old));
      Set(name, value);
    }
  }
  ~ScopedEnv() {
    for (const auto& [name, value] : saved_) Set(name, value ? value->c_str() : nullptr);
  }

 private:
  static void Set(const std::string& name, const char* value) {
    if (value == nullptr) {
      unsetenv(name.c_str());
    } else {
      setenv(name.c_str(), value, 1);
    }
  }
  std::vector<std::pair<std::string, std::optional<std::string>>> saved_;
};

TEST(StandInConfigTest, ReadsTheEnvironment) {
  ScopedEnv env(ScopedEnv::Values{{"PORT", "8080"},
                 {"STAND_IN_ADDRESS", nullptr},
                 {"ECS_SERVICE_NAME", "web"},
                 {"ECS_TASK_ARN", nullptr},
                 {"ECS_CLUSTER", "main"}});
  Result<StandInConfig> config = StandInConfigFromEnv();
  ASSERT_TRUE(config.ok()) << config.status().message();
  EXPECT_EQ(config->address, "127.0.0.1");
  EXPECT_EQ(config->port, 8080);
  ASSERT_EQ(config->identity.size(), 7u);
  EXPECT_EQ(config->identity[0], (std::pair<std::string, std::optional<std::string>>{"service", "web"}));
  EXPECT_EQ(config->identity[1], (std::pair<std::string, std::optional<std::string>>{"taskArn", std::nullopt}));
  EXPECT_EQ(config->identity[6], (std::pair<std::string, std::optional<std::string>>{"cluster", "main"}));
}

TEST(StandInConfigTest, RefusesAMissingOrBadPort) {
  for (const char* port : {static_cast<const char*>(nullptr), "", "http", "0", "65536", "80x", "-1"}) {
    ScopedEnv env(ScopedEnv::Values{{"PORT", port}});
    Result<StandInConfig> config = StandInConfigFromEnv();
    ASSERT_FALSE(config.ok()) << (port ? port : "(unset)");
    EXPECT_EQ(config.status().code(), StatusCode::kInvalidArgument);
  }
}

TEST(StandInConfigTest, StatusComesFromStandInStatus) {
  {
    ScopedEnv env(ScopedEnv::Values{{"PORT", "8080"}, {"STAND_IN_STATUS", nullptr}});
    Result<StandInConfig> config = StandInConfigFromEnv();
    ASSERT_TRUE(config.ok());
    EXPECT_EQ(config->status, 200);
  }
  {
    ScopedEnv env(ScopedEnv::Values{{"PORT", "8080"}, {"STAND_IN_STATUS", "500"}});
    Result<StandInConfig> config = StandInConfigFromEnv();
    ASSERT_TRUE(config.ok());
    EXPECT_EQ(config->status, 500);
  }
  for (const char* status : {"99", "600", "ok", "-1"}) {
    ScopedEnv env(ScopedEnv::Values{{"PORT", "8080"}, {"STAND_IN_STATUS", status}});
    Result<StandInConfig> config = StandInConfigFromEnv();
    ASSERT_FALSE(config.ok()) << status;
    EXPECT_NE(config.status().message().find("STAND_IN_STATUS"), std::string::npos);
  }
}

TEST(StandInConfigTest, DigestsOfTheNamedVariablesNeverTheirValues) {
  ScopedEnv env(ScopedEnv::Values{{"PORT", "8080"},
                                  {"STAND_IN_DIGESTS", "SECRET,,UNSET"},
                                  {"SECRET", "abc"},
                                  {"UNSET", nullptr}});
  Result<StandInConfig> config = StandInConfigFromEnv();
  ASSERT_TRUE(config.ok()) << config.status().message();
  ASSERT_EQ(config->digests.size(), 2u);
  EXPECT_EQ(config->digests[0].first, "SECRET");
  // sha256("abc"), FIPS 180-2's first example.
  EXPECT_EQ(config->digests[0].second,
            "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(config->digests[1].first, "UNSET");
  EXPECT_FALSE(config->digests[1].second.has_value());
}

// A free loopback port: bound, read and released (nothing else on this
// machine is expected to grab it in between).
int FreePort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  EXPECT_EQ(bind(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address), 0);
  EXPECT_EQ(getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length), 0);
  close(fd);
  return ntohs(address.sin_port);
}

// Reads `fd` until `text` has been seen (empty: never) or the stream ends.
std::string ReadUntil(int fd, const std::string& text) {
  std::string seen;
  char buffer[4096];
  while (text.empty() || seen.find(text) == std::string::npos) {
    const ssize_t got = read(fd, buffer, sizeof buffer);
    if (got <= 0) break;
    seen.append(buffer, static_cast<size_t>(got));
  }
  return seen;
}

TEST(StandInMainTest, ServesUntilSigtermThenExitsZero) {
  const int port = FreePort();
  int out[2];
  ASSERT_EQ(pipe(out), 0);
  std::fflush(nullptr);  // or the child would write out the test's buffered output too
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    dup2(out[1], STDOUT_FILENO);
    close(out[0]);
    close(out[1]);
    setenv("PORT", std::to_string(port).c_str(), 1);
    setenv("ECS_SERVICE_NAME", "web", 1);
    char verb[] = "stand-in";
    char* argv[] = {verb, nullptr};
    _exit(RunStandIn(1, argv));
  }
  close(out[1]);
  const std::string listening = "listening on 127.0.0.1:" + std::to_string(port) + "\n";
  const std::string started = ReadUntil(out[0], listening);
  ASSERT_EQ(started, listening);

  Result<HttpClientConnection> connection = HttpClientConnection::ConnectTcp("127.0.0.1", port, kTimeout);
  ASSERT_TRUE(connection.ok()) << connection.status().message();
  Result<HttpResponse> response = connection->Call({"GET", "/who", {}, "", true}, kTimeout);
  ASSERT_TRUE(response.ok()) << response.status().message();
  const nlohmann::json body = nlohmann::json::parse(response->body);
  EXPECT_EQ(body["service"], "web");
  EXPECT_EQ(body["pid"], child);
  EXPECT_EQ(body["port"], port);

  ASSERT_EQ(kill(child, SIGTERM), 0);
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status)) << "killed by signal " << WTERMSIG(status);
  EXPECT_EQ(WEXITSTATUS(status), 0);
  EXPECT_EQ(ReadUntil(out[0], ""), "GET /who 200\n");
  close(out[0]);
}

}  // namespace
}  // namespace drydock::runtime
