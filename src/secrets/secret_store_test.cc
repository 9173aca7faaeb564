#include "secrets/secret_store.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "base/file_mode_test_util.h"
#include "state/sqlite/store_test_util.h"

namespace drydock::secrets {
namespace {

using drydock::testing::ModeOf;

using state::store_testing::TempDir;

constexpr const char* kAccount = "000000000000";
const TimePoint kT0 = TimePoint(std::chrono::days(20000));

TimePoint Later(std::chrono::milliseconds after) { return kT0 + after; }

class SecretStoreTest : public ::testing::Test {
 protected:
  std::string Dir() const { return temp_.Join("secrets"); }

  std::unique_ptr<SecretStore> OpenStore() {
    Result<std::unique_ptr<SecretStore>> store = SecretStore::Open(Dir());
    EXPECT_TRUE(store.ok()) << store.status().message();
    return store.ok() ? std::move(*store) : nullptr;
  }

  CreateResult MustCreate(SecretStore& store, const std::string& name, const std::string& value) {
    Result<CreateResult> created =
        store.Create(name, "", value, "us-east-1", kAccount, std::nullopt, kT0);
    EXPECT_TRUE(created.ok()) << created.status().message();
    return created.ok() ? *created : CreateResult{};
  }

  std::string Current(SecretStore& store, const std::string& id, TimePoint now = kT0) {
    Result<SecretValue> got = store.GetValue(id, std::nullopt, std::nullopt, now);
    EXPECT_TRUE(got.ok()) << got.status().message();
    return got.ok() ? got->secret_string : "<error>";
  }

  TempDir temp_;
};

TEST_F(SecretStoreTest, CreateAndGet) {
  std::unique_ptr<SecretStore> store = OpenStore();
  CreateResult created = MustCreate(*store, "prod/db", "hunter2");
  EXPECT_EQ(created.arn.rfind("arn:aws:secretsmanager:us-east-1:000000000000:secret:prod/db-", 0),
            0u);
  EXPECT_EQ(created.arn.size(),
            std::string("arn:aws:secretsmanager:us-east-1:000000000000:secret:prod/db-").size() + 6);
  Result<SecretValue> got = store->GetValue(created.arn, std::nullopt, std::nullopt, kT0);
  ASSERT_TRUE(got.ok()) << got.status().message();
  EXPECT_EQ(got->secret_string, "hunter2");
  EXPECT_EQ(got->name, "prod/db");
  EXPECT_EQ(got->version_id, created.version_id);
  EXPECT_EQ(got->stages, std::vector<std::string>{"AWSCURRENT"});
  const std::string partial = created.arn.substr(0, created.arn.size() - 7);
  EXPECT_EQ(Current(*store, partial), "hunter2");

  Result<CreateResult> again = store->Create("prod/db", "", "x", "us-east-1", kAccount,
                                             std::nullopt, kT0);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().code(), StatusCode::kAlreadyExists);
  Result<SecretValue> missing = store->GetValue("nope", std::nullopt, std::nullopt, kT0);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().message(),
            "ResourceNotFoundException: Secrets Manager can't find the specified secret.");
}

TEST_F(SecretStoreTest, PersistsAcrossReopen) {
  std::string arn;
  {
    std::unique_ptr<SecretStore> store = OpenStore();
    arn = MustCreate(*store, "db", "one").arn;
    ASSERT_TRUE(store->PutValue("db", {"two", std::nullopt}, std::nullopt, {}, kT0).ok());
    ASSERT_TRUE(store->GetValue("db", std::nullopt, std::nullopt, Later(std::chrono::hours(30)))
                    .ok());
  }
  std::unique_ptr<SecretStore> store = OpenStore();
  Result<SecretInfo> info = store->Describe("db", kT0);
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->arn, arn);
  EXPECT_EQ(info->versions.size(), 2u);
  EXPECT_EQ(info->last_accessed, kT0 + std::chrono::days(1)) << "the day of the last read";
  EXPECT_EQ(Current(*store, "db"), "two");
  Result<SecretValue> previous = store->GetValue("db", std::nullopt, "AWSPREVIOUS", kT0);
  ASSERT_TRUE(previous.ok());
  EXPECT_EQ(previous->secret_string, "one");
}

TEST_F(SecretStoreTest, TwoStoresOnOneDirectoryInterleaveWrites) {
  std::unique_ptr<SecretStore> a = OpenStore();
  std::unique_ptr<SecretStore> b = OpenStore();
  MustCreate(*a, "db", R"({"user":"app"})");
  for (int i = 0; i < 10; ++i) {
    SecretStore& writer = i % 2 == 0 ? *a : *b;
    Result<PutOutcome> put = writer.PutValue(
        "db", {std::to_string(i), "k" + std::to_string(i)}, std::nullopt, {}, kT0);
    ASSERT_TRUE(put.ok()) << put.status().message();
  }
  // Every key edit was made on top of the other store's last write.
  EXPECT_EQ(Current(*b, "db"),
            R"({"user":"app","k0":"0","k1":"1","k2":"2","k3":"3","k4":"4","k5":"5","k6":"6",)"
            R"("k7":"7","k8":"8","k9":"9"})");
  Result<SecretInfo> info = a->Describe("db", kT0);
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->versions.size(), 11u);
  int current = 0, previous = 0;
  for (const VersionInfo& version : info->versions) {
    current += version.HasStage(kAwsCurrent);
    previous += version.HasStage(kAwsPrevious);
  }
  EXPECT_EQ(current, 1);
  EXPECT_EQ(previous, 1);
  Result<EnsureResult> ensured = b->EnsureSecret("db", "{}", "us-east-1", kAccount, kT0);
  ASSERT_TRUE(ensured.ok());
  EXPECT_FALSE(ensured->created);
}

TEST_F(SecretStoreTest, ConcurrentWritersFromTwoThreadsLoseNothing) {
  std::unique_ptr<SecretStore> setup = OpenStore();
  MustCreate(*setup, "vault", "{}");
  auto writer = [&](const std::string& prefix, bool* ok) {
    Result<std::unique_ptr<SecretStore>> store = SecretStore::Open(Dir());
    *ok = store.ok();
    for (int i = 0; i < 15 && *ok; ++i) {
      const std::string key = prefix + std::to_string(i);
      *ok = (*store)->PutValue("vault", {"v", key}, std::nullopt, {}, kT0).ok();
    }
  };
  bool a_ok = false, b_ok = false;
  std::thread a(writer, "a", &a_ok);
  std::thread b(writer, "b", &b_ok);
  a.join();
  b.join();
  EXPECT_TRUE(a_ok && b_ok);
  Result<SecretValue> got = setup->GetValue("vault", std::nullopt, std::nullopt, kT0);
  ASSERT_TRUE(got.ok());
  for (const char* prefix : {"\"a", "\"b"}) {
    for (int i = 0; i < 15; ++i) {
      const std::string key = prefix + std::to_string(i) + "\":\"v\"";
      EXPECT_NE(got->secret_string.find(key), std::string::npos) << key;
    }
  }
}

TEST_F(SecretStoreTest, FilesArePrivate) {
  std::unique_ptr<SecretStore> store = OpenStore();
  MustCreate(*store, "db", "x-value");
  EXPECT_EQ(ModeOf(Dir()), 0700u);
  for (const auto& entry : std::filesystem::directory_iterator(Dir())) {
    EXPECT_EQ(ModeOf(entry.path().string()), 0600u) << entry.path();
  }
  EXPECT_TRUE(std::filesystem::exists(Dir() + "/master.key"));
  EXPECT_TRUE(std::filesystem::exists(Dir() + "/secrets.db"));
}

TEST_F(SecretStoreTest, NoValueOrKeyInClearOnDisk) {
  const std::string canary = "drydock-cleartext-canary-7f3e9a1b";
  auto scan = [&](const char* when) {
    for (const auto& entry : std::filesystem::directory_iterator(Dir())) {
      std::ifstream in(entry.path(), std::ios::binary);
      const std::string bytes((std::istreambuf_iterator<char>(in)), {});
      EXPECT_EQ(bytes.find(canary), std::string::npos) << entry.path() << " " << when;
      EXPECT_EQ(bytes.find("canary"), std::string::npos) << entry.path() << " " << when;
    }
  };
  {
    std::unique_ptr<SecretStore> store = OpenStore();
    MustCreate(*store, "db", canary);
    EXPECT_FALSE(store->PutValue("db", {canary + "-2", "password"}, std::nullopt, {}, kT0).ok())
        << "the current value is not a JSON object";
    ASSERT_TRUE(store->PutValue("db", {R"({"password":")" + canary + R"("})", std::nullopt},
                                std::nullopt, {}, kT0)
                    .ok());
    ASSERT_TRUE(store->Rotate("db", RotationStep::kCreate, std::string(36, 'a'),
                              {canary + "-rotated", "password"}, kT0)
                    .ok());
    EXPECT_NE(Current(*store, "db").find(canary), std::string::npos);
    EXPECT_TRUE(std::filesystem::exists(Dir() + "/secrets.db-wal"));
    scan("while open");
  }
  scan("after close");
}

TEST_F(SecretStoreTest, TamperedOrMovedCiphertextIsAnError) {
  std::unique_ptr<SecretStore> store = OpenStore();
  MustCreate(*store, "db", "first");
  ASSERT_TRUE(store->PutValue("db", {"second", std::nullopt}, std::nullopt, {}, kT0).ok());
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((Dir() + "/secrets.db").c_str(), &db), SQLITE_OK);
  sqlite3_busy_timeout(db, 5000);
  // Move the old version's ciphertext into the current version's row.
  ASSERT_EQ(sqlite3_exec(db,
                         "UPDATE versions SET ciphertext = (SELECT ciphertext FROM versions "
                         "WHERE stages = 'AWSPREVIOUS') WHERE stages = 'AWSCURRENT'",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  Result<SecretValue> got = store->GetValue("db", std::nullopt, std::nullopt, kT0);
  ASSERT_FALSE(got.ok());
  EXPECT_NE(got.status().message().find("failed authentication"), std::string::npos);
  EXPECT_EQ(got.status().message().find("first"), std::string::npos);
  EXPECT_TRUE(store->GetValue("db", std::nullopt, "AWSPREVIOUS", kT0).ok());
}

TEST_F(SecretStoreTest, AnotherMasterKeyCannotDecrypt) {
  {
    std::unique_ptr<SecretStore> store = OpenStore();
    MustCreate(*store, "db", "value");
  }
  {
    std::ofstream out(Dir() + "/master.key", std::ios::binary | std::ios::trunc);
    out << std::string(32, 'k');
  }
  std::unique_ptr<SecretStore> store = OpenStore();
  Result<SecretValue> got = store->GetValue("db", std::nullopt, std::nullopt, kT0);
  ASSERT_FALSE(got.ok());
  EXPECT_NE(got.status().message().find("master.key"), std::string::npos);
}

TEST_F(SecretStoreTest, RefusesADirectoryOpenToOthers) {
  { OpenStore(); }
  ASSERT_EQ(chmod(Dir().c_str(), 0750), 0);
  Result<std::unique_ptr<SecretStore>> refused = SecretStore::Open(Dir());
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("chmod 700 " + Dir()), std::string::npos);
  ASSERT_EQ(chmod(Dir().c_str(), 0700), 0);
  ASSERT_EQ(chmod((Dir() + "/master.key").c_str(), 0644), 0);
  refused = SecretStore::Open(Dir());
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("chmod 600"), std::string::npos);
}

TEST_F(SecretStoreTest, EnsureSecretCreatesOnceAndNeverOverwrites) {
  std::unique_ptr<SecretStore> store = OpenStore();
  Result<EnsureResult> first = store->EnsureSecret("api", R"({"PORT":"8080"})", "us-east-1",
                                                   kAccount, kT0);
  ASSERT_TRUE(first.ok()) << first.status().message();
  EXPECT_TRUE(first->created);
  ASSERT_TRUE(store->PutValue("api", {"9090", "PORT"}, std::nullopt, {}, kT0).ok());
  Result<EnsureResult> second = store->EnsureSecret("api", R"({"PORT":"8080"})", "us-east-1",
                                                    kAccount, kT0);
  ASSERT_TRUE(second.ok());
  EXPECT_FALSE(second->created);
  EXPECT_EQ(second->arn, first->arn);
  EXPECT_EQ(Current(*store, "api"), R"({"PORT":"9090"})");
  ASSERT_TRUE(store->Delete("api", {}, kT0).ok());
  Result<EnsureResult> pending = store->EnsureSecret("api", "{}", "us-east-1", kAccount, kT0);
  ASSERT_TRUE(pending.ok());
  EXPECT_FALSE(pending->created);
  EXPECT_TRUE(pending->pending_deletion);
}

TEST_F(SecretStoreTest, DeleteRestoreAndPurge) {
  std::unique_ptr<SecretStore> store = OpenStore();
  MustCreate(*store, "db", "value");
  Result<DeleteResult> deleted = store->Delete("db", {7, false}, kT0);
  ASSERT_TRUE(deleted.ok()) << deleted.status().message();
  EXPECT_EQ(deleted->deletion_date, kT0 + std::chrono::days(7));
  Result<SecretValue> read = store->GetValue("db", std::nullopt, std::nullopt, kT0);
  ASSERT_FALSE(read.ok());
  EXPECT_NE(read.status().message().find("marked for deletion"), std::string::npos);
  EXPECT_TRUE(store->List(false, kT0)->empty());
  EXPECT_EQ(store->List(true, kT0)->size(), 1u);
  Result<CreateResult> reuse = store->Create("db", "", "x", "us-east-1", kAccount, std::nullopt,
                                             kT0);
  ASSERT_FALSE(reuse.ok());
  EXPECT_NE(reuse.status().message().find("scheduled for deletion"), std::string::npos);

  ASSERT_TRUE(store->Restore("db", kT0).ok());
  EXPECT_EQ(Current(*store, "db"), "value");

  ASSERT_TRUE(store->Delete("db", {}, kT0).ok());
  EXPECT_TRUE(store->Describe("db", kT0 + std::chrono::days(29)).ok());
  Result<SecretInfo> purged = store->Describe("db", kT0 + std::chrono::days(30));
  ASSERT_FALSE(purged.ok());
  EXPECT_EQ(purged.status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(store->List(true, kT0 + std::chrono::days(30))->empty());

  MustCreate(*store, "db", "again");
  ASSERT_TRUE(store->Delete("db", {std::nullopt, true}, kT0).ok());
  EXPECT_EQ(store->Describe("db", kT0).status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(store->Create("db", "", "third", "us-east-1", kAccount, std::nullopt, kT0).ok());
}

TEST_F(SecretStoreTest, PutWithTokenAndStages) {
  std::unique_ptr<SecretStore> store = OpenStore();
  MustCreate(*store, "db", "one");
  const std::string token(40, 't');
  Result<PutOutcome> put = store->PutValue("db", {"two", std::nullopt}, token, {"AWSPENDING"}, kT0);
  ASSERT_TRUE(put.ok()) << put.status().message();
  EXPECT_EQ(put->version_id, token);
  EXPECT_EQ(Current(*store, "db"), "one");
  EXPECT_FALSE(store->PutValue("db", {"two", std::nullopt}, token, {"AWSPENDING"}, kT0)->changed);
  EXPECT_EQ(store->PutValue("db", {"three", std::nullopt}, token, {}, kT0).status().code(),
            StatusCode::kAlreadyExists);
  Result<SecretInfo> info = store->Describe("db", kT0);
  ASSERT_TRUE(info.ok());
  const std::string first = info->versions[0].version_id;
  ASSERT_TRUE(store->UpdateVersionStage("db", "AWSCURRENT", token, first, kT0).ok());
  EXPECT_EQ(Current(*store, "db"), "two");
  EXPECT_EQ(store->GetValue("db", first, std::nullopt, kT0)->stages,
            std::vector<std::string>{"AWSPREVIOUS"});
}

TEST_F(SecretStoreTest, RotationThroughTheStore) {
  std::unique_ptr<SecretStore> store = OpenStore();
  MustCreate(*store, "db", R"({"user":"app","password":"old"})");
  const std::string token(36, 'r');
  for (RotationStep step : {RotationStep::kCreate, RotationStep::kSet, RotationStep::kTest,
                            RotationStep::kFinish}) {
    Result<std::string> report =
        store->Rotate("db", step, token, {"new", "password"}, Later(std::chrono::seconds(5)));
    ASSERT_TRUE(report.ok()) << RotationStepName(step) << ": " << report.status().message();
    EXPECT_EQ(report->rfind(std::string(RotationStepName(step)) + ":", 0), 0u) << *report;
  }
  EXPECT_EQ(Current(*store, "db"), R"({"user":"app","password":"new"})");
  Result<SecretInfo> info = store->Describe("db", kT0);
  EXPECT_EQ(info->last_rotated, Later(std::chrono::seconds(5)));
  EXPECT_EQ(info->VersionWithStage(kAwsPending), nullptr);

  ASSERT_TRUE(store->Rotate("db", RotationStep::kCreate, std::string(36, 's'), {"x", "password"},
                            kT0)
                  .ok());
  Result<std::string> blocked =
      store->Rotate("db", RotationStep::kCreate, std::string(36, 'u'), {"y", "password"}, kT0);
  ASSERT_FALSE(blocked.ok());
  EXPECT_NE(blocked.status().message().find("A previous rotation isn't complete"),
            std::string::npos);
}

}  // namespace
}  // namespace drydock::secrets
