#include "secrets/value_from.h"

#include <gtest/gtest.h>

namespace drydock::secrets {
namespace {

const std::string kArn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbC123";
const std::string kUuid = "9f1c3a52-7d4e-4b8a-9c2d-0e5f6a7b8c9d";

ValueFrom Parsed(const std::string& text) {
  Result<ValueFrom> parsed = ParseValueFrom(text);
  EXPECT_TRUE(parsed.ok()) << text << ": " << parsed.status().message();
  return parsed.ok() ? *parsed : ValueFrom{};
}

std::string ParseError(const std::string& text) {
  Result<ValueFrom> parsed = ParseValueFrom(text);
  EXPECT_FALSE(parsed.ok()) << text;
  return parsed.ok() ? "" : parsed.status().message();
}

TEST(ValueFromTest, ArnForms) {
  EXPECT_EQ(Parsed(kArn), (ValueFrom{kArn, true, std::nullopt, std::nullopt, std::nullopt}));
  EXPECT_EQ(Parsed(kArn + ":username::"),
            (ValueFrom{kArn, true, "username", std::nullopt, std::nullopt}));
  EXPECT_EQ(Parsed(kArn + ":username"),
            (ValueFrom{kArn, true, "username", std::nullopt, std::nullopt}));
  EXPECT_EQ(Parsed(kArn + "::AWSPREVIOUS:"),
            (ValueFrom{kArn, true, std::nullopt, "AWSPREVIOUS", std::nullopt}));
  EXPECT_EQ(Parsed(kArn + ":::" + kUuid), (ValueFrom{kArn, true, std::nullopt, std::nullopt, kUuid}));
  EXPECT_EQ(Parsed(kArn + ":username1:AWSPREVIOUS:"),
            (ValueFrom{kArn, true, "username1", "AWSPREVIOUS", std::nullopt}));
  EXPECT_EQ(Parsed(kArn + ":::"), (ValueFrom{kArn, true, std::nullopt, std::nullopt, std::nullopt}));
  EXPECT_TRUE(Parsed("arn:aws-cn:secretsmanager:cn-north-1:123456789012:secret:x-abcdef").is_arn);
}

TEST(ValueFromTest, LocalShorthandNamesTheSecret) {
  EXPECT_EQ(Parsed("prod/db"),
            (ValueFrom{"prod/db", false, std::nullopt, std::nullopt, std::nullopt}));
  EXPECT_EQ(Parsed("db:password::"),
            (ValueFrom{"db", false, "password", std::nullopt, std::nullopt}));
  EXPECT_EQ(Parsed("db:password"), (ValueFrom{"db", false, "password", std::nullopt, std::nullopt}));
  EXPECT_EQ(Parsed("db::AWSPENDING"),
            (ValueFrom{"db", false, std::nullopt, "AWSPENDING", std::nullopt}));
  EXPECT_EQ(Parsed("db:::" + kUuid), (ValueFrom{"db", false, std::nullopt, std::nullopt, kUuid}));
}

TEST(ValueFromTest, BadForms) {
  EXPECT_NE(ParseError(kArn + "::AWSPREVIOUS:" + kUuid).find("mutually exclusive"),
            std::string::npos);
  EXPECT_NE(ParseError("db::AWSCURRENT:" + kUuid).find("mutually exclusive"), std::string::npos);
  EXPECT_NE(ParseError(kArn + ":a:b:" + kUuid + ":extra").find("too many"), std::string::npos);
  EXPECT_NE(ParseError("db:a:b:" + kUuid + ":extra").find("too many"), std::string::npos);
  EXPECT_NE(ParseError("arn:aws:ssm:us-east-1:123456789012:parameter:x-abcdef").find("Secrets"),
            std::string::npos);
  EXPECT_NE(ParseError("arn:aws:secretsmanager:us-east-1:1234:secret:x-abcdef").find("12 digits"),
            std::string::npos);
  EXPECT_NE(ParseError("arn:aws:secretsmanager:us-east-1:123456789012:secret:db").find("suffix"),
            std::string::npos);
  EXPECT_NE(ParseError("arn:aws:secretsmanager::123456789012:secret:x-abcdef").find("region"),
            std::string::npos);
  EXPECT_NE(ParseError("arn:aws:secretsmanager:us-east-1").find("expected"), std::string::npos);
  EXPECT_NE(ParseError("arn:other:secretsmanager:r:123456789012:secret:x-abcdef").find("partition"),
            std::string::npos);
  ParseError("");
  ParseError("bad name:key");
  ParseError(":key");
  ParseError("db:::too-short");
  ParseError("db::has space:");
}

TEST(ValueFromTest, SelectWholeValueOrAJsonKey) {
  const std::string json = R"({"username":"app","password":"s3cr3t","port":5432,"tls":{"on":true}})";
  EXPECT_EQ(*SelectValue(Parsed("db"), json), json);
  EXPECT_EQ(*SelectValue(Parsed("db"), "plain text"), "plain text");
  EXPECT_EQ(*SelectValue(Parsed("db:password"), json), "s3cr3t");
  EXPECT_EQ(*SelectValue(Parsed("db:port"), json), "5432");
  EXPECT_EQ(*SelectValue(Parsed("db:tls"), json), R"({"on":true})");
}

TEST(ValueFromTest, SelectErrorsNameTheKeyButNeverTheValue) {
  const std::string json = R"({"username":"app","password":"s3cr3t"})";
  Result<std::string> missing = SelectValue(Parsed("db:token"), json);
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("'token'"), std::string::npos);
  EXPECT_EQ(missing.status().message().find("s3cr3t"), std::string::npos);
  EXPECT_EQ(missing.status().message().find("username"), std::string::npos);
  for (const std::string& not_object : {std::string("s3cr3t"), std::string("[\"s3cr3t\"]"),
                                        std::string("\"s3cr3t\""), std::string("{bad s3cr3t")}) {
    Result<std::string> selected = SelectValue(Parsed("db:password"), not_object);
    ASSERT_FALSE(selected.ok()) << not_object;
    EXPECT_NE(selected.status().message().find("not a JSON object"), std::string::npos);
    EXPECT_EQ(selected.status().message().find("s3cr3t"), std::string::npos);
  }
}

TEST(ValueFromTest, SetJsonKeyKeepsOrderAndRefusesNonObjects) {
  EXPECT_EQ(*SetJsonKey(R"({"b":"1","a":"2"})", "c", "3"), R"({"b":"1","a":"2","c":"3"})");
  EXPECT_EQ(*SetJsonKey(R"({"b":"1","a":"2"})", "b", "x"), R"({"b":"x","a":"2"})");
  EXPECT_EQ(*SetJsonKey("{}", "k", "quote\"d"), R"({"k":"quote\"d"})");
  Result<std::string> refused = SetJsonKey("s3cr3t", "k", "v");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().message().find("s3cr3t"), std::string::npos);
  EXPECT_FALSE(SetJsonKey("{}", "k", "\xff").ok()) << "not UTF-8";
  EXPECT_TRUE(IsJsonObject(R"({"a":1})"));
  EXPECT_FALSE(IsJsonObject("[1]"));
  EXPECT_FALSE(IsJsonObject("{"));
}

}  // namespace
}  // namespace drydock::secrets
