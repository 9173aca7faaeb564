// Container secrets (rulebook section 8): each `secrets` entry names an
// environment variable and the secret it comes from. Only the service's own
// vault is readable by its execution role (the origin's policy), so a
// reference to another vault is a task that can never start.
#include <string>

#include "secrets/value_from.h"
#include "validate/rules.h"

namespace drydock::validate {
namespace {

using config::ServiceSettings;

bool IsVariableName(const std::string& name) {
  if (name.empty() || (name[0] >= '0' && name[0] <= '9')) return false;
  for (char c : name) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '_';
    if (!ok) return false;
  }
  return true;
}

// The variables drydock's agent sets itself; they win over a secret locally.
bool IsAgentVariable(const std::string& name) {
  return name == "PORT" || name == "HOME" || name == "PATH" || name == "AWS_REGION" ||
         name == "AWS_DEFAULT_REGION" || name.rfind("ECS_", 0) == 0 || name == "EC2_INSTANCE_ID";
}

// The vault a reference reads: a secret name, or the name inside an ARN
// ("...:secret:<name>-AbCdEf").
std::string VaultName(const secrets::ValueFrom& value_from) {
  if (!value_from.is_arn) return value_from.secret_id;
  const std::string marker = ":secret:";
  const size_t at = value_from.secret_id.find(marker);
  if (at == std::string::npos) return value_from.secret_id;
  std::string name = value_from.secret_id.substr(at + marker.size());
  const size_t dash = name.rfind('-');
  return dash == std::string::npos ? name : name.substr(0, dash);
}

void CheckService(Report& report, const ServiceSettings& service) {
  for (const auto& [name, value_from] : service.secrets) {
    const std::string path = ServicePath(service, "secrets." + name);
    if (!IsVariableName(name)) {
      report.Error(path, "secret-variable-name",
                   "\"" + name + "\" is not an environment variable name",
                   "use letters, digits and _, not starting with a digit, e.g. DB_PASSWORD");
      continue;
    }
    Result<secrets::ValueFrom> parsed = secrets::ParseValueFrom(value_from);
    if (!parsed.ok()) {
      report.Error(path, "secret-value-from", parsed.status().message(),
                   "write the secret's name (\"" + service.name + "\"), optionally with "
                   "\":json-key:version-stage:version-id\" (\"" + service.name +
                       ":PORT::\"), or its full ARN");
      continue;
    }
    if (service.environment.count(name) != 0) {
      report.Error(path, "secret-name-in-environment",
                   name + " is both a secret and an environment variable",
                   "remove it from one of `secrets` and `environment`");
    }
    if (IsAgentVariable(name)) {
      report.Warning(path, "secret-overridden-locally",
                     name + " is set by drydock's agent in the local runtime (PORT is the "
                            "task's host port), so the secret's value does not reach the task "
                            "locally",
                     "expose the secret under another name");
    }
    const std::string vault = VaultName(*parsed);
    if (vault != service.name) {
      report.Warning(path, "secret-other-vault",
                     "service " + service.name + " reads vault \"" + vault +
                         "\", but its execution role may read only its own vault \"" +
                         service.name + "\": its tasks will stop with "
                         "ResourceInitializationError (AccessDeniedException)",
                     "read the value from the " + service.name + " vault, or grant the role "
                     "access (drydock iam attach)");
    }
  }
}

}  // namespace

void CheckSecrets(Report& report) {
  for (const ServiceSettings& service : report.settings().services) CheckService(report, service);
}

}  // namespace drydock::validate
