// Task sizes: ECS minimums, and each task against the registered CPU units
// and memory of the configured instance types (rulebook sections 2 and 3).
#include <string>
#include <vector>

#include "aws/ecs_rules.h"
#include "base/strings.h"
#include "validate/instances.h"
#include "validate/rules.h"

namespace drydock::validate {
namespace {

using config::ServiceSettings;

bool Fits(const ServiceSettings& service, const aws::InstanceType& type) {
  return service.cpu <= type.registered_cpu_units() && service.memory <= type.registered_memory_mib;
}

std::string Figures(const aws::InstanceType& type) {
  return std::string(type.name) + " (" + Str(type.registered_cpu_units()) + " CPU units, " +
         Str(type.registered_memory_mib) + " MiB registered)";
}

std::string TaskFigures(const ServiceSettings& service) {
  return "the task of service " + service.name + " (" + Str(service.cpu) + " CPU units, " +
         Str(service.memory) + " MiB)";
}

void ReportFitsNone(Report& report, const ServiceSettings& service,
                    const std::vector<const aws::InstanceType*>& types) {
  const aws::InstanceType* largest = types[0];
  for (const aws::InstanceType* type : types) {
    if (type->registered_cpu_units() > largest->registered_cpu_units() ||
        (type->registered_cpu_units() == largest->registered_cpu_units() &&
         type->registered_memory_mib > largest->registered_memory_mib)) {
      largest = type;
    }
  }
  const bool cpu_short = service.cpu > largest->registered_cpu_units();
  const aws::InstanceType* suggestion = CheapestFitting(service.cpu, service.memory);
  std::string fix = cpu_short ? "lower cpu to at most " + Str(largest->registered_cpu_units())
                              : "lower memory to at most " + Str(largest->registered_memory_mib);
  if (suggestion != nullptr) {
    fix += ", or add an instance type that holds it, e.g. " + Figures(*suggestion);
  }
  report.Error(ServicePath(service, cpu_short ? "cpu" : "memory"), "task-fits-no-instance",
               TaskFigures(service) + " fits no configured instance type; the largest is " +
                   Figures(*largest) + ", so ECS can never place it",
               fix);
}

void ReportMissesSmallest(Report& report, const ServiceSettings& service,
                          const std::vector<const aws::InstanceType*>& types) {
  std::vector<std::string> misses;
  bool cpu_short = false;
  for (const aws::InstanceType* type : types) {
    if (Fits(service, *type)) continue;
    misses.push_back(Figures(*type));
    cpu_short = cpu_short || service.cpu > type->registered_cpu_units();
  }
  report.Warning(ServicePath(service, cpu_short ? "cpu" : "memory"),
                 "task-exceeds-smallest-instance",
                 TaskFigures(service) + " does not fit " + Join(misses, " or ") +
                     "; ECS's capacity-provider estimator ignores tasks that do not fit the "
                     "smallest configured type, so scale-out for them stalls",
                 "remove the smaller types from instance_type/spot_instance_types, or shrink "
                 "the task to fit them");
}

void CheckTaskSize(Report& report, const ServiceSettings& service,
                   const std::vector<const aws::InstanceType*>& types) {
  bool ok = true;
  if (service.cpu < aws::kMinTaskCpuUnits) {
    report.Error(ServicePath(service, "cpu"), "task-cpu-minimum",
                 Str(service.cpu) + " CPU units is below the ECS task minimum of 128",
                 "set cpu = 128 or more (1024 units = 1 vCPU)");
    ok = false;
  }
  if (service.memory < aws::kMinTaskMemoryMib) {
    report.Error(ServicePath(service, "memory"), "task-memory-minimum",
                 Str(service.memory) + " MiB is below the ECS minimum of 6 MiB",
                 "set memory = 6 or more (MiB)");
    ok = false;
  }
  if (!ok || types.empty()) return;
  int fitting = 0;
  for (const aws::InstanceType* type : types) fitting += Fits(service, *type) ? 1 : 0;
  if (fitting == 0) {
    ReportFitsNone(report, service, types);
  } else if (fitting < static_cast<int>(types.size())) {
    ReportMissesSmallest(report, service, types);
  }
}

}  // namespace

void CheckTaskSizes(Report& report) {
  const std::vector<const aws::InstanceType*> types = ConfiguredInstanceTypes(report.settings());
  for (const ServiceSettings& service : report.settings().services) {
    CheckTaskSize(report, service, types);
  }
}

}  // namespace drydock::validate
