// The load balancer's API (`drydock proxy --managed`, proxy.sock) refuses
// callers without the state directory's token: RunProxyProcess in process,
// on a thread, listening on 127.0.0.1 with any free port.
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>

#include <gtest/gtest.h>

#include "lbd/proxy_process.h"
#include "runtime/real/unix_http_client.h"

namespace drydock::lbd {
namespace {

using std::chrono::milliseconds;
constexpr milliseconds kTimeout{5000};

TEST(ProxyApiTokenTest, MissingWrongAndRightToken) {
  char dir[] = "/tmp/drydock-proxy-token-XXXXXX";
  ASSERT_NE(mkdtemp(dir), nullptr);
  const std::string socket = std::string(dir) + "/proxy.sock";
  const std::string token(64, 'd');
  ProxyProcessOptions options;
  options.listen_port = 0;
  options.control_socket = socket;
  options.bearer_token = token;
  options.bearer_hint = std::string(dir) + "/control.token";
  int exit_code = -1;
  std::thread process([&] { exit_code = RunProxyProcess(options); });

  // Wait (bounded) until the API answers.
  Result<runtime::HttpResponse> missing = Status(StatusCode::kUnavailable, "not yet");
  for (int attempt = 0; attempt < 200 && !missing.ok(); ++attempt) {
    missing = runtime::UnixHttpCall(socket, "GET", "/v1/health", "", kTimeout);
    if (!missing.ok()) std::this_thread::sleep_for(milliseconds(50));
  }
  ASSERT_TRUE(missing.ok()) << missing.status().message();
  EXPECT_EQ(missing->status, 401);
  EXPECT_NE(missing->body.find("control.token"), std::string::npos) << missing->body;
  Result<runtime::HttpResponse> wrong =
      runtime::UnixHttpCall(socket, "POST", "/v1/stop", "", kTimeout, std::string(64, 'e'));
  ASSERT_TRUE(wrong.ok());
  EXPECT_EQ(wrong->status, 401);
  Result<runtime::HttpResponse> health =
      runtime::UnixHttpCall(socket, "GET", "/v1/health", "", kTimeout, token);
  ASSERT_TRUE(health.ok());
  EXPECT_EQ(health->status, 200) << health->body;
  Result<runtime::HttpResponse> stop =
      runtime::UnixHttpCall(socket, "POST", "/v1/stop", "", kTimeout, token);
  ASSERT_TRUE(stop.ok());
  EXPECT_EQ(stop->status, 200);
  process.join();
  EXPECT_EQ(exit_code, 0);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace drydock::lbd
