#include "iam/policy.h"

#include <gtest/gtest.h>

namespace drydock::iam {
namespace {

std::string ErrorOf(std::string_view text) {
  Result<PolicyDocument> parsed = ParsePolicyDocument(text);
  EXPECT_FALSE(parsed.ok()) << text;
  return parsed.ok() ? std::string() : parsed.status().message();
}

bool Has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(PolicyParseTest, ReadsSingleStatementAndStrings) {
  Result<PolicyDocument> parsed = ParsePolicyDocument(R"({
    "Version": "2012-10-17",
    "Statement": {"Sid": "Read", "Effect": "Allow", "Action": "secretsmanager:GetSecretValue",
                  "Resource": "arn:aws:secretsmanager:eu-west-1:000000000000:secret:api-AbCdEf"}})");
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  ASSERT_EQ(parsed->statements.size(), 1u);
  const Statement& s = parsed->statements[0];
  EXPECT_EQ(s.sid, "Read");
  EXPECT_EQ(s.effect, Effect::kAllow);
  EXPECT_FALSE(s.not_action);
  EXPECT_EQ(s.actions, std::vector<std::string>{"secretsmanager:GetSecretValue"});
  EXPECT_EQ(s.resources.size(), 1u);
}

TEST(PolicyParseTest, ReadsListsNotElementsAndRoundTrips) {
  Result<PolicyDocument> parsed = ParsePolicyDocument(R"({
    "Version": "2012-10-17", "Id": "demo",
    "Statement": [
      {"Effect": "Allow", "Action": ["ecr:*", "logs:Put?ogEvents"], "Resource": "*"},
      {"Effect": "Deny", "NotAction": "s3:*", "NotResource": ["arn:aws:s3:::a", "arn:aws:s3:::b"]}]})");
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  ASSERT_EQ(parsed->statements.size(), 2u);
  EXPECT_EQ(parsed->id, "demo");
  EXPECT_TRUE(parsed->statements[1].not_action);
  EXPECT_TRUE(parsed->statements[1].not_resource);
  EXPECT_EQ(parsed->statements[1].effect, Effect::kDeny);
  Result<PolicyDocument> again = ParsePolicyDocument(ToJson(*parsed));
  ASSERT_TRUE(again.ok()) << again.status().message();
  EXPECT_EQ(*again, *parsed);
}

TEST(PolicyParseTest, VersionDefaultsToTheOldOne) {
  Result<PolicyDocument> parsed =
      ParsePolicyDocument(R"({"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}})");
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->version, "2008-10-17");
}

TEST(PolicyParseTest, RefusesWithTheBadElementNamed) {
  EXPECT_TRUE(Has(ErrorOf("{"), "not valid JSON"));
  EXPECT_TRUE(Has(ErrorOf("[]"), "must be a JSON object"));
  EXPECT_TRUE(Has(ErrorOf(R"({"Version": "2012-10-17"})"), "needs a Statement"));
  EXPECT_TRUE(Has(ErrorOf(R"({"Version": "2020-01-01", "Statement": []})"), "Version must be"));
  EXPECT_TRUE(Has(ErrorOf(R"({"Statement": []})"), "non-empty list"));
  EXPECT_TRUE(Has(ErrorOf(R"({"Statement": {}, "Extra": 1})"), "unknown top-level element \"Extra\""));
  EXPECT_TRUE(Has(ErrorOf(R"({"Statement": [{"Action": "*", "Resource": "*"}]})"),
                  "Statement[0] needs an Effect"));
  EXPECT_TRUE(Has(ErrorOf(R"({"Statement": {"Effect": "allow", "Action": "*", "Resource": "*"}})"),
                  "Statement.Effect must be \"Allow\" or \"Deny\", not \"allow\""));
  EXPECT_TRUE(Has(ErrorOf(R"({"Statement": {"Effect": "Allow", "Resource": "*"}})"),
                  "needs Action or NotAction"));
  EXPECT_TRUE(Has(ErrorOf(R"({"Statement": {"Effect": "Allow", "Action": "*", "NotAction": "*",
                                             "Resource": "*"}})"),
                  "both Action and NotAction"));
  EXPECT_TRUE(Has(ErrorOf(R"({"Statement": {"Effect": "Allow", "Action": "*"}})"),
                  "needs Resource or NotResource"));
  EXPECT_TRUE(Has(ErrorOf(R"({"Statement": {"Effect": "Allow", "Action": "GetSecretValue",
                                             "Resource": "*"}})"),
                  "Statement.Action \"GetSecretValue\" is not an action"));
  EXPECT_TRUE(Has(ErrorOf(R"({"Statement": {"Effect": "Allow", "Action": ["s3:Get", 3],
                                             "Resource": "*"}})"),
                  "Statement.Action[1] must be a string"));
  EXPECT_TRUE(Has(ErrorOf(R"({"Statement": {"Effect": "Allow", "Action": "*", "Resource": "bucket"}})"),
                  "must be in ARN format"));
  EXPECT_TRUE(Has(ErrorOf(R"({"Statement": {"Effect": "Allow", "Action": [], "Resource": "*"}})"),
                  "non-empty list of strings"));
  EXPECT_TRUE(Has(ErrorOf(R"({"Statement": {"Effect": "Allow", "Effect": "Deny", "Action": "*",
                                             "Resource": "*"}})"),
                  "\"Effect\" appears twice"));
  EXPECT_TRUE(Has(ErrorOf(R"({"Statement": [{"Sid": "A", "Effect": "Allow", "Action": "*", "Resource": "*"},
                                            {"Sid": "A", "Effect": "Deny", "Action": "*", "Resource": "*"}]})"),
                  "Sid \"A\" is used by two statements"));
  EXPECT_TRUE(Has(ErrorOf(R"({"Statement": {"Sid": "a b", "Effect": "Allow", "Action": "*",
                                             "Resource": "*"}})"),
                  "letters and digits"));
  EXPECT_TRUE(Has(ErrorOf(R"({"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*",
                                             "Actions": "*"}})"),
                  "unknown element \"Actions\""));
}

TEST(PolicyParseTest, RefusesConditionAndPrincipalClearly) {
  EXPECT_TRUE(Has(ErrorOf(R"({"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*",
      "Condition": {"Bool": {"aws:SecureTransport": "true"}}}})"),
                  "conditions are not modelled"));
  EXPECT_TRUE(Has(ErrorOf(R"({"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*",
      "Principal": "*"}})"),
                  "identity-based policy may not name a principal"));
}

TEST(WildcardMatchTest, StarQuestionMarkAndLiterals) {
  EXPECT_TRUE(WildcardMatch("*", "", false));
  EXPECT_TRUE(WildcardMatch("*", "anything", false));
  EXPECT_TRUE(WildcardMatch("ecr:*", "ecr:BatchGetImage", false));
  EXPECT_FALSE(WildcardMatch("ecr:*", "logs:PutLogEvents", false));
  EXPECT_TRUE(WildcardMatch("ecr:Batch*Image", "ecr:BatchGetImage", false));
  EXPECT_TRUE(WildcardMatch("logs:Put?ogEvents", "logs:PutLogEvents", false));
  EXPECT_FALSE(WildcardMatch("logs:Put?ogEvents", "logs:PutogEvents", false));
  EXPECT_TRUE(WildcardMatch("a*b*c", "aXXbYYc", false));
  EXPECT_FALSE(WildcardMatch("a*b*c", "aXXbYY", false));
  EXPECT_TRUE(WildcardMatch("*secret:api-*", "arn:aws:secretsmanager:r:1:secret:api-AbCdEf", false));
  EXPECT_FALSE(WildcardMatch("exact", "exactly", false));
  EXPECT_TRUE(WildcardMatch("a**", "a", false));
}

TEST(WildcardMatchTest, CaseRules) {
  EXPECT_TRUE(WildcardMatch("SecretsManager:getsecretvalue", "secretsmanager:GetSecretValue", true));
  EXPECT_FALSE(WildcardMatch("arn:aws:s3:::Bucket", "arn:aws:s3:::bucket", false));
}

TEST(WildcardMatchTest, PathologicalPatternStaysFast) {
  const std::string text(4000, 'a');
  std::string pattern;
  for (int i = 0; i < 200; ++i) pattern += "*a";
  pattern += "b";
  EXPECT_FALSE(WildcardMatch(pattern, text, false));
}

TEST(PolicyLengthTest, CountsWithoutWhitespaceOutsideStrings) {
  EXPECT_EQ(PolicyLengthWithoutWhitespace(R"({ "a b" : 1 })"), 9u);
}

}  // namespace
}  // namespace drydock::iam
