#include "alb/path_pattern.h"

#include <cstddef>

namespace drydock::alb {
namespace {

bool IsSchemeChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' ||
         c == '-' || c == '.';
}

// Length of the scheme of an absolute-form target ("http" in "http://h/p"),
// or 0 when `target` is not absolute form.
size_t SchemeLength(std::string_view target) {
  const size_t sep = target.find("://");
  if (sep == std::string_view::npos || sep == 0) return 0;
  const char first = target.front();
  if (!((first >= 'A' && first <= 'Z') || (first >= 'a' && first <= 'z'))) return 0;
  for (size_t i = 0; i < sep; ++i) {
    if (!IsSchemeChar(target[i])) return 0;
  }
  return sep;
}

}  // namespace

std::string_view PathOf(std::string_view request_target) {
  std::string_view rest = request_target;
  const size_t scheme = rest.empty() || rest.front() == '/' ? 0 : SchemeLength(rest);
  bool absolute = false;
  if (scheme > 0) {
    absolute = true;
    rest.remove_prefix(scheme + 3);
    const size_t path_start = rest.find_first_of("/?#");
    rest.remove_prefix(path_start == std::string_view::npos ? rest.size() : path_start);
  }
  const size_t end = rest.find_first_of("?#");
  if (end != std::string_view::npos) rest = rest.substr(0, end);
  if (absolute && rest.empty()) return "/";
  return rest;
}

}  // namespace drydock::alb
