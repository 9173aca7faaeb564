#include "control/cluster_from_settings.h"

#include "aws/iam_names.h"

namespace drydock::control {
namespace {

state::NetworkMode ParseNetworkMode(const std::string& mode) {
  if (mode == "bridge") return state::NetworkMode::kBridge;
  if (mode == "host") return state::NetworkMode::kHost;
  return state::NetworkMode::kAwsvpc;
}

}  // namespace

state::Snapshot SnapshotFromSettings(const config::Settings& settings, TimePoint now) {
  state::Snapshot snapshot;
  snapshot.identity.cluster_name = settings.cluster_name;
  snapshot.identity.region = settings.region;
  snapshot.group = {settings.cluster_name + "-asg", settings.asg_min_size, settings.asg_max_size,
                    settings.asg_desired_capacity};
  for (const config::ServiceSettings& service : settings.services) {
    state::TaskDefinition definition;
    definition.family = service.name;
    definition.cpu_units = service.cpu;
    definition.memory_mib = service.memory;
    definition.network_mode = ParseNetworkMode(settings.network_mode);
    definition.container = {service.name,        service.image,          service.command,
                            service.environment, service.container_port, service.stop_timeout,
                            {}};
    for (const auto& [name, value_from] : service.secrets) {
      definition.container.secrets.push_back({name, value_from});
    }
    definition.execution_role_arn =
        aws::IamRoleArn(snapshot.identity.account_id,
                        aws::ExecutionRoleName(settings.cluster_name, service.name));
    snapshot.services.push_back({service.name, definition.FamilyRevision(), service.desired_count,
                                 state::ServiceStatus::kActive, now});
    snapshot.task_definitions.push_back(std::move(definition));
  }
  return snapshot;
}

}  // namespace drydock::control
