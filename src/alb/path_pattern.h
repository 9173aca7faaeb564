// What ALB compares path patterns with (rulebook section 6, "Path pattern"):
// the raw URL path of a request target, without query string and fragment.
// The matching itself is aws::PathPatternMatches (src/aws/alb_rules.h), shared
// with the validator: a whole-path, case-sensitive glob where `*` matches zero
// or more characters (`/` included) and `?` exactly one.
#pragma once

#include <string_view>

namespace drydock::alb {

// The path of an HTTP request target, as ALB compares it:
//   origin form   "/p?q#f"          -> "/p"
//   absolute form "http://host/p?q" -> "/p"  ("http://host?q" -> "/")
// Anything else ("*", "host:443") is returned without its query and fragment.
// The result views `request_target` (or a static "/").
std::string_view PathOf(std::string_view request_target);

}  // namespace drydock::alb
