// Test-only: the actions of one kind a controller planned, in plan order.
#pragma once

#include <variant>
#include <vector>

#include "control/actions.h"

namespace drydock::control::testing {

template <typename T>
std::vector<T> ActionsOf(const Plan& plan) {
  std::vector<T> out;
  for (const Action& action : plan.actions) {
    if (const T* a = std::get_if<T>(&action)) out.push_back(*a);
  }
  return out;
}

}  // namespace drydock::control::testing
