// The ALB listener as drydock runs it: one HTTP listener whose rules are the
// services' path-pattern rules (rulebook section 6, "Rule evaluation"). Rules
// are evaluated in ascending priority, the first match wins, and the default
// action (a fixed 404) answers when nothing matches.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "base/time.h"
#include "config/spec/settings.h"

namespace drydock::alb {

// A fixed-response action.
struct FixedResponse {
  int status = 404;
  std::string content_type = "text/plain; charset=utf-8";
  std::string body;
};

// A forward rule with one path-pattern condition; the patterns are OR-ed.
struct ListenerRule {
  int priority = 0;
  std::vector<std::string> path_patterns;
  std::string target_group;  // "<service>-tg"
};

struct Listener {
  std::string address;  // host without brackets: "127.0.0.1", "::1"
  int port = 0;
  std::vector<ListenerRule> rules;  // kept sorted by ascending priority
  FixedResponse default_action;
  Duration idle_timeout{};
};

// Which action answers a request.
struct RouteDecision {
  const ListenerRule* rule = nullptr;  // nullptr: the default action
};

// The first rule, by ascending priority, with a pattern matching the path of
// `request_target` (see PathOf). REQUIRES: listener.rules sorted by priority.
// The decision points into `listener`.
RouteDecision Route(const Listener& listener, std::string_view request_target);

// Sorts rules by ascending priority (stable: equal priorities, which the
// validator rejects, keep their order).
void SortRules(std::vector<ListenerRule>& rules);

// The listener for a configuration: address and port from listen_address
// ("127.0.0.1:8080", "[::1]:8080"), one rule per service (its path_pattern
// values and priority, forwarding to "<service>-tg"), the default action a
// fixed 404, the idle timeout alb_idle_timeout seconds. Errors name the
// setting: a malformed listen_address, a priority outside 1..50000 or used
// twice, a service without path patterns, an idle timeout outside 1..4000.
Result<Listener> ListenerFromSettings(const config::Settings& settings);

struct ListenAddress {
  std::string host;  // without brackets: "127.0.0.1", "::1"
  int port = 0;
};

// Splits "HOST:PORT" / "[V6]:PORT" the way the validator's listen-address
// check accepts it (src/validate/network_rules.cc); port 1..65535, or
// 0..65535 with `any_port` (0: the kernel picks). Errors start with
// `what` ("listen_address", "--listen") and the text.
Result<ListenAddress> ParseListenAddress(std::string_view text, std::string_view what,
                                         bool any_port = false);

// The target group name the plan and the validator derive for a service.
std::string TargetGroupName(std::string_view service_name);

}  // namespace drydock::alb
