// ALB listener rules: one per service, priority + path-pattern condition
// (rulebook section 6).
#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "aws/alb_rules.h"
#include "base/strings.h"
#include "validate/rules.h"

namespace drydock::validate {
namespace {

using config::ServiceSettings;

constexpr const char* kAllowedChars = "A-Z a-z 0-9 _ - . $ / ~ \" ' @ : + & * ?";

// The smallest priority above `priority` that no service uses.
int FreePriorityAbove(int priority, const std::set<int>& used) {
  int candidate = priority + 1;
  while (used.count(candidate) > 0) ++candidate;
  return std::min(candidate, aws::kMaxListenerPriority);
}

void CheckPriorities(Report& report) {
  const std::vector<ServiceSettings>& services = report.settings().services;
  std::set<int> used;
  for (const ServiceSettings& service : services) used.insert(service.priority);
  for (size_t i = 0; i < services.size(); ++i) {
    const ServiceSettings& service = services[i];
    const std::string setting = ServicePath(service, "priority");
    if (!RequireRange(report, setting, "listener-priority-range", service.priority,
                      aws::kMinListenerPriority, aws::kMaxListenerPriority,
                      "ALB listener rule priorities")) {
      continue;
    }
    for (size_t j = 0; j < i; ++j) {
      if (services[j].priority != service.priority) continue;
      const std::string other = ServicePath(services[j], "priority");
      report.Error(setting, "listener-priority-duplicate",
                   "priority " + Str(service.priority) + " of service " + service.name + " (" +
                       report.Where(setting) + ") is also used by service " + services[j].name +
                       " (" + report.Where(other) + "); a listener accepts each priority once",
                   "give " + service.name + " an unused priority, e.g. priority = " +
                       Str(FreePriorityAbove(service.priority, used)));
      break;
    }
  }
}

void CheckPatternValue(Report& report, const ServiceSettings& service, size_t index) {
  const std::string setting = ServicePath(service, "path_pattern");
  const std::string shown = setting + "[" + std::to_string(index) + "]";
  const config::SourcePos pos = report.ElementPos(setting, index);
  const std::string& pattern = service.path_pattern[index];
  if (pattern.empty() || pattern.size() > aws::kMaxPathPatternLength) {
    report.ErrorAt(pos, shown, "path-pattern-length",
                   pattern.empty() ? std::string("the pattern is empty")
                                   : "the pattern is " + Str(static_cast<int>(pattern.size())) +
                                         " characters long",
                   "ALB path patterns are 1..128 characters; " +
                       std::string(pattern.empty() ? "write one, e.g. \"/app*\""
                                                   : "shorten it, using * for the tail"));
    return;
  }
  const size_t bad = aws::FindInvalidPathPatternChar(pattern);
  if (bad != std::string::npos) {
    size_t length = 1;
    const std::string shown_char = DescribeChar(pattern, bad, &length);
    report.ErrorAt(pos, shown, "path-pattern-character",
                   Quote(pattern) + " contains " + shown_char + " at column " +
                       Str(static_cast<int>(bad + 1)) +
                       " of the pattern; ALB path patterns allow only " + kAllowedChars,
                   "remove " + shown_char + " or replace it with ? (any one character)");
  }
  const char first = pattern.front();
  if (first != '/' && first != '*' && first != '?') {
    report.WarningAt(pos, shown, "path-pattern-no-leading-slash",
                     Quote(pattern) +
                         " never matches: ALB compares patterns with the whole "
                         "request path, which always starts with '/'",
                     "write " + Quote("/" + pattern));
  }
}

void CheckPathPatterns(Report& report, const ServiceSettings& service) {
  const std::string setting = ServicePath(service, "path_pattern");
  const std::vector<std::string>& patterns = service.path_pattern;
  if (patterns.empty()) {
    report.Error(setting, "path-pattern-empty",
                 "the list is empty; the listener rule of service " + service.name +
                     " needs at least one path pattern",
                 "list the paths it serves, e.g. path_pattern = [\"/" + service.name + "*\"]");
    return;
  }
  if (patterns.size() > static_cast<size_t>(aws::kMaxValuesPerCondition)) {
    report.Error(setting, "path-pattern-too-many-values",
                 "has " + Str(static_cast<int>(patterns.size())) +
                     " values; an ALB condition takes at most 3 comparison strings (quota: 5 "
                     "condition values per rule, 3 per condition)",
                 "keep at most 3 patterns, merging some with a wildcard (\"/a*\" covers "
                 "\"/a1\" and \"/a2\")");
  }
  int wildcards = 0;
  for (size_t i = 0; i < patterns.size(); ++i) {
    CheckPatternValue(report, service, i);
    wildcards += aws::CountWildcards(patterns[i]);
  }
  if (wildcards > aws::kMaxWildcardsPerRule) {
    report.Error(setting, "path-pattern-wildcards",
                 "the patterns hold " + Str(wildcards) +
                     " wildcards (* and ?); an ALB rule allows at most 5 (quota \"condition "
                     "wildcards per rule\")",
                 "use fewer wildcards; one trailing * matches any tail");
  }
}

// The earlier (lower-priority-number) rule and pattern that cover `pattern`,
// or nullptr.
struct Cover {
  const ServiceSettings* service = nullptr;
  std::string outer;
};

Cover FindCover(const std::vector<const ServiceSettings*>& earlier, const std::string& pattern) {
  for (const ServiceSettings* service : earlier) {
    for (const std::string& outer : service->path_pattern) {
      if (aws::PathPatternCovers(outer, pattern)) return Cover{service, outer};
    }
  }
  return {};
}

// One covering rule and the later patterns it covers.
struct CoverGroup {
  const ServiceSettings* service;
  std::vector<std::string> covered;  // "\"/*\" covers \"/api/*\""
};

void WarnShadowed(Report& report, const ServiceSettings& later, const std::vector<Cover>& covers) {
  std::vector<CoverGroup> groups;
  int lowest = aws::kMaxListenerPriority;
  for (size_t i = 0; i < covers.size(); ++i) {
    auto group = std::find_if(groups.begin(), groups.end(),
                              [&](const CoverGroup& g) { return g.service == covers[i].service; });
    if (group == groups.end()) group = groups.insert(groups.end(), {covers[i].service, {}});
    group->covered.push_back(Quote(covers[i].outer) + " covers " + Quote(later.path_pattern[i]));
    lowest = std::min(lowest, covers[i].service->priority);
  }
  std::vector<std::string> parts;
  std::vector<std::string> names;
  for (const CoverGroup& group : groups) {
    const ServiceSettings& by = *group.service;
    parts.push_back("service " + by.name + " (priority " + Str(by.priority) + ", " +
                    report.Where(ServicePath(by, "priority")) + ": " + Join(group.covered, ", ") +
                    ")");
    names.push_back(by.name);
  }
  std::string fix = lowest > aws::kMinListenerPriority
                        ? "give " + later.name + " a priority below " + Str(lowest) +
                              " (lower numbers are evaluated first) or narrow the pattern of "
                        : "narrow the pattern of ";
  report.Warning(ServicePath(later, "path_pattern"), "listener-rule-shadowed",
                 "the rule of service " + later.name + " (priority " + Str(later.priority) +
                     ") never matches: every path it matches is matched first by " +
                     Join(parts, " and "),
                 fix + Join(names, ", "));
}

// A later rule is shadowed when each of its patterns is covered by some
// pattern of a rule with a smaller priority number.
void CheckShadowedRules(Report& report) {
  std::vector<const ServiceSettings*> rules;
  for (const ServiceSettings& service : report.settings().services) {
    if (service.priority >= aws::kMinListenerPriority &&
        service.priority <= aws::kMaxListenerPriority && !service.path_pattern.empty()) {
      rules.push_back(&service);
    }
  }
  std::stable_sort(rules.begin(), rules.end(),
                   [](const auto* a, const auto* b) { return a->priority < b->priority; });
  for (size_t k = 0; k < rules.size(); ++k) {
    std::vector<const ServiceSettings*> earlier;
    for (size_t e = 0; e < k && rules[e]->priority < rules[k]->priority; ++e) {
      earlier.push_back(rules[e]);
    }
    std::vector<Cover> covers;
    for (const std::string& pattern : rules[k]->path_pattern) {
      Cover cover = FindCover(earlier, pattern);
      if (cover.service == nullptr) break;
      covers.push_back(cover);
    }
    if (covers.size() == rules[k]->path_pattern.size()) WarnShadowed(report, *rules[k], covers);
  }
}

}  // namespace

void CheckListenerRules(Report& report) {
  CheckPriorities(report);
  for (const ServiceSettings& service : report.settings().services) {
    CheckPathPatterns(report, service);
  }
  CheckShadowedRules(report);
}

}  // namespace drydock::validate
