#include "config/hcl/hcl_parser.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

namespace drydock::config {
namespace {

Diagnostics Parse(std::string_view text, Document* document) {
  return ParseHcl(text, "t.tfvars", document);
}

// Parses text that must be valid and returns its JSON rendering.
std::string Json(std::string_view text) {
  Document document;
  Diagnostics diagnostics = Parse(text, &document);
  EXPECT_TRUE(diagnostics.empty()) << FormatDiagnostic(diagnostics.at(0), false);
  return ToJson(document.root);
}

TEST(HclParserTest, EmptyAndBlankFilesGiveAnEmptyObject) {
  EXPECT_EQ(Json(""), "{}");
  EXPECT_EQ(Json("\n\n  \t\n"), "{}");
  EXPECT_EQ(Json("# only a comment"), "{}");
}

TEST(HclParserTest, AttributesKeepSourceOrder) {
  EXPECT_EQ(Json("b = 1\na = 2\nc = 3\n"), R"({"b":1,"a":2,"c":3})");
}

TEST(HclParserTest, SetsTheDocumentFile) {
  Document document;
  ASSERT_TRUE(Parse("a = 1", &document).empty());
  EXPECT_EQ(document.file, "t.tfvars");
}

TEST(HclParserTest, IdentifiersMayHoldDigitsUnderscoresAndDashes) {
  EXPECT_EQ(Json("_a = 1\nb-2_c = 2\nd- = 3\n"), R"({"_a":1,"b-2_c":2,"d-":3})");
}

TEST(HclParserTest, KeywordsAreOrdinaryAttributeNames) {
  EXPECT_EQ(Json("true = 1\nnull = 2\nfor = 3\n"), R"({"true":1,"null":2,"for":3})");
  // for may be a key, but not the first naked one (see HclErrorTest).
  EXPECT_EQ(Json("a = {if = 1, for = 2}\nb = {\"for\" = 3}"), R"({"a":{"if":1,"for":2},"b":{"for":3}})");
}

TEST(HclParserTest, Literals) {
  EXPECT_EQ(Json("a = true\nb = false\nc = null\n"), R"({"a":true,"b":false,"c":null})");
}

TEST(HclParserTest, Numbers) {
  EXPECT_EQ(Json("a = 0\nb = 42\nc = 007\nd = 1.5\ne = 1e3\nf = 1.5E-2\ng = 2e+2\n"),
            R"({"a":0,"b":42,"c":7,"d":1.5,"e":1000,"f":0.014999999999999999,"g":200})");
}

TEST(HclParserTest, NegativeNumbers) {
  EXPECT_EQ(Json("a = -5\nb = -1.5e2\nc = - 3\nd = [-\n4]\n"), R"({"a":-5,"b":-150,"c":-3,"d":[-4]})");
}

TEST(HclParserTest, NumbersAreDoubles) {
  Document document;
  ASSERT_TRUE(Parse("a = 9007199254740993\nb = 0e-99999\nc = 4.9e-324\nd = 0.000e999999999999\n",
                    &document).empty());
  EXPECT_EQ(document.root.Find("a")->value->number_value(), 9007199254740992.0);
  EXPECT_EQ(document.root.Find("b")->value->number_value(), 0.0);
  EXPECT_GT(document.root.Find("c")->value->number_value(), 0.0);  // subnormal
  EXPECT_EQ(document.root.Find("d")->value->number_value(), 0.0);
}

TEST(HclParserTest, StringEscapes) {
  EXPECT_EQ(Json(R"(a = "n\n r\r t\t q\" b\\")"), R"({"a":"n\n r\r t\t q\" b\\"})");
  EXPECT_EQ(Json(R"(a = "\u00e9\u00E9 \U0001F600 \u0041")"), "{\"a\":\"éé 😀 A\"}");
  EXPECT_EQ(Json(R"(a = "\u0000")"), R"({"a":"\u0000"})");
}

TEST(HclParserTest, TemplateLiteralEscapes) {
  EXPECT_EQ(Json(R"(a = "$${x} %%{y}")"), R"({"a":"${x} %{y}"})");
  EXPECT_EQ(Json(R"(a = "$ % $$ %% $$$${x} 100%")"), R"({"a":"$ % $$ %% $$${x} 100%"})");
}

TEST(HclParserTest, RawUtf8AndTabsInStrings) {
  EXPECT_EQ(Json("a = \"é\tü\""), "{\"a\":\"é\\tü\"}");
}

TEST(HclParserTest, Lists) {
  EXPECT_EQ(Json("a = []\nb = [1, 2,]\nc = [\n  1,\n  2\n]\nd = [1\n, 2]\n"),
            R"({"a":[],"b":[1,2],"c":[1,2],"d":[1,2]})");
  EXPECT_EQ(Json("a = [[[]], [\"x\", {b = 1}]]"), R"({"a":[[[]],["x",{"b":1}]]})");
}

TEST(HclParserTest, Objects) {
  EXPECT_EQ(Json("a = {}\nb = {\n}\nc = { x = 1, \"y z\" : 2, }\n"),
            R"({"a":{},"b":{},"c":{"x":1,"y z":2}})");
  EXPECT_EQ(Json("a = {\n  x = 1\n\n  y = 2,\n  z = 3\n}\n"), R"({"a":{"x":1,"y":2,"z":3}})");
}

TEST(HclParserTest, ObjectKeyForms) {
  EXPECT_EQ(Json(R"(a = {true = 1, null = 2, 1e2 = 3, 1.50 = 4, ("p q") = 5, "" = 6})"),
            R"({"a":{"true":1,"null":2,"100":3,"1.5":4,"p q":5,"":6}})");
  EXPECT_EQ(Json(R"(a = {"k\n" = 1})"), R"({"a":{"k\n":1}})");
  EXPECT_EQ(Json("a = {(\n  \"k\"\n) = 1}"), R"({"a":{"k":1}})");
  // Number keys are spelled as HCL spells them: fixed notation, shortest digits.
  EXPECT_EQ(Json("a = {0.1 = 1, 1e20 = 2, 1e-7 = 3, 007 = 4}"),
            R"({"a":{"0.1":1,"100000000000000000000":2,"0.0000001":3,"7":4}})");
  EXPECT_EQ(Json(R"(a = {"$${k}" = 1, "%%{d}" = 2})"), R"({"a":{"${k}":1,"%{d}":2}})");
}

TEST(HclParserTest, Comments) {
  EXPECT_EQ(Json("# hash\n// slashes\n/* block\n comment */ a = 1 # trailing\n"
                 "b = [1, /* inline */ 2] // end\nc = { # in object\n  d = 1 // x\n}\n"),
            R"({"a":1,"b":[1,2],"c":{"d":1}})");
  EXPECT_EQ(Json("a = /*\n*/ 1"), R"({"a":1})");
}

TEST(HclParserTest, CrLfLineEnds) {
  EXPECT_EQ(Json("a = 1\r\nb = {\r\n  c = 2\r\n}\r\n// x\r\n"), R"({"a":1,"b":{"c":2}})");
}

TEST(HclParserTest, ByteOrderMarkIsSkipped) {
  Document document;
  ASSERT_TRUE(Parse("\xEF\xBB\xBF" "a = 1", &document).empty());
  EXPECT_EQ(document.root.entries()[0].key_range.begin.column, 1);
}

TEST(HclParserTest, ManyKeysDoNotMakeParsingQuadratic) {
  // 60,000 attributes and 60,000 keys: quadratic duplicate checks would take
  // minutes here.
  std::string text;
  for (int i = 0; i < 60000; ++i) text += "k" + std::to_string(i) + " = " + std::to_string(i) + "\n";
  text += "big = {\n";
  for (int i = 0; i < 60000; ++i) text += "  k" + std::to_string(i) + " = true\n";
  text += "}\n";
  Document document;
  ASSERT_TRUE(Parse(text, &document).empty());
  EXPECT_EQ(document.root.entries().size(), 60001u);
  EXPECT_EQ(document.root.Find("big")->value->entries().size(), 60000u);
}

TEST(HclHeredocTest, PlainHeredocKeepsIndentation) {
  EXPECT_EQ(Json("a = <<EOT\nhello\n  world\nEOT\n"), R"({"a":"hello\n  world\n"})");
  EXPECT_EQ(Json("a = <<EOT\nEOT\n"), R"({"a":""})");
  EXPECT_EQ(Json("a = <<EOT\n\nEOT\n"), R"({"a":"\n"})");
}

TEST(HclHeredocTest, ClosingMarkerMayBeIndentedAndFollowedBySpaces) {
  EXPECT_EQ(Json("a = <<EOT\nx\n  EOT  \nb = 1\n"), R"({"a":"x\n","b":1})");
  EXPECT_EQ(Json("a = <<EOT\nx\n\tEOT\n"), R"({"a":"x\n"})");
  // Any Unicode white space, as Go's strings.TrimSpace: U+3000, U+00A0, \v.
  EXPECT_EQ(Json("a = <<EOT\nx\n\xE3\x80\x80" "EOT\xC2\xA0\v\nb = 1\n"), R"({"a":"x\n","b":1})");
  // U+200B (zero width space) is not white space.
  EXPECT_EQ(Json("a = <<EOT\n\xE2\x80\x8B" "EOT\nEOT\n"), "{\"a\":\"\xE2\x80\x8B" "EOT\\n\"}");
}

TEST(HclHeredocTest, MarkerMustMatchTheWholeLine) {
  EXPECT_EQ(Json("a = <<EOT\nEOTEOT\nEOT x\nEOT\n"), R"({"a":"EOTEOT\nEOT x\n"})");
  EXPECT_EQ(Json("a = <<E-1\nx\nE-1\n"), R"({"a":"x\n"})");
}

TEST(HclHeredocTest, IndentedHeredocStripsSmallestIndentation) {
  EXPECT_EQ(Json("a = <<-EOT\n    hello\n      world\n    EOT\n"), R"({"a":"hello\n  world\n"})");
  EXPECT_EQ(Json("a = <<-EOT\n  x\n y\n    EOT\n"), R"({"a":" x\ny\n"})");
  EXPECT_EQ(Json("a = <<-EOT\nx\n  EOT\n"), R"({"a":"x\n"})");
}

TEST(HclHeredocTest, IndentedHeredocCountsTabsAsOneCharacter) {
  EXPECT_EQ(Json("a = <<-EOT\n\tx\n    y\n  EOT\n"), R"({"a":"x\n   y\n"})");
  EXPECT_EQ(Json("a = <<-EOT\n  \t  x\n \t y\n  EOT\n"), R"({"a":"  x\ny\n"})");
  // U+00A0 (no-break space) is white space too.
  EXPECT_EQ(Json("a = <<-EOT\n\xC2\xA0\xC2\xA0x\n\xC2\xA0y\nEOT\n"), "{\"a\":\"\xC2\xA0x\\ny\\n\"}");
}

TEST(HclHeredocTest, IndentedHeredocIgnoresBlankLines) {
  EXPECT_EQ(Json("a = <<-EOT\n    x\n\n      y\n    EOT\n"), R"({"a":"x\n\n  y\n"})");
  EXPECT_EQ(Json("a = <<-EOT\n    x\n  \n      y\n    EOT\n"), R"({"a":"x\n  \n  y\n"})");
  EXPECT_EQ(Json("a = <<-EOT\n  \n  EOT\n"), R"({"a":"  \n"})");
}

TEST(HclHeredocTest, BackslashesAreLiteralButTemplateEscapesApply) {
  EXPECT_EQ(Json("a = <<EOT\n\"\\n\" \\t $${x} %%{y} $ %\nEOT\n"),
            R"({"a":"\"\\n\" \\t ${x} %{y} $ %\n"})");
}

TEST(HclHeredocTest, CrLfHeredoc) {
  EXPECT_EQ(Json("a = <<EOT\r\nx\r\nEOT\r\nb = 1\r\n"), R"({"a":"x\r\n","b":1})");
  EXPECT_EQ(Json("a = <<-EOT\n  x\r\n   \r\n    y\r\n  EOT\r\n"), R"({"a":"x\r\n   \r\n  y\r\n"})");
}

TEST(HclHeredocTest, HeredocsInsideListsAndObjects) {
  EXPECT_EQ(Json("a = [<<EOT\nx\nEOT\n, 2]"), R"({"a":["x\n",2]})");
  EXPECT_EQ(Json("a = {\n  b = <<EOT\nx\nEOT\n  c = 1\n}"), R"({"a":{"b":"x\n","c":1}})");
  EXPECT_EQ(Json("a = {b = <<EOT\nx\nEOT\n}"), R"({"a":{"b":"x\n"}})");
}

TEST(HclPositionTest, AttributeAndValueRanges) {
  Document document;
  ASSERT_TRUE(Parse("# c\nname  = \"web\"\n", &document).empty());
  const ObjectEntry& entry = document.root.entries()[0];
  EXPECT_EQ(entry.key_range.begin.line, 2);
  EXPECT_EQ(entry.key_range.begin.column, 1);
  EXPECT_EQ(entry.key_range.end.column, 5);
  EXPECT_EQ(entry.value->range().begin.line, 2);
  EXPECT_EQ(entry.value->range().begin.column, 9);
  EXPECT_EQ(entry.value->range().begin.offset, 12);
  EXPECT_EQ(entry.value->range().end.column, 14);
}

TEST(HclPositionTest, NestedValuePositions) {
  Document document;
  ASSERT_TRUE(Parse("services = {\n  api = {\n    ports = [80, -443]\n  }\n}\n", &document).empty());
  const Value& services = *document.root.Find("services")->value;
  EXPECT_EQ(services.range().begin.line, 1);
  EXPECT_EQ(services.range().begin.column, 12);
  EXPECT_EQ(services.range().end.line, 5);
  EXPECT_EQ(services.range().end.column, 2);
  const ObjectEntry& api = services.entries()[0];
  EXPECT_EQ(api.key_range.begin.line, 2);
  EXPECT_EQ(api.key_range.begin.column, 3);
  const ObjectEntry& ports = api.value->entries()[0];
  EXPECT_EQ(ports.key_range.begin.column, 5);
  const Value& negative = ports.value->items()[1];
  EXPECT_EQ(negative.range().begin.line, 3);
  EXPECT_EQ(negative.range().begin.column, 18);
  EXPECT_EQ(negative.range().end.column, 22);
  EXPECT_EQ(negative.number_value(), -443);
}

TEST(HclPositionTest, HeredocRangeSpansToTheClosingMarker) {
  Document document;
  ASSERT_TRUE(Parse("a = <<EOT\nx\nEOT\n", &document).empty());
  const Value& value = *document.root.Find("a")->value;
  EXPECT_EQ(value.range().begin.line, 1);
  EXPECT_EQ(value.range().begin.column, 5);
  EXPECT_EQ(value.range().end.line, 3);
  EXPECT_EQ(value.range().end.column, 4);
}

TEST(HclPositionTest, ParenthesisedKeyRange) {
  Document document;
  ASSERT_TRUE(Parse("a = {(\"k\") = 1}", &document).empty());
  const ObjectEntry& entry = document.root.Find("a")->value->entries()[0];
  EXPECT_EQ(entry.key_range.begin.column, 6);
  EXPECT_EQ(entry.key_range.end.column, 11);
}

}  // namespace
}  // namespace drydock::config
