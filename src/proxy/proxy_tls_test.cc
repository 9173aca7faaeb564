// The HTTPS listener with real handshakes on 127.0.0.1: OpenSSL clients
// against certificates generated into a temporary directory, requests
// proxied to a plain-HTTP upstream.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <future>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "alb/tls.h"
#include "aws/ssl_policies.h"
#include "proxy/proxy.h"
#include "proxy/tls.h"

namespace drydock::proxy {
namespace {

void SetSocketTimeouts(int fd) {
  timeval tv{};
  tv.tv_sec = 5;
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
}

int Connect(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  SetSocketTimeouts(fd);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

// A plain HTTP/1.1 upstream: answers every request "200 ok" and keeps each
// request head it received.
class PlainUpstream {
 public:
  PlainUpstream() {
    listen_fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(bind(listen_fd_, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
    EXPECT_EQ(listen(listen_fd_, 16), 0);
    socklen_t length = sizeof address;
    getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&address), &length);
    port_ = ntohs(address.sin_port);
    thread_ = std::thread([this] { Loop(); });
  }
  ~PlainUpstream() {
    stopping_ = true;
    shutdown(listen_fd_, SHUT_RDWR);
    thread_.join();
    close(listen_fd_);
  }
  int port() const { return port_; }
  std::vector<std::string> heads() {
    std::lock_guard<std::mutex> lock(mu_);
    return heads_;
  }

 private:
  void Loop() {
    while (!stopping_) {
      const int fd = accept(listen_fd_, nullptr, nullptr);
      if (fd < 0) continue;
      SetSocketTimeouts(fd);
      std::string buffer;
      char chunk[4096];
      while (true) {
        const size_t end = buffer.find("\r\n\r\n");
        if (end != std::string::npos) {
          {
            std::lock_guard<std::mutex> lock(mu_);
            heads_.push_back(buffer.substr(0, end + 4));
          }
          buffer.erase(0, end + 4);
          const std::string reply = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
          if (send(fd, reply.data(), reply.size(), MSG_NOSIGNAL) <= 0) break;
          continue;
        }
        const ssize_t got = recv(fd, chunk, sizeof chunk, 0);
        if (got <= 0) break;
        buffer.append(chunk, static_cast<size_t>(got));
      }
      close(fd);
    }
  }

  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
  std::mutex mu_;
  std::vector<std::string> heads_;
};

// One client handshake: versions, SNI, and what came of it.
struct Handshake {
  bool ok = false;
  int version = 0;  // TLS1_2_VERSION, TLS1_3_VERSION
  std::string alpn;
  std::vector<std::string> peer_names;  // SAN DNS names of the served certificate
  std::string response;  // of `request`, when one was sent
};

Handshake Connect(int port, int min_version, int max_version, const std::string& server_name,
                  const std::string& request = "") {
  Handshake result;
  SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
  SSL_CTX_set_min_proto_version(ctx, min_version);
  SSL_CTX_set_max_proto_version(ctx, max_version);
  // Let the client offer TLS 1.1 at all (OpenSSL 3 refuses it at level 1+):
  // the server must be the one that says no.
  SSL_CTX_set_security_level(ctx, 0);
  SSL_CTX_set_cipher_list(ctx, "ALL:@SECLEVEL=0");
  const unsigned char alpn[] = {2, 'h', '2', 8, 'h', 't', 't', 'p', '/', '1', '.', '1'};
  SSL_CTX_set_alpn_protos(ctx, alpn, sizeof alpn);
  const int fd = Connect(port);
  SSL* ssl = SSL_new(ctx);
  SSL_set_fd(ssl, fd);
  if (!server_name.empty()) {
    // SSL_set_tlsext_host_name, without its C cast.
    SSL_ctrl(ssl, SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
             const_cast<char*>(server_name.c_str()));
  }
  if (fd >= 0 && SSL_connect(ssl) == 1) {
    result.ok = true;
    result.version = SSL_version(ssl);
    const unsigned char* selected = nullptr;
    unsigned int length = 0;
    SSL_get0_alpn_selected(ssl, &selected, &length);
    result.alpn.assign(reinterpret_cast<const char*>(selected), length);
    X509* peer = SSL_get1_peer_certificate(ssl);
    if (peer != nullptr) {
      auto* names = static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(peer, NID_subject_alt_name, nullptr, nullptr));
      for (int i = 0; names != nullptr && i < sk_GENERAL_NAME_num(names); ++i) {
        const GENERAL_NAME* name = sk_GENERAL_NAME_value(names, i);
        if (name->type != GEN_DNS) continue;
        result.peer_names.emplace_back(reinterpret_cast<const char*>(ASN1_STRING_get0_data(name->d.dNSName)),
                                       static_cast<size_t>(ASN1_STRING_length(name->d.dNSName)));
      }
      GENERAL_NAMES_free(names);
      X509_free(peer);
    }
    if (!request.empty() && SSL_write(ssl, request.data(), static_cast<int>(request.size())) > 0) {
      char buffer[4096];
      while (true) {
        const int got = SSL_read(ssl, buffer, sizeof buffer);
        if (got <= 0) break;
        result.response.append(buffer, static_cast<size_t>(got));
        if (result.response.find("\r\n\r\nok") != std::string::npos) break;
        const size_t end = result.response.find("\r\n\r\n");
        if (end != std::string::npos && result.response.find("Content-Length: 0") != std::string::npos) break;
      }
    }
  }
  ERR_clear_error();
  SSL_free(ssl);
  if (fd >= 0) close(fd);
  SSL_CTX_free(ctx);
  return result;
}

class ProxyTlsTest : public testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("drydock-tls-test-" + std::to_string(getpid()) + "-" +
            testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    Result<TlsCertificateFiles> self_signed = EnsureSelfSignedCertificate(dir_.string(), nullptr);
    ASSERT_TRUE(self_signed.ok()) << self_signed.status().message();
    default_ = *self_signed;
    b_ = {(dir_ / "b.crt").string(), (dir_ / "b.key").string()};
    ASSERT_TRUE(WriteSelfSignedCertificate(b_, "b.example", "DNS:b.example,DNS:*.b.example", 30).ok());
  }
  void TearDown() override {
    if (proxy_) {
      proxy_->Stop();
      thread_.join();
      proxy_.reset();
    }
    std::filesystem::remove_all(dir_);
  }

  TlsOptions Options(std::string_view policy_name = aws::kDefaultSslPolicy) {
    const aws::SslPolicy* policy = aws::FindSslPolicy(policy_name);
    TlsOptions options;
    options.policy = {policy->min_version, policy->max_version, std::string(policy->tls12_ciphers),
                      std::string(policy->tls13_ciphersuites)};
    options.certificates = {default_, b_};
    options.select = [](std::string_view name, const std::vector<std::vector<std::string>>& names) {
      return alb::SelectCertificate(names, name);
    };
    return options;
  }

  // Starts the proxy with an HTTPS listener on any port; every request goes to `upstream`.
  void Start(const TlsOptions& options, int upstream_port) {
    Router router = [upstream_port](std::string_view, std::string_view) {
      RouteResult route;
      route.kind = RouteResult::Kind::kForward;
      route.upstream = {"127.0.0.1", upstream_port};
      return route;
    };
    Result<std::unique_ptr<Proxy>> proxy = Proxy::Start(ProxyOptions{}, router);
    ASSERT_TRUE(proxy.ok()) << proxy.status().message();
    proxy_ = std::move(*proxy);
    Result<std::shared_ptr<const TlsContext>> context = TlsContext::Load(options);
    ASSERT_TRUE(context.ok()) << context.status().message();
    // Before Run(): nothing else runs on the proxy's thread yet.
    ASSERT_TRUE(proxy_->SetTlsListener({"127.0.0.1", 0, *context, router}).ok());
    tls_port_ = proxy_->tls_port();
    thread_ = std::thread([this] { proxy_->Run(); });
  }

  std::filesystem::path dir_;
  TlsCertificateFiles default_;
  TlsCertificateFiles b_;
  std::unique_ptr<Proxy> proxy_;
  std::thread thread_;
  int tls_port_ = 0;
};

TEST_F(ProxyTlsTest, DefaultPolicyAcceptsTls12And13AndRefusesTls11) {
  PlainUpstream upstream;
  Start(Options(), upstream.port());
  ASSERT_NE(tls_port_, 0);
  const Handshake tls12 = Connect(tls_port_, TLS1_2_VERSION, TLS1_2_VERSION, "");
  EXPECT_TRUE(tls12.ok);
  EXPECT_EQ(tls12.version, TLS1_2_VERSION);
  const Handshake tls13 = Connect(tls_port_, TLS1_3_VERSION, TLS1_3_VERSION, "");
  EXPECT_TRUE(tls13.ok);
  EXPECT_EQ(tls13.version, TLS1_3_VERSION);
  EXPECT_EQ(tls13.alpn, "http/1.1");  // h2 offered first, never chosen
  EXPECT_FALSE(Connect(tls_port_, TLS1_1_VERSION, TLS1_1_VERSION, "").ok);
  EXPECT_FALSE(Connect(tls_port_, TLS1_VERSION, TLS1_VERSION, "").ok);
}

TEST_F(ProxyTlsTest, Tls13OnlyPolicyRefusesTls12) {
  PlainUpstream upstream;
  Start(Options("ELBSecurityPolicy-TLS13-1-3-2021-06"), upstream.port());
  EXPECT_FALSE(Connect(tls_port_, TLS1_2_VERSION, TLS1_2_VERSION, "").ok);
  EXPECT_TRUE(Connect(tls_port_, TLS1_3_VERSION, TLS1_3_VERSION, "").ok);
}

TEST_F(ProxyTlsTest, SniPicksTheMatchingCertificateAndFallsBackToTheDefault) {
  PlainUpstream upstream;
  Start(Options(), upstream.port());
  const std::vector<std::string> b = {"b.example", "*.b.example"};
  const std::vector<std::string> localhost = {"localhost"};
  EXPECT_EQ(Connect(tls_port_, TLS1_2_VERSION, TLS1_3_VERSION, "b.example").peer_names, b);
  EXPECT_EQ(Connect(tls_port_, TLS1_2_VERSION, TLS1_3_VERSION, "x.b.example").peer_names, b);
  EXPECT_EQ(Connect(tls_port_, TLS1_2_VERSION, TLS1_2_VERSION, "B.EXAMPLE").peer_names, b);
  EXPECT_EQ(Connect(tls_port_, TLS1_2_VERSION, TLS1_3_VERSION, "other.example").peer_names, localhost);
  EXPECT_EQ(Connect(tls_port_, TLS1_2_VERSION, TLS1_3_VERSION, "").peer_names, localhost);
}

TEST_F(ProxyTlsTest, ProxiesToAPlainUpstreamWithForwardedProtoHttps) {
  PlainUpstream upstream;
  Start(Options(), upstream.port());
  const Handshake answer = Connect(tls_port_, TLS1_2_VERSION, TLS1_3_VERSION, "b.example",
                                   "GET /api?x=1 HTTP/1.1\r\nHost: b.example\r\n"
                                   "X-Forwarded-Proto: http\r\n\r\n");
  ASSERT_TRUE(answer.ok);
  EXPECT_EQ(answer.response.rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << answer.response;
  const std::vector<std::string> heads = upstream.heads();
  ASSERT_EQ(heads.size(), 1u);
  EXPECT_EQ(heads[0].rfind("GET /api?x=1 HTTP/1.1\r\n", 0), 0u) << heads[0];
  EXPECT_NE(heads[0].find("X-Forwarded-Proto: https\r\n"), std::string::npos) << heads[0];
  EXPECT_EQ(heads[0].find("X-Forwarded-Proto: http\r\n"), std::string::npos) << heads[0];
  EXPECT_NE(heads[0].find("X-Forwarded-Port: " + std::to_string(tls_port_) + "\r\n"), std::string::npos)
      << heads[0];
}

TEST_F(ProxyTlsTest, NotTlsAtAllIsClosedAndThePlainListenerStillServes) {
  PlainUpstream upstream;
  Start(Options(), upstream.port());
  const int fd = Connect(tls_port_);
  ASSERT_GE(fd, 0);
  const std::string plain = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
  send(fd, plain.data(), plain.size(), MSG_NOSIGNAL);
  char byte = 0;
  // An alert or nothing, then the close; never an HTTP answer.
  std::string got;
  for (ssize_t n; (n = recv(fd, &byte, 1, 0)) > 0;) got.push_back(byte);
  EXPECT_EQ(got.find("HTTP/1.1"), std::string::npos);
  close(fd);
  EXPECT_TRUE(Connect(tls_port_, TLS1_2_VERSION, TLS1_3_VERSION, "").ok);
}

TEST(ProxyTlsContext, BadFilesAreErrorsNamingTheFile) {
  TlsOptions options;
  options.policy.tls12_ciphers = std::string(aws::FindSslPolicy(aws::kDefaultSslPolicy)->tls12_ciphers);
  options.policy.tls13_ciphersuites = "TLS_AES_128_GCM_SHA256";
  options.certificates = {{"/nonexistent/cert.pem", "/nonexistent/key.pem"}};
  Result<std::shared_ptr<const TlsContext>> loaded = TlsContext::Load(options);
  ASSERT_FALSE(loaded.ok());
  EXPECT_NE(loaded.status().message().find("/nonexistent/cert.pem"), std::string::npos);
  options.certificates.clear();
  EXPECT_FALSE(TlsContext::Load(options).ok());
}

TEST(ProxyTlsContext, SelfSignedPairIsKeptWhileUsableAndPrivate) {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("drydock-selfsigned-" + std::to_string(getpid()));
  std::filesystem::remove_all(dir);
  bool generated = false;
  Result<TlsCertificateFiles> first = EnsureSelfSignedCertificate(dir.string(), &generated);
  ASSERT_TRUE(first.ok()) << first.status().message();
  EXPECT_TRUE(generated);
  EXPECT_EQ(std::filesystem::status(dir).permissions() & std::filesystem::perms::all,
            std::filesystem::perms::owner_all);
  EXPECT_EQ(std::filesystem::status(first->private_key_file).permissions() & std::filesystem::perms::all,
            std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  Result<TlsCertificateFiles> again = EnsureSelfSignedCertificate(dir.string(), &generated);
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(generated);
  // An unreadable (here: garbled) key: a new pair.
  { std::FILE* key = std::fopen(first->private_key_file.c_str(), "w"); std::fputs("garbage", key); std::fclose(key); }
  ASSERT_TRUE(EnsureSelfSignedCertificate(dir.string(), &generated).ok());
  EXPECT_TRUE(generated);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace drydock::proxy
