// PLACEHOLDER: being replaced by the real plan builder.
#include "plan/plan.h"
namespace drydock::plan {
Plan BuildPlan(const config::Config&) { return {}; }
std::string RenderText(const Plan&) { return "plan not built yet\n"; }
std::string RenderJson(const Plan&) { return "{}\n"; }
}  // namespace drydock::plan
