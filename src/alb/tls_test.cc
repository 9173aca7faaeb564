#include "alb/tls.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "alb/wire.h"
#include "aws/ssl_policies.h"

namespace drydock::alb {
namespace {

std::string Location(std::string_view host, std::string_view target, int port = 8443) {
  return RedirectLocation(host, target, port).value_or("<none>");
}

TEST(AlbRedirect, KeepsHostPathAndQueryAndUsesTheHttpsPort) {
  EXPECT_EQ(Location("127.0.0.1:8080", "/api?x=1"), "https://127.0.0.1:8443/api?x=1");
  EXPECT_EQ(Location("example.com", "/"), "https://example.com:8443/");
  EXPECT_EQ(Location("Example.COM:80", "/a/b?c=d&e=f"), "https://Example.COM:8443/a/b?c=d&e=f");
  EXPECT_EQ(Location("example.com", "/p?"), "https://example.com:8443/p");  // no query: no "?"
  EXPECT_EQ(Location("example.com", "/p?q#frag"), "https://example.com:8443/p?q");
}

TEST(AlbRedirect, OmitsPort443) {
  EXPECT_EQ(Location("example.com:80", "/x", 443), "https://example.com/x");
}

TEST(AlbRedirect, Ipv6HostsKeepTheirBrackets) {
  EXPECT_EQ(Location("[::1]:8080", "/api"), "https://[::1]:8443/api");
  EXPECT_EQ(Location("[2001:db8::1]", "/"), "https://[2001:db8::1]:8443/");
  EXPECT_EQ(Location("[::ffff:127.0.0.1]:80", "/", 443), "https://[::ffff:127.0.0.1]/");
}

TEST(AlbRedirect, OtherRequestTargetForms) {
  // Absolute form: its path and query; the host is the Host header's.
  EXPECT_EQ(Location("a.example", "http://b.example/p?q=1"), "https://a.example:8443/p?q=1");
  EXPECT_EQ(Location("a.example", "http://b.example"), "https://a.example:8443/");
  EXPECT_EQ(Location("a.example", "*"), "https://a.example:8443/");
}

TEST(AlbRedirect, OddHostHeadersRedirectNowhere) {
  for (const char* host : {"", "::1", "[::1", "[::1]x", "[::1]:x", "[]", "[zz::1]", "a.example:80x",
                           "a b", "a.example/evil", "user@a.example", "a.example\r\nX: y", "a.example?",
                           "a.example#", "\\evil", "a%2fb"}) {
    EXPECT_EQ(RedirectLocation(host, "/", 8443), std::nullopt) << host;
  }
}

TEST(AlbServerName, ExactAndWildcardMatching) {
  EXPECT_TRUE(ServerNameMatches("a.example", "a.example"));
  EXPECT_TRUE(ServerNameMatches("a.example", "A.Example"));
  EXPECT_TRUE(ServerNameMatches("a.example", "a.example."));  // the root's dot
  EXPECT_FALSE(ServerNameMatches("a.example", "b.example"));
  EXPECT_TRUE(ServerNameMatches("*.example.com", "www.example.com"));
  EXPECT_FALSE(ServerNameMatches("*.example.com", "example.com"));
  EXPECT_FALSE(ServerNameMatches("*.example.com", "a.b.example.com"));  // one label only
  EXPECT_FALSE(ServerNameMatches("*.example.com", ".example.com"));
  EXPECT_FALSE(ServerNameMatches("*", "example"));
  EXPECT_FALSE(ServerNameMatches("", ""));
}

TEST(AlbServerName, SelectPrefersExactNamesThenWildcardsThenTheDefault) {
  const std::vector<std::vector<std::string>> names = {
      {"localhost"}, {"*.example.com"}, {"www.example.com", "b.example"}, {"*.b.example"}};
  EXPECT_EQ(SelectCertificate(names, "www.example.com"), 2u);  // exact beats an earlier wildcard
  EXPECT_EQ(SelectCertificate(names, "api.example.com"), 1u);
  EXPECT_EQ(SelectCertificate(names, "B.EXAMPLE"), 2u);
  EXPECT_EQ(SelectCertificate(names, "x.b.example"), 3u);
  EXPECT_EQ(SelectCertificate(names, "nothing.test"), 0u);
  EXPECT_EQ(SelectCertificate(names, ""), 0u);  // no SNI
  EXPECT_EQ(SelectCertificate({}, "a"), 0u);
}

config::Settings HttpsSettings() {
  config::Settings settings;
  settings.https_listen_address = "127.0.0.1:8443";
  return settings;
}

TEST(AlbHttpsListenerFromSettings, NoneWithoutAnAddress) {
  Result<std::optional<HttpsListenerSpec>> spec = HttpsListenerFromSettings(config::Settings{}, "/etc", {});
  ASSERT_TRUE(spec.ok());
  EXPECT_FALSE(spec->has_value());
  config::Settings redirect;
  redirect.redirect_http_to_https = true;
  EXPECT_FALSE(HttpsListenerFromSettings(redirect, "/etc", {}).ok());
  // The AWS listener alone: the redirect is AWS's, locally the HTTP listener serves.
  redirect.certificate_arn = "arn:aws:acm:us-east-1:123456789012:certificate/a";
  spec = HttpsListenerFromSettings(redirect, "/etc", {});
  ASSERT_TRUE(spec.ok());
  EXPECT_FALSE(spec->has_value());
}

TEST(AlbHttpsListenerFromSettings, ResolvesPathsAndUsesTheSelfSignedDefault) {
  config::Settings settings = HttpsSettings();
  settings.additional_certificates = {{"certs/b.pem", "/abs/b.key"}};
  settings.redirect_http_to_https = true;
  Result<std::optional<HttpsListenerSpec>> spec =
      HttpsListenerFromSettings(settings, "/srv/conf", {"/state/tls/self-signed.crt", "/state/tls/self-signed.key"});
  ASSERT_TRUE(spec.ok()) << spec.status().message();
  ASSERT_TRUE(spec->has_value());
  const HttpsListenerSpec& https = **spec;
  EXPECT_EQ(https.address, "127.0.0.1");
  EXPECT_EQ(https.port, 8443);
  EXPECT_EQ(https.ssl_policy, aws::kDefaultSslPolicy);
  EXPECT_TRUE(https.redirect_http);
  ASSERT_EQ(https.certificates.size(), 2u);
  EXPECT_EQ(https.certificates[0].certificate_file, "/state/tls/self-signed.crt");
  EXPECT_EQ(https.certificates[1].certificate_file, "/srv/conf/certs/b.pem");
  EXPECT_EQ(https.certificates[1].private_key_file, "/abs/b.key");

  settings.certificate_file = "a.pem";
  settings.private_key_file = "a.key";
  spec = HttpsListenerFromSettings(settings, "/srv/conf", {});
  ASSERT_TRUE(spec.ok());
  EXPECT_EQ((**spec).certificates[0].certificate_file, "/srv/conf/a.pem");
}

TEST(AlbHttpsListenerFromSettings, RejectsWhatTheValidatorRejects) {
  config::Settings settings = HttpsSettings();
  settings.ssl_policy = "ELBSecurityPolicy-2016-08";
  EXPECT_FALSE(HttpsListenerFromSettings(settings, "", {}).ok());
  settings = HttpsSettings();
  settings.certificate_file = "a.pem";
  EXPECT_FALSE(HttpsListenerFromSettings(settings, "", {}).ok());
  settings = HttpsSettings();
  settings.https_listen_address = "localhost";
  EXPECT_FALSE(HttpsListenerFromSettings(settings, "", {}).ok());
}

TEST(AlbSslPolicies, TheThreeTls13PoliciesAsAwsDocumentsThem) {
  const aws::SslPolicy* recommended = aws::FindSslPolicy("ELBSecurityPolicy-TLS13-1-2-2021-06");
  ASSERT_NE(recommended, nullptr);
  EXPECT_EQ(recommended->min_version, 12);
  EXPECT_NE(recommended->tls12_ciphers.find("AES128-GCM-SHA256"), std::string_view::npos);
  const aws::SslPolicy* restricted = aws::FindSslPolicy("ELBSecurityPolicy-TLS13-1-2-Res-2021-06");
  ASSERT_NE(restricted, nullptr);
  EXPECT_EQ(restricted->tls12_ciphers.find("AES128-SHA256"), std::string_view::npos);  // GCM only
  EXPECT_EQ(restricted->tls12_ciphers.find("ECDHE-"), 0u);
  const aws::SslPolicy* tls13 = aws::FindSslPolicy("ELBSecurityPolicy-TLS13-1-3-2021-06");
  ASSERT_NE(tls13, nullptr);
  EXPECT_EQ(tls13->min_version, 13);
  EXPECT_EQ(aws::FindSslPolicy("ELBSecurityPolicy-2016-08"), nullptr);  // TLS 1.0
}

TEST(AlbWire, HttpsListenerRoundTrips) {
  ProxyConfig config;
  config.spec.listener.default_action.body = "Not Found";
  config.spec.https = HttpsListenerSpec{"127.0.0.1", 8443, std::string(aws::kDefaultSslPolicy),
                                        {{"/a.crt", "/a.key"}, {"/b.crt", "/b.key"}}, true};
  Result<ProxyConfig> decoded = DecodeProxyConfig(EncodeProxyConfig(config));
  ASSERT_TRUE(decoded.ok()) << decoded.status().message();
  EXPECT_EQ(decoded->spec.https, config.spec.https);
  config.spec.https.reset();
  decoded = DecodeProxyConfig(EncodeProxyConfig(config));
  ASSERT_TRUE(decoded.ok());
  EXPECT_FALSE(decoded->spec.https.has_value());
}

TEST(AlbWire, BadHttpsListenersAreRefusedNamingTheField) {
  ProxyConfig config;
  config.spec.https = HttpsListenerSpec{"127.0.0.1", 8443, "nope", {{"/a.crt", "/a.key"}}, false};
  Result<ProxyConfig> decoded = DecodeProxyConfig(EncodeProxyConfig(config));
  ASSERT_FALSE(decoded.ok());
  EXPECT_NE(decoded.status().message().find("https.sslPolicy"), std::string::npos);
  config.spec.https = HttpsListenerSpec{"127.0.0.1", 8443, std::string(aws::kDefaultSslPolicy), {}, false};
  decoded = DecodeProxyConfig(EncodeProxyConfig(config));
  ASSERT_FALSE(decoded.ok());
  EXPECT_NE(decoded.status().message().find("https.certificates"), std::string::npos);
}

}  // namespace
}  // namespace drydock::alb
