#include "runtime/http/framing.h"

#include <algorithm>
#include <cctype>

namespace drydock::runtime {

std::optional<std::string> FramingProblem(const FramingFields& fields) {
  if (fields.content_length_count > 1) return "duplicate Content-Length";
  if (fields.transfer_encoding_count > 1) return "duplicate Transfer-Encoding";
  if (fields.content_length_count > 0 && fields.transfer_encoding_count > 0) {
    return "both Content-Length and Transfer-Encoding";
  }
  const std::string_view length = fields.content_length;
  if (fields.content_length_count > 0 &&
      (length.empty() ||
       !std::all_of(length.begin(), length.end(), [](char c) { return c >= '0' && c <= '9'; }))) {
    return "invalid Content-Length";
  }
  const std::string_view coding = fields.transfer_encoding;
  const bool chunked = coding.size() == 7 && std::equal(coding.begin(), coding.end(), "chunked",
                                                        [](char a, char b) {
                                                          return std::tolower(static_cast<unsigned char>(a)) == b;
                                                        });
  if (fields.transfer_encoding_count > 0 && !chunked) {
    return "unsupported Transfer-Encoding (only chunked)";
  }
  return std::nullopt;
}

}  // namespace drydock::runtime
