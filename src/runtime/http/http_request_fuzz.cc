// libFuzzer target for the HTTP request decoder. Besides "no crash, leak or
// undefined behaviour" it checks that the decoded steps do not depend on how
// the bytes are cut into Feed() calls (the first byte seeds the cuts), and
// that a decoded request re-encodes to bytes that decode to the same request.
//
// The same bytes go to the load balancer's request-head check
// (request_head.h, what src/proxy/proxy.cc runs on every request head), with
// a header limit chosen by the seed: no crash or UB, and an accepted head is
// HTTP/1.0 or 1.1, has one Host in 1.1 (at most one in 1.0), unambiguous
// framing, no folded line; a refusal is 400 or 431; and where the head ends
// does not depend on how the bytes arrive (the proxy scans what it has read
// so far).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/http/http_codec.h"
#include "runtime/http/request_head.h"

namespace {

using drydock::runtime::HttpDecoderOptions;
using drydock::runtime::HttpRequest;
using drydock::runtime::HttpRequestDecoder;
using State = HttpRequestDecoder::State;

// Steps of decoding `input` in pieces whose sizes come from `seed` (0: at
// once): each message, then the final state (need more, or the error).
std::vector<HttpRequestDecoder::Step> Decode(std::string_view input, uint8_t seed) {
  HttpRequestDecoder decoder(HttpDecoderOptions{.max_body_bytes = 1024});
  std::vector<HttpRequestDecoder::Step> steps;
  uint32_t state = seed;
  while (true) {
    size_t piece = input.size();
    if (seed != 0) {
      state = state * 1103515245u + 12345u;
      piece = 1 + (state >> 16) % 64;
    }
    const std::string_view chunk = input.substr(0, piece);
    input.remove_prefix(chunk.size());
    HttpRequestDecoder::Step step = decoder.Feed(chunk);
    while (step.state == State::kMessage) {
      steps.push_back(std::move(step));
      step = decoder.Feed({});
    }
    if (step.state == State::kError) {
      steps.push_back(std::move(step));
      return steps;
    }
    if (input.empty()) break;
  }
  steps.push_back(decoder.Finish());
  return steps;
}

bool SameSteps(const std::vector<HttpRequestDecoder::Step>& a, const std::vector<HttpRequestDecoder::Step>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i].state != b[i].state || !(a[i].message == b[i].message) || !(a[i].error == b[i].error)) return false;
  }
  return true;
}

// The encoder writes its own framing headers; compare the others.
bool SameIgnoringFraming(const HttpRequest& a, const HttpRequest& b) {
  auto strip = [](HttpRequest request) {
    std::erase_if(request.headers, [](const auto& header) {
      std::string name = header.first;
      for (char& c : name) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
      return name == "content-length" || name == "transfer-encoding" || name == "connection";
    });
    return request;
  };
  return strip(a) == strip(b);
}

// The proxy's request-head check on `input`; aborts if a property fails.
void CheckProxyHead(std::string_view input, uint8_t seed) {
  using drydock::runtime::CheckRequestHead;
  using drydock::runtime::RequestHeadScan;
  using drydock::runtime::RequestHeadVerdict;
  using drydock::runtime::ScanRequestHead;
  static constexpr size_t kLimits[] = {16 * 1024, 4096, 256, 64};
  const size_t limit = kLimits[seed % 4];

  const RequestHeadVerdict verdict = CheckRequestHead(input, limit);
  switch (verdict.kind) {
    case RequestHeadVerdict::Kind::kNeedMore: break;
    case RequestHeadVerdict::Kind::kRefused:
      if (verdict.refusal.status != 400 && verdict.refusal.status != 431) std::abort();
      if (verdict.refusal.message.empty()) std::abort();
      break;
    case RequestHeadVerdict::Kind::kAccepted: {
      if (verdict.consumed == 0 || verdict.consumed > input.size()) std::abort();
      const std::string_view head = input.substr(0, verdict.consumed);
      if (!head.ends_with("\r\n\r\n") || drydock::runtime::HasObsFold(head)) std::abort();
      if (verdict.version != 10 && verdict.version != 11) std::abort();  // Beast: HTTP/1.x only
      if (verdict.version == 11 && verdict.host_count != 1) std::abort();
      if (verdict.host_count > 1) std::abort();
      if (verdict.chunked && verdict.content_length) std::abort();
      if (verdict.method.empty() || verdict.target.empty()) std::abort();
      break;
    }
  }

  // Where the head ends must not depend on the cuts: scan a prefix as the
  // proxy does, drop what it skipped, then scan everything that follows.
  const RequestHeadScan whole = ScanRequestHead(input, limit);
  const size_t cut = input.empty() ? 0 : (static_cast<size_t>(seed) * 131u) % (input.size() + 1);
  const RequestHeadScan first = ScanRequestHead(input.substr(0, cut), limit);
  if (first.kind != RequestHeadScan::Kind::kNeedMore) {
    if (!(first == whole)) std::abort();
  } else {
    RequestHeadScan rest = ScanRequestHead(input.substr(first.skipped), limit);
    rest.skipped += first.skipped;
    if (!(rest == whole)) std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const uint8_t seed = data[0];
  const std::string_view input(reinterpret_cast<const char*>(data + 1), size - 1);
  CheckProxyHead(input, seed);
  const std::vector<HttpRequestDecoder::Step> whole = Decode(input, 0);
  if (!SameSteps(whole, Decode(input, seed))) std::abort();
  for (const HttpRequestDecoder::Step& step : whole) {
    if (step.state == State::kError && step.error.status != 400 && step.error.status != 413 &&
        step.error.status != 431) {
      std::abort();
    }
    if (step.state != State::kMessage) continue;
    const std::vector<HttpRequestDecoder::Step> again = Decode(EncodeRequest(step.message), 0);
    if (again.size() != 2 || again[0].state != State::kMessage || again[1].state != State::kNeedMore ||
        !SameIgnoringFraming(again[0].message, step.message)) {
      std::abort();
    }
  }
  return 0;
}
