// The CLI's (and the control plane's) one way to call the socket APIs of a
// state directory, control.sock and proxy.sock: with the directory's bearer
// token (runtime/real/control_token.h, docs/control-api.md).
#pragma once

#include <chrono>
#include <string>

#include "base/status.h"
#include "runtime/http/http_codec.h"
#include "state/state_dir.h"

namespace drydock::cli {

// UnixHttpCall on `socket_path` with `Authorization: Bearer` and the token
// in dir's control.token. An unreadable token is an error saying where it
// should be (never what it is).
Result<runtime::HttpResponse> CallStateApi(const state::StateDir& dir,
                                           const std::string& socket_path,
                                           const std::string& method, const std::string& target,
                                           const std::string& body,
                                           std::chrono::milliseconds timeout);

}  // namespace drydock::cli
