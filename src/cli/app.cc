// CLI11 is confined to this translation unit: it is header-only and slow to compile.
#include <CLI/CLI.hpp>

#include <map>
#include <ostream>

#include "cli/cli.h"
#include "cli/commands.h"

namespace drydock::cli {
namespace {

const std::map<std::string, OutputFormat> kFormats = {{"text", OutputFormat::kText},
                                                      {"json", OutputFormat::kJson}};

void AddOutputOption(CLI::App* command, OutputFormat* format) {
  command->add_option("-o,--output", *format, "Output format: text or json")
      ->transform(CLI::CheckedTransformer(kFormats, CLI::ignore_case));
}

}  // namespace

int RunCli(int argc, const char* const* argv, Terminal terminal) {
  CLI::App app{
      "drydock runs a production ECS-on-EC2 architecture (cluster, Auto Scaling group, capacity\n"
      "provider, Application Load Balancer, secrets, deployments) on one machine, with AWS's\n"
      "documented semantics, and ships the same configuration to AWS with Terraform.",
      "drydock"};
  app.set_version_flag("--version", "drydock 0.1.0");
  app.require_subcommand(1);
  app.fallthrough(false);

  std::string file;
  OutputFormat format = OutputFormat::kText;
  int exit_code = kExitOk;

  CLI::App* validate = app.add_subcommand(
      "validate", "Check a .tfvars or .tfvars.json file; exit 0 when valid, 1 when not");
  validate->add_option("FILE", file, "Configuration file")->required();
  AddOutputOption(validate, &format);
  validate->callback([&] { exit_code = RunValidate(file, format, terminal); });

  CLI::App* plan = app.add_subcommand(
      "plan", "Show the AWS resources, capacity and cost a configuration implies");
  plan->add_option("FILE", file, "Configuration file")->required();
  AddOutputOption(plan, &format);
  plan->callback([&] { exit_code = RunPlan(file, format, terminal); });

  CLI::App* parse = app.add_subcommand(
      "parse", "Print a configuration file as drydock reads it (JSON), before any decoding");
  parse->add_option("FILE", file, "Configuration file")->required();
  parse->callback([&] { exit_code = RunParse(file, terminal); });

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    // CLI11 reports --help and --version as "errors" with exit code 0.
    std::ostream& stream = error.get_exit_code() == 0 ? terminal.out : terminal.err;
    app.exit(error, stream, stream);
    return error.get_exit_code() == 0 ? kExitOk : kExitUsage;
  }
  return exit_code;
}

}  // namespace drydock::cli
