// The sections of the text rendering of a plan (render_text*.cc).
#pragma once

#include <string>

#include "plan/plan.h"

namespace drydock::plan {

std::string RenderResourcesText(const Plan& plan);
std::string RenderCapacityText(const Plan& plan);
std::string RenderCostText(const Plan& plan);

// "key=value" as the text output shows one attribute: strings quoted with
// JSON escapes, references bare, lists in brackets.
std::string AttributeText(const Attribute& attribute);

// Section heading: the title underlined with '='.
std::string Heading(const std::string& title);

}  // namespace drydock::plan
