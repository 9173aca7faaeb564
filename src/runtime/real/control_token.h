// The bearer token of drydock's socket APIs (control.sock, proxy.sock):
// <state-dir>/control.token, 32 random bytes as 64 hex digits, mode 0600.
// The process that starts a cluster creates it (atomically: a racing second
// creator adopts the first one's) and every later process reuses it, so it
// survives `down` and restarts. Callers send `Authorization: Bearer
// <token>`; servers compare in constant time. The token is never logged, put
// in an error message or passed on a command line. Design: docs/control-api.md.
#pragma once

#include <string>
#include <string_view>

#include "base/status.h"
#include "runtime/http/http_codec.h"

namespace drydock::runtime {

inline constexpr size_t kControlTokenBytes = 32;

// The token at `path`, created first when missing.
Result<std::string> EnsureControlToken(const std::string& path);
// The token at `path`: kNotFound when missing, kFailedPrecondition when the
// file is not ours or not a token. A file wider than 0600 is tightened.
Result<std::string> ReadControlToken(const std::string& path);

// Equal contents, in time that depends only on the lengths.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

// True when `request` carries exactly one `Authorization: Bearer <token>`
// header (scheme case-insensitive) with this token.
bool HasBearerToken(const HttpRequest& request, std::string_view token);

}  // namespace drydock::runtime
