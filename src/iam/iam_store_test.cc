#include "iam/iam_store.h"

#include <sys/stat.h>

#include <gtest/gtest.h>

#include "state/sqlite/store_test_util.h"

namespace drydock::iam {
namespace {

using state::store_testing::At;
using state::store_testing::TempDir;

const std::string kApiVaultArn = "arn:aws:secretsmanager:eu-west-1:000000000000:secret:main/api-AbCdEf";
const std::string kNginxSecret =
    "arn:aws:secretsmanager:eu-west-1:000000000000:secret:main/nginx-GhIjKl";
constexpr char kGetSecretValue[] = "secretsmanager:GetSecretValue";
const std::string kDoc = R"({"Version": "2012-10-17", "Statement": {"Effect": "Allow",
    "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket/*"}})";

std::unique_ptr<IamStore> OpenOrDie(const std::string& path) {
  Result<std::unique_ptr<IamStore>> store = IamStore::Open(path);
  EXPECT_TRUE(store.ok()) << store.status().message();
  return store.ok() ? std::move(*store) : nullptr;
}

class IamStoreTest : public ::testing::Test {
 protected:
  std::string Path() const { return dir_.Join("iam.db"); }
  TempDir dir_;
};

TEST_F(IamStoreTest, FileIsPrivateAndStatePersists) {
  {
    auto store = OpenOrDie(Path());
    ASSERT_TRUE(store);
    ASSERT_TRUE(store->EnsureRole("app", "ecs-tasks.amazonaws.com", At(1000)).ok());
    Result<ManagedPolicy> policy = store->EnsurePolicy("read-bucket", kDoc, At(2000));
    ASSERT_TRUE(policy.ok()) << policy.status().message();
    EXPECT_EQ(policy->arn, "arn:aws:iam::000000000000:policy/read-bucket");
    ASSERT_TRUE(store->AttachRolePolicy("app", policy->arn).ok());
  }
  struct stat info {};
  ASSERT_EQ(stat(Path().c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  auto store = OpenOrDie(Path());
  Result<RoleDetail> role = store->GetRole("app");
  ASSERT_TRUE(role.ok()) << role.status().message();
  EXPECT_EQ(role->role.arn, "arn:aws:iam::000000000000:role/app");
  EXPECT_EQ(role->role.trust_principal, "ecs-tasks.amazonaws.com");
  EXPECT_EQ(role->role.create_date, At(1000));
  ASSERT_EQ(role->attached.size(), 1u);
  EXPECT_EQ(role->attached[0].name, "read-bucket");
  EXPECT_EQ(role->attached[0].attachment_count, 1);
  EXPECT_TRUE(store->Authorize("app", "s", "s3:GetObject", "arn:aws:s3:::bucket/key")->allowed());
}

TEST_F(IamStoreTest, EnsurePolicyReplacesAChangedDocumentWithANewVersion) {
  auto store = OpenOrDie(":memory:");
  ASSERT_TRUE(store->EnsurePolicy("p", kDoc, At(1)).ok());
  Result<ManagedPolicy> same = store->EnsurePolicy("p", kDoc, At(2));
  ASSERT_TRUE(same.ok());
  EXPECT_EQ(same->default_version, "v1");
  EXPECT_EQ(same->update_date, At(1));
  std::string changed = kDoc;
  changed.replace(changed.find("GetObject"), 9, "PutObject");
  Result<ManagedPolicy> updated = store->EnsurePolicy("p", changed, At(3));
  ASSERT_TRUE(updated.ok());
  EXPECT_EQ(updated->default_version, "v2");
  EXPECT_EQ(updated->update_date, At(3));
  EXPECT_NE(updated->document_json.find("s3:PutObject"), std::string::npos);
  Result<ManagedPolicy> bad = store->EnsurePolicy("q", R"({"Statement": 1})", At(4));
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
}

TEST_F(IamStoreTest, NoSuchEntityInAwsWords) {
  auto store = OpenOrDie(":memory:");
  ASSERT_TRUE(store->EnsureRole("app", "ecs-tasks.amazonaws.com", At(1)).ok());
  Status missing_role = store->AttachRolePolicy("nope", std::string(kTaskExecutionPolicyArn));
  EXPECT_EQ(missing_role.code(), StatusCode::kNotFound);
  EXPECT_EQ(missing_role.message(), "NoSuchEntity: The role with name nope cannot be found.");
  Status missing_policy = store->AttachRolePolicy("app", "arn:aws:iam::000000000000:policy/x");
  EXPECT_EQ(missing_policy.message(),
            "NoSuchEntity: Policy arn:aws:iam::000000000000:policy/x does not exist or is not "
            "attachable.");
  Status not_attached = store->DetachRolePolicy("app", std::string(kTaskExecutionPolicyArn));
  EXPECT_EQ(not_attached.code(), StatusCode::kNotFound);
  EXPECT_EQ(not_attached.message(), "NoSuchEntity: Policy " + std::string(kTaskExecutionPolicyArn) +
                                        " was not found.");
  EXPECT_EQ(store->GetRole("nope").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store->Authorize("nope", "s", kGetSecretValue, kApiVaultArn).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store->ResolvePolicyArn("nope").status().code(), StatusCode::kNotFound);
}

TEST_F(IamStoreTest, AttachIsIdempotentAndBoundedDetachRemoves) {
  auto store = OpenOrDie(":memory:");
  ASSERT_TRUE(store->EnsureRole("app", "ecs-tasks.amazonaws.com", At(1)).ok());
  const std::string arn(kTaskExecutionPolicyArn);
  ASSERT_TRUE(store->AttachRolePolicy("app", arn).ok());
  ASSERT_TRUE(store->AttachRolePolicy("arn:aws:iam::000000000000:role/app", arn).ok());
  EXPECT_EQ(store->GetRole("app")->role.attached_policy_arns, std::vector<std::string>{arn});
  for (int i = 0; i < 9; ++i) {
    Result<ManagedPolicy> p = store->EnsurePolicy("p" + std::to_string(i), kDoc, At(1));
    ASSERT_TRUE(p.ok());
    ASSERT_TRUE(store->AttachRolePolicy("app", p->arn).ok());
  }
  Result<ManagedPolicy> eleventh = store->EnsurePolicy("p10", kDoc, At(1));
  Status limit = store->AttachRolePolicy("app", eleventh->arn);
  EXPECT_EQ(limit.message(), "LimitExceeded: Cannot exceed quota for PoliciesPerRole: 10");
  ASSERT_TRUE(store->DetachRolePolicy("app", arn).ok());
  EXPECT_EQ(store->GetRole("app")->role.attached_policy_arns.size(), 9u);
}

TEST_F(IamStoreTest, ResolvesPolicyNamesAndRoleArns) {
  auto store = OpenOrDie(":memory:");
  ASSERT_TRUE(store->EnsurePolicy("mine", kDoc, At(1)).ok());
  EXPECT_EQ(*store->ResolvePolicyArn("mine"), "arn:aws:iam::000000000000:policy/mine");
  EXPECT_EQ(*store->ResolvePolicyArn("AmazonECSTaskExecutionRolePolicy"),
            std::string(kTaskExecutionPolicyArn));
  EXPECT_EQ(*store->ResolvePolicyArn(std::string(kTaskExecutionPolicyArn)),
            std::string(kTaskExecutionPolicyArn));
  Result<std::vector<ManagedPolicy>> all = store->ListPolicies();
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 2u);
  EXPECT_TRUE(all->at(1).aws_managed);
  EXPECT_EQ(store->GetRole("arn:aws:iam::111111111111:role/app").status().code(),
            StatusCode::kNotFound);
}

TEST_F(IamStoreTest, TwoStoresInterleave) {
  auto control_plane = OpenOrDie(Path());
  auto cli = OpenOrDie(Path());
  Result<std::string> role =
      control_plane->EnsureServiceExecutionRole("main", "api", kApiVaultArn, At(1));
  ASSERT_TRUE(role.ok()) << role.status().message();
  EXPECT_TRUE(control_plane->Authorize(*role, "task1", kGetSecretValue, kApiVaultArn)->allowed());
  // The user detaches the secrets policy with the CLI while the control plane runs.
  ASSERT_TRUE(cli->DetachRolePolicy("main-api-execution",
                                    "arn:aws:iam::000000000000:policy/main-api-secrets")
                  .ok());
  Result<Decision> denied = control_plane->Authorize(*role, "task2", kGetSecretValue, kApiVaultArn);
  ASSERT_TRUE(denied.ok());
  EXPECT_EQ(denied->decision, EvalDecision::kImplicitDeny);
  EXPECT_EQ(denied->message,
            "User: arn:aws:sts::000000000000:assumed-role/main-api-execution/task2 is not "
            "authorized to perform: secretsmanager:GetSecretValue on resource: " + kApiVaultArn +
            " because no identity-based policy allows the secretsmanager:GetSecretValue action");
  ASSERT_TRUE(cli->AttachRolePolicy("main-api-execution", "arn:aws:iam::000000000000:policy/main-api-secrets").ok());
  EXPECT_TRUE(control_plane->Authorize("main-api-execution", "task3", kGetSecretValue, kApiVaultArn)->allowed());
  EXPECT_EQ(cli->ListRoles()->size(), 1u);
}

TEST_F(IamStoreTest, ServiceExecutionRoleReadsOnlyItsOwnSecret) {
  auto store = OpenOrDie(":memory:");
  Result<std::string> api = store->EnsureServiceExecutionRole("main", "api", kApiVaultArn, At(1));
  Result<std::string> nginx =
      store->EnsureServiceExecutionRole("main", "nginx", kNginxSecret, At(1));
  ASSERT_TRUE(api.ok() && nginx.ok());
  EXPECT_EQ(*api, "arn:aws:iam::000000000000:role/main-api-execution");
  Result<RoleDetail> detail = store->GetRole("main-api-execution");
  ASSERT_TRUE(detail.ok());
  EXPECT_EQ(detail->role.trust_principal, "ecs-tasks.amazonaws.com");
  EXPECT_EQ(detail->role.attached_policy_arns,
            (std::vector<std::string>{"arn:aws:iam::000000000000:policy/main-api-secrets",
                                      std::string(kTaskExecutionPolicyArn)}));
  EXPECT_TRUE(store->Authorize(*api, "t", kGetSecretValue, kApiVaultArn)->allowed());
  EXPECT_FALSE(store->Authorize(*api, "t", kGetSecretValue, kNginxSecret)->allowed());
  EXPECT_TRUE(store->Authorize(*nginx, "t", kGetSecretValue, kNginxSecret)->allowed());
  EXPECT_TRUE(store->Authorize(*api, "t", "ecr:BatchGetImage", "*")->allowed());
  EXPECT_FALSE(store->Authorize(*api, "t", "secretsmanager:PutSecretValue", kApiVaultArn)->allowed());
}

TEST_F(IamStoreTest, ApplyingAgainReattachesAndFollowsTheSecret) {
  auto store = OpenOrDie(":memory:");
  ASSERT_TRUE(store->EnsureServiceExecutionRole("main", "api", kApiVaultArn, At(1)).ok());
  ASSERT_TRUE(store->DetachRolePolicy("main-api-execution",
                                      "arn:aws:iam::000000000000:policy/main-api-secrets").ok());
  ASSERT_TRUE(store->DetachRolePolicy("main-api-execution", std::string(kTaskExecutionPolicyArn)).ok());
  EXPECT_FALSE(store->Authorize("main-api-execution", "t", kGetSecretValue, kApiVaultArn)->allowed());
  ASSERT_TRUE(store->EnsureServiceExecutionRole("main", "api", kApiVaultArn, At(2)).ok());
  EXPECT_TRUE(store->Authorize("main-api-execution", "t", kGetSecretValue, kApiVaultArn)->allowed());
  EXPECT_EQ(store->GetRole("main-api-execution")->attached.size(), 2u);
  // A new secret ARN: the policy follows it (a new version).
  const std::string moved = kApiVaultArn + "x";
  ASSERT_TRUE(store->EnsureServiceExecutionRole("main", "api", moved, At(3)).ok());
  EXPECT_TRUE(store->Authorize("main-api-execution", "t", kGetSecretValue, moved)->allowed());
  EXPECT_FALSE(store->Authorize("main-api-execution", "t", kGetSecretValue, kApiVaultArn)->allowed());
  // Names IAM would refuse.
  EXPECT_EQ(store->EnsureServiceExecutionRole("main", std::string(60, 'a'), kApiVaultArn, At(4))
                .status()
                .code(),
            StatusCode::kInvalidArgument);
}

TEST(IamNamesTest, CheckIamName) {
  EXPECT_TRUE(CheckIamName("main-api_execution.+=,@", 64, "role").ok());
  EXPECT_FALSE(CheckIamName("", 64, "role").ok());
  EXPECT_FALSE(CheckIamName("a/b", 64, "role").ok());
  EXPECT_FALSE(CheckIamName(std::string(65, 'a'), 64, "role").ok());
}

TEST(IamTrustTest, TrustPolicyNamesTheService) {
  EXPECT_EQ(TrustPolicyJson("ecs-tasks.amazonaws.com"),
            R"({"Statement":[{"Action":"sts:AssumeRole","Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"}}],"Version":"2012-10-17"})");
}

}  // namespace
}  // namespace drydock::iam
