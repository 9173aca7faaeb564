// The CLI's calls to the socket APIs carry the state directory's token: a
// server that requires it (as `drydock up` and `drydock proxy --managed`
// configure theirs) answers them, and refuses a caller without it.
#include "cli/api_call.h"

#include <filesystem>
#include <thread>

#include <gtest/gtest.h>

#include "runtime/real/control_token.h"
#include "runtime/real/real_clock.h"
#include "runtime/real/real_event_loop.h"
#include "runtime/real/unix_http_client.h"
#include "runtime/real/unix_http_server.h"
#include "state/sqlite/store_test_util.h"

namespace drydock::cli {
namespace {

using std::chrono::milliseconds;
constexpr milliseconds kTimeout{5000};

TEST(CallStateApiTest, SendsTheStateDirectorysToken) {
  state::store_testing::TempDir temp;
  Result<state::StateDir> dir = state::StateDir::Create(temp.Join(".drydock"));
  ASSERT_TRUE(dir.ok()) << dir.status().message();
  // No token yet: the caller says where it should be, and sends nothing.
  Result<runtime::HttpResponse> early =
      CallStateApi(*dir, dir->SocketPath(), "GET", "/v1/health", "", kTimeout);
  ASSERT_FALSE(early.ok());
  EXPECT_NE(early.status().message().find("control.token"), std::string::npos);

  Result<std::string> token = runtime::EnsureControlToken(dir->ControlTokenPath());
  ASSERT_TRUE(token.ok()) << token.status().message();
  runtime::RealClock clock(1.0, runtime::RealClock::WallNow());
  auto loop = runtime::RealEventLoop::Create(clock);
  ASSERT_TRUE(loop.ok());
  runtime::HttpServerOptions options;
  options.bearer_token = *token;
  options.bearer_hint = dir->ControlTokenPath();
  auto server = runtime::UnixHttpServer::Listen(
      **loop, dir->SocketPath(),
      [](const runtime::HttpRequest&) { return runtime::HttpResponse{200, "application/json", "{}", {}}; },
      options);
  ASSERT_TRUE(server.ok()) << server.status().message();
  std::thread thread([&] { (*loop)->Run(); });

  Result<runtime::HttpResponse> with =
      CallStateApi(*dir, dir->SocketPath(), "GET", "/v1/health", "", kTimeout);
  Result<runtime::HttpResponse> without =
      runtime::UnixHttpCall(dir->SocketPath(), "GET", "/v1/health", "", kTimeout);
  (*loop)->Stop();
  thread.join();
  server->reset();
  ASSERT_TRUE(with.ok()) << with.status().message();
  EXPECT_EQ(with->status, 200);
  ASSERT_TRUE(without.ok());
  EXPECT_EQ(without->status, 401);
  EXPECT_NE(without->body.find(dir->ControlTokenPath()), std::string::npos);
  EXPECT_EQ(without->body.find(*token), std::string::npos);
}

}  // namespace
}  // namespace drydock::cli
