// The message-framing refusals drydock adds on top of Boost.Beast's parser,
// shared by the control API's codec (http_codec.cc) and the load balancer
// (proxy/proxy.cc). Beast accepts "Content-Length: 5, 5", a repeated identical
// Content-Length, and Content-Length after a Transfer-Encoding other than
// chunked; an intermediary that frames such a message differently from the
// next hop enables request smuggling, so drydock refuses them all (400).
// Pure and Beast-free.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace drydock::runtime {

struct FramingFields {
  size_t content_length_count = 0;
  size_t transfer_encoding_count = 0;
  std::string_view content_length;     // the first Content-Length value, if any
  std::string_view transfer_encoding;  // the first Transfer-Encoding value, if any
};

// nullopt when the framing is unambiguous, else what is wrong.
std::optional<std::string> FramingProblem(const FramingFields& fields);

// The same for a parsed Beast header (boost::beast::http::fields), without
// this header including Beast: the caller's translation unit already does.
template <typename Fields>
std::optional<std::string> FramingProblemOf(const Fields& fields) {
  const auto length = fields.find("Content-Length");
  const auto coding = fields.find("Transfer-Encoding");
  auto value = [&](auto it) {
    return it == fields.end() ? std::string_view()
                              : std::string_view(it->value().data(), it->value().size());
  };
  return FramingProblem({fields.count("Content-Length"), fields.count("Transfer-Encoding"),
                         value(length), value(coding)});
}

}  // namespace drydock::runtime
