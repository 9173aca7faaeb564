#include "alb/listener.h"

#include <algorithm>
#include <charconv>
#include <set>
#include <utility>

#include "alb/path_pattern.h"
#include "aws/alb_rules.h"

namespace drydock::alb {
namespace {

// The plan's listener default action (src/plan/resources_alb.cc): 404 "Not Found".
constexpr std::string_view kDefaultBody = "Not Found";

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

Result<ListenAddress> ParseListenAddress(std::string_view text, std::string_view what,
                                         bool any_port) {
  const std::string quoted = std::string(what) + " \"" + std::string(text) + "\"";
  const size_t colon = text.rfind(':');
  if (colon == std::string_view::npos) return InvalidArgument(quoted + " has no \":PORT\"");
  std::string_view h = text.substr(0, colon);
  const std::string_view p = text.substr(colon + 1);
  if (h.empty()) return InvalidArgument(quoted + " has no host before the port");
  const bool bracketed = h.front() == '[';
  if (bracketed != (h.back() == ']') || (!bracketed && h.find(':') != std::string_view::npos)) {
    return InvalidArgument(quoted +
                           " has a malformed host (write IPv6 addresses in brackets, like "
                           "[::1]:8080)");
  }
  if (bracketed) {
    h = h.substr(1, h.size() - 2);
    if (h.empty()) return InvalidArgument(quoted + " has empty brackets for a host");
  }
  const int low = any_port ? 0 : 1;
  const std::string range = std::to_string(low) + "..65535";
  if (p.empty() || p.size() > 5 || !std::all_of(p.begin(), p.end(), IsDigit)) {
    return InvalidArgument(quoted + " has no port number " + range + " after the colon");
  }
  int number = 0;
  std::from_chars(p.data(), p.data() + p.size(), number);
  if (number < low || number > 65535) {
    return InvalidArgument(quoted + " has port " + std::string(p) + ", outside " + range);
  }
  return ListenAddress{std::string(h), number};
}

std::string TargetGroupName(std::string_view service_name) {
  return std::string(service_name) + "-tg";
}

void SortRules(std::vector<ListenerRule>& rules) {
  std::stable_sort(rules.begin(), rules.end(), [](const ListenerRule& a, const ListenerRule& b) {
    return a.priority < b.priority;
  });
}

RouteDecision Route(const Listener& listener, std::string_view request_target) {
  const std::string_view path = PathOf(request_target);
  for (const ListenerRule& rule : listener.rules) {
    for (const std::string& pattern : rule.path_patterns) {
      if (aws::PathPatternMatches(pattern, path)) return RouteDecision{&rule};
    }
  }
  return RouteDecision{};
}

Result<Listener> ListenerFromSettings(const config::Settings& settings) {
  Listener listener;
  Result<ListenAddress> address = ParseListenAddress(settings.listen_address, "listen_address");
  if (!address.ok()) return address.status();
  listener.address = std::move(address->host);
  listener.port = address->port;
  if (settings.alb_idle_timeout < aws::kMinIdleTimeout ||
      settings.alb_idle_timeout > aws::kMaxIdleTimeout) {
    return InvalidArgument("alb_idle_timeout " + std::to_string(settings.alb_idle_timeout) +
                           " is outside 1..4000 seconds");
  }
  listener.idle_timeout = Seconds(settings.alb_idle_timeout);
  listener.default_action.body = std::string(kDefaultBody);

  std::set<int> priorities;
  for (const config::ServiceSettings& service : settings.services) {
    const std::string where = "services." + service.name;
    if (service.priority < aws::kMinListenerPriority ||
        service.priority > aws::kMaxListenerPriority) {
      return InvalidArgument(where + ".priority " + std::to_string(service.priority) +
                             " is outside 1..50000");
    }
    if (!priorities.insert(service.priority).second) {
      return InvalidArgument(where + ".priority " + std::to_string(service.priority) +
                             " is used by another service; listener priorities are unique");
    }
    if (service.path_pattern.empty()) {
      return InvalidArgument(where + ".path_pattern is empty; a listener rule needs a pattern");
    }
    listener.rules.push_back(ListenerRule{.priority = service.priority,
                                          .path_patterns = service.path_pattern,
                                          .target_group = TargetGroupName(service.name)});
  }
  SortRules(listener.rules);
  return listener;
}

}  // namespace drydock::alb
