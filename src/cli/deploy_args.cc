#include "cli/deploy_args.h"

#include <nlohmann/json.hpp>

#include <sstream>

namespace drydock::cli {

using nlohmann::json;

Result<std::vector<std::string>> ParseCommandFlag(const std::string& value) {
  const size_t first = value.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) {
    return InvalidArgument("--command is empty: give the program and its arguments");
  }
  std::vector<std::string> argv;
  if (value[first] == '[') {
    const json parsed = json::parse(value, nullptr, /*allow_exceptions=*/false);
    const std::string form = "--command " + value +
                             ": not a JSON array of strings (for example '[\"sh\", \"-c\", "
                             "\"exit 1\"]')";
    if (!parsed.is_array()) return InvalidArgument(form);
    for (const json& arg : parsed) {
      if (!arg.is_string()) return InvalidArgument(form);
      argv.push_back(arg.get<std::string>());
    }
    if (argv.empty() || argv[0].empty()) {
      return InvalidArgument("--command " + value + ": the first string must name a program");
    }
    return argv;
  }
  std::istringstream words(value);
  for (std::string word; words >> word;) argv.push_back(word);
  return argv;
}

Result<std::map<std::string, std::string>> ParseEnvFlags(const std::vector<std::string>& values) {
  std::map<std::string, std::string> environment;
  for (const std::string& value : values) {
    const size_t equals = value.find('=');
    if (equals == std::string::npos) {
      return InvalidArgument("--env \"" + value + "\": expected KEY=VALUE (for example --env " +
                             "VERSION=2)");
    }
    if (equals == 0) {
      return InvalidArgument("--env \"" + value + "\": the variable name before '=' is empty");
    }
    environment[value.substr(0, equals)] = value.substr(equals + 1);
  }
  return environment;
}

Result<std::string> DeployRequestBody(const DeployFlags& flags) {
  json body = {{"service", flags.service}};
  if (flags.command) {
    Result<std::vector<std::string>> argv = ParseCommandFlag(*flags.command);
    if (!argv.ok()) return argv.status();
    body["command"] = *argv;
  }
  if (!flags.env.empty()) {
    Result<std::map<std::string, std::string>> environment = ParseEnvFlags(flags.env);
    if (!environment.ok()) return environment.status();
    body["environment"] = *environment;
  }
  if (flags.cpu) body["cpu"] = *flags.cpu;
  if (flags.memory) body["memory"] = *flags.memory;
  if (flags.image) body["image"] = *flags.image;
  if (flags.task_definition) body["taskDefinition"] = *flags.task_definition;
  if (flags.force_new_deployment) body["forceNewDeployment"] = true;
  return body.dump();
}

}  // namespace drydock::cli
