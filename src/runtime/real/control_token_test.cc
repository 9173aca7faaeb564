#include "runtime/real/control_token.h"

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

namespace drydock::runtime {
namespace {

class ControlTokenTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char dir[] = "/tmp/drydock-token-XXXXXX";
    ASSERT_NE(mkdtemp(dir), nullptr);
    dir_ = dir;
    path_ = dir_ + "/control.token";
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string dir_, path_;
};

TEST_F(ControlTokenTest, CreatedOncePrivateAndReused) {
  EXPECT_EQ(ReadControlToken(path_).status().code(), StatusCode::kNotFound);
  const mode_t old_mask = umask(0);
  Result<std::string> first = EnsureControlToken(path_);
  umask(old_mask);
  ASSERT_TRUE(first.ok()) << first.status().message();
  EXPECT_EQ(first->size(), 2 * kControlTokenBytes);
  struct stat info {};
  ASSERT_EQ(stat(path_.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  EXPECT_EQ(*EnsureControlToken(path_), *first);
  EXPECT_EQ(*ReadControlToken(path_), *first);
  // Only the token is left in the directory (no temporary file).
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir_),
                          std::filesystem::directory_iterator()),
            1);
  std::filesystem::remove(path_);
  EXPECT_NE(*EnsureControlToken(path_), *first);  // 256 random bits
}

TEST_F(ControlTokenTest, RacingCreatorsAgree) {
  std::vector<std::string> tokens(8);
  std::vector<std::thread> threads;
  for (std::string& token : tokens) {
    threads.emplace_back([&] { token = EnsureControlToken(path_).value(); });
  }
  for (std::thread& thread : threads) thread.join();
  for (const std::string& token : tokens) EXPECT_EQ(token, tokens[0]);
}

TEST_F(ControlTokenTest, RefusesWhatIsNotAToken) {
  std::ofstream(path_) << "hello\n";
  Result<std::string> bad = ReadControlToken(path_);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(bad.status().message().find("remove it"), std::string::npos);
  EXPECT_FALSE(EnsureControlToken(path_).ok());
}

TEST_F(ControlTokenTest, WiderModeIsTightened) {
  ASSERT_TRUE(EnsureControlToken(path_).ok());
  ASSERT_EQ(chmod(path_.c_str(), 0644), 0);
  ASSERT_TRUE(ReadControlToken(path_).ok());
  struct stat info {};
  ASSERT_EQ(stat(path_.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
}

TEST(BearerTokenTest, HeaderRules) {
  const std::string token(64, 'c');
  auto with = [](HttpHeaders headers) { return HttpRequest{"GET", "/", std::move(headers), "", true}; };
  EXPECT_TRUE(HasBearerToken(with({{"Authorization", "Bearer " + token}}), token));
  EXPECT_TRUE(HasBearerToken(with({{"AUTHORIZATION", "bearer  " + token + " "}}), token));
  EXPECT_FALSE(HasBearerToken(with({}), token));
  EXPECT_FALSE(HasBearerToken(with({{"Authorization", "Basic " + token}}), token));
  EXPECT_FALSE(HasBearerToken(with({{"Authorization", "Bearer " + token.substr(1)}}), token));
  EXPECT_FALSE(HasBearerToken(with({{"Authorization", "Bearer "}}), ""));
  EXPECT_FALSE(HasBearerToken(
      with({{"Authorization", "Bearer " + token}, {"Authorization", "Bearer " + token}}), token));
  EXPECT_TRUE(ConstantTimeEquals("abc", "abc"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abd"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "ab"));
}

}  // namespace
}  // namespace drydock::runtime
