// Test helpers for the plan layer: the origin configuration built by hand
// (the defaults of Settings are the origin's values; the services are added).
#pragma once

#include <string>

#include "config/spec/origin_fixture.h"
#include "config/spec/settings.h"
#include "plan/plan.h"

namespace drydock::plan::testing {

using config::testing::OriginService;

inline config::Config OriginConfig() {
  return config::testing::OriginConfig("examples/origin/terraform.tfvars");
}

// The resource `address` ("aws_lb.main") of `module`, or nullptr.
inline const Resource* FindResource(const Plan& plan, const std::string& module,
                                    const std::string& address) {
  for (const Resource& r : plan.resources) {
    if (r.module == module && r.Address() == address) return &r;
  }
  return nullptr;
}

// An attribute as text: numbers whole, bools true/false, lists joined with ",".
inline std::string AttributeText(const Resource& r, const std::string& key) {
  for (const Attribute& a : r.attributes) {
    if (a.key != key) continue;
    switch (a.kind) {
      case Attribute::Kind::kNumber:
        return std::to_string(static_cast<long long>(a.number));
      case Attribute::Kind::kBool:
        return a.flag ? "true" : "false";
      case Attribute::Kind::kStringList:
      case Attribute::Kind::kReferenceList: {
        std::string joined;
        for (const std::string& item : a.items) joined += (joined.empty() ? "" : ",") + item;
        return joined;
      }
      default:
        return a.text;
    }
  }
  return "<missing " + key + ">";
}

}  // namespace drydock::plan::testing
