#include "alb/tls.h"

#include <algorithm>
#include <utility>

#include "alb/listener.h"
#include "alb/path_pattern.h"
#include "aws/ssl_policies.h"

namespace drydock::alb {
namespace {

char Lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool IEquals(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return Lower(x) == Lower(y); });
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsHex(char c) { return IsDigit(c) || (Lower(c) >= 'a' && Lower(c) <= 'f'); }
bool IsAlnum(char c) { return IsDigit(c) || (Lower(c) >= 'a' && Lower(c) <= 'z'); }

// A host name or IPv4 address: letters, digits, '-', '.', '_' (RFC 3986's
// unreserved characters but '~', which no host name has).
bool IsPlainHost(std::string_view host) {
  return !host.empty() && host.size() <= 253 && std::all_of(host.begin(), host.end(), [](char c) {
    return IsAlnum(c) || c == '-' || c == '.' || c == '_';
  });
}

// "[v6]": hex digits, ':' and '.' (an embedded IPv4) between brackets.
bool IsIpLiteral(std::string_view host) {
  if (host.size() < 4 || host.front() != '[' || host.back() != ']') return false;
  const std::string_view inside = host.substr(1, host.size() - 2);
  return inside.find(':') != std::string_view::npos &&
         std::all_of(inside.begin(), inside.end(), [](char c) { return IsHex(c) || c == ':' || c == '.'; });
}

// The host of a Host header value: without its ":port" (which must be
// digits), brackets kept; nullopt when it is not a valid host.
std::optional<std::string_view> HostOf(std::string_view header) {
  std::string_view host = header;
  if (!host.empty() && host.front() == '[') {
    const size_t close = host.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    const std::string_view rest = host.substr(close + 1);
    host = host.substr(0, close + 1);
    if (!IsIpLiteral(host)) return std::nullopt;
    if (rest.empty()) return host;
    if (rest.front() != ':' || !std::all_of(rest.begin() + 1, rest.end(), IsDigit)) return std::nullopt;
    return host;
  }
  const size_t colon = host.find(':');
  if (colon != std::string_view::npos) {
    const std::string_view port = host.substr(colon + 1);
    if (!std::all_of(port.begin(), port.end(), IsDigit)) return std::nullopt;
    host = host.substr(0, colon);
  }
  if (!IsPlainHost(host)) return std::nullopt;
  return host;
}

Status CertificatePair(const std::string& what, const std::string& certificate,
                       const std::string& key) {
  if (certificate.empty() != key.empty()) {
    return InvalidArgument(what + ": certificate_file and private_key_file go together");
  }
  return Status::Ok();
}

}  // namespace

std::string ResolvePath(std::string_view dir, std::string_view path) {
  if (path.empty() || path.front() == '/' || dir.empty()) return std::string(path);
  std::string out(dir);
  if (out.back() != '/') out += '/';
  return out.append(path);
}

Result<std::optional<HttpsListenerSpec>> HttpsListenerFromSettings(
    const config::Settings& settings, std::string_view config_dir,
    const CertificateFiles& self_signed) {
  if (settings.https_listen_address.empty()) {
    // With certificate_arn alone only the AWS HTTP listener redirects.
    if (settings.redirect_http_to_https && settings.certificate_arn.empty()) {
      return InvalidArgument(
          "redirect_http_to_https needs an HTTPS listener (https_listen_address or "
          "certificate_arn)");
    }
    return std::optional<HttpsListenerSpec>();
  }
  Result<ListenAddress> address = ParseListenAddress(settings.https_listen_address, "https_listen_address");
  if (!address.ok()) return address.status();
  if (aws::FindSslPolicy(settings.ssl_policy) == nullptr) {
    return InvalidArgument("ssl_policy \"" + settings.ssl_policy + "\" is not a policy drydock serves");
  }
  HttpsListenerSpec spec;
  spec.address = std::move(address->host);
  spec.port = address->port;
  spec.ssl_policy = settings.ssl_policy;
  spec.redirect_http = settings.redirect_http_to_https;
  DRYDOCK_RETURN_IF_ERROR(CertificatePair("the default certificate", settings.certificate_file,
                                          settings.private_key_file));
  if (settings.certificate_file.empty()) {
    spec.certificates.push_back(self_signed);
  } else {
    spec.certificates.push_back({ResolvePath(config_dir, settings.certificate_file),
                                 ResolvePath(config_dir, settings.private_key_file)});
  }
  for (size_t i = 0; i < settings.additional_certificates.size(); ++i) {
    const config::CertificateSettings& extra = settings.additional_certificates[i];
    const std::string what = "additional_certificates[" + std::to_string(i) + "]";
    if (extra.certificate_file.empty() || extra.private_key_file.empty()) {
      return InvalidArgument(what + " needs certificate_file and private_key_file");
    }
    spec.certificates.push_back({ResolvePath(config_dir, extra.certificate_file),
                                 ResolvePath(config_dir, extra.private_key_file)});
  }
  return std::optional<HttpsListenerSpec>(std::move(spec));
}

std::optional<std::string> RedirectLocation(std::string_view host_header,
                                            std::string_view request_target, int https_port) {
  const std::optional<std::string_view> host = HostOf(host_header);
  if (!host) return std::nullopt;
  // The path: PathOf's (origin or absolute form); any other form gives "/".
  std::string_view path = PathOf(request_target);
  if (path.empty() || path.front() != '/') path = "/";
  std::string_view query;
  const size_t mark = request_target.find('?');
  if (mark != std::string_view::npos) {
    query = request_target.substr(mark + 1);
    query = query.substr(0, query.find('#'));
  }
  std::string location = "https://";
  location.append(*host);
  if (https_port != 443) location.append(":").append(std::to_string(https_port));
  location.append(path);
  if (!query.empty()) location.append("?").append(query);
  return location;
}

bool ServerNameMatches(std::string_view pattern, std::string_view server_name) {
  if (!server_name.empty() && server_name.back() == '.') server_name.remove_suffix(1);
  if (pattern.empty() || server_name.empty()) return false;
  if (pattern.size() > 2 && pattern.substr(0, 2) == "*.") {
    const size_t dot = server_name.find('.');
    if (dot == 0 || dot == std::string_view::npos) return false;
    return IEquals(pattern.substr(1), server_name.substr(dot));
  }
  return IEquals(pattern, server_name);
}

size_t SelectCertificate(const std::vector<std::vector<std::string>>& names,
                         std::string_view server_name) {
  if (server_name.empty()) return 0;
  auto first = [&](bool wildcard) -> std::optional<size_t> {
    for (size_t i = 0; i < names.size(); ++i) {
      for (const std::string& name : names[i]) {
        const bool is_wildcard = name.rfind("*.", 0) == 0;
        if (is_wildcard == wildcard && ServerNameMatches(name, server_name)) return i;
      }
    }
    return std::nullopt;
  };
  if (const std::optional<size_t> exact = first(false)) return *exact;
  return first(true).value_or(0);
}

}  // namespace drydock::alb
