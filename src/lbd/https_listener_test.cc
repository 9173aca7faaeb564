#include "lbd/https_listener.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <vector>

#include <gtest/gtest.h>

#include "aws/ssl_policies.h"
#include "proxy/tls.h"

namespace drydock::lbd {
namespace {

class HttpsListenerKeeperTest : public testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("drydock-keeper-" + std::to_string(getpid()));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    files_ = {(dir_ / "a.crt").string(), (dir_ / "a.key").string()};
    ASSERT_TRUE(proxy::WriteSelfSignedCertificate({files_.certificate_file, files_.private_key_file},
                                                  "a.example", "DNS:a.example", 30)
                    .ok());
    spec_ = alb::HttpsListenerSpec{"127.0.0.1", 8443, std::string(aws::kDefaultSslPolicy), {files_}, false};
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::filesystem::path dir_;
  alb::CertificateFiles files_;
  alb::HttpsListenerSpec spec_;
  std::vector<std::string> log_;
  HttpsListenerKeeper keeper_{[this](const std::string& line) { log_.push_back(line); }};
};

TEST_F(HttpsListenerKeeperTest, LoadsOnceAndAgainOnlyWhenAFileChanges) {
  const HttpsListenerKeeper::Update first = keeper_.Prepare(spec_);
  ASSERT_EQ(first.kind, HttpsListenerKeeper::Update::Kind::kSet);
  ASSERT_TRUE(first.context);
  EXPECT_TRUE(first.error.empty());
  const HttpsListenerKeeper::Update same = keeper_.Prepare(spec_);
  EXPECT_EQ(same.context, first.context);  // nothing changed: not reloaded
  ASSERT_TRUE(proxy::WriteSelfSignedCertificate({files_.certificate_file, files_.private_key_file},
                                                "a.example", "DNS:a.example,DNS:b.example", 30)
                  .ok());
  const HttpsListenerKeeper::Update renewed = keeper_.Prepare(spec_);
  ASSERT_TRUE(renewed.context);
  EXPECT_NE(renewed.context, first.context);
  EXPECT_EQ(renewed.context->names().front(), (std::vector<std::string>{"a.example", "b.example"}));
}

TEST_F(HttpsListenerKeeperTest, ABadFileKeepsThePreviousCertificatesAndIsReportedOnce) {
  const HttpsListenerKeeper::Update good = keeper_.Prepare(spec_);
  ASSERT_TRUE(good.context);
  { std::ofstream(files_.private_key_file) << "not a key"; }
  const HttpsListenerKeeper::Update bad = keeper_.Prepare(spec_);
  EXPECT_EQ(bad.kind, HttpsListenerKeeper::Update::Kind::kSet);
  EXPECT_EQ(bad.context, good.context);
  EXPECT_NE(bad.error.find(files_.private_key_file), std::string::npos) << bad.error;
  EXPECT_NE(bad.error.find("keeps its previous certificates"), std::string::npos) << bad.error;
  const size_t lines = log_.size();
  EXPECT_EQ(keeper_.Prepare(spec_).error, bad.error);  // still reported to the pusher...
  EXPECT_EQ(log_.size(), lines);                        // ...but logged once
}

TEST_F(HttpsListenerKeeperTest, NoCertificateThatLoadsMeansNoListenerAndRemovalStopsIt) {
  spec_.certificates = {{(dir_ / "missing.crt").string(), (dir_ / "missing.key").string()}};
  const HttpsListenerKeeper::Update none = keeper_.Prepare(spec_);
  EXPECT_EQ(none.kind, HttpsListenerKeeper::Update::Kind::kNone);
  EXPECT_NE(none.error.find("no HTTPS listener"), std::string::npos) << none.error;
  EXPECT_EQ(keeper_.Prepare(std::nullopt).kind, HttpsListenerKeeper::Update::Kind::kStop);
  EXPECT_EQ(keeper_.Prepare(std::nullopt).kind, HttpsListenerKeeper::Update::Kind::kNone);
}

}  // namespace
}  // namespace drydock::lbd
