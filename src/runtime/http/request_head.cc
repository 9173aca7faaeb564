#include "runtime/http/request_head.h"

#include <algorithm>
#include <limits>

#include <boost/asio/buffer.hpp>
#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>

namespace drydock::runtime {

RequestHeadScan ScanRequestHead(std::string_view data, size_t max_header_bytes) {
  RequestHeadScan scan;
  while (data.substr(0, 2) == "\r\n") {
    data.remove_prefix(2);
    scan.skipped += 2;
  }
  // Only the first max_header_bytes can hold an acceptable head.
  const size_t end = data.substr(0, max_header_bytes).find("\r\n\r\n");
  if (end != std::string_view::npos) {
    scan.kind = RequestHeadScan::Kind::kComplete;
    scan.length = end + 4;
  } else if (data.size() >= max_header_bytes) {
    scan.kind = RequestHeadScan::Kind::kTooLarge;
  }
  return scan;
}

bool HasObsFold(std::string_view head) {
  for (size_t at = head.find("\r\n"); at != std::string_view::npos; at = head.find("\r\n", at + 2)) {
    if (at + 2 < head.size() && (head[at + 2] == ' ' || head[at + 2] == '\t')) return true;
  }
  return false;
}

RequestHeadVerdict CheckRequestHead(std::string_view data, size_t max_header_bytes) {
  namespace http = boost::beast::http;
  RequestHeadVerdict verdict;
  const RequestHeadScan scan = ScanRequestHead(data, max_header_bytes);
  if (scan.kind == RequestHeadScan::Kind::kNeedMore) return verdict;
  verdict.kind = RequestHeadVerdict::Kind::kRefused;
  if (scan.kind == RequestHeadScan::Kind::kTooLarge) {
    verdict.refusal = {431, "request header too large"};
    return verdict;
  }
  // The proxy's parser type and limits (src/proxy/proxy.cc).
  http::request_parser<http::buffer_body> parser;
  parser.header_limit(static_cast<std::uint32_t>(
      std::min<size_t>(max_header_bytes, std::numeric_limits<std::uint32_t>::max())));
  parser.body_limit(std::numeric_limits<std::uint64_t>::max());
  const std::string_view head = data.substr(scan.skipped, scan.length);
  std::optional<RequestHeadRefusal> refusal =
      AcceptRequestHead(head, parser, [](auto& p, std::string_view bytes) {
        boost::system::error_code ec;
        RequestHeadPut put;
        put.used = p.put(boost::asio::buffer(bytes.data(), bytes.size()), ec);
        put.header_done = p.is_header_done();
        put.too_large = ec == http::error::header_limit;
        if (ec) put.error = ec.message();
        return put;
      });
  if (refusal) {
    verdict.refusal = std::move(*refusal);
    return verdict;
  }
  verdict.kind = RequestHeadVerdict::Kind::kAccepted;
  verdict.consumed = scan.skipped + scan.length;
  const auto& message = parser.get();
  verdict.method.assign(message.method_string().data(), message.method_string().size());
  verdict.target.assign(message.target().data(), message.target().size());
  verdict.version = static_cast<int>(message.version());
  verdict.keep_alive = parser.keep_alive();
  verdict.chunked = parser.chunked();
  if (const auto length = parser.content_length()) verdict.content_length = *length;
  verdict.host_count = message.base().count("Host");
  return verdict;
}

}  // namespace drydock::runtime
