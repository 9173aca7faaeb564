#include "validate/validate.h"

#include "validate/report.h"
#include "validate/rules.h"

namespace drydock::validate {

config::Diagnostics Validate(const config::Config& config) {
  Report report(config);
  CheckNetwork(report);
  CheckListenAddress(report);
  CheckHttps(report);
  CheckArns(report);
  CheckNames(report);
  CheckListenerRules(report);
  CheckTargetGroups(report);
  CheckCapacity(report);
  CheckTaskSizes(report);
  CheckPlacement(report);
  CheckDeployments(report);
  CheckServices(report);
  CheckSecrets(report);
  return report.Take();
}

}  // namespace drydock::validate
