// Text form of a plan: resources per module, capacity, cost, notes.
#include <fmt/format.h>

#include <algorithm>

#include "base/strings.h"
#include "plan/plan.h"
#include "plan/render_text_sections.h"

namespace drydock::plan {
namespace {

std::string Quote(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

std::string ListText(const std::vector<std::string>& items, bool quoted) {
  std::vector<std::string> parts;
  for (const std::string& item : items) parts.push_back(quoted ? Quote(item) : item);
  return "[" + Join(parts, ", ") + "]";
}

std::string ModuleText(const Plan& plan, const std::string& module) {
  std::vector<const Resource*> members;
  size_t width = 0;
  for (const Resource& r : plan.resources) {
    if (r.module != module) continue;
    members.push_back(&r);
    width = std::max(width, r.Address().size());
  }
  std::string out = fmt::format("module.{} ({} to add)\n", module, members.size());
  for (const Resource* r : members) {
    std::string line = "  + " + r->Address();
    if (!r->attributes.empty()) line += std::string(width - r->Address().size() + 2, ' ');
    std::vector<std::string> attributes;
    for (const Attribute& a : r->attributes) attributes.push_back(AttributeText(a));
    out += line + Join(attributes, " ") + "\n";
  }
  return out;
}

}  // namespace

std::string Heading(const std::string& title) {
  return title + "\n" + std::string(title.size(), '=') + "\n\n";
}

std::string AttributeText(const Attribute& a) {
  switch (a.kind) {
    case Attribute::Kind::kString:
      return a.key + "=" + Quote(a.text);
    case Attribute::Kind::kNumber:
      return a.key + "=" + FormatNumber(a.number);
    case Attribute::Kind::kBool:
      return a.key + "=" + (a.flag ? "true" : "false");
    case Attribute::Kind::kStringList:
      return a.key + "=" + ListText(a.items, true);
    case Attribute::Kind::kReference:
      return a.key + "=" + a.text;
    case Attribute::Kind::kReferenceList:
      return a.key + "=" + ListText(a.items, false);
  }
  return a.key;
}

std::string RenderResourcesText(const Plan& plan) {
  std::string out = Heading(fmt::format("Resources: {} to add", plan.resources.size()));
  for (const std::string& module : plan.modules) out += ModuleText(plan, module) + "\n";
  return out;
}

std::string RenderText(const Plan& plan) {
  std::string out =
      fmt::format("drydock plan: {} resources in {} modules, cluster \"{}\" in {}\n\n",
                  plan.resources.size(), plan.modules.size(), plan.cluster_name, plan.region);
  out += RenderResourcesText(plan);
  out += RenderCapacityText(plan);
  out += RenderCostText(plan);
  out += Heading("Notes");
  for (const std::string& note : plan.notes) out += "  - " + note + "\n";
  return out;
}

}  // namespace drydock::plan
