#include "iam/evaluate.h"

#include <gtest/gtest.h>

namespace drydock::iam {
namespace {

const std::string kPrincipal =
    "arn:aws:sts::000000000000:assumed-role/main-api-execution/0123456789abcdef";
const std::string kApiSecret = "arn:aws:secretsmanager:eu-west-1:000000000000:secret:main/api-AbCdEf";
const std::string kWebSecret = "arn:aws:secretsmanager:eu-west-1:000000000000:secret:main/web-GhIjKl";
constexpr char kGet[] = "secretsmanager:GetSecretValue";

AttachedPolicy Policy(const std::string& arn, const std::string& json) {
  Result<PolicyDocument> document = ParsePolicyDocument(json);
  EXPECT_TRUE(document.ok()) << document.status().message();
  return {arn, document.ok() ? *document : PolicyDocument{}};
}

AttachedPolicy AllowApiSecret() {
  return Policy("arn:aws:iam::000000000000:policy/main-api-secrets",
                R"({"Version": "2012-10-17", "Statement": {"Sid": "ReadOwnSecret", "Effect": "Allow",
                    "Action": "secretsmanager:GetSecretValue", "Resource": ")" +
                    kApiSecret + R"("}})");
}

TEST(EvaluateTest, AllowsWhatAStatementAllows) {
  Decision d = Evaluate({AllowApiSecret()}, {kPrincipal, kGet, kApiSecret});
  EXPECT_TRUE(d.allowed());
  EXPECT_EQ(EvalDecisionName(d.decision), "allowed");
  ASSERT_EQ(d.matched.size(), 1u);
  EXPECT_EQ(d.matched[0].sid, "ReadOwnSecret");
  EXPECT_EQ(d.matched[0].policy_arn, "arn:aws:iam::000000000000:policy/main-api-secrets");
  EXPECT_EQ(d.message, "");
}

TEST(EvaluateTest, ImplicitDenyWithAwsMessage) {
  Decision d = Evaluate({AllowApiSecret()}, {kPrincipal, kGet, kWebSecret});
  EXPECT_EQ(d.decision, EvalDecision::kImplicitDeny);
  EXPECT_TRUE(d.matched.empty());
  EXPECT_EQ(d.message, "User: " + kPrincipal +
                           " is not authorized to perform: secretsmanager:GetSecretValue on "
                           "resource: " + kWebSecret +
                           " because no identity-based policy allows the "
                           "secretsmanager:GetSecretValue action");
  EXPECT_EQ(Evaluate({}, {kPrincipal, kGet, kApiSecret}).decision, EvalDecision::kImplicitDeny);
}

TEST(EvaluateTest, ExplicitDenyBeatsAllow) {
  AttachedPolicy deny = Policy("arn:aws:iam::000000000000:policy/deny-secrets",
                               R"({"Version": "2012-10-17", "Statement": {"Sid": "NoSecrets",
                                   "Effect": "Deny", "Action": "secretsmanager:*", "Resource": "*"}})");
  for (const auto& order : {std::vector<AttachedPolicy>{AllowApiSecret(), deny},
                            std::vector<AttachedPolicy>{deny, AllowApiSecret()}}) {
    Decision d = Evaluate(order, {kPrincipal, kGet, kApiSecret});
    EXPECT_EQ(d.decision, EvalDecision::kExplicitDeny);
    ASSERT_EQ(d.matched.size(), 1u);
    EXPECT_EQ(d.matched[0].sid, "NoSecrets");
    EXPECT_EQ(d.message, "User: " + kPrincipal +
                             " is not authorized to perform: secretsmanager:GetSecretValue on "
                             "resource: " + kApiSecret +
                             " with an explicit deny in an identity-based policy");
  }
}

TEST(EvaluateTest, NotActionAndNotResource) {
  AttachedPolicy all_but_iam = Policy("arn:p", R"({"Version": "2012-10-17", "Statement":
      {"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}})");
  EXPECT_TRUE(Evaluate({all_but_iam}, {kPrincipal, kGet, kApiSecret}).allowed());
  EXPECT_FALSE(Evaluate({all_but_iam}, {kPrincipal, "iam:CreateRole", "*"}).allowed());
  AttachedPolicy except_web = Policy("arn:p", R"({"Version": "2012-10-17", "Statement":
      {"Effect": "Allow", "Action": "secretsmanager:GetSecretValue", "NotResource": ")" +
                                                  kWebSecret + R"("}})");
  EXPECT_TRUE(Evaluate({except_web}, {kPrincipal, kGet, kApiSecret}).allowed());
  EXPECT_FALSE(Evaluate({except_web}, {kPrincipal, kGet, kWebSecret}).allowed());
  // A Deny with NotResource denies everything else.
  AttachedPolicy deny_others = Policy("arn:d", R"({"Version": "2012-10-17", "Statement":
      {"Effect": "Deny", "Action": "*", "NotResource": ")" + kApiSecret + R"("}})");
  EXPECT_EQ(Evaluate({all_but_iam, deny_others}, {kPrincipal, kGet, kWebSecret}).decision,
            EvalDecision::kExplicitDeny);
  EXPECT_TRUE(Evaluate({all_but_iam, deny_others}, {kPrincipal, kGet, kApiSecret}).allowed());
}

TEST(EvaluateTest, ActionsIgnoreCaseResourcesDoNot) {
  EXPECT_TRUE(Evaluate({AllowApiSecret()}, {kPrincipal, "SecretsManager:getSecretValue", kApiSecret})
                  .allowed());
  std::string upper = kApiSecret;
  upper.back() = 'F';
  EXPECT_FALSE(Evaluate({AllowApiSecret()}, {kPrincipal, kGet, upper}).allowed());
}

TEST(EvaluateTest, AssumedRoleArn) {
  EXPECT_EQ(AssumedRoleArn("000000000000", "main-api-execution", "0123456789abcdef"), kPrincipal);
}

}  // namespace
}  // namespace drydock::iam
