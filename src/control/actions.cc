#include "control/actions.h"

namespace drydock::control {
namespace {

template <class... Ts>
struct Overloaded : Ts... {
  using Ts::operator()...;
};
template <class... Ts>
Overloaded(Ts...) -> Overloaded<Ts...>;

std::string Or(const std::string& value, const char* fallback) {
  return value.empty() ? fallback : value;
}

}  // namespace

void Plan::Append(const Plan& other) {
  actions.insert(actions.end(), other.actions.begin(), other.actions.end());
}

std::string Describe(const Action& action) {
  return std::visit(
      Overloaded{
          [](const LaunchInstance& a) {
            return "launch " + a.instance_id + " " + a.instance_type + " " + a.availability_zone +
                   " " + state::LifecycleName(a.lifecycle) +
                   (a.protected_from_scale_in ? " protected" : "");
          },
          [](const SetInstanceState& a) {
            return "instance " + a.instance_id + " " + state::InstanceStateName(a.state);
          },
          [](const TerminateInstance& a) { return "terminate " + a.instance_id + ": " + a.reason; },
          [](const SetScaleInProtection& a) {
            return std::string(a.protected_from_scale_in ? "protect " : "unprotect ") +
                   a.instance_id;
          },
          [](const RegisterContainerInstance& a) {
            return "register " + a.instance_id + " " + a.container_instance_arn +
                   " cpu=" + std::to_string(a.registered.cpu_units) +
                   " memory=" + std::to_string(a.registered.memory_mib) +
                   " enis=" + std::to_string(a.registered.enis);
          },
          [](const StartTask& a) {
            return "start " + a.task_id + " " + a.task_definition + " on " +
                   Or(a.instance_id, "(unplaced)") +
                   (a.availability_zone.empty() ? "" : " " + a.availability_zone) +
                   (a.started_by.empty() ? "" : " by " + a.started_by);
          },
          [](const PlaceTask& a) {
            return "place " + a.task_id + " on " + a.instance_id + " " + a.availability_zone;
          },
          [](const StopTask& a) {
            return "stop " + a.task_id + " " + state::StopCodeName(a.stop_code) + ": " + a.reason;
          },
          [](const SetTaskHealth& a) {
            return "health " + a.task_id + " " + state::HealthStatusName(a.health);
          },
          [](const RegisterTaskDefinition& a) {
            return "register task definition " + a.definition.FamilyRevision();
          },
          [](const CreateDeployment& a) {
            return "deployment " + a.deployment_id + " of " + a.service + " to " +
                   a.task_definition + (a.rollback_of.empty() ? "" : " rolling back " + a.rollback_of);
          },
          [](const UpdateDeployment& a) {
            return "deployment " + a.deployment_id + " " + state::DeploymentStatusName(a.status) +
                   " " + state::RolloutStateName(a.rollout_state) +
                   " failed=" + std::to_string(a.failed_tasks) +
                   (a.rollout_state_reason.empty() ? "" : ": " + a.rollout_state_reason);
          },
          [](const EmitEvent& a) {
            return "event " + Or(a.service, "(cluster)") + ": " + a.message;
          },
      },
      action);
}

std::string Describe(const Plan& plan) {
  std::string out;
  for (const Action& action : plan.actions) out += Describe(action) + "\n";
  return out;
}

std::string TaskIdOf(const Action& action) {
  return std::visit(
      [](const auto& a) -> std::string {
        if constexpr (requires { a.task_id; }) {
          return a.task_id;
        } else {
          return "";
        }
      },
      action);
}

std::string InstanceIdOf(const Action& action) {
  return std::visit(
      [](const auto& a) -> std::string {
        if constexpr (requires { a.instance_id; }) {
          return a.instance_id;
        } else {
          return "";
        }
      },
      action);
}

}  // namespace drydock::control
