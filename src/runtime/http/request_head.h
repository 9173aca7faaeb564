// The load balancer's acceptance rules for an HTTP/1.1 request head (request
// line and header fields up to the blank line), kept free of Asio and of
// coroutines so that they can be unit-tested and fuzzed (http_request_fuzz.cc)
// without the proxy, which clang cannot build.
//
// The proxy (src/proxy/proxy.cc) reads a head in three steps, all of them here:
//   1. ScanRequestHead on the bytes received so far: skip empty lines, find the
//      blank line, or give up at `max_header_bytes` (431);
//   2. AcceptRequestHead on the complete head: refuse obsolete line folding on
//      the raw bytes, parse with Beast's request_parser through the caller's
//      `put` (one parse: the caller's parser goes on to read the body), then
//      refuse ambiguous framing (runtime/http/framing.h) and a bad Host count;
//   3. the caller consumes ScanRequestHead's `skipped` + `length` bytes.
// CheckRequestHead does all three on a string with its own Beast parser: the
// entry point of tests and of the fuzz target.
//
// This header does not include Boost: AcceptRequestHead is a template over the
// parser, which only a translation unit that includes Beast can instantiate.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "runtime/http/framing.h"

namespace drydock::runtime {

// Why a request head is refused: the status to answer (400 or 431, after
// which the connection is closed) and a short text for the body.
struct RequestHeadRefusal {
  int status = 400;
  std::string message;
  bool operator==(const RequestHeadRefusal&) const = default;
};

// Step 1. Where the head ends in the bytes received so far.
struct RequestHeadScan {
  enum class Kind {
    kNeedMore,  // no blank line yet and still under the limit: read more
    kComplete,  // a head of `length` bytes starts at `skipped`
    kTooLarge,  // the head does not fit in `max_header_bytes`: 431
  };
  Kind kind = Kind::kNeedMore;
  // Leading empty lines (CRLF pairs, RFC 9112 §2.2) to drop, with any kind.
  size_t skipped = 0;
  // kComplete: bytes from the request line to the blank line, included
  // (at most max_header_bytes).
  size_t length = 0;
  bool operator==(const RequestHeadScan&) const = default;
};

// Pure; O(size of `data`). Feeding the bytes in any cuts (dropping `skipped`
// bytes after each call) gives the same result as feeding them at once.
RequestHeadScan ScanRequestHead(std::string_view data, size_t max_header_bytes);

// A field line that starts with a space or tab continues the previous one
// (obsolete line folding, RFC 9112 §5.2); Beast unfolds it, we refuse it.
bool HasObsFold(std::string_view head);

// What the caller's parser did with one put() of a whole head.
struct RequestHeadPut {
  size_t used = 0;  // bytes the parser consumed
  bool header_done = false;  // the parser has the whole header
  bool too_large = false;  // the parser's header_limit was hit
  std::string error;  // the parser's error, if any (empty: none)
};

// Step 2. `head` is a kComplete head (ScanRequestHead). `put(parser, head)`
// gives it to a Beast http::request_parser in one call and reports the result
// as a RequestHeadPut; the parser must be fresh and its header_limit set. On
// nullopt the parser holds the accepted header (and nothing of a body). The
// order of the checks decides which refusal wins and is part of the contract.
template <typename Parser, typename Put>
std::optional<RequestHeadRefusal> AcceptRequestHead(std::string_view head, Parser& parser, Put&& put) {
  if (HasObsFold(head)) return RequestHeadRefusal{400, "obsolete line folding"};
  const RequestHeadPut result = put(parser, head);
  if (result.too_large) return RequestHeadRefusal{431, "request header too large"};
  if (!result.error.empty() || !result.header_done) {
    return RequestHeadRefusal{400, "malformed request: " +
                                       (result.error.empty() ? std::string("incomplete header") : result.error)};
  }
  // The head ends at its first blank line, so the parser must end there too;
  // anything else would leave header bytes to be read as a body.
  if (result.used != head.size()) return RequestHeadRefusal{400, "malformed request: header ends early"};
  const auto& fields = parser.get().base();
  if (std::optional<std::string> problem = FramingProblemOf(fields)) return RequestHeadRefusal{400, *problem};
  // RFC 9112 §3.2: exactly one Host in HTTP/1.1; two could route differently.
  const size_t hosts = fields.count("Host");
  if (hosts > 1) return RequestHeadRefusal{400, "duplicate Host"};
  if (hosts == 0 && parser.get().version() >= 11) return RequestHeadRefusal{400, "missing Host"};
  return std::nullopt;
}

// Steps 1 and 2 on `data` (a request head and possibly more), with a Beast
// request_parser of the proxy's own type.
struct RequestHeadVerdict {
  enum class Kind { kAccepted, kRefused, kNeedMore };
  Kind kind = Kind::kNeedMore;
  RequestHeadRefusal refusal;  // kRefused
  size_t consumed = 0;  // kAccepted: skipped empty lines + the head
  // kAccepted: what the parser made of the head.
  std::string method;
  std::string target;
  int version = 11;  // 10 or 11
  bool keep_alive = false;
  bool chunked = false;
  std::optional<uint64_t> content_length;
  size_t host_count = 0;
};

RequestHeadVerdict CheckRequestHead(std::string_view data, size_t max_header_bytes);

}  // namespace drydock::runtime
