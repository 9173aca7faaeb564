// HTTP/1.1 messages for the control API and the stand-in app: value types,
// incremental decoders and encoders. Pure (no I/O). Decoding is Boost.Beast's
// parser behind a pimpl, tightened against request smuggling (see
// docs/control-api.md); no header of ours includes Boost.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace drydock::runtime {

using HttpHeaders = std::vector<std::pair<std::string, std::string>>;

struct HttpRequest {
  std::string method;  // as sent, e.g. "GET"
  std::string target;  // as sent, e.g. "/v1/services?limit=5"
  HttpHeaders headers;  // as received, in order
  std::string body;  // de-chunked
  // False after "Connection: close", or for HTTP/1.0 without keep-alive.
  bool keep_alive = true;

  bool operator==(const HttpRequest&) const = default;
};

struct HttpResponse {
  int status = 200;
  std::string content_type;  // no Content-Type header if empty
  std::string body;
  // Any other header; Content-Length, Transfer-Encoding and Connection are
  // the encoder's and are dropped from here. Decoded responses list here every
  // header but those and Content-Type.
  HttpHeaders extra_headers;

  bool operator==(const HttpResponse&) const = default;
};

// A request's or a chunk line's header part may not exceed this.
inline constexpr size_t kMaxHttpHeaderBytes = 16 * 1024;

struct HttpDecoderOptions {
  size_t max_body_bytes = 1 << 20;
  // Responses only: the answer to a HEAD request (headers, never a body).
  bool response_to_head = false;
};

// Why decoding failed: the status to answer with (400, 413, 431) and a
// message for the {"error": ...} body.
struct HttpError {
  int status = 400;
  std::string message;

  bool operator==(const HttpError&) const = default;
};

// Splits a byte stream into messages (HttpRequest or HttpResponse). The result
// does not depend on how the bytes were cut into Feed() calls. Beyond Beast's
// own checks it refuses Content-Length together with Transfer-Encoding, a
// repeated or list-valued Content-Length, a repeated Transfer-Encoding and any
// Transfer-Encoding but "chunked".
template <typename Message>
class HttpDecoder {
 public:
  enum class State { kNeedMore, kMessage, kError };
  struct Step {
    State state = State::kNeedMore;
    Message message;  // if kMessage
    HttpError error;  // if kError
  };

  explicit HttpDecoder(HttpDecoderOptions options = {});
  HttpDecoder(HttpDecoder&&) noexcept;
  HttpDecoder& operator=(HttpDecoder&&) noexcept;
  ~HttpDecoder();

  // Appends `bytes` and decodes at most one message. Bytes past a decoded
  // message stay buffered: call Feed({}) until kNeedMore to get pipelined
  // ones. After kError the decoder is spent and repeats that error.
  Step Feed(std::string_view bytes);
  // The peer closed its side (call after Feed returned kNeedMore): completes
  // a response delimited by the close; kError if a message was cut short;
  // kNeedMore if nothing was pending.
  Step Finish();
  // True if no byte of an unfinished message is buffered.
  bool idle() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

using HttpRequestDecoder = HttpDecoder<HttpRequest>;
using HttpResponseDecoder = HttpDecoder<HttpResponse>;

// Always sends Content-Length, and "Connection: close" unless keep_alive.
// REQUIRES: header names are tokens; values hold no CR, LF or NUL.
std::string EncodeResponse(const HttpResponse& response, bool keep_alive);
// HTTP/1.1 request line, request.headers (but the framing ones, as above),
// Content-Length, and "Connection: close" unless request.keep_alive.
// REQUIRES: as EncodeResponse; target holds no space or control character.
std::string EncodeRequest(const HttpRequest& request);

// `status` with Content-Type application/json and body {"error": message}.
HttpResponse JsonErrorResponse(int status, std::string_view message);

}  // namespace drydock::runtime
