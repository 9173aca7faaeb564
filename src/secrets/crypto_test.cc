#include "secrets/crypto.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <regex>

#include "base/file_mode_test_util.h"
#include "state/sqlite/store_test_util.h"

namespace drydock::secrets {
namespace {

using drydock::testing::ModeOf;

using state::store_testing::TempDir;

Key FilledKey(unsigned char byte) {
  Key key;
  for (size_t i = 0; i < Key::size(); ++i) key.data()[i] = byte;
  return key;
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

TEST(CryptoTest, RoundTripAndFreshNonces) {
  const Key key = FilledKey(7);
  Result<std::string> a = Encrypt(key, "hunter2", "aad");
  Result<std::string> b = Encrypt(key, "hunter2", "aad");
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->size(), kNonceBytes + 7 + kTagBytes);
  EXPECT_NE(*a, *b) << "every encryption takes a fresh nonce";
  EXPECT_EQ(a->find("hunter2"), std::string::npos);
  Result<std::string> plain = Decrypt(key, *a, "aad", "test");
  ASSERT_TRUE(plain.ok()) << plain.status().message();
  EXPECT_EQ(*plain, "hunter2");
}

TEST(CryptoTest, EveryTamperedByteFailsAuthentication) {
  const Key key = FilledKey(7);
  Result<std::string> sealed = Encrypt(key, "a secret value", "aad");
  ASSERT_TRUE(sealed.ok());
  for (size_t i = 0; i < sealed->size(); ++i) {
    std::string tampered = *sealed;
    tampered[i] = static_cast<char>(tampered[i] ^ 0x01);
    Result<std::string> plain = Decrypt(key, tampered, "aad", "version x of db");
    ASSERT_FALSE(plain.ok()) << "byte " << i;
    EXPECT_NE(plain.status().message().find("failed authentication"), std::string::npos);
    EXPECT_NE(plain.status().message().find("version x of db"), std::string::npos);
  }
  EXPECT_FALSE(Decrypt(key, sealed->substr(0, 20), "aad", "x").ok()) << "truncated";
  EXPECT_FALSE(Decrypt(key, "", "aad", "x").ok());
}

TEST(CryptoTest, WrongAadOrKeyFails) {
  const Key key = FilledKey(7);
  Result<std::string> sealed = Encrypt(key, "value", "arn-a/v1");
  ASSERT_TRUE(sealed.ok());
  EXPECT_FALSE(Decrypt(key, *sealed, "arn-b/v1", "x").ok()) << "moved to another row";
  EXPECT_FALSE(Decrypt(FilledKey(8), *sealed, "arn-a/v1", "x").ok()) << "another key";
}

TEST(CryptoTest, WrappedDataKeyIsBoundToItsSecret) {
  const Key master = FilledKey(1);
  Result<Key> data = NewKey();
  ASSERT_TRUE(data.ok());
  Result<std::string> wrapped = WrapKey(master, *data, "arn:a");
  ASSERT_TRUE(wrapped.ok());
  Result<Key> unwrapped = UnwrapKey(master, *wrapped, "arn:a");
  ASSERT_TRUE(unwrapped.ok()) << unwrapped.status().message();
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(unwrapped->data()), Key::size()),
            std::string(reinterpret_cast<const char*>(data->data()), Key::size()));
  EXPECT_FALSE(UnwrapKey(master, *wrapped, "arn:b").ok());
  Result<Key> wrong_master = UnwrapKey(FilledKey(2), *wrapped, "arn:a");
  ASSERT_FALSE(wrong_master.ok());
  EXPECT_NE(wrong_master.status().message().find("master.key"), std::string::npos);
}

TEST(CryptoTest, MovedFromKeyIsWiped) {
  Key key = FilledKey(9);
  Key moved = std::move(key);
  for (size_t i = 0; i < Key::size(); ++i) {
    EXPECT_EQ(key.data()[i], 0);  // NOLINT(bugprone-use-after-move): the point of the test
    EXPECT_EQ(moved.data()[i], 9);
  }
  std::string text = "secret";
  Wipe(text);
  EXPECT_TRUE(text.empty());
}

TEST(CryptoTest, VersionIdsAndSuffixes) {
  const std::regex uuid("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
  Result<std::string> a = NewVersionId();
  Result<std::string> b = NewVersionId();
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_TRUE(std::regex_match(*a, uuid)) << *a;
  EXPECT_NE(*a, *b);
  Result<std::string> suffix = RandomAlphanumeric(6);
  ASSERT_TRUE(suffix.ok());
  EXPECT_TRUE(std::regex_match(*suffix, std::regex("[A-Za-z0-9]{6}"))) << *suffix;
}

TEST(CryptoTest, MasterKeyIsCreatedPrivateOnceAndReused) {
  TempDir temp;
  const std::string path = temp.Join("master.key");
  Result<Key> first = LoadOrCreateMasterKey(path);
  ASSERT_TRUE(first.ok()) << first.status().message();
  EXPECT_EQ(ModeOf(path), 0600u);
  EXPECT_EQ(ReadAll(path).size(), Key::size());
  Result<Key> second = LoadOrCreateMasterKey(path);
  ASSERT_TRUE(second.ok()) << second.status().message();
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(first->data()), Key::size()),
            std::string(reinterpret_cast<const char*>(second->data()), Key::size()));
}

TEST(CryptoTest, MasterKeyOpenToOthersIsRefusedWithTheFix) {
  TempDir temp;
  const std::string path = temp.Join("master.key");
  ASSERT_TRUE(LoadOrCreateMasterKey(path).ok());
  ASSERT_EQ(chmod(path.c_str(), 0640), 0);
  Result<Key> refused = LoadOrCreateMasterKey(path);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("chmod 600 " + path), std::string::npos)
      << refused.status().message();
}

TEST(CryptoTest, MasterKeyOfTheWrongSizeIsRefused) {
  TempDir temp;
  const std::string path = temp.Join("master.key");
  {
    std::ofstream out(path);
    out << "short";
  }
  ASSERT_EQ(chmod(path.c_str(), 0600), 0);
  Result<Key> refused = LoadOrCreateMasterKey(path);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("not 32 bytes"), std::string::npos);
}

TEST(CryptoTest, DirectoryOpenToOthersIsRefusedWithTheFix) {
  TempDir temp;
  ASSERT_EQ(chmod(temp.path().c_str(), 0755), 0);
  Status refused = CheckPrivate(temp.path(), /*is_directory=*/true);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.message().find("chmod 700 " + temp.path()), std::string::npos);
  ASSERT_EQ(chmod(temp.path().c_str(), 0700), 0);
  EXPECT_TRUE(CheckPrivate(temp.path(), true).ok());
  EXPECT_FALSE(CheckPrivate(temp.path(), false).ok()) << "a directory is not a key file";
}

}  // namespace
}  // namespace drydock::secrets
