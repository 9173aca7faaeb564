#include "runtime/http/http_codec.h"

#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

namespace drydock::runtime {
namespace {

using State = HttpRequestDecoder::State;

// Every step of decoding `bytes` fed in pieces of `piece` bytes (0 = at
// once), draining pipelined messages after each piece, then Finish().
std::vector<HttpRequestDecoder::Step> DecodeAll(const std::string& bytes, size_t piece = 0,
                                                HttpDecoderOptions options = {}) {
  HttpRequestDecoder decoder(options);
  std::vector<HttpRequestDecoder::Step> steps;
  auto drain = [&](std::string_view chunk) {
    HttpRequestDecoder::Step step = decoder.Feed(chunk);
    while (step.state == State::kMessage) {
      steps.push_back(std::move(step));
      step = decoder.Feed({});
    }
    if (step.state == State::kError && (steps.empty() || steps.back().state != State::kError)) {
      steps.push_back(std::move(step));
    }
  };
  if (piece == 0) {
    drain(bytes);
  } else {
    for (size_t at = 0; at < bytes.size(); at += piece) drain(std::string_view(bytes).substr(at, piece));
  }
  HttpRequestDecoder::Step last = decoder.Finish();
  if (last.state != State::kNeedMore && (steps.empty() || steps.back().state != State::kError)) {
    steps.push_back(std::move(last));
  }
  return steps;
}

HttpRequest DecodeOne(const std::string& bytes) {
  std::vector<HttpRequestDecoder::Step> steps = DecodeAll(bytes);
  EXPECT_EQ(steps.size(), 1u);
  if (steps.empty()) return {};
  EXPECT_EQ(steps[0].state, State::kMessage) << steps[0].error.message;
  return steps[0].message;
}

HttpError DecodeError(const std::string& bytes, HttpDecoderOptions options = {}) {
  std::vector<HttpRequestDecoder::Step> steps = DecodeAll(bytes, 0, options);
  if (steps.empty() || steps.back().state != State::kError) {
    ADD_FAILURE() << "no error decoding: " << bytes.substr(0, 200);
    return {};
  }
  return steps.back().error;
}

TEST(HttpCodecTest, DecodesAGetRequest) {
  const HttpRequest request = DecodeOne("GET /v1/services?limit=5 HTTP/1.1\r\nHost: x\r\nAccept: */*\r\n\r\n");
  EXPECT_EQ(request.method, "GET");
  EXPECT_EQ(request.target, "/v1/services?limit=5");
  EXPECT_EQ(request.headers, (HttpHeaders{{"Host", "x"}, {"Accept", "*/*"}}));
  EXPECT_EQ(request.body, "");
  EXPECT_TRUE(request.keep_alive);
}

TEST(HttpCodecTest, DecodesContentLengthAndChunkedBodies) {
  EXPECT_EQ(DecodeOne("POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello").body, "hello");
  EXPECT_EQ(DecodeOne("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
                      "4;ext=1\r\nWiki\r\n5\r\npedia\r\n0\r\nTrailer: x\r\n\r\n")
                .body,
            "Wikipedia");
}

TEST(HttpCodecTest, ChunkEndingAtTheWindowLimitIsFine) {
  // The CRLF after this chunk's data straddles the 16 KiB Beast sees at once.
  const std::string data(kMaxHttpHeaderBytes - 1, 'd');
  std::ostringstream chunk_size;
  chunk_size << std::hex << data.size();
  const std::string head = "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n" + chunk_size.str() + "\r\n";
  const std::string body = data + "\r\n0\r\n\r\n";
  HttpRequestDecoder decoder({.max_body_bytes = 1 << 20});
  ASSERT_EQ(decoder.Feed(head).state, State::kNeedMore);
  HttpRequestDecoder::Step step = decoder.Feed(body);
  ASSERT_EQ(step.state, State::kMessage) << step.error.message;
  EXPECT_EQ(step.message.body, data);
}

TEST(HttpCodecTest, KeepAliveFollowsVersionAndConnectionHeader) {
  EXPECT_FALSE(DecodeOne("GET / HTTP/1.1\r\nConnection: close\r\n\r\n").keep_alive);
  EXPECT_FALSE(DecodeOne("GET / HTTP/1.0\r\n\r\n").keep_alive);
  EXPECT_TRUE(DecodeOne("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").keep_alive);
}

TEST(HttpCodecTest, PipelinedRequestsComeOneAtATime) {
  HttpRequestDecoder decoder;
  HttpRequestDecoder::Step first =
      decoder.Feed("GET /a HTTP/1.1\r\n\r\nPOST /b HTTP/1.1\r\nContent-Length: 1\r\n\r\nxGET /c");
  ASSERT_EQ(first.state, State::kMessage);
  EXPECT_EQ(first.message.target, "/a");
  HttpRequestDecoder::Step second = decoder.Feed({});
  ASSERT_EQ(second.state, State::kMessage);
  EXPECT_EQ(second.message.target, "/b");
  EXPECT_EQ(second.message.body, "x");
  EXPECT_EQ(decoder.Feed({}).state, State::kNeedMore);
  EXPECT_FALSE(decoder.idle());
  HttpRequestDecoder::Step third = decoder.Feed(" HTTP/1.1\r\n\r\n");
  ASSERT_EQ(third.state, State::kMessage);
  EXPECT_EQ(third.message.target, "/c");
  EXPECT_TRUE(decoder.idle());
}

TEST(HttpCodecTest, ResultDoesNotDependOnHowBytesArrive) {
  const std::vector<std::string> inputs = {
      "GET /a HTTP/1.1\r\n\r\nPOST /b HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n",
      "GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET \x01 HTTP/1.1\r\n\r\n",
      "GET /partial HTTP/1.1\r\nHo",
      "DELETE 2 \r\n\r\n\rP.\n /",  // Beast wants 8 bytes of version, whatever follows
      // Beast scans a quoted chunk extension past the line's end.
      "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5;e=\"x\r\nhello\"\r\n0\r\n\r\n",
      "GET /a HTTP/1.1\r\n" + std::string(20000, 'x'),
      "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5;" + std::string(20000, 'e') + "\r\n",
  };
  for (const std::string& input : inputs) {
    const auto whole = DecodeAll(input);
    for (size_t piece : {1u, 2u, 7u, 100u}) {
      const auto pieces = DecodeAll(input, piece);
      ASSERT_EQ(pieces.size(), whole.size()) << input.substr(0, 60) << " in pieces of " << piece;
      for (size_t i = 0; i < whole.size(); ++i) {
        EXPECT_EQ(pieces[i].state, whole[i].state);
        EXPECT_EQ(pieces[i].message, whole[i].message);
        EXPECT_EQ(pieces[i].error, whole[i].error);
      }
    }
  }
}

TEST(HttpCodecTest, RefusesAmbiguousFraming) {
  for (const char* header : {
           "Content-Length: 3\r\nTransfer-Encoding: chunked\r\n",
           "Transfer-Encoding: chunked\r\nContent-Length: 3\r\n",
           "Transfer-Encoding: gzip\r\nContent-Length: 3\r\n",
           "Content-Length: 3\r\nContent-Length: 3\r\n",
           "Content-Length: 3, 3\r\n",
           "Content-Length: 3x\r\n",
           "Content-Length: -3\r\n",
           "Transfer-Encoding: gzip\r\n",
           "Transfer-Encoding: chunked, gzip\r\n",
           "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n",
       }) {
    const HttpError error = DecodeError(std::string("POST / HTTP/1.1\r\n") + header + "\r\nabc\r\n\r\n");
    EXPECT_EQ(error.status, 400) << header;
  }
}

TEST(HttpCodecTest, RefusesMalformedRequests) {
  EXPECT_EQ(DecodeError("GARBAGE\r\n\r\n").status, 400);
  EXPECT_EQ(DecodeError("GET / HTTP/1.1\r\nBad Header: x\r\n\r\n").status, 400);
  EXPECT_EQ(DecodeError("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n").status, 400);
}

TEST(HttpCodecTest, RefusesOversizedHeadersAndBodies) {
  const std::string big(kMaxHttpHeaderBytes, 'x');
  EXPECT_EQ(DecodeError("GET / HTTP/1.1\r\nX-Big: " + big + "\r\n\r\n").status, 431);
  EXPECT_EQ(DecodeError("GET / HTTP/1.1\r\nX-Big: " + big).status, 431);  // unterminated
  const HttpError body = DecodeError("POST / HTTP/1.1\r\nContent-Length: 2000000\r\n\r\n");
  EXPECT_EQ(body.status, 413);
  EXPECT_EQ(body.message, "body larger than 1048576 bytes");
  EXPECT_EQ(DecodeError("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n12345\r\n5\r\n12345\r\n",
                        {.max_body_bytes = 8})
                .status,
            413);
  // An endless chunk extension is cut off like an endless header.
  EXPECT_EQ(DecodeError("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5;" + big).status, 400);
}

TEST(HttpCodecTest, ErrorIsFinal) {
  HttpRequestDecoder decoder;
  const HttpRequestDecoder::Step error = decoder.Feed("GARBAGE\r\n\r\n");
  ASSERT_EQ(error.state, State::kError);
  const HttpRequestDecoder::Step again = decoder.Feed("GET / HTTP/1.1\r\n\r\n");
  EXPECT_EQ(again.state, State::kError);
  EXPECT_EQ(again.error, error.error);
}

TEST(HttpCodecTest, FinishReportsCutMessages) {
  HttpRequestDecoder idle;
  EXPECT_EQ(idle.Finish().state, State::kNeedMore);
  HttpRequestDecoder in_header;
  EXPECT_EQ(in_header.Feed("GET / HT").state, State::kNeedMore);
  EXPECT_EQ(in_header.Finish().error.message, "connection closed in the middle of a message");
  HttpRequestDecoder in_body;
  EXPECT_EQ(in_body.Feed("POST / HTTP/1.1\r\nContent-Length: 9\r\n\r\nab").state, State::kNeedMore);
  EXPECT_EQ(in_body.Finish().state, State::kError);
}

TEST(HttpCodecTest, EncodesResponses) {
  EXPECT_EQ(EncodeResponse({404, "application/json", "{}", {{"X-Id", "7"}, {"Content-Length", "99"}}}, false),
            "HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nX-Id: 7\r\n"
            "Content-Length: 2\r\nConnection: close\r\n\r\n{}");
  EXPECT_EQ(EncodeResponse({299, "", "", {}}, true), "HTTP/1.1 299 \r\nContent-Length: 0\r\n\r\n");
}

TEST(HttpCodecTest, ResponsesRoundTrip) {
  const HttpResponse response{201, "text/plain", "made", {{"Location", "/v1/x"}}};
  HttpResponseDecoder decoder;
  HttpResponseDecoder::Step step = decoder.Feed(EncodeResponse(response, true));
  ASSERT_EQ(step.state, HttpResponseDecoder::State::kMessage) << step.error.message;
  EXPECT_EQ(step.message, response);
}

TEST(HttpCodecTest, ResponseToHeadHasNoBody) {
  HttpResponseDecoder decoder({.response_to_head = true});
  HttpResponseDecoder::Step step = decoder.Feed("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n");
  ASSERT_EQ(step.state, HttpResponseDecoder::State::kMessage);
  EXPECT_EQ(step.message.body, "");
}

TEST(HttpCodecTest, ResponseBodyMayEndAtClose) {
  HttpResponseDecoder decoder;
  EXPECT_EQ(decoder.Feed("HTTP/1.1 200 OK\r\n\r\nuntil the end").state, HttpResponseDecoder::State::kNeedMore);
  HttpResponseDecoder::Step step = decoder.Finish();
  ASSERT_EQ(step.state, HttpResponseDecoder::State::kMessage);
  EXPECT_EQ(step.message.body, "until the end");
}

TEST(HttpCodecTest, RequestsRoundTripWithOwnFraming) {
  const HttpRequest request{"PUT", "/v1/x", {{"Host", "localhost"}, {"Transfer-Encoding", "chunked"}}, "{}", false};
  const std::string wire = EncodeRequest(request);
  EXPECT_EQ(wire, "PUT /v1/x HTTP/1.1\r\nHost: localhost\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}");
  const HttpRequest decoded = DecodeOne(wire);
  EXPECT_EQ(decoded.method, "PUT");
  EXPECT_EQ(decoded.body, "{}");
  EXPECT_FALSE(decoded.keep_alive);
}

TEST(HttpCodecTest, JsonErrorResponse) {
  const HttpResponse response = JsonErrorResponse(403, "say \"no\"");
  EXPECT_EQ(response.status, 403);
  EXPECT_EQ(response.content_type, "application/json");
  EXPECT_EQ(response.body, R"({"error":"say \"no\""})");
  EXPECT_EQ(JsonErrorResponse(400, "bad \xff byte").body, "{\"error\":\"bad \xef\xbf\xbd byte\"}");
}

}  // namespace
}  // namespace drydock::runtime
