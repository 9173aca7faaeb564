// The only translation unit that includes Boost.Beast (slow to compile).
#include "runtime/http/http_codec.h"

#include <algorithm>
#include <exception>
#include <optional>
#include <type_traits>

#include <boost/asio/buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/status.hpp>
#include <boost/beast/http/string_body.hpp>
#include <nlohmann/json.hpp>

#include "runtime/http/framing.h"

namespace drydock::runtime {
namespace {

namespace beast = boost::beast;
namespace http = boost::beast::http;

std::string ToString(beast::string_view view) { return std::string(view.data(), view.size()); }

HttpError HeaderTooLarge() {
  return {431, "header larger than " + std::to_string(kMaxHttpHeaderBytes) + " bytes"};
}

// The shared framing refusals (framing.h) on a parsed header.
std::optional<HttpError> CheckFraming(const http::fields& fields) {
  if (std::optional<std::string> problem = FramingProblemOf(fields)) return HttpError{400, *problem};
  return std::nullopt;
}

bool IsFramingHeader(const std::string& name) {
  return beast::iequals(name, "Content-Length") || beast::iequals(name, "Transfer-Encoding") ||
         beast::iequals(name, "Connection");
}

// Headers, framing headers and body.
void AppendRest(const HttpHeaders& headers, const std::string& body, bool keep_alive,
                std::string& out) {
  for (const auto& [name, value] : headers) {
    if (!IsFramingHeader(name)) out += name + ": " + value + "\r\n";
  }
  out += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  if (!keep_alive) out += "Connection: close\r\n";
  out += "\r\n";
  out += body;
}

}  // namespace

template <typename Message>
class HttpDecoder<Message>::Impl {
 public:
  explicit Impl(HttpDecoderOptions options) : options_(options) { Reset(); }

  Step Feed(std::string_view bytes);
  Step Finish();
  bool idle() const { return buffer_.empty() && !parser_->got_some(); }

 private:
  static constexpr bool kIsRequest = std::is_same_v<Message, HttpRequest>;
  using Parser = http::parser<kIsRequest, http::string_body>;

  void Reset();
  Step Fail(HttpError error);
  Step Complete();
  HttpError ErrorFor(const beast::error_code& ec) const;
  HttpError Malformed(const std::string& what) const;
  // How many buffered bytes Beast may see now; 0 until that is decided.
  size_t Window();

  const HttpDecoderOptions options_;
  std::string buffer_;  // bytes parser_ has not consumed
  size_t scanned_ = 0;  // Window()'s delimiter does not start before this
  size_t tried_ = 0;  // chunked: Beast wanted more than this many bytes
  bool header_checked_ = false;
  std::optional<Parser> parser_;  // a Beast parser cannot be reset: re-emplaced
  std::optional<HttpError> error_;
};

template <typename Message>
void HttpDecoder<Message>::Impl::Reset() {
  parser_.emplace();
  parser_->header_limit(static_cast<std::uint32_t>(kMaxHttpHeaderBytes));
  parser_->body_limit(options_.max_body_bytes);
  parser_->eager(false);  // stop after the header, for CheckFraming
  if constexpr (!kIsRequest) parser_->skip(options_.response_to_head);
  header_checked_ = false;
  scanned_ = 0;
  tried_ = 0;
}

template <typename Message>
typename HttpDecoder<Message>::Step HttpDecoder<Message>::Impl::Fail(HttpError error) {
  error_ = error;
  return Step{State::kError, {}, std::move(error)};
}

// Beast's verdict may depend on bytes past the line it parses (a version
// shorter than 8 bytes; a quoted chunk extension, scanned to the end of the
// buffer), so what it sees must not depend on how the bytes arrived: a whole
// header; in a chunked body whole lines, one more each time it wants more;
// and never over 16 KiB, which bounds an endless chunk line or trailer.
template <typename Message>
size_t HttpDecoder<Message>::Impl::Window() {
  const std::string_view buffer = std::string_view(buffer_).substr(0, kMaxHttpHeaderBytes);
  std::string_view delimiter = "\r\n";
  size_t from = scanned_;
  if (!parser_->is_header_done()) {
    delimiter = "\r\n\r\n";
  } else if (parser_->chunked()) {
    // Past the CRLF that may end the previous chunk's data, and past the
    // lines Beast found too few.
    from = std::max(from, tried_ == 0 ? size_t{1} : tried_ - 1);
  } else {
    return buffer.size();  // a counted body: any cut will do
  }
  const size_t at = buffer.find(delimiter, from);
  if (at != std::string_view::npos) return at + delimiter.size();
  if (buffer.size() == kMaxHttpHeaderBytes) return buffer.size();
  scanned_ = std::max(scanned_, buffer.size() < delimiter.size() ? 0 : buffer.size() - delimiter.size() + 1);
  return 0;
}

template <typename Message>
typename HttpDecoder<Message>::Step HttpDecoder<Message>::Impl::Feed(std::string_view bytes) {
  if (error_) return Step{State::kError, {}, *error_};
  buffer_.append(bytes);
  while (true) {
    const size_t window = Window();
    if (window == 0) return Step{};
    const bool in_header = !parser_->is_header_done();
    beast::error_code ec;
    size_t used = 0;
    try {
      used = parser_->put(boost::asio::const_buffer(buffer_.data(), window), ec);
    } catch (const std::exception& e) {  // allocation failures; protocol errors come in ec
      return Fail({500, std::string("cannot decode the message: ") + e.what()});
    }
    if (used > 0) {
      buffer_.erase(0, used);
      scanned_ = 0;
    }
    tried_ = 0;
    if (ec == http::error::need_more) {
      if (in_header) {
        return Fail(window == kMaxHttpHeaderBytes ? HeaderTooLarge() : Malformed("incomplete start line or field"));
      }
      if (window == kMaxHttpHeaderBytes && used == 0) {
        return Fail({400, "chunk line or trailer longer than " + std::to_string(kMaxHttpHeaderBytes) + " bytes"});
      }
      tried_ = window - used;  // show Beast one more line
      continue;
    }
    if (ec) return Fail(ErrorFor(ec));
    if (!header_checked_ && parser_->is_header_done()) {
      if (std::optional<HttpError> error = CheckFraming(parser_->get().base())) return Fail(*error);
      header_checked_ = true;
      parser_->eager(true);
    }
    if (parser_->is_done()) return Complete();
    if (used == 0) return Step{};
  }
}

template <typename Message>
typename HttpDecoder<Message>::Step HttpDecoder<Message>::Impl::Finish() {
  if (error_) return Step{State::kError, {}, *error_};
  if (!parser_->got_some()) {
    if (buffer_.empty()) return Step{};
    return Fail(ErrorFor(http::error::partial_message));
  }
  beast::error_code ec;
  try {
    parser_->put_eof(ec);
  } catch (const std::exception& e) {
    return Fail({500, std::string("cannot decode the message: ") + e.what()});
  }
  if (ec) return Fail(ErrorFor(ec));
  if (!parser_->is_done()) return Fail(ErrorFor(http::error::partial_message));
  return Complete();
}

template <typename Message>
typename HttpDecoder<Message>::Step HttpDecoder<Message>::Impl::Complete() {
  Step step{State::kMessage, {}, {}};
  Message& out = step.message;
  if constexpr (kIsRequest) out.keep_alive = parser_->keep_alive();
  auto message = parser_->release();
  if constexpr (kIsRequest) {
    out.method = ToString(message.method_string());
    out.target = ToString(message.target());
    for (const auto& field : message) {
      out.headers.emplace_back(ToString(field.name_string()), ToString(field.value()));
    }
  } else {
    out.status = static_cast<int>(message.result_int());
    for (const auto& field : message) {
      switch (field.name()) {
        case http::field::content_type: out.content_type = ToString(field.value()); break;
        case http::field::content_length:
        case http::field::transfer_encoding:
        case http::field::connection: break;
        default: out.extra_headers.emplace_back(ToString(field.name_string()), ToString(field.value()));
      }
    }
  }
  out.body = std::move(message.body());
  Reset();
  return step;
}

template <typename Message>
HttpError HttpDecoder<Message>::Impl::ErrorFor(const beast::error_code& ec) const {
  if (ec == http::error::header_limit) return HeaderTooLarge();
  if (ec == http::error::body_limit) {
    return {413, "body larger than " + std::to_string(options_.max_body_bytes) + " bytes"};
  }
  if (ec == http::error::partial_message) return {400, "connection closed in the middle of a message"};
  return Malformed(ec.message());
}

template <typename Message>
HttpError HttpDecoder<Message>::Impl::Malformed(const std::string& what) const {
  return {400, std::string(kIsRequest ? "malformed HTTP request: " : "malformed HTTP response: ") + what};
}

template <typename Message>
HttpDecoder<Message>::HttpDecoder(HttpDecoderOptions options)
    : impl_(std::make_unique<Impl>(options)) {}
template <typename Message>
HttpDecoder<Message>::HttpDecoder(HttpDecoder&&) noexcept = default;
template <typename Message>
HttpDecoder<Message>& HttpDecoder<Message>::operator=(HttpDecoder&&) noexcept = default;
template <typename Message>
HttpDecoder<Message>::~HttpDecoder() = default;

template <typename Message>
typename HttpDecoder<Message>::Step HttpDecoder<Message>::Feed(std::string_view bytes) {
  return impl_->Feed(bytes);
}
template <typename Message>
typename HttpDecoder<Message>::Step HttpDecoder<Message>::Finish() {
  return impl_->Finish();
}
template <typename Message>
bool HttpDecoder<Message>::idle() const {
  return impl_->idle();
}

template class HttpDecoder<HttpRequest>;
template class HttpDecoder<HttpResponse>;

std::string EncodeResponse(const HttpResponse& response, bool keep_alive) {
  const http::status status = http::int_to_status(static_cast<unsigned>(response.status));
  std::string out = "HTTP/1.1 " + std::to_string(response.status) + " ";
  if (status != http::status::unknown) out += ToString(http::obsolete_reason(status));
  out += "\r\n";
  if (!response.content_type.empty()) out += "Content-Type: " + response.content_type + "\r\n";
  AppendRest(response.extra_headers, response.body, keep_alive, out);
  return out;
}

std::string EncodeRequest(const HttpRequest& request) {
  std::string out = request.method + " " + request.target + " HTTP/1.1\r\n";
  AppendRest(request.headers, request.body, request.keep_alive, out);
  return out;
}

HttpResponse JsonErrorResponse(int status, std::string_view message) {
  const nlohmann::json body = {{"error", std::string(message)}};
  // replace: an invalid UTF-8 message must not throw.
  return {status, "application/json", body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), {}};
}

}  // namespace drydock::runtime
