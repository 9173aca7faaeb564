// Keeps the proxy's HTTPS listener in step with the pushed configuration
// (docs/alb.md, "HTTPS"): certificates are loaded when the listener first
// appears and again when the listener's settings or any certificate or key
// file changed (size, mtime or inode) since the last push. A file that does
// not load leaves the listener on the certificates it had, and the error is
// reported, never fatal.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "alb/tls.h"
#include "lbd/balancer_driver.h"
#include "proxy/proxy.h"
#include "proxy/tls.h"

namespace drydock::lbd {

// The proxy's TLS options for `spec`: its policy's versions and cipher
// suites (aws::FindSslPolicy), its certificates, SNI by alb::SelectCertificate.
Result<proxy::TlsOptions> TlsOptionsFor(const alb::HttpsListenerSpec& spec);

class HttpsListenerKeeper {
 public:
  // What one push asks of the proxy thread (Prepare's result).
  struct Update {
    enum class Kind { kNone, kSet, kStop };
    Kind kind = Kind::kNone;
    std::string address;
    int port = 0;
    std::shared_ptr<const proxy::TlsContext> context;  // kSet
    std::string error;  // a load error: the previous certificates stay
  };

  // `log` gets a line for each change and each new error.
  explicit HttpsListenerKeeper(std::function<void(const std::string&)> log) : log_(std::move(log)) {}

  // Any thread but the proxy's, one at a time (it reads files).
  Update Prepare(const std::optional<alb::HttpsListenerSpec>& spec);
  // The proxy thread: carries out `update` on `proxy`, the listener's
  // requests routed by `driver`. Returns the error to report ("" if none).
  std::string Commit(const Update& update, proxy::Proxy& proxy, BalancerDriver& driver);

 private:
  void Log(const std::string& line) {
    if (log_) log_(line);
  }

  const std::function<void(const std::string&)> log_;
  // Prepare's side.
  std::string fingerprint_;  // of the last spec and files loaded or tried
  std::shared_ptr<const proxy::TlsContext> loaded_;
  std::string loaded_address_;
  int loaded_port_ = 0;
  std::string last_error_;  // logged once until it changes
  // Commit's side (proxy thread).
  bool listening_ = false;
  std::string last_commit_error_;
};

}  // namespace drydock::lbd
