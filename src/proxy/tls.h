// The TLS of the proxy's HTTPS listener (docs/proxy.md, "TLS listener"):
// certificates loaded into OpenSSL contexts, one per certificate, configured
// with a security policy's versions and cipher suites, ALPN "http/1.1", and
// an SNI callback that switches a handshake to the certificate the selector
// picks. Plus the self-signed pair drydock generates when none is given.
//
// No Boost or OpenSSL header here: proxy.cc (Asio) and tls.cc (OpenSSL)
// include them.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace boost::asio::ssl {
class context;
}  // namespace boost::asio::ssl

namespace drydock::proxy {

// Protocol versions and cipher suites (a security policy's; src/aws has ALB's).
struct TlsPolicy {
  int min_version = 12;  // 12 = TLS 1.2, 13 = TLS 1.3; never below 12
  int max_version = 13;
  std::string tls12_ciphers;  // OpenSSL names joined by ':' ("" when min_version is 13)
  std::string tls13_ciphersuites;  // IANA names joined by ':'
};

struct TlsCertificateFiles {
  std::string certificate_file;  // PEM: the certificate, then its chain
  std::string private_key_file;  // PEM
};

// Which certificate serves a handshake: the index into `names` (each
// certificate's DNS names: SAN entries, else the subject's CN) for the SNI
// `server_name` ("" when the client sent none). Out of range means 0.
using CertificateSelector = std::function<size_t(
    std::string_view server_name, const std::vector<std::vector<std::string>>& names)>;

struct TlsOptions {
  TlsPolicy policy;
  std::vector<TlsCertificateFiles> certificates;  // [0]: the default certificate
  CertificateSelector select;  // empty: always the default
};

// Immutable once loaded; shared by the listener and its open connections.
class TlsContext {
 public:
  // Reads and checks every certificate and key (the key must match); the
  // first problem is the error, naming the file.
  static Result<std::shared_ptr<const TlsContext>> Load(const TlsOptions& options);
  TlsContext(const TlsContext&) = delete;
  TlsContext& operator=(const TlsContext&) = delete;
  ~TlsContext();

  // The default certificate's context: handshakes start on it, and the SNI
  // callback moves them to another certificate's.
  boost::asio::ssl::context& context() const;
  const std::vector<std::vector<std::string>>& names() const { return names_; }
  // The certificate for `server_name` (the selector's choice, bounded).
  size_t Select(std::string_view server_name) const;

 private:
  TlsContext() = default;
  std::vector<std::unique_ptr<boost::asio::ssl::context>> contexts_;
  std::vector<std::vector<std::string>> names_;
  CertificateSelector select_;
};

// The self-signed pair of `directory` (created 0700 if need be):
// `self-signed.crt` (EC P-256, SAN DNS:localhost, IP:127.0.0.1, IP:::1, valid
// 365 days) and `self-signed.key` (0600). Generated when missing,
// unreadable, not matching each other, or expiring within a day; kept
// otherwise. `generated` (may be null) tells which.
Result<TlsCertificateFiles> EnsureSelfSignedCertificate(const std::string& directory,
                                                        bool* generated);

// Writes a new self-signed pair to `files` (the key 0600): EC P-256, subject
// CN `common_name`, `subject_alt_names` in OpenSSL's syntax
// ("DNS:a.example,IP:127.0.0.1"), valid from an hour ago for `days` days.
// EnsureSelfSignedCertificate's generator; tests use it for other names.
Status WriteSelfSignedCertificate(const TlsCertificateFiles& files, const std::string& common_name,
                                  const std::string& subject_alt_names, int days);

}  // namespace drydock::proxy
