// The HTTPS listener of drydock's ALB (docs/alb.md, "HTTPS"), pure: its
// model as the control plane hands it to the `drydock proxy` process, the
// redirect action of the HTTP listener when redirect_http_to_https is on,
// and the choice of a certificate by SNI. The TLS itself (OpenSSL) is the
// proxy's (src/proxy/tls.h); the policies' contents are src/aws's.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "config/spec/settings.h"

namespace drydock::alb {

// A certificate chain and its private key, PEM files (absolute paths once
// resolved against the configuration file's directory).
struct CertificateFiles {
  std::string certificate_file;
  std::string private_key_file;

  friend bool operator==(const CertificateFiles&, const CertificateFiles&) = default;
};

// The HTTPS listener: ALB's `aws_lb_listener` with protocol HTTPS.
struct HttpsListenerSpec {
  std::string address;  // host without brackets: "127.0.0.1"
  int port = 0;
  std::string ssl_policy;  // one aws::FindSslPolicy knows
  // [0] is the listener's default certificate; the others are its extra
  // certificates, chosen by SNI (SelectCertificate).
  std::vector<CertificateFiles> certificates;
  // The HTTP listener's only action is a redirect to this listener.
  bool redirect_http = false;

  friend bool operator==(const HttpsListenerSpec&, const HttpsListenerSpec&) = default;
};

// The local HTTPS listener of `settings`, or nullopt when
// https_listen_address is "" (certificate_arn is the AWS listener's: with it
// alone, redirect_http_to_https leaves the local HTTP listener serving).
// Relative certificate paths are resolved against `config_dir` (the
// configuration file's directory); `self_signed` is the default certificate
// when certificate_file and private_key_file are both "". Errors name the
// setting (the validator reports them earlier, with fixes).
Result<std::optional<HttpsListenerSpec>> HttpsListenerFromSettings(
    const config::Settings& settings, std::string_view config_dir,
    const CertificateFiles& self_signed);

// `path` resolved against `dir` unless absolute ("" stays "").
std::string ResolvePath(std::string_view dir, std::string_view path);

// The Location of ALB's redirect action with its defaults (protocol HTTPS,
// host #{host}, port = the HTTPS listener's, path /#{path}, query #{query},
// HTTP 301): "https://" + the Host header's host without its port (IPv6
// literals keep their brackets) + ":" + `https_port` (omitted when 443) +
// the request target's path + "?" + its query (only when there is one).
// nullopt for a Host header that is empty or not a plain host name or IP
// literal (the caller answers 400 instead of redirecting anywhere odd).
std::optional<std::string> RedirectLocation(std::string_view host_header,
                                            std::string_view request_target, int https_port);

// Whether a certificate name (a SAN DNS name, possibly "*.example.com")
// covers `server_name`: case-insensitive; a wildcard stands for exactly one
// whole leftmost label ("*.example.com" covers "a.example.com", neither
// "example.com" nor "a.b.example.com"); one trailing dot of the server name
// is ignored.
bool ServerNameMatches(std::string_view pattern, std::string_view server_name);

// ALB's certificate choice by SNI: the index of the first certificate with a
// name equal to `server_name`, else the first with a wildcard covering it,
// else 0 (the default certificate), also when the client sent no SNI ("").
// `names[i]`: the DNS names of certificate i.
size_t SelectCertificate(const std::vector<std::vector<std::string>>& names,
                         std::string_view server_name);

}  // namespace drydock::alb
