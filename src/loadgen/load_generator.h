// drydock-load: a small HTTP/1.1 load generator for loopback targets, used to
// show "zero failed requests" while targets deregister or deploy. One thread
// per connection sends GETs (keep-alive, or a new connection per request) and
// counts every request by outcome. Loopback only, by design: the target must
// be 127.0.0.1, [::1] or localhost.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace drydock::loadgen {

inline constexpr int kMaxConnections = 256;
inline constexpr std::chrono::seconds kMaxDuration{3600};

// Where requests go: a numeric loopback address to connect to and what the
// request line and Host header say.
struct Target {
  std::string address;      // "127.0.0.1" or "::1"
  bool ipv6 = false;
  int port = 80;
  std::string host_header;  // as written in the URL, e.g. "localhost:8080"
  std::string path;         // request target: path and query, e.g. "/api?x=1"

  bool operator==(const Target&) const = default;
};

// Parses http://127.0.0.1:PORT/path, http://[::1]:PORT/path or
// http://localhost:PORT/path (localhost connects to 127.0.0.1); the port
// defaults to 80, the path to "/", a #fragment is dropped. Any other host is
// refused: the load generator never sends traffic off the machine.
Result<Target> ParseTargetUrl(std::string_view url);

// Why a request ended. Every request has exactly one outcome.
enum class Outcome : int {
  k2xx = 0,
  k3xx,
  k4xx,
  k5xx,
  kConnectError,  // no connection: refused, or not accepted within the timeout
  kClosed,        // the connection was closed or reset before a full response
  kTimeout,       // no full response within the per-request timeout
  kOther,         // a malformed response (or a status outside 200..599)
};
inline constexpr int kOutcomeCount = 8;
// "2xx", "connect_error", ...: the JSON keys.
std::string_view OutcomeName(Outcome outcome);
// The outcome of a complete response with `status`.
Outcome OutcomeOfStatus(int status);

// Counts of one connection's requests, or (merged) of the whole run.
struct LoadTally {
  int64_t requests = 0;
  std::array<int64_t, kOutcomeCount> outcomes{};
  std::map<int, int64_t> status;  // complete responses by exact status code
  // One entry per complete response (any status), in microseconds: from the
  // start of the request, including the connect if it opened a connection,
  // to the last byte of the response.
  std::vector<uint32_t> latencies_us;

  int64_t count(Outcome outcome) const { return outcomes[static_cast<size_t>(outcome)]; }
  // Counts a request that ended without a response (connect_error, closed,
  // timeout, other).
  void AddFailure(Outcome outcome);
  // Counts a complete response.
  void AddResponse(int status, std::chrono::microseconds latency);
};

// Adds `from` into `into` (counts, status codes, latencies).
void Merge(LoadTally& into, LoadTally&& from);

// The nearest-rank percentile `p` (0..100) of `sorted` (ascending); 0 if
// empty. p = 0 gives the minimum and p = 100 the maximum.
uint32_t Percentile(const std::vector<uint32_t>& sorted, double p);

struct LoadOptions {
  Target target;
  // Request targets used in turn; empty: target.path only.
  std::vector<std::string> paths;
  int connections = 8;
  std::chrono::milliseconds duration{10'000};
  int64_t max_requests = 0;  // 0: unbounded (the duration bounds the run)
  double rate = 0;           // requests per second over all connections; 0: as fast as possible
  bool close_each = false;   // a new connection per request, with Connection: close
  std::chrono::milliseconds timeout{5'000};  // per request, connect included
  bool json = false;
  bool fail_on_error = false;
  bool help = false;
};

// The command line without the program name. Errors are usage errors (exit 2).
Result<LoadOptions> ParseLoadArgs(const std::vector<std::string>& args);
std::string_view LoadUsage();

struct LatencySummary {
  double p50_ms = 0, p90_ms = 0, p99_ms = 0, max_ms = 0;
};

struct LoadReport {
  LoadTally tally;    // latencies sorted ascending
  double seconds = 0;  // wall time of the run, in-flight requests included
  bool interrupted = false;  // `stop` ended the run early

  double rps() const { return seconds > 0 ? static_cast<double>(tally.requests) / seconds : 0; }
  LatencySummary latency() const;
  // Requests that did not end with a 2xx or 3xx response.
  int64_t failed() const;
};

// Runs the load until the duration ends, the request budget is spent or
// `*stop` becomes true (checked between requests; a request in flight is
// completed and counted). Blocks; starts options.connections threads.
LoadReport RunLoad(const LoadOptions& options, const std::atomic<bool>* stop = nullptr);

// The human summary and the one-object JSON form (one line, no newline).
std::string FormatReport(const LoadOptions& options, const LoadReport& report);
std::string FormatReportJson(const LoadReport& report);

}  // namespace drydock::loadgen
