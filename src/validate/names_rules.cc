// Names: the ECS cluster and services, and the ELB names drydock derives from
// them (`<cluster_name>-alb`, `<service>-tg`), which have stricter rules.
#include <string>

#include "aws/alb_rules.h"
#include "aws/ecs_rules.h"
#include "validate/rules.h"

namespace drydock::validate {
namespace {

bool IsAlnum(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

// A name close to `name` that, followed by `suffix`, is a valid ELB name:
// other characters become hyphens, the result is cut to fit 32 characters and
// loses leading and trailing hyphens. "" when nothing usable is left.
std::string ElbSafeName(const std::string& name, const std::string& suffix) {
  std::string out;
  for (char c : name) {
    const char mapped = IsAlnum(c) ? c : '-';
    if (mapped == '-' && (out.empty() || out.back() == '-')) continue;
    out += mapped;
  }
  const size_t limit = aws::kMaxElbNameLength - suffix.size();
  if (out.size() > limit) out.resize(limit);
  while (!out.empty() && out.back() == '-') out.pop_back();
  if (out.rfind("internal", 0) == 0 && suffix == "-alb") out = "lb-" + out.substr(0, limit - 3);
  return out;
}

void CheckDerivedName(Report& report, const std::string& setting, const std::string& rule,
                      const std::string& base, const std::string& suffix, bool load_balancer) {
  const std::string derived = base + suffix;
  const std::string problem = aws::ElbNameProblem(derived, load_balancer);
  if (problem.empty()) return;
  const char* kind = load_balancer ? "load balancer" : "target group";
  const std::string safe = ElbSafeName(base, suffix);
  report.Error(
      setting, rule,
      std::string("drydock names the ") + kind + " " + Quote(derived) + ", which " + problem +
          " (ELB names: 1..32 letters, digits and hyphens, no hyphen first "
          "or last)",
      safe.empty()
          ? "choose a name of letters, digits and hyphens"
          : "rename it to " + Quote(safe) + " (" + kind + " " + Quote(safe + suffix) + ")");
}

void CheckCluster(Report& report) {
  const std::string& name = report.settings().cluster_name;
  const std::string problem = aws::EcsNameProblem(name);
  if (!problem.empty()) {
    report.Error("cluster_name", "cluster-name",
                 "the ECS cluster name " + Quote(name) + " " + problem,
                 "use 1..255 letters, digits, hyphens and underscores");
  }
  if (name.empty()) return;
  CheckDerivedName(report, "cluster_name", "load-balancer-name", name, "-alb", true);
}

void CheckService(Report& report, const config::ServiceSettings& service) {
  const std::string setting = "services." + service.name;
  const std::string problem = aws::EcsNameProblem(service.name);
  if (!problem.empty()) {
    report.Error(setting, "service-name",
                 "the ECS service name " + Quote(service.name) + " " + problem,
                 "use 1..255 letters, digits, hyphens and underscores");
  }
  if (service.name.empty()) return;
  CheckDerivedName(report, setting, "target-group-name", service.name, "-tg", false);
}

}  // namespace

void CheckNames(Report& report) {
  CheckCluster(report);
  for (const config::ServiceSettings& service : report.settings().services) {
    CheckService(report, service);
  }
}

}  // namespace drydock::validate
