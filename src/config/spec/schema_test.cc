// Keeps the schema tables and docs/configuration.md in sync: every setting
// has a row in its section of the reference, and every row names a setting.
#include "config/spec/schema.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

namespace drydock::config {
namespace {

std::string ReadDocs() {
  std::ifstream in(std::string(DRYDOCK_SOURCE_DIR) + "/docs/configuration.md");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Number of leading '#' of a Markdown heading line, 0 for other lines.
size_t HeadingLevel(const std::string& line) {
  size_t hashes = line.find_first_not_of('#');
  return hashes != std::string::npos && hashes > 0 && line[hashes] == ' ' ? hashes : 0;
}

// The lines under the heading line that is exactly `heading`, up to the next
// heading of any level (so a section's subsections are not part of it; code
// blocks are skipped); "" when there is no such heading.
std::string Section(const std::string& docs, const std::string& heading) {
  std::istringstream lines(docs);
  std::string section;
  bool inside = false;
  bool in_code = false;
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("```", 0) == 0) in_code = !in_code;
    size_t level = in_code ? 0 : HeadingLevel(line);
    if (inside && level > 0) break;
    if (line == heading) inside = true;
    if (inside) section += line + "\n";
  }
  return section;
}

// Names in the first column of the section's tables: rows "| `name` | ...".
std::set<std::string> DocumentedNames(const std::string& section) {
  std::set<std::string> names;
  std::istringstream lines(section);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("| `", 0) != 0) continue;
    size_t end = line.find('`', 3);
    if (end != std::string::npos) names.insert(line.substr(3, end - 3));
  }
  return names;
}

template <typename S>
void ExpectDocumented(const std::vector<Field<S>>& fields, const std::string& heading) {
  const std::string section = Section(ReadDocs(), heading);
  ASSERT_FALSE(section.empty()) << "docs/configuration.md has no heading \"" << heading << "\"";
  std::vector<std::string> names = FieldNames(fields);
  std::set<std::string> documented = DocumentedNames(section);
  for (const std::string& name : names) {
    EXPECT_EQ(documented.count(name), 1u) << "`" << name << "` is not documented under "
                                          << heading;
  }
  std::set<std::string> known(names.begin(), names.end());
  for (const std::string& name : documented) {
    EXPECT_EQ(known.count(name), 1u) << heading << " documents `" << name
                                     << "`, which the decoder does not accept";
  }
  EXPECT_EQ(known.size(), names.size()) << "duplicate names in the table for " << heading;
}

TEST(DecoderSchemaTest, EveryTopLevelSettingIsDocumented) {
  ExpectDocumented(TopLevelFields(), "## Top-level settings");
}

TEST(DecoderSchemaTest, EveryServiceSettingIsDocumented) {
  ExpectDocumented(ServiceFields(), "## Service settings");
}

TEST(DecoderSchemaTest, EveryHealthCheckSettingIsDocumented) {
  ExpectDocumented(HealthCheckFields(), "### `health_check`");
}

TEST(DecoderSchemaTest, EveryCircuitBreakerSettingIsDocumented) {
  ExpectDocumented(CircuitBreakerFields(), "### `deployment_circuit_breaker`");
}

TEST(DecoderSchemaTest, EveryCertificateSettingIsDocumented) {
  ExpectDocumented(CertificateFields(), "### `additional_certificates`");
}

TEST(DecoderSchemaTest, RequiredSettingsAreTheOrigins) {
  std::vector<std::string> required;
  for (const Field<ServiceSettings>& field : ServiceFields()) {
    if (field.required) required.emplace_back(field.name);
  }
  EXPECT_EQ(required, (std::vector<std::string>{"desired_count", "path_pattern", "priority",
                                                "container_port", "cpu", "memory"}));
  for (const Field<Settings>& field : TopLevelFields()) {
    EXPECT_EQ(field.required, std::string(field.name) == "services") << field.name;
  }
}

TEST(DecoderSchemaTest, AllSettingPathsNamesNestedSettings) {
  std::vector<std::string> paths = AllSettingPaths();
  EXPECT_EQ(paths.size(), TopLevelFields().size() + ServiceFields().size() +
                              HealthCheckFields().size() + CircuitBreakerFields().size() +
                              CertificateFields().size());
  EXPECT_NE(std::find(paths.begin(), paths.end(), "services.<name>.health_check.matcher"),
            paths.end());
  EXPECT_NE(std::find(paths.begin(), paths.end(), "region"), paths.end());
}

}  // namespace
}  // namespace drydock::config
