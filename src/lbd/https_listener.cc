#include "lbd/https_listener.h"

#include <sys/stat.h>

#include <utility>

#include "alb/wire.h"
#include "aws/ssl_policies.h"

namespace drydock::lbd {
namespace {

// What identifies a file's content cheaply: size, mtime and inode (a file
// replaced by rename() gets a new inode even within one mtime tick).
std::string FileStamp(const std::string& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) return path + ":missing;";
  return path + ":" + std::to_string(info.st_size) + ":" + std::to_string(info.st_mtim.tv_sec) + "." +
         std::to_string(info.st_mtim.tv_nsec) + ":" + std::to_string(info.st_ino) + ";";
}

std::string Fingerprint(const alb::HttpsListenerSpec& spec) {
  std::string out = spec.address + ":" + std::to_string(spec.port) + ";" + spec.ssl_policy + ";";
  for (const alb::CertificateFiles& files : spec.certificates) {
    out += FileStamp(files.certificate_file);
    out += FileStamp(files.private_key_file);
  }
  return out;
}

}  // namespace

Result<proxy::TlsOptions> TlsOptionsFor(const alb::HttpsListenerSpec& spec) {
  const aws::SslPolicy* policy = aws::FindSslPolicy(spec.ssl_policy);
  if (policy == nullptr) return InvalidArgument("ssl_policy \"" + spec.ssl_policy + "\" is unknown");
  proxy::TlsOptions options;
  options.policy.min_version = policy->min_version;
  options.policy.max_version = policy->max_version;
  options.policy.tls12_ciphers = std::string(policy->tls12_ciphers);
  options.policy.tls13_ciphersuites = std::string(policy->tls13_ciphersuites);
  for (const alb::CertificateFiles& files : spec.certificates) {
    options.certificates.push_back({files.certificate_file, files.private_key_file});
  }
  options.select = [](std::string_view server_name, const std::vector<std::vector<std::string>>& names) {
    return alb::SelectCertificate(names, server_name);
  };
  return options;
}

HttpsListenerKeeper::Update HttpsListenerKeeper::Prepare(
    const std::optional<alb::HttpsListenerSpec>& spec) {
  Update update;
  if (!spec) {
    if (!fingerprint_.empty()) update.kind = Update::Kind::kStop;
    fingerprint_.clear();
    loaded_.reset();
    last_error_.clear();
    return update;
  }
  std::string fingerprint = Fingerprint(*spec);
  if (fingerprint != fingerprint_) {
    fingerprint_ = std::move(fingerprint);  // a failed load is retried when a file changes
    Result<proxy::TlsOptions> options = TlsOptionsFor(*spec);
    Result<std::shared_ptr<const proxy::TlsContext>> context =
        options.ok() ? proxy::TlsContext::Load(*options) : Result<std::shared_ptr<const proxy::TlsContext>>(options.status());
    if (context.ok()) {
      loaded_ = std::move(*context);
      loaded_address_ = spec->address;
      loaded_port_ = spec->port;
      last_error_.clear();
      Log("HTTPS: certificates loaded (" + std::to_string(spec->certificates.size()) + ", policy " +
          spec->ssl_policy + ")");
    } else {
      update.error = "HTTPS: " + context.status().message() +
                     (loaded_ ? "; the listener keeps its previous certificates" : "; no HTTPS listener");
      if (update.error != last_error_) Log(update.error);
      last_error_ = update.error;
    }
  } else {
    update.error = last_error_;
  }
  if (loaded_) {
    update.kind = Update::Kind::kSet;
    update.address = loaded_address_;
    update.port = loaded_port_;
    update.context = loaded_;
  }
  return update;
}

std::string HttpsListenerKeeper::Commit(const Update& update, proxy::Proxy& proxy,
                                        BalancerDriver& driver) {
  std::string error = update.error;
  if (update.kind == Update::Kind::kStop) {
    proxy.StopTlsListener();
    if (listening_) Log("HTTPS: listener closed");
    listening_ = false;
  } else if (update.kind == Update::Kind::kSet) {
    const int before = proxy.tls_port();
    Status set = proxy.SetTlsListener(
        {update.address, update.port, update.context,
         [&driver](std::string_view method, std::string_view target) { return driver.Route(method, target); }});
    if (!set.ok()) {
      const std::string message = "HTTPS: " + set.message();
      if (message != last_commit_error_) Log(message);
      last_commit_error_ = message;
      error = error.empty() ? message : error + "; " + message;
    } else {
      last_commit_error_.clear();
      if (!listening_ || before != proxy.tls_port()) {
        const bool v6 = update.address.find(':') != std::string::npos;
        Log("listening on https://" + (v6 ? "[" + update.address + "]" : update.address) + ":" +
            std::to_string(proxy.tls_port()));
      }
      listening_ = true;
    }
  }
  return error;
}

}  // namespace drydock::lbd
