#include "control/scheduler/event_emitter.h"

#include <utility>

namespace drydock::control {

EventEmitter::EventEmitter(const state::Snapshot& snapshot) {
  std::map<std::string, int64_t> latest_id;
  for (const state::ServiceEvent& event : snapshot.events) {
    // The highest id is the latest, whatever order the store returned.
    auto [it, inserted] = latest_id.try_emplace(event.service, event.id);
    if (inserted || event.id >= it->second) {
      it->second = event.id;
      last_[event.service] = event.message;
    }
  }
}

void EventEmitter::Emit(const std::string& service, const std::string& message, Plan* plan) {
  auto [it, inserted] = last_.try_emplace(service, message);
  if (!inserted) {
    if (it->second == message) return;
    it->second = message;
  }
  plan->Add(EmitEvent{service, message});
}

}  // namespace drydock::control
