#include "config/source.h"

#include <gtest/gtest.h>

namespace drydock::config {
namespace {

Diagnostic Sample(Severity severity) {
  return Diagnostic{severity, "prod.tfvars", SourcePos{5, 22, 80}, "services.api.priority",
                    "listener-priority-range", "priority 0 is outside 1..50000",
                    "choose a priority between 1 and 50000"};
}

TEST(DiagnosticFormatTest, PlainFormNamesEverything) {
  EXPECT_EQ(FormatDiagnostic(Sample(Severity::kError), false),
            "prod.tfvars:5:22: error: services.api.priority: priority 0 is outside 1..50000 "
            "[listener-priority-range]\n  fix: choose a priority between 1 and 50000\n");
}

TEST(DiagnosticFormatTest, ColourOnlyWhenAsked) {
  EXPECT_EQ(FormatDiagnostic(Sample(Severity::kWarning), false).find('\033'), std::string::npos);
  const std::string coloured = FormatDiagnostic(Sample(Severity::kWarning), true);
  EXPECT_NE(coloured.find("\033[1;33mwarning\033[0m"), std::string::npos) << coloured;
}

TEST(DiagnosticFormatTest, SyntaxErrorsHaveNoSettingOrFix) {
  Diagnostic d{Severity::kError, "a.tfvars", SourcePos{1, 3, 2}, "", "", "expected `=`", ""};
  EXPECT_EQ(FormatDiagnostic(d, false), "a.tfvars:1:3: error: expected `=`\n");
}

TEST(DiagnosticFormatTest, WholeFileDiagnosticsHaveNoPosition) {
  Diagnostic d{Severity::kError, "gone.tfvars", SourcePos{}, "", "file-unreadable",
               "cannot read the file", ""};
  EXPECT_EQ(FormatDiagnostic(d, false), "gone.tfvars: error: cannot read the file [file-unreadable]\n");
}

TEST(DiagnosticFormatTest, HasErrorsIgnoresWarnings) {
  EXPECT_FALSE(HasErrors({Sample(Severity::kWarning)}));
  EXPECT_TRUE(HasErrors({Sample(Severity::kWarning), Sample(Severity::kError)}));
}

}  // namespace
}  // namespace drydock::config
