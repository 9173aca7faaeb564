// Golden cases: every tests/validate-cases/NAME.tfvars is loaded and
// validated, and the formatted diagnostics must equal NAME.expected.
// Regenerate with DRYDOCK_UPDATE_GOLDEN=1 after an intended message change.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "config/loader.h"
#include "validate/validate.h"

namespace drydock::validate {
namespace {

namespace fs = std::filesystem;

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream contents;
  contents << in.rdbuf();
  return contents.str();
}

// Loader diagnostics then rule diagnostics, as `drydock validate` prints them.
std::string Render(const fs::path& path) {
  const std::string name = path.filename().string();
  config::LoadResult loaded = config::LoadConfigText(ReadFile(path), name);
  config::Diagnostics all = loaded.diagnostics;
  if (loaded.config) {
    config::Diagnostics rules = Validate(*loaded.config);
    all.insert(all.end(), rules.begin(), rules.end());
  }
  std::string out;
  for (const config::Diagnostic& d : all) out += config::FormatDiagnostic(d, false);
  return out;
}

TEST(ValidateCasesTest, OutputMatchesExpectedFiles) {
  const fs::path dir = fs::path(DRYDOCK_SOURCE_DIR) / "tests" / "validate-cases";
  const bool update = std::getenv("DRYDOCK_UPDATE_GOLDEN") != nullptr;
  int cases = 0;
  for (const fs::directory_entry& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() != ".tfvars") continue;
    ++cases;
    fs::path expected_path = entry.path();
    expected_path.replace_extension(".expected");
    const std::string actual = Render(entry.path());
    if (update) {
      std::ofstream(expected_path, std::ios::binary) << actual;
      continue;
    }
    EXPECT_EQ(actual, ReadFile(expected_path)) << entry.path().filename();
  }
  EXPECT_GE(cases, 5);
}

}  // namespace
}  // namespace drydock::validate
