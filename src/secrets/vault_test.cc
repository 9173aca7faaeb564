#include "secrets/vault.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>

namespace drydock::secrets {
namespace {

using Stages = std::vector<std::string>;

TimePoint At(int64_t seconds) { return TimePoint(Seconds(seconds)); }

// A 36-character version id that sorts by n.
std::string Id(int n) {
  char text[40];
  std::snprintf(text, sizeof(text), "00000000-0000-4000-8000-%012d", n);
  return text;
}

Secret MakeSecret(const std::string& value = "v1") {
  Result<Secret> secret =
      NewSecret({"db", "the database", value, "eu-west-1", "000000000000", "AbC123", Id(1)},
                At(100));
  EXPECT_TRUE(secret.ok()) << secret.status().message();
  return std::move(*secret);
}

Stages StagesOf(const Secret& secret, int n) {
  const VersionInfo* version = secret.info.FindVersion(Id(n));
  EXPECT_NE(version, nullptr) << n;
  return version ? version->stages : Stages{"<missing>"};
}

void Put(Secret& secret, int n, Stages stages = {}) {
  Result<PutOutcome> put = PutValue(secret, "value" + std::to_string(n), Id(n), stages, At(100 + n));
  ASSERT_TRUE(put.ok()) << put.status().message();
}

TEST(VaultTest, NewSecretHasOneCurrentVersionAndAnArn) {
  Secret secret = MakeSecret();
  EXPECT_EQ(secret.info.arn, "arn:aws:secretsmanager:eu-west-1:000000000000:secret:db-AbC123");
  EXPECT_EQ(StagesOf(secret, 1), Stages{"AWSCURRENT"});
  EXPECT_EQ(secret.values.at(Id(1)), "v1");
  EXPECT_EQ(secret.info.created, At(100));
  EXPECT_TRUE(MatchesId(secret.info, "db"));
  EXPECT_TRUE(MatchesId(secret.info, secret.info.arn));
  EXPECT_TRUE(MatchesId(secret.info, "arn:aws:secretsmanager:eu-west-1:000000000000:secret:db"));
  EXPECT_FALSE(MatchesId(secret.info, "d"));
  EXPECT_FALSE(MatchesId(secret.info, "arn:aws:secretsmanager:eu-west-1:000000000000:secret:d"));
}

TEST(VaultTest, NameRules) {
  EXPECT_TRUE(ValidateSecretName("prod/db_user+x=y.z@w-1").ok());
  EXPECT_TRUE(ValidateSecretName(std::string(512, 'a')).ok());
  for (const std::string& bad : {std::string(), std::string(513, 'a'), std::string("a:b"),
                                 std::string("a b"), std::string("é"), std::string("a*")}) {
    Status status = ValidateSecretName(bad);
    EXPECT_FALSE(status.ok()) << bad;
    EXPECT_EQ(status.message().rfind("InvalidParameterException", 0), 0u);
  }
  EXPECT_FALSE(ValidateVersionId(std::string(31, 'a')).ok());
  EXPECT_TRUE(ValidateVersionId(std::string(32, 'a')).ok());
  EXPECT_TRUE(ValidateVersionId(std::string(64, 'a')).ok());
  EXPECT_FALSE(ValidateVersionId(std::string(65, 'a')).ok());
  EXPECT_FALSE(ValidateSecretString("").ok());
  EXPECT_FALSE(ValidateSecretString(std::string(65537, 'x')).ok());
}

TEST(VaultTest, PutWithoutStagesMovesCurrentAndPrevious) {
  Secret secret = MakeSecret();
  Put(secret, 2);
  EXPECT_EQ(StagesOf(secret, 2), Stages{"AWSCURRENT"});
  EXPECT_EQ(StagesOf(secret, 1), Stages{"AWSPREVIOUS"});
  Put(secret, 3);
  EXPECT_EQ(StagesOf(secret, 3), Stages{"AWSCURRENT"});
  EXPECT_EQ(StagesOf(secret, 2), Stages{"AWSPREVIOUS"});
  EXPECT_EQ(StagesOf(secret, 1), Stages{}) << "AWSPREVIOUS is on one version only";
  EXPECT_EQ(secret.info.last_changed, At(103));
}

TEST(VaultTest, PutWithStagesMovesOnlyThose) {
  Secret secret = MakeSecret();
  Put(secret, 2, {"AWSPENDING"});
  EXPECT_EQ(StagesOf(secret, 1), Stages{"AWSCURRENT"});
  EXPECT_EQ(StagesOf(secret, 2), Stages{"AWSPENDING"});
  Put(secret, 3, {"BLUE"});
  Put(secret, 4, {"BLUE", "AWSCURRENT"});
  EXPECT_EQ(StagesOf(secret, 3), Stages{}) << "a label is on at most one version";
  EXPECT_EQ(StagesOf(secret, 4), (Stages{"BLUE", "AWSCURRENT"}));
  EXPECT_EQ(StagesOf(secret, 1), Stages{"AWSPREVIOUS"}) << "listing AWSCURRENT moves it too";
  EXPECT_EQ(StagesOf(secret, 2), Stages{"AWSPENDING"});
}

TEST(VaultTest, ClientRequestTokenIsIdempotent) {
  Secret secret = MakeSecret();
  Put(secret, 2);
  Result<PutOutcome> again = PutValue(secret, "value2", Id(2), {}, At(500));
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again->changed);
  EXPECT_EQ(secret.info.versions.size(), 2u);
  EXPECT_EQ(secret.info.last_changed, At(102));
  Result<PutOutcome> other = PutValue(secret, "different-value-9z", Id(2), {}, At(500));
  ASSERT_FALSE(other.ok());
  EXPECT_EQ(other.status().code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(other.status().message().rfind("ResourceExistsException", 0), 0u);
  EXPECT_EQ(other.status().message().find("different-value-9z"), std::string::npos) << "no values";
}

TEST(VaultTest, ResolveVersionByIdAndStage) {
  Secret secret = MakeSecret();
  Put(secret, 2);
  auto resolve = [&](std::optional<std::string> id, std::optional<std::string> stage) {
    return ResolveVersion(secret.info, id, stage);
  };
  EXPECT_EQ((*resolve(std::nullopt, std::nullopt))->version_id, Id(2));
  EXPECT_EQ((*resolve(std::nullopt, "AWSPREVIOUS"))->version_id, Id(1));
  EXPECT_EQ((*resolve(Id(1), std::nullopt))->version_id, Id(1));
  EXPECT_EQ((*resolve(Id(1), "AWSPREVIOUS"))->version_id, Id(1));
  Result<const VersionInfo*> disagree = resolve(Id(1), "AWSCURRENT");
  ASSERT_FALSE(disagree.ok());
  EXPECT_EQ(disagree.status().code(), StatusCode::kNotFound);
  EXPECT_FALSE(resolve(Id(9), std::nullopt).ok());
  Result<const VersionInfo*> no_stage = resolve(std::nullopt, "AWSPENDING");
  ASSERT_FALSE(no_stage.ok());
  EXPECT_NE(no_stage.status().message().find("ResourceNotFoundException"), std::string::npos);
}

TEST(VaultTest, UpdateVersionStageMovesWithRemoveFromChecks) {
  Secret secret = MakeSecret();
  Put(secret, 2, {"BLUE"});
  Put(secret, 3, {"GREEN"});
  // BLUE is on 2: moving it to 3 needs RemoveFromVersionId = 2.
  Status missing = UpdateVersionStage(secret, "BLUE", Id(3), std::nullopt, At(200));
  EXPECT_EQ(missing.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(missing.message().find(Id(2)), std::string::npos);
  Status wrong = UpdateVersionStage(secret, "BLUE", Id(3), Id(1), At(200));
  EXPECT_EQ(wrong.code(), StatusCode::kInvalidArgument);
  ASSERT_TRUE(UpdateVersionStage(secret, "BLUE", Id(3), Id(2), At(200)).ok());
  EXPECT_EQ(StagesOf(secret, 3), (Stages{"GREEN", "BLUE"}));
  EXPECT_EQ(StagesOf(secret, 2), Stages{});
  EXPECT_EQ(secret.info.last_changed, At(200));
  // Already there: a no-op. A new label needs no RemoveFrom.
  EXPECT_TRUE(UpdateVersionStage(secret, "BLUE", Id(3), std::nullopt, At(201)).ok());
  EXPECT_TRUE(UpdateVersionStage(secret, "RED", Id(1), std::nullopt, At(201)).ok());
  // Removing.
  ASSERT_TRUE(UpdateVersionStage(secret, "GREEN", std::nullopt, Id(3), At(202)).ok());
  EXPECT_EQ(StagesOf(secret, 3), Stages{"BLUE"});
  EXPECT_FALSE(UpdateVersionStage(secret, "GREEN", std::nullopt, Id(3), At(202)).ok());
  EXPECT_FALSE(UpdateVersionStage(secret, "GREEN", std::nullopt, std::nullopt, At(202)).ok());
  Status unknown = UpdateVersionStage(secret, "BLUE", Id(9), Id(3), At(202));
  EXPECT_EQ(unknown.code(), StatusCode::kNotFound);
}

TEST(VaultTest, AwsCurrentMovesWithPreviousAndCannotBeRemoved) {
  Secret secret = MakeSecret();
  Put(secret, 2, {"AWSPENDING"});
  Status removed = UpdateVersionStage(secret, "AWSCURRENT", std::nullopt, Id(1), At(200));
  ASSERT_FALSE(removed.ok());
  EXPECT_NE(removed.message().find("can't be completely removed"), std::string::npos);
  ASSERT_TRUE(UpdateVersionStage(secret, "AWSCURRENT", Id(2), Id(1), At(200)).ok());
  EXPECT_EQ(StagesOf(secret, 2), (Stages{"AWSPENDING", "AWSCURRENT"}));
  EXPECT_EQ(StagesOf(secret, 1), Stages{"AWSPREVIOUS"});
  // Back again (a rollback): AWSPREVIOUS follows.
  ASSERT_TRUE(UpdateVersionStage(secret, "AWSCURRENT", Id(1), Id(2), At(201)).ok());
  EXPECT_EQ(StagesOf(secret, 1), Stages{"AWSCURRENT"});
  EXPECT_EQ(StagesOf(secret, 2), (Stages{"AWSPENDING", "AWSPREVIOUS"}));
}

TEST(VaultTest, DeprecatedVersionsArePrunedOldestFirst) {
  Secret secret = MakeSecret();
  Put(secret, 2, {"KEEP"});
  for (int n = 3; n <= 105; ++n) Put(secret, n);
  EXPECT_EQ(secret.info.versions.size(), kMaxVersions);
  EXPECT_EQ(StagesOf(secret, 105), Stages{"AWSCURRENT"});
  EXPECT_EQ(StagesOf(secret, 104), Stages{"AWSPREVIOUS"});
  EXPECT_EQ(StagesOf(secret, 2), Stages{"KEEP"}) << "labelled versions are kept";
  EXPECT_EQ(secret.info.FindVersion(Id(1)), nullptr);
  EXPECT_EQ(secret.info.FindVersion(Id(6)), nullptr);
  EXPECT_NE(secret.info.FindVersion(Id(7)), nullptr);
  EXPECT_EQ(secret.values.count(Id(1)), 0u) << "its value goes with it";
  EXPECT_EQ(secret.values.size(), kMaxVersions);
}

TEST(VaultTest, DeleteWithRecoveryWindowAndRestore) {
  Secret secret = MakeSecret();
  EXPECT_FALSE(MarkForDeletion(secret.info, {6, false}, At(1000)).ok());
  EXPECT_FALSE(MarkForDeletion(secret.info, {31, false}, At(1000)).ok());
  Result<TimePoint> both = MarkForDeletion(secret.info, {7, true}, At(1000));
  ASSERT_FALSE(both.ok());
  EXPECT_NE(both.status().message().find("in conjunction with"), std::string::npos);
  Result<TimePoint> deletion = MarkForDeletion(secret.info, {}, At(1000));
  ASSERT_TRUE(deletion.ok());
  EXPECT_EQ(*deletion, At(1000) + std::chrono::days(30));
  EXPECT_EQ(secret.info.deleted_date, At(1000));

  Result<const VersionInfo*> read = ResolveVersion(secret.info, std::nullopt, std::nullopt);
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.status().message(),
            "InvalidRequestException: You can't perform this operation on the secret because it "
            "was marked for deletion.");
  EXPECT_FALSE(PutValue(secret, "x", Id(2), {}, At(1001)).ok());
  EXPECT_FALSE(UpdateVersionStage(secret, "X", Id(1), std::nullopt, At(1001)).ok());
  EXPECT_FALSE(RotateCreate(secret, Id(2), "x", At(1001)).ok());
  EXPECT_EQ(MarkForDeletion(secret.info, {}, At(1001)).status().code(),
            StatusCode::kFailedPrecondition);
  EXPECT_FALSE(DueForPurge(secret.info, *deletion - Seconds(1)));
  EXPECT_TRUE(DueForPurge(secret.info, *deletion));

  Restore(secret.info, At(2000));
  EXPECT_FALSE(secret.info.MarkedForDeletion());
  EXPECT_FALSE(secret.info.deleted_date);
  EXPECT_TRUE(ResolveVersion(secret.info, std::nullopt, std::nullopt).ok());
  EXPECT_FALSE(DueForPurge(secret.info, At(1'000'000'000)));

  Result<TimePoint> forced = MarkForDeletion(secret.info, {std::nullopt, true}, At(3000));
  ASSERT_TRUE(forced.ok());
  EXPECT_EQ(*forced, At(3000));
  EXPECT_TRUE(DueForPurge(secret.info, At(3000)));
}

TEST(VaultTest, LastAccessedIsADay) {
  Secret secret = MakeSecret();
  const TimePoint noon = TimePoint(std::chrono::days(20000)) + std::chrono::hours(12);
  EXPECT_TRUE(NoteAccess(secret.info, noon));
  EXPECT_EQ(secret.info.last_accessed, TimePoint(std::chrono::days(20000)));
  EXPECT_FALSE(NoteAccess(secret.info, noon + std::chrono::hours(1)));
  EXPECT_TRUE(NoteAccess(secret.info, noon + std::chrono::hours(12)));
}

TEST(VaultTest, RotationStepsInOrder) {
  Secret secret = MakeSecret(R"({"user":"app","password":"old"})");
  const std::string token = Id(2);
  EXPECT_FALSE(RotateSet(secret, token).ok()) << "createSecret has not run";
  Result<std::string> created = RotateCreate(secret, token, R"({"user":"app","password":"new"})",
                                             At(200));
  ASSERT_TRUE(created.ok()) << created.status().message();
  EXPECT_EQ(created->rfind("createSecret:", 0), 0u);
  EXPECT_EQ(StagesOf(secret, 2), Stages{"AWSPENDING"});
  EXPECT_EQ(StagesOf(secret, 1), Stages{"AWSCURRENT"});
  // createSecret again with the same token: the template keeps the pending version.
  EXPECT_TRUE(RotateCreate(secret, token, "ignored", At(201)).ok());
  Result<std::string> set = RotateSet(secret, token);
  ASSERT_TRUE(set.ok());
  EXPECT_NE(set->find("nothing to do"), std::string::npos);
  Result<std::string> tested = RotateTest(secret, token);
  ASSERT_TRUE(tested.ok()) << tested.status().message();
  Result<std::string> finished = RotateFinish(secret, token, At(300));
  ASSERT_TRUE(finished.ok()) << finished.status().message();
  EXPECT_EQ(StagesOf(secret, 2), Stages{"AWSCURRENT"});
  EXPECT_EQ(StagesOf(secret, 1), Stages{"AWSPREVIOUS"});
  EXPECT_EQ(secret.info.last_rotated, At(300));
  EXPECT_TRUE(RotateFinish(secret, token, At(301)).ok()) << "already AWSCURRENT: nothing to do";
  EXPECT_EQ(secret.info.last_rotated, At(300));
}

TEST(VaultTest, UnfinishedRotationBlocksAnotherOne) {
  Secret secret = MakeSecret();
  ASSERT_TRUE(RotateCreate(secret, Id(2), "next", At(200)).ok());
  Result<std::string> second = RotateCreate(secret, Id(3), "other", At(201));
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().message().rfind(
                "InvalidRequestException: A previous rotation isn't complete.", 0),
            0u);
  EXPECT_NE(second.status().message().find(Id(2)), std::string::npos);
  // AWSPENDING left on the AWSCURRENT version does not block.
  ASSERT_TRUE(UpdateVersionStage(secret, "AWSCURRENT", Id(2), Id(1), At(202)).ok());
  EXPECT_TRUE(RotateCreate(secret, Id(3), "other", At(203)).ok());
  EXPECT_EQ(StagesOf(secret, 3), Stages{"AWSPENDING"});
  EXPECT_EQ(StagesOf(secret, 2), Stages{"AWSCURRENT"});
}

TEST(VaultTest, TestSecretKeepsJsonObjectsJsonObjects) {
  Secret secret = MakeSecret(R"({"password":"old"})");
  ASSERT_TRUE(RotateCreate(secret, Id(2), "not json", At(200)).ok());
  Result<std::string> tested = RotateTest(secret, Id(2));
  ASSERT_FALSE(tested.ok());
  EXPECT_NE(tested.status().message().find("JSON object"), std::string::npos);
  EXPECT_EQ(tested.status().message().find("not json"), std::string::npos) << "no values";
  EXPECT_EQ(tested.status().message().find("old"), std::string::npos) << "no values";
  Secret plain = MakeSecret("plain");
  ASSERT_TRUE(RotateCreate(plain, Id(2), "also plain", At(200)).ok());
  EXPECT_TRUE(RotateTest(plain, Id(2)).ok());
}

}  // namespace
}  // namespace drydock::secrets
