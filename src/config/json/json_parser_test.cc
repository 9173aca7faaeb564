#include "config/json/json_parser.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

namespace drydock::config {
namespace {

std::string ParsedJson(std::string_view text) {
  Document document;
  Diagnostics diagnostics = ParseJson(text, "t.tfvars.json", &document);
  EXPECT_TRUE(diagnostics.empty()) << FormatDiagnostic(diagnostics.at(0), false);
  return ToJson(document.root);
}

std::string Located(const Diagnostic& d) {
  return std::to_string(d.pos.line) + ":" + std::to_string(d.pos.column) + ": " + d.message;
}

Diagnostic ExpectJsonError(std::string_view text, int line, int column, std::string_view fragment) {
  Document document;
  Diagnostics diagnostics = ParseJson(text, "t.tfvars.json", &document);
  EXPECT_EQ(diagnostics.size(), 1u) << "input: " << text;
  if (diagnostics.empty()) return {};
  const Diagnostic& d = diagnostics[0];
  EXPECT_EQ(d.pos.line, line) << Located(d);
  EXPECT_EQ(d.pos.column, column) << Located(d);
  EXPECT_NE(d.message.find(fragment), std::string::npos) << Located(d);
  EXPECT_EQ(d.file, "t.tfvars.json");
  EXPECT_EQ(d.rule, "syntax");
  return d;
}

TEST(JsonParserTest, ObjectsKeepSourceOrder) {
  EXPECT_EQ(ParsedJson(R"({"b": 1, "a": 2})"), R"({"b":1,"a":2})");
  EXPECT_EQ(ParsedJson(" \t\r\n{}\n"), "{}");
}

TEST(JsonParserTest, SetsTheDocumentFile) {
  Document document;
  ASSERT_TRUE(ParseJson("{}", "x.json", &document).empty());
  EXPECT_EQ(document.file, "x.json");
}

TEST(JsonParserTest, AllValueKinds) {
  EXPECT_EQ(ParsedJson(R"({"s": "x", "n": 1.5, "t": true, "f": false, "z": null, "l": [1, [], {}],
                    "o": {"k": [null]}})"),
            R"({"s":"x","n":1.5,"t":true,"f":false,"z":null,"l":[1,[],{}],"o":{"k":[null]}})");
}

TEST(JsonParserTest, Numbers) {
  EXPECT_EQ(ParsedJson(R"({"a": 0, "b": -0.5, "c": 1e3, "d": 1.5E-2, "e": -12, "f": 2e+2})"),
            R"({"a":0,"b":-0.5,"c":1000,"d":0.014999999999999999,"e":-12,"f":200})");
  EXPECT_EQ(ParsedJson(R"({"a": 0e-9999, "b": 5e-324})"), R"({"a":0,"b":4.9406564584124654e-324})");
}

TEST(JsonParserTest, StringEscapes) {
  EXPECT_EQ(ParsedJson(R"({"a": "\" \\ \/ \b \f \n \r \t"})"), R"({"a":"\" \\ / \u0008 \u000c \n \r \t"})");
  EXPECT_EQ(ParsedJson(R"({"a": "\u00e9\u00C9 \ud83d\ude00 \u0000"})"), "{\"a\":\"éÉ 😀 \\u0000\"}");
  EXPECT_EQ(ParsedJson("{\"a\": \"raw é ${x}\"}"), "{\"a\":\"raw é ${x}\"}");
}

TEST(JsonParserTest, ByteOrderMarkIsSkipped) {
  EXPECT_EQ(ParsedJson("\xEF\xBB\xBF{\"a\": 1}"), R"({"a":1})");
}

TEST(JsonParserTest, Positions) {
  Document document;
  ASSERT_TRUE(ParseJson("{\n  \"svc\": {\n    \"ports\": [80, -443]\n  }\n}\n", "t.json", &document)
                  .empty());
  EXPECT_EQ(document.root.range().begin.line, 1);
  EXPECT_EQ(document.root.range().end.line, 5);
  const ObjectEntry& svc = document.root.entries()[0];
  EXPECT_EQ(svc.key_range.begin.line, 2);
  EXPECT_EQ(svc.key_range.begin.column, 3);
  EXPECT_EQ(svc.key_range.end.column, 8);
  EXPECT_EQ(svc.value->range().begin.column, 10);
  const ObjectEntry& ports = svc.value->entries()[0];
  EXPECT_EQ(ports.key_range.begin.line, 3);
  EXPECT_EQ(ports.key_range.begin.column, 5);
  const Value& negative = ports.value->items()[1];
  EXPECT_EQ(negative.range().begin.line, 3);
  EXPECT_EQ(negative.range().begin.column, 19);
  EXPECT_EQ(negative.range().end.column, 23);
  EXPECT_EQ(negative.range().begin.offset, 31);
}

TEST(JsonErrorTest, TopLevelMustBeAnObject) {
  ExpectJsonError("[1]", 1, 1, "found '['; expected '{'");
  ExpectJsonError("", 1, 1, "found end of file; expected '{'");
  ExpectJsonError("  \"a\"", 1, 3, "expected '{'");
  ExpectJsonError("{} {}", 1, 4, "expected end of file after the top-level object");
}

TEST(JsonErrorTest, DuplicateKeys) {
  ExpectJsonError("{\"a\": 1,\n \"a\": 2}", 2, 2, "key \"a\" is already defined at line 1");
  ExpectJsonError(R"({"o": {"k": 1, "k": 2}})", 1, 16, "key \"k\" is already defined");
}

TEST(JsonErrorTest, StructureErrors) {
  ExpectJsonError(R"({"a": 1,})", 1, 9, "found '}'; expected a \"key\" after ','");
  ExpectJsonError(R"({"a": [1,]})", 1, 10, "found ']'; expected a value after ','");
  ExpectJsonError(R"({"a": [1 2]})", 1, 10, "expected ',' or ']' to close the array opened at 1:7");
  ExpectJsonError(R"({"a": 1 "b": 2})", 1, 9, "expected ',' or '}' to close the object opened at 1:1");
  ExpectJsonError(R"({"a" 1})", 1, 6, "found '1'; expected ':' after the key \"a\"");
  ExpectJsonError(R"({a: 1})", 1, 2, "found 'a'; expected a \"key\" in double quotes");
  ExpectJsonError(R"({"a": })", 1, 7, "found '}'; expected a value");
  ExpectJsonError(R"({"a": 'x'})", 1, 7, "found '''; expected a value");
  ExpectJsonError(R"({"a": True})", 1, 7, "found 'True'; expected a value");
  ExpectJsonError(R"({"a": nul})", 1, 7, "found 'nul'");
  ExpectJsonError("{\"a\": 1", 1, 8, "found end of file; expected ',' or '}'");
  ExpectJsonError("{\"a\": [1", 1, 9, "found end of file; expected ',' or ']'");
  ExpectJsonError("{\"a\": 1} // c", 1, 10, "expected end of file");
}

TEST(JsonErrorTest, NumberErrors) {
  ExpectJsonError(R"({"a": 01})", 1, 7, "leading zero");
  ExpectJsonError(R"({"a": -})", 1, 8, "found '}'; expected a digit after '-'");
  ExpectJsonError(R"({"a": 1.})", 1, 9, "expected a digit after the decimal point");
  ExpectJsonError(R"({"a": .5})", 1, 7, "found '.'; expected a value");
  ExpectJsonError(R"({"a": 1e})", 1, 9, "expected the digits of the exponent");
  ExpectJsonError(R"({"a": +1})", 1, 7, "found '+'");
  ExpectJsonError(R"({"a": 1e999})", 1, 7, "is too large");
  ExpectJsonError(R"({"a": -1e999})", 1, 7, "is too large");
  ExpectJsonError(R"({"a": 1e-400})", 1, 7, "is too small");
  ExpectJsonError(R"({"a": -0.5e-4067890123})", 1, 7, "is too small");
}

TEST(JsonErrorTest, StringErrors) {
  ExpectJsonError("{\"a\": \"x\ny\"}", 1, 9, "control characters must be escaped");
  ExpectJsonError("{\"a\": \"x\ty\"}", 1, 9, "control characters must be escaped");
  ExpectJsonError("{\"a\": \"x", 1, 9, "found end of file; expected the closing '\"' of the string opened at 1:7");
  ExpectJsonError(R"({"a": "\x"})", 1, 8, "found the escape sequence \\x; expected one of");
  ExpectJsonError(R"({"a": "\u12"})", 1, 8, "expected 4 hexadecimal digits after \\u");
  ExpectJsonError(R"({"a": "\ud83d"})", 1, 8, "high surrogate \\ud83d without a low one");
  ExpectJsonError(R"({"a": "\ud83d\u0041"})", 1, 8, "without a low one");
  ExpectJsonError(R"({"a": "\ude00"})", 1, 8, "lone low surrogate \\ude00");
  ExpectJsonError(R"({"a": "\ud800})", 1, 8, "without a low one");  // found by fuzzing
  ExpectJsonError(R"({"a": "\ud800\)", 1, 8, "without a low one");
  ExpectJsonError(R"({"a": "\u)", 1, 8, "expected 4 hexadecimal digits");
}

TEST(JsonErrorTest, BinaryInputIsRejectedGracefully) {
  ExpectJsonError(std::string_view("{\"a\": \"\0\"}", 10), 1, 8, "NUL byte");
  ExpectJsonError("{\n\"a\": \"\xFE\"}", 2, 7, "not valid UTF-8");
}

TEST(JsonErrorTest, DeepNestingIsRefused) {
  std::string deep = "{\"a\": " + std::string(200, '[') + std::string(200, ']') + "}";
  ExpectJsonError(deep, 1, 7 + 128, "nested more than 128 levels deep");
  std::string ok = "{\"a\": " + std::string(128, '[') + std::string(128, ']') + "}";
  Document document;
  EXPECT_TRUE(ParseJson(ok, "t.json", &document).empty());
}

}  // namespace
}  // namespace drydock::config
