#include "runtime/http/request_head.h"

#include <string>

#include <gtest/gtest.h>

namespace drydock::runtime {
namespace {

using Kind = RequestHeadVerdict::Kind;
using ScanKind = RequestHeadScan::Kind;

constexpr size_t kLimit = 16 * 1024;

RequestHeadVerdict Check(std::string_view data, size_t limit = kLimit) { return CheckRequestHead(data, limit); }

TEST(HttpRequestHeadTest, AcceptsAHeadAndReportsWhatWasParsed) {
  const std::string head = "POST /a?b=1 HTTP/1.1\r\nHost: app.example\r\nContent-Length: 5\r\n\r\n";
  const RequestHeadVerdict verdict = Check(head + "hello");
  ASSERT_EQ(verdict.kind, Kind::kAccepted) << verdict.refusal.message;
  EXPECT_EQ(verdict.consumed, head.size());
  EXPECT_EQ(verdict.method, "POST");
  EXPECT_EQ(verdict.target, "/a?b=1");
  EXPECT_EQ(verdict.version, 11);
  EXPECT_TRUE(verdict.keep_alive);
  EXPECT_FALSE(verdict.chunked);
  EXPECT_EQ(verdict.content_length, 5u);
  EXPECT_EQ(verdict.host_count, 1u);

  const RequestHeadVerdict chunked =
      Check("PUT / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n");
  ASSERT_EQ(chunked.kind, Kind::kAccepted) << chunked.refusal.message;
  EXPECT_TRUE(chunked.chunked);
  EXPECT_FALSE(chunked.keep_alive);
  EXPECT_EQ(chunked.content_length, std::nullopt);
}

TEST(HttpRequestHeadTest, SkipsLeadingEmptyLines) {
  const RequestHeadVerdict verdict = Check("\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n");
  ASSERT_EQ(verdict.kind, Kind::kAccepted) << verdict.refusal.message;
  EXPECT_EQ(verdict.consumed, 4 + std::string("GET / HTTP/1.1\r\nHost: a\r\n\r\n").size());
}

TEST(HttpRequestHeadTest, Http10NeedsNoHost) {
  const RequestHeadVerdict verdict = Check("GET / HTTP/1.0\r\n\r\n");
  ASSERT_EQ(verdict.kind, Kind::kAccepted) << verdict.refusal.message;
  EXPECT_EQ(verdict.version, 10);
  EXPECT_FALSE(verdict.keep_alive);
  EXPECT_EQ(verdict.host_count, 0u);
  EXPECT_EQ(Check("GET / HTTP/1.0\r\nHost: a\r\nHost: b\r\n\r\n").refusal,
            (RequestHeadRefusal{400, "duplicate Host"}));
}

TEST(HttpRequestHeadTest, RefusesWhatTheProxyRefuses) {
  const std::vector<std::pair<std::string, RequestHeadRefusal>> cases = {
      {"GET / HTTP/1.1\r\n\r\n", {400, "missing Host"}},
      {"GET / HTTP/1.1\r\nHost: a\r\nhost: b\r\n\r\n", {400, "duplicate Host"}},
      {"GET / HTTP/1.1\r\nHost: a\r\nX-Folded: one\r\n two\r\n\r\n", {400, "obsolete line folding"}},
      {"GET / HTTP/1.1\r\nHost: a\r\nX-Folded: one\r\n\ttwo\r\n\r\n", {400, "obsolete line folding"}},
      {"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\n",
       {400, "duplicate Content-Length"}},
      {"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n",
       {400, "unsupported Transfer-Encoding (only chunked)"}},
  };
  for (const auto& [head, refusal] : cases) {
    const RequestHeadVerdict verdict = Check(head);
    EXPECT_EQ(verdict.kind, Kind::kRefused) << head;
    EXPECT_EQ(verdict.refusal.status, refusal.status) << head;
    EXPECT_EQ(verdict.refusal.message, refusal.message) << head;
  }
  // Beast's own refusals (or ours, whichever comes first): 400 with a message.
  for (const char* head : {"GET / HTTP/1.1\r\nHost a\r\n\r\n", "GET / HTTP/1.1\r\nHost: a\r\nBad Name: x\r\n\r\n",
                           "GET  / HTTP/1.1\r\nHost: a\r\n\r\n", "\x01 / HTTP/1.1\r\nHost: a\r\n\r\n",
                           "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5, 5\r\n\r\n",
                           "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n",
                           "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n"
                           "Transfer-Encoding: chunked\r\n\r\n"}) {
    const RequestHeadVerdict verdict = Check(head);
    EXPECT_EQ(verdict.kind, Kind::kRefused) << head;
    EXPECT_EQ(verdict.refusal.status, 400) << head;
    EXPECT_FALSE(verdict.refusal.message.empty()) << head;
  }
}

TEST(HttpRequestHeadTest, OversizedHeadGets431) {
  const std::string head = "GET / HTTP/1.1\r\nHost: a\r\nX-Big: " + std::string(100, 'b') + "\r\n\r\n";
  EXPECT_EQ(Check(head, head.size()).kind, Kind::kAccepted);
  const RequestHeadVerdict verdict = Check(head, head.size() - 1);
  EXPECT_EQ(verdict.kind, Kind::kRefused);
  EXPECT_EQ(verdict.refusal, (RequestHeadRefusal{431, "request header too large"}));
  // Without a blank line, as soon as the limit is reached.
  EXPECT_EQ(Check(std::string(64, 'x'), 64).refusal.status, 431);
  EXPECT_EQ(Check(std::string(63, 'x'), 64).kind, Kind::kNeedMore);
}

TEST(HttpRequestHeadTest, ScanFindsTheEndInAnyCuts) {
  const std::string bytes = "\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\nbody";
  const RequestHeadScan whole = ScanRequestHead(bytes, kLimit);
  EXPECT_EQ(whole, (RequestHeadScan{ScanKind::kComplete, 2, bytes.size() - 6}));
  for (size_t cut = 0; cut < bytes.size(); ++cut) {
    // As the proxy reads: scan what arrived, drop the skipped bytes, read on.
    const RequestHeadScan first = ScanRequestHead(std::string_view(bytes).substr(0, cut), kLimit);
    if (first.kind != ScanKind::kNeedMore) {
      EXPECT_EQ(first, whole) << cut;
      continue;
    }
    RequestHeadScan rest = ScanRequestHead(std::string_view(bytes).substr(first.skipped), kLimit);
    rest.skipped += first.skipped;
    EXPECT_EQ(rest, whole) << cut;
  }
  EXPECT_EQ(ScanRequestHead("GET / HTTP/1.1\r\nHost: a\r\n", kLimit).kind, ScanKind::kNeedMore);
  EXPECT_EQ(ScanRequestHead("\r\n\r\n", kLimit), (RequestHeadScan{ScanKind::kNeedMore, 4, 0}));
}

TEST(HttpRequestHeadTest, ObsFoldIsFoundOnlyAtTheStartOfALine) {
  EXPECT_TRUE(HasObsFold("GET / HTTP/1.1\r\nA: 1\r\n 2\r\n\r\n"));
  EXPECT_FALSE(HasObsFold("GET / HTTP/1.1\r\nA: 1 2\r\nB:\t3\r\n\r\n"));
}

}  // namespace
}  // namespace drydock::runtime
