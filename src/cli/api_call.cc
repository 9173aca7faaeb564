#include "cli/api_call.h"

#include "runtime/real/control_token.h"
#include "runtime/real/unix_http_client.h"

namespace drydock::cli {

Result<runtime::HttpResponse> CallStateApi(const state::StateDir& dir,
                                           const std::string& socket_path,
                                           const std::string& method, const std::string& target,
                                           const std::string& body,
                                           std::chrono::milliseconds timeout) {
  Result<std::string> token = runtime::ReadControlToken(dir.ControlTokenPath());
  if (!token.ok()) return token.status();
  return runtime::UnixHttpCall(socket_path, method, target, body, timeout, *token);
}

}  // namespace drydock::cli
