// Service events with ECS's deduplication (rulebook section 9: "Placement-
// failure events are deduplicated"): an event identical to the service's
// previous event is not repeated. ECS also repeats a message after six hours;
// drydock does not (docs/control.md).
#pragma once

#include <map>
#include <string>

#include "control/actions.h"
#include "state/model.h"

namespace drydock::control {

class EventEmitter {
 public:
  // Remembers each service's latest event in `snapshot.events`.
  explicit EventEmitter(const state::Snapshot& snapshot);

  // Adds EmitEvent to `plan` unless `message` equals the service's latest.
  void Emit(const std::string& service, const std::string& message, Plan* plan);

 private:
  std::map<std::string, std::string> last_;
};

}  // namespace drydock::control
