// Every error path of the HCL parser, with the position it reports.
#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "config/hcl/hcl_parser.h"

namespace drydock::config {
namespace {

std::string Where(const Diagnostic& d) {
  return std::to_string(d.pos.line) + ":" + std::to_string(d.pos.column) + ": " + d.message +
         (d.fix.empty() ? "" : " | fix: " + d.fix);
}

// Expects `text` to be rejected with one error at line:column whose message
// contains `fragment`; returns it for further checks.
Diagnostic ExpectError(std::string_view text, int line, int column, std::string_view fragment) {
  Document document;
  Diagnostics diagnostics = ParseHcl(text, "t.tfvars", &document);
  EXPECT_EQ(diagnostics.size(), 1u) << "input: " << text;
  if (diagnostics.empty()) return {};
  const Diagnostic& d = diagnostics[0];
  EXPECT_EQ(d.pos.line, line) << Where(d);
  EXPECT_EQ(d.pos.column, column) << Where(d);
  EXPECT_NE(d.message.find(fragment), std::string::npos) << Where(d);
  EXPECT_EQ(d.file, "t.tfvars");
  EXPECT_EQ(d.severity, Severity::kError);
  EXPECT_EQ(d.rule, "syntax");
  return d;
}

TEST(HclErrorTest, BlocksAreRejected) {
  Diagnostic d = ExpectError("a = 1\nservice {\n  x = 1\n}\n", 2, 1,
                             "blocks are not allowed in a .tfvars file");
  EXPECT_NE(d.fix.find("service = {"), std::string::npos);
  ExpectError("resource \"aws_instance\" \"web\" {\n}\n", 1, 1, "blocks are not allowed");
  ExpectError("b label {}\n", 1, 1, "blocks are not allowed");
}

TEST(HclErrorTest, DuplicateAttribute) {
  Diagnostic d = ExpectError("a = 1\nb = 2\n\na = 3\n", 4, 1, "attribute a is already defined at line 1");
  EXPECT_FALSE(d.fix.empty());
}

TEST(HclErrorTest, DuplicateObjectKey) {
  ExpectError("a = {\n  b = 1\n  b = 2\n}\n", 3, 3, "key b is already defined at line 2");
  ExpectError("a = {\"b\" = 1, b = 2}", 1, 15, "key b is already defined");
  ExpectError("a = {1 = 1, \"1\" = 2}", 1, 13, "key 1 is already defined");
}

TEST(HclErrorTest, Interpolation) {
  Diagnostic d = ExpectError("a = \"x-${var.y}\"", 1, 8,
                             "interpolation is not available in .tfvars: variables and functions "
                             "cannot be used here");
  EXPECT_NE(d.fix.find("$${"), std::string::npos);
  ExpectError("a = \"%{if true}x%{endif}\"", 1, 6, "template directives are not available");
  ExpectError("a = <<EOT\nok\n  ${x}\nEOT\n", 3, 3, "interpolation is not available");
  ExpectError("a = {\"${k}\" = 1}", 1, 7, "interpolation is not available");
  ExpectError("a = \"${\"", 1, 6, "interpolation is not available");
}

TEST(HclErrorTest, ReferencesAndFunctions) {
  ExpectError("a = var.x", 1, 5, "found the name var; expected a value: variables and functions");
  ExpectError("a = file(\"x\")", 1, 5, "call of the function file");
  Diagnostic d = ExpectError("a = True", 1, 5, "found the name True");
  EXPECT_EQ(d.fix, "did you mean true?");
  d = ExpectError("a = nul", 1, 5, "found the name nul");
  EXPECT_EQ(d.fix, "did you mean null?");
  d = ExpectError("a = production", 1, 5, "found the name production");
  EXPECT_NE(d.fix.find("\"production\""), std::string::npos);
  ExpectError("a = (1)", 1, 5, "found '('; expected a value");
  ExpectError("a = 1 + 2", 1, 7, "found '+'");
  ExpectError("a = --5", 1, 6, "found '-'; expected a number after '-'");
  ExpectError("a = -\"x\"", 1, 6, "expected a number after '-'");
  ExpectError("a = -\n5", 1, 6, "found newline; expected a number after '-'");
}

TEST(HclErrorTest, MissingOrWrongAssignment) {
  ExpectError("a", 1, 2, "found end of file; expected '=' after the attribute name a");
  ExpectError("a 1", 1, 3, "found the number 1; expected '='");
  Diagnostic d = ExpectError("a : 1", 1, 3, "found ':'; expected '='");
  EXPECT_NE(d.fix.find("only allowed inside"), std::string::npos);
  ExpectError("= 1", 1, 1, "found '='; expected an attribute name");
  ExpectError("\"a\" = 1", 1, 1, "attribute names must not be quoted");
  ExpectError("1a = 1", 1, 1, "found the number 1; expected an attribute name");
  ExpectError("a.b = 1", 1, 2, "found '.'; expected '='");
  ExpectError("\xC3\xA9 = 1", 1, 1, "found '\xC3\xA9' (U+00E9); expected an attribute name");
  ExpectError("r\xC3\xA9gion = 1", 1, 2, "found '\xC3\xA9' (U+00E9) in the name r...; expected ASCII");
  ExpectError("a = {r\xC3\xA9gion = 1}", 1, 7, "in the name r...; expected ASCII");
}

TEST(HclErrorTest, MissingValue) {
  ExpectError("a = ", 1, 5, "found end of file; expected a value");
  ExpectError("a =\n1", 1, 4, "found newline; expected a value");
  ExpectError("a = }", 1, 5, "found '}'; expected a value");
  ExpectError("a = {\n b =\n 1 }", 2, 5, "found newline; expected a value");
}

TEST(HclErrorTest, OneAttributePerLine) {
  ExpectError("a = 1 b = 2", 1, 7, "found 'b'; expected a newline after the value of a");
  ExpectError("a = \"x\" \"y\"", 1, 9, "expected a newline after the value of a");
  ExpectError("a = 1 /*\n*/ b = 2", 2, 4, "expected a newline");
  ExpectError("a = 1_000", 1, 6, "found '_000'");
  ExpectError("a = 0x10", 1, 6, "found 'x10'");
}

TEST(HclErrorTest, ListErrors) {
  ExpectError("a = [1 2]", 1, 8, "found the number 2; expected ',' or ']' to close the list opened at 1:5");
  ExpectError("a = [1\n2]", 2, 1, "expected ',' or ']'");
  ExpectError("a = [,]", 1, 6, "found ','; expected a value");
  ExpectError("a = [1,,2]", 1, 8, "found ','; expected a value");
  ExpectError("a = [1", 1, 7, "found end of file; expected ',' or ']'");
  ExpectError("a = [1,\n", 2, 1, "found end of file; expected a value");
}

TEST(HclErrorTest, ObjectErrors) {
  ExpectError("a = {b = 1 c = 2}", 1, 12,
              "found 'c'; expected ',' or a newline before the next item, or '}' to close the "
              "object opened at 1:5");
  ExpectError("a = {,}", 1, 6, "found ','; expected an object key");
  ExpectError("a = {b = 1,, c = 2}", 1, 12, "found ','; expected an object key");
  ExpectError("a = {b = 1\n,c = 2}", 2, 1, "found ','; expected an object key");
  ExpectError("a = {", 1, 6, "found end of file; expected an object key");
  ExpectError("a = {b = 1", 1, 11, "found end of file; expected ','");
  ExpectError("a = {b 1}", 1, 8, "found the number 1; expected '=' or ':' after the key b");
  Diagnostic d = ExpectError("a = {b.c = 1}", 1, 7, "found '.'; expected '=' or ':'");
  EXPECT_NE(d.fix.find("quote"), std::string::npos);
  ExpectError("a = {-1 = 1}", 1, 6, "found '-'; expected an object key");
  ExpectError("a = {(k) = 1}", 1, 7, "found 'k'; expected a quoted string inside");
  ExpectError("a = {(\"k\" = 1}", 1, 11, "found '='; expected ')'");
  ExpectError("a = {[1] = 1}", 1, 6, "found '['; expected an object key");
  Diagnostic d2 = ExpectError("a = {\n  for = 1\n}", 2, 3, "found 'for' as the first key of an object");
  EXPECT_NE(d2.fix.find("\"for\""), std::string::npos);
}

TEST(HclErrorTest, StringErrors) {
  Diagnostic d = ExpectError("a = \"x\ny\"", 1, 7,
                             "found end of the line inside the string opened at 1:5; expected its "
                             "closing '\"'");
  EXPECT_NE(d.fix.find("heredoc"), std::string::npos);
  ExpectError("a = \"x", 1, 7, "found end of file inside the string opened at 1:5");
  ExpectError("a = \"x\ry\"", 1, 7, "found end of the line inside the string");
  d = ExpectError("a = \"\\a\"", 1, 6, "found the escape sequence \\a; expected one of \\n \\r \\t");
  EXPECT_NE(d.fix.find("\\\\"), std::string::npos);
  ExpectError("a = \"\\$\"", 1, 6, "found the escape sequence \\$");
  ExpectError("a = \"\\u00\"", 1, 6, "expected 4 hexadecimal digits after \\u");
  ExpectError("a = \"\\u00G0\"", 1, 6, "expected 4 hexadecimal digits");
  ExpectError("a = \"\\U0001F60\"", 1, 6, "expected 8 hexadecimal digits after \\U");
  ExpectError("a = \"\\uD800\"", 1, 6, "not a Unicode character");
  ExpectError("a = \"\\U00110000\"", 1, 6, "not a Unicode character");
  ExpectError("a = \"\\", 1, 6, "escape sequence");
}

TEST(HclErrorTest, NumberErrors) {
  ExpectError("a = 1.", 1, 7, "found end of file after '1.'; expected a digit after the decimal point");
  ExpectError("a = 1.x", 1, 7, "expected a digit after the decimal point");
  ExpectError("a = 1e", 1, 7, "expected the digits of the exponent");
  ExpectError("a = 1e+", 1, 8, "expected the digits of the exponent");
  ExpectError("a = .5", 1, 5, "found '.'; expected a value");
  ExpectError("a = +5", 1, 5, "found '+'; expected a value");
  ExpectError("a = 1e400", 1, 5, "the number 1e400 is too large");
  ExpectError("a = -2e308", 1, 6, "is too large");
  ExpectError("a = 1e-400", 1, 5, "the number 1e-400 is too small: it would become 0");
  ExpectError("a = 0.00001e-4067890123", 1, 5, "is too small");  // found by fuzzing
  ExpectError("a = 123.4e4067890123", 1, 5, "is too large");
  ExpectError("a = 0.0000000000000000000000000000000000000000000000000000000000000000000000000000"
              "0000000000000000000000000000000000000000000000000000000000000000000000000000000000"
              "0000000000000000000000000000000000000000000000000000000000000000000000000000000000"
              "0000000000000000000000000000000000000000000000000000000000000000000000000000000000"
              "00000001", 1, 5, "is too small");
  ExpectError("a = {1e999 = 1}", 1, 6, "the number key 1e999 is too large");
}

TEST(HclErrorTest, HeredocErrors) {
  ExpectError("a = <<EOT\nx\n", 3, 1,
              "found end of file inside the heredoc opened at 1:5; expected a line holding only "
              "its closing marker EOT");
  ExpectError("a = <<EOT\nx\nEOT", 3, 4, "right after the closing marker EOT; expected a newline");
  ExpectError("a = <<EOT x\nEOT\n", 1, 10, "found ' ' after the heredoc marker EOT; expected a newline");
  ExpectError("a = <<\"EOT\"\nx\nEOT\n", 1, 7, "expected a heredoc marker");
  ExpectError("a = <<-\nx\n", 1, 8, "expected a heredoc marker");
  ExpectError("a = <<EOT\n%{ for x in y }\nEOT\n", 2, 1, "template directives are not available");
  ExpectError("a = <<EOT\nx\ry\nEOT\n", 2, 2, "carriage return (U+000D) that does not end the line");
  ExpectError("a = {b = <<EOT\nx\nEOT\n, c = 1}", 4, 1, "found ','; expected an object key");
}

TEST(HclErrorTest, CommentErrors) {
  ExpectError("a = 1 /* x", 1, 11, "found end of file inside the comment opened at 1:7; expected '*/'");
  ExpectError("a = 1\n/*\n\n", 4, 1, "inside the comment opened at 2:1");
}

TEST(HclErrorTest, InvalidCharacters) {
  ExpectError("a = 1\rb = 2", 1, 6, "found control character U+000D");
  ExpectError("a = 1\n\fb = 2", 2, 1, "found control character U+000C");
  ExpectError("a = @", 1, 5, "found '@'");
}

TEST(HclErrorTest, BinaryInputIsRejectedGracefully) {
  ExpectError(std::string_view("a = \"x\0\"", 8), 1, 7, "NUL byte");
  ExpectError("a = 1\nb = \"\xFF\"", 2, 6, "0xFF that is not valid UTF-8");
  ExpectError("a = \"\xC0\xAF\"", 1, 6, "not valid UTF-8");          // overlong
  ExpectError("a = \"\xED\xA0\x80\"", 1, 6, "not valid UTF-8");      // surrogate
  ExpectError("a = \"\xF4\x90\x80\x80\"", 1, 6, "not valid UTF-8");  // above U+10FFFF
  ExpectError("a = \"\xE2\x82\"", 1, 6, "not valid UTF-8");          // truncated
}

TEST(HclErrorTest, DeepNestingIsRefused) {
  std::string deep = "a = " + std::string(200, '[') + std::string(200, ']');
  ExpectError(deep, 1, 133, "nested more than 128 levels deep");
  std::string objects = "a = ";
  for (int i = 0; i < 200; ++i) objects += "{b = ";
  ExpectError(objects, 1, 5 + 128 * 5, "nested more than 128 levels deep");
  std::string ok = "a = " + std::string(128, '[') + std::string(128, ']');
  Document document;
  EXPECT_TRUE(ParseHcl(ok, "t.tfvars", &document).empty());
}

TEST(HclErrorTest, ErrorFormatNamesFileLineAndColumn) {
  Document document;
  Diagnostics diagnostics = ParseHcl("a = [1 2]", "dir/x.tfvars", &document);
  ASSERT_EQ(diagnostics.size(), 1u);
  EXPECT_EQ(FormatDiagnostic(diagnostics[0], false),
            "dir/x.tfvars:1:8: error: found the number 2; expected ',' or ']' to close the list "
            "opened at 1:5 [syntax]\n");
}

}  // namespace
}  // namespace drydock::config
