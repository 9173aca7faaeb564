#include "proxy/tls.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <utility>

#include <boost/asio/ssl/context.hpp>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

namespace drydock::proxy {
namespace {

namespace ssl = boost::asio::ssl;

constexpr unsigned char kHttp11[] = {8, 'h', 't', 't', 'p', '/', '1', '.', '1'};
constexpr int kSelfSignedDays = 365;  // ≤ 397: what browsers accept for a leaf

// The oldest queued OpenSSL error as text ("" when none); clears the queue.
std::string OpenSslError() {
  const unsigned long code = ERR_get_error();
  ERR_clear_error();
  if (code == 0) return "";
  char text[256];
  ERR_error_string_n(code, text, sizeof(text));
  return text;
}

Status Failed(const std::string& what) {
  const std::string detail = OpenSslError();
  return InvalidArgument(detail.empty() ? what : what + ": " + detail);
}

int VersionOf(int version) { return version >= 13 ? TLS1_3_VERSION : TLS1_2_VERSION; }

// ALPN: "http/1.1" when the client offers it; otherwise no ALPN at all (the
// handshake goes on, as with a client that sends none).
int SelectAlpn(SSL*, const unsigned char** out, unsigned char* out_length, const unsigned char* in,
               unsigned int in_length, void*) {
  unsigned char* selected = nullptr;
  if (SSL_select_next_proto(&selected, out_length, kHttp11, sizeof(kHttp11), in, in_length) !=
      OPENSSL_NPN_NEGOTIATED) {
    return SSL_TLSEXT_ERR_NOACK;
  }
  *out = selected;
  return SSL_TLSEXT_ERR_OK;
}

// The DNS names of `certificate`: its SAN DNS entries, else its subject's CN.
std::vector<std::string> NamesOf(X509* certificate) {
  std::vector<std::string> names;
  auto* general = static_cast<GENERAL_NAMES*>(
      X509_get_ext_d2i(certificate, NID_subject_alt_name, nullptr, nullptr));
  if (general != nullptr) {
    for (int i = 0; i < sk_GENERAL_NAME_num(general); ++i) {
      const GENERAL_NAME* name = sk_GENERAL_NAME_value(general, i);
      if (name->type != GEN_DNS) continue;
      const ASN1_IA5STRING* dns = name->d.dNSName;
      names.emplace_back(reinterpret_cast<const char*>(ASN1_STRING_get0_data(dns)),
                         static_cast<size_t>(ASN1_STRING_length(dns)));
    }
    GENERAL_NAMES_free(general);
  }
  if (names.empty()) {
    char common_name[256];
    const int length = X509_NAME_get_text_by_NID(X509_get_subject_name(certificate), NID_commonName,
                                                 common_name, sizeof(common_name));
    if (length > 0) names.emplace_back(common_name, static_cast<size_t>(length));
  }
  return names;
}

Status Configure(SSL_CTX* ctx, const TlsPolicy& policy) {
  if (policy.min_version < 12 || policy.max_version < policy.min_version || policy.max_version > 13) {
    return InvalidArgument("TLS versions must lie within 1.2..1.3");
  }
  if (SSL_CTX_set_min_proto_version(ctx, VersionOf(policy.min_version)) != 1 ||
      SSL_CTX_set_max_proto_version(ctx, VersionOf(policy.max_version)) != 1) {
    return Failed("cannot set the TLS versions");
  }
  if (policy.min_version <= 12 && SSL_CTX_set_cipher_list(ctx, policy.tls12_ciphers.c_str()) != 1) {
    return Failed("cannot set the TLS 1.2 ciphers \"" + policy.tls12_ciphers + "\"");
  }
  if (SSL_CTX_set_ciphersuites(ctx, policy.tls13_ciphersuites.c_str()) != 1) {
    return Failed("cannot set the TLS 1.3 cipher suites \"" + policy.tls13_ciphersuites + "\"");
  }
  // The server's order decides (ALB: "the first cipher on the server's list
  // that matches any one of the client's ciphers"); no client renegotiation.
  SSL_CTX_set_options(ctx, SSL_OP_CIPHER_SERVER_PREFERENCE | SSL_OP_NO_RENEGOTIATION |
                               SSL_OP_NO_COMPRESSION);
  SSL_CTX_set_alpn_select_cb(ctx, SelectAlpn, nullptr);
  return Status::Ok();
}

Status LoadPair(SSL_CTX* ctx, const TlsCertificateFiles& files) {
  if (SSL_CTX_use_certificate_chain_file(ctx, files.certificate_file.c_str()) != 1) {
    return Failed("cannot load the certificate " + files.certificate_file);
  }
  if (SSL_CTX_use_PrivateKey_file(ctx, files.private_key_file.c_str(), SSL_FILETYPE_PEM) != 1) {
    return Failed("cannot load the private key " + files.private_key_file);
  }
  if (SSL_CTX_check_private_key(ctx) != 1) {
    return Failed("the private key " + files.private_key_file + " does not match the certificate " +
                  files.certificate_file);
  }
  return Status::Ok();
}

}  // namespace

TlsContext::~TlsContext() = default;

ssl::context& TlsContext::context() const { return *contexts_.front(); }

size_t TlsContext::Select(std::string_view server_name) const {
  if (!select_) return 0;
  const size_t index = select_(server_name, names_);
  return index < contexts_.size() ? index : 0;
}

Result<std::shared_ptr<const TlsContext>> TlsContext::Load(const TlsOptions& options) {
  if (options.certificates.empty()) return InvalidArgument("the HTTPS listener has no certificate");
  std::shared_ptr<TlsContext> loaded(new TlsContext());
  loaded->select_ = options.select;
  ERR_clear_error();
  for (const TlsCertificateFiles& files : options.certificates) {
    SSL_CTX* ctx = SSL_CTX_new(TLS_server_method());
    if (ctx == nullptr) return Failed("cannot create a TLS context");
    // Owned from here on (asio's context frees it).
    auto owner = std::make_unique<ssl::context>(ctx);
    DRYDOCK_RETURN_IF_ERROR(Configure(ctx, options.policy));
    DRYDOCK_RETURN_IF_ERROR(LoadPair(ctx, files));
    loaded->names_.push_back(NamesOf(SSL_CTX_get0_certificate(ctx)));
    loaded->contexts_.push_back(std::move(owner));
  }
  // SNI: handshakes start on the default certificate's context; the callback
  // moves them to the chosen one. `loaded` outlives every handshake on it
  // (each connection holds it).
  SSL_CTX* first = loaded->contexts_.front()->native_handle();
  SSL_CTX_set_tlsext_servername_arg(first, loaded.get());
  int (*on_server_name)(SSL*, int*, void*) = [](SSL* connection, int*, void* arg) -> int {
    const auto* self = static_cast<const TlsContext*>(arg);
    const char* name = SSL_get_servername(connection, TLSEXT_NAMETYPE_host_name);
    const size_t index = self->Select(name == nullptr ? "" : name);
    if (index != 0) SSL_set_SSL_CTX(connection, self->contexts_[index]->native_handle());
    return SSL_TLSEXT_ERR_OK;
  };
  // SSL_CTX_set_tlsext_servername_callback, without its C cast.
  SSL_CTX_callback_ctrl(first, SSL_CTRL_SET_TLSEXT_SERVERNAME_CB,
                        reinterpret_cast<void (*)()>(on_server_name));
  return std::shared_ptr<const TlsContext>(std::move(loaded));
}

// ---- the self-signed pair ----

namespace {

struct Freer {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
  void operator()(X509* certificate) const { X509_free(certificate); }
  void operator()(X509_EXTENSION* extension) const { X509_EXTENSION_free(extension); }
  void operator()(BIO* bio) const { BIO_free(bio); }
};
template <typename T>
using Owned = std::unique_ptr<T, Freer>;

// Whether the pair can be used for at least another day.
bool Usable(const std::string& certificate_file, const std::string& key_file) {
  SSL_CTX* ctx = SSL_CTX_new(TLS_server_method());
  if (ctx == nullptr) return false;
  bool usable = SSL_CTX_use_certificate_chain_file(ctx, certificate_file.c_str()) == 1 &&
                SSL_CTX_use_PrivateKey_file(ctx, key_file.c_str(), SSL_FILETYPE_PEM) == 1 &&
                SSL_CTX_check_private_key(ctx) == 1;
  if (usable) {
    X509* certificate = SSL_CTX_get0_certificate(ctx);
    time_t tomorrow = time(nullptr) + 24 * 3600;
    usable = X509_cmp_time(X509_get0_notAfter(certificate), &tomorrow) > 0;
  }
  SSL_CTX_free(ctx);
  ERR_clear_error();
  return usable;
}

Status AddExtension(X509* certificate, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, certificate, certificate, nullptr, nullptr, 0);
  Owned<X509_EXTENSION> extension(X509V3_EXT_conf_nid(nullptr, &ctx, nid, value));
  if (!extension || X509_add_ext(certificate, extension.get(), -1) != 1) {
    return Failed(std::string("cannot add the extension ") + value);
  }
  return Status::Ok();
}

Result<Owned<X509>> MakeCertificate(EVP_PKEY* key, const std::string& common_name,
                                    const std::string& subject_alt_names, int days) {
  Owned<X509> certificate(X509_new());
  if (!certificate || X509_set_version(certificate.get(), 2) != 1) return Failed("cannot create a certificate");
  unsigned char serial[16];
  if (RAND_bytes(serial, sizeof(serial)) != 1) return Failed("no random serial number");
  serial[0] &= 0x7f;  // positive
  BIGNUM* number = BN_bin2bn(serial, sizeof(serial), nullptr);
  const bool serial_set = number != nullptr && BN_to_ASN1_INTEGER(number, X509_get_serialNumber(certificate.get())) != nullptr;
  BN_free(number);
  if (!serial_set) return Failed("cannot set the serial number");
  // An hour back, for clocks a little behind.
  if (X509_gmtime_adj(X509_getm_notBefore(certificate.get()), -3600) == nullptr ||
      X509_gmtime_adj(X509_getm_notAfter(certificate.get()), 24L * 3600 * days) == nullptr) {
    return Failed("cannot set the validity");
  }
  X509_NAME* name = X509_get_subject_name(certificate.get());
  const auto text = [](const char* value) { return reinterpret_cast<const unsigned char*>(value); };
  if (X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC, text("drydock"), -1, -1, 0) != 1 ||
      X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, text(common_name.c_str()), -1, -1, 0) != 1 ||
      X509_set_issuer_name(certificate.get(), name) != 1 || X509_set_pubkey(certificate.get(), key) != 1) {
    return Failed("cannot set the names");
  }
  // As `openssl req -x509` makes one, so that `curl --cacert` trusts it.
  DRYDOCK_RETURN_IF_ERROR(AddExtension(certificate.get(), NID_basic_constraints, "critical,CA:TRUE"));
  DRYDOCK_RETURN_IF_ERROR(AddExtension(certificate.get(), NID_subject_key_identifier, "hash"));
  DRYDOCK_RETURN_IF_ERROR(
      AddExtension(certificate.get(), NID_subject_alt_name, subject_alt_names.c_str()));
  DRYDOCK_RETURN_IF_ERROR(AddExtension(certificate.get(), NID_ext_key_usage, "serverAuth"));
  if (X509_sign(certificate.get(), key, EVP_sha256()) == 0) return Failed("cannot sign the certificate");
  return certificate;
}

// Writes `bytes` to `path` with `mode` through a temporary file and rename().
Status WriteFile(const std::string& path, const std::string& bytes, mode_t mode) {
  const std::string temporary = path + ".tmp";
  ::unlink(temporary.c_str());
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
  if (fd < 0) return IoError("cannot write " + temporary + ": " + std::strerror(errno));
  size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t wrote = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (wrote < 0 && errno == EINTR) continue;
    if (wrote <= 0) {
      ::close(fd);
      return IoError("cannot write " + temporary + ": " + std::strerror(errno));
    }
    done += static_cast<size_t>(wrote);
  }
  ::fchmod(fd, mode);
  ::close(fd);
  if (::rename(temporary.c_str(), path.c_str()) != 0) {
    return IoError("cannot rename " + temporary + ": " + std::strerror(errno));
  }
  return Status::Ok();
}

template <typename Write>
Result<std::string> Pem(Write write) {
  Owned<BIO> bio(BIO_new(BIO_s_mem()));
  if (!bio || write(bio.get()) != 1) return Failed("cannot encode PEM");
  char* data = nullptr;
  const long length = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(length));
}

}  // namespace

Status WriteSelfSignedCertificate(const TlsCertificateFiles& files, const std::string& common_name,
                                  const std::string& subject_alt_names, int days) {
  ERR_clear_error();
  Owned<EVP_PKEY> key(EVP_EC_gen("P-256"));
  if (!key) return Failed("cannot generate an EC P-256 key");
  Result<Owned<X509>> certificate = MakeCertificate(key.get(), common_name, subject_alt_names, days);
  if (!certificate.ok()) return certificate.status();
  Result<std::string> key_pem = Pem([&](BIO* bio) {
    return PEM_write_bio_PrivateKey(bio, key.get(), nullptr, nullptr, 0, nullptr, nullptr);
  });
  if (!key_pem.ok()) return key_pem.status();
  Result<std::string> certificate_pem = Pem([&](BIO* bio) { return PEM_write_bio_X509(bio, certificate->get()); });
  if (!certificate_pem.ok()) return certificate_pem.status();
  DRYDOCK_RETURN_IF_ERROR(WriteFile(files.private_key_file, *key_pem, 0600));
  return WriteFile(files.certificate_file, *certificate_pem, 0644);
}

Result<TlsCertificateFiles> EnsureSelfSignedCertificate(const std::string& directory,
                                                        bool* generated) {
  if (generated != nullptr) *generated = false;
  const TlsCertificateFiles files{directory + "/self-signed.crt", directory + "/self-signed.key"};
  if (::mkdir(directory.c_str(), 0700) != 0 && errno != EEXIST) {
    return IoError("cannot create " + directory + ": " + std::strerror(errno));
  }
  ::chmod(directory.c_str(), 0700);
  if (Usable(files.certificate_file, files.private_key_file)) return files;
  DRYDOCK_RETURN_IF_ERROR(
      WriteSelfSignedCertificate(files, "localhost", "DNS:localhost,IP:127.0.0.1,IP:::1", kSelfSignedDays));
  if (generated != nullptr) *generated = true;
  return files;
}

}  // namespace drydock::proxy
