// `drydock deploy`'s flags turned into the control API's request body
// (POST /v1/services/deploy, docs/control-api.md). Pure, so the CLI's
// parsing is tested without a cluster.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"

namespace drydock::cli {

// --command: a JSON array of strings ('["sh","-c","exit 1"]'), or else words
// separated by whitespace ("python3 -m http.server"; no quoting: an argument
// with spaces needs the JSON form). kInvalidArgument says what is wrong.
Result<std::vector<std::string>> ParseCommandFlag(const std::string& value);

// --env K=V, repeated: split at the first '=' (the value may contain more);
// K must be non-empty. A later K=V replaces an earlier one.
Result<std::map<std::string, std::string>> ParseEnvFlags(const std::vector<std::string>& values);

// The deploy flags as given (unset: not given).
struct DeployFlags {
  std::string service;
  std::optional<std::string> command;
  std::vector<std::string> env;
  std::optional<int> cpu;
  std::optional<int> memory;
  std::optional<std::string> image;
  std::optional<std::string> task_definition;
  bool force_new_deployment = false;
};

// The JSON body for POST /v1/services/deploy; kInvalidArgument for a bad
// --command or --env (a usage error).
Result<std::string> DeployRequestBody(const DeployFlags& flags);

}  // namespace drydock::cli
