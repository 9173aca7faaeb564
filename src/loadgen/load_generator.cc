#include "loadgen/load_generator.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <climits>
#include <cmath>
#include <cstdio>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <thread>
#include <utility>

namespace drydock::loadgen {
namespace {

using Clock = std::chrono::steady_clock;
using Milliseconds = std::chrono::milliseconds;

constexpr size_t kMaxHeadBytes = 64 * 1024;
constexpr size_t kMaxLineBytes = 16 * 1024;
constexpr size_t kReadChunk = 16 * 1024;

char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return Lower(x) == Lower(y);
         });
}

bool StartsWithIgnoreCase(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() && EqualsIgnoreCase(text.substr(0, prefix.size()), prefix);
}

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// A request target must be sendable as is: no space, control or non-ASCII
// byte (percent-encode those).
Status CheckRequestTarget(std::string_view path) {
  if (path.empty() || path.front() != '/') {
    return InvalidArgument("a path must start with '/': '" + std::string(path) + "'");
  }
  for (char c : path) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte <= 0x20 || byte >= 0x7f) {
      return InvalidArgument("a path may not hold spaces, control or non-ASCII characters (percent-encode them): '" +
                             std::string(path) + "'");
    }
  }
  return Status::Ok();
}

// ---------------------------------------------------------------- sockets

// How a read or write on the connection ended.
enum class Io { kOk, kEof, kTimeout, kReset, kMalformed };

Outcome OutcomeOfIo(Io io) {
  switch (io) {
    case Io::kTimeout: return Outcome::kTimeout;
    case Io::kMalformed: return Outcome::kOther;
    default: return Outcome::kClosed;
  }
}

// kOk once `fd` is ready for `events` (or has an error to report).
Io WaitFor(int fd, short events, Clock::time_point deadline) {
  while (true) {
    const auto left = std::chrono::ceil<Milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) return Io::kTimeout;
    pollfd entry{fd, events, 0};
    const int ready = poll(&entry, 1, static_cast<int>(std::min<decltype(left)>(left, INT_MAX)));
    if (ready > 0) return Io::kOk;
    if (ready < 0 && errno != EINTR) return Io::kReset;
  }
}

// One client connection (non-blocking socket, every wait bounded by poll).
class Connection {
 public:
  Connection() = default;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection() { Close(); }

  bool open() const { return fd_ >= 0; }
  int fd() const { return fd_; }
  void Close() {
    if (fd_ >= 0) close(fd_);
    fd_ = -1;
  }

  // True if the open connection is idle and still usable: an idle kept-alive
  // connection that has become readable was closed by the server (or holds
  // bytes nobody asked for).
  bool Idle() const {
    pollfd entry{fd_, POLLIN, 0};
    return poll(&entry, 1, 0) == 0;
  }

  // True once connected; false if refused, failed or not accepted by `deadline`.
  bool Connect(const Target& target, Clock::time_point deadline) {
    sockaddr_storage address{};
    socklen_t length = 0;
    if (!Resolve(target, address, length)) return false;
    fd_ = socket(address.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd_ < 0) return false;
    const int one = 1;
    setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (connect(fd_, reinterpret_cast<const sockaddr*>(&address), length) == 0) return true;
    int error = errno;
    if (error == EINPROGRESS) {
      error = ETIMEDOUT;
      if (WaitFor(fd_, POLLOUT, deadline) == Io::kOk) {
        socklen_t size = sizeof error;
        if (getsockopt(fd_, SOL_SOCKET, SO_ERROR, &error, &size) != 0) error = errno;
      }
    }
    if (error == 0) return true;
    Close();
    return false;
  }

 private:
  static bool Resolve(const Target& target, sockaddr_storage& address, socklen_t& length) {
    const auto port = htons(static_cast<uint16_t>(target.port));
    if (target.ipv6) {
      auto* in6 = reinterpret_cast<sockaddr_in6*>(&address);
      in6->sin6_family = AF_INET6;
      in6->sin6_port = port;
      length = sizeof(sockaddr_in6);
      return inet_pton(AF_INET6, target.address.c_str(), &in6->sin6_addr) == 1;
    }
    auto* in4 = reinterpret_cast<sockaddr_in*>(&address);
    in4->sin_family = AF_INET;
    in4->sin_port = port;
    length = sizeof(sockaddr_in);
    return inet_pton(AF_INET, target.address.c_str(), &in4->sin_addr) == 1;
  }

  int fd_ = -1;
};

// Sends all of `bytes`. kReset if the server stopped reading: it may still
// have answered (a 503 before reading the request), so the caller reads on.
Io SendAll(int fd, std::string_view bytes, Clock::time_point deadline) {
  while (!bytes.empty()) {
    const ssize_t wrote = send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (wrote >= 0) {
      bytes.remove_prefix(static_cast<size_t>(wrote));
    } else if (errno == EAGAIN || errno == EWOULDBLOCK) {
      const Io ready = WaitFor(fd, POLLOUT, deadline);
      if (ready != Io::kOk) return ready;
    } else if (errno != EINTR) {
      return Io::kReset;
    }
  }
  return Io::kOk;
}

// ---------------------------------------------------------------- responses

// Buffered reads from the connection up to one deadline.
class Reader {
 public:
  Reader(int fd, Clock::time_point deadline) : fd_(fd), deadline_(deadline) {}

  bool has_unread() const { return pos_ < buffer_.size(); }

  // Appends what the socket has (waiting for at least one byte).
  Io Fill() {
    if (pos_ == buffer_.size()) {
      buffer_.clear();
      pos_ = 0;
    }
    char chunk[kReadChunk];
    while (true) {
      const ssize_t got = recv(fd_, chunk, sizeof chunk, 0);
      if (got > 0) {
        buffer_.append(chunk, static_cast<size_t>(got));
        return Io::kOk;
      }
      if (got == 0) return Io::kEof;
      if (errno == EAGAIN || errno == EWOULDBLOCK) {
        const Io ready = WaitFor(fd_, POLLIN, deadline_);
        if (ready != Io::kOk) return ready;
      } else if (errno != EINTR) {
        return Io::kReset;
      }
    }
  }

  // One line without its LF (and CR); kMalformed beyond `limit` bytes.
  Io ReadLine(std::string& line, size_t limit) {
    while (true) {
      const size_t newline = buffer_.find('\n', pos_);
      if (newline != std::string::npos) {
        if (newline - pos_ > limit) return Io::kMalformed;
        line.assign(buffer_, pos_, newline - pos_);
        if (!line.empty() && line.back() == '\r') line.pop_back();
        pos_ = newline + 1;
        return Io::kOk;
      }
      if (buffer_.size() - pos_ > limit) return Io::kMalformed;
      const Io io = Fill();
      if (io != Io::kOk) return io;
    }
  }

  // Reads and drops `count` bytes.
  Io Skip(uint64_t count) {
    while (true) {
      const uint64_t here = std::min<uint64_t>(count, buffer_.size() - pos_);
      pos_ += static_cast<size_t>(here);
      count -= here;
      if (count == 0) return Io::kOk;
      const Io io = Fill();
      if (io != Io::kOk) return io;
    }
  }

  // Reads and drops everything until the server closes; kOk at the close.
  Io SkipToEnd() {
    while (true) {
      pos_ = buffer_.size();
      const Io io = Fill();
      if (io == Io::kEof) return Io::kOk;
      if (io != Io::kOk) return io;
    }
  }

 private:
  int fd_;
  Clock::time_point deadline_;
  std::string buffer_;
  size_t pos_ = 0;
};

enum class Framing { kNone, kLength, kChunked, kUntilClose };

// What a response head says.
struct Head {
  int status = 0;
  bool http11 = true;
  bool keep_alive = true;
  Framing framing = Framing::kUntilClose;
  uint64_t length = 0;
};

bool ParseUnsigned(std::string_view text, uint64_t& value, int base = 10) {
  if (text.empty()) return false;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value, base);
  return error == std::errc() && end == text.data() + text.size();
}

bool HasToken(std::string_view list, std::string_view token) {
  while (!list.empty()) {
    const size_t comma = list.find(',');
    if (EqualsIgnoreCase(Trim(list.substr(0, comma)), token)) return true;
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  return false;
}

// "HTTP/1.1 200 OK" -> head.status, head.http11.
bool ParseStatusLine(std::string_view line, Head& head) {
  if (StartsWithIgnoreCase(line, "HTTP/1.1 ")) {
    head.http11 = true;
  } else if (StartsWithIgnoreCase(line, "HTTP/1.0 ")) {
    head.http11 = false;
  } else {
    return false;
  }
  std::string_view code = line.substr(9, 3);
  uint64_t status = 0;
  if (code.size() != 3 || !ParseUnsigned(code, status) || status < 100 || (line.size() > 12 && line[12] != ' ')) {
    return false;
  }
  head.status = static_cast<int>(status);
  return true;
}

// Reads the header lines after the status line into `head`.
Io ReadHeaders(Reader& reader, Head& head) {
  std::string line;
  size_t total = 0;
  std::optional<uint64_t> length;
  bool chunked = false, transfer_encoding = false, close = false, keep_alive = false;
  while (true) {
    const Io io = reader.ReadLine(line, kMaxLineBytes);
    if (io != Io::kOk) return io;
    total += line.size() + 2;
    if (total > kMaxHeadBytes) return Io::kMalformed;
    if (line.empty()) break;
    const size_t colon = line.find(':');
    if (colon == std::string::npos || colon == 0 || line[0] == ' ' || line[0] == '\t') return Io::kMalformed;
    const std::string_view name = std::string_view(line).substr(0, colon);
    const std::string_view value = Trim(std::string_view(line).substr(colon + 1));
    if (EqualsIgnoreCase(name, "Content-Length")) {
      uint64_t parsed = 0;
      if (!ParseUnsigned(value, parsed) || (length && *length != parsed)) return Io::kMalformed;
      length = parsed;
    } else if (EqualsIgnoreCase(name, "Transfer-Encoding")) {
      transfer_encoding = true;
      const size_t comma = value.rfind(',');
      chunked = EqualsIgnoreCase(Trim(comma == std::string_view::npos ? value : value.substr(comma + 1)), "chunked");
    } else if (EqualsIgnoreCase(name, "Connection")) {
      close = close || HasToken(value, "close");
      keep_alive = keep_alive || HasToken(value, "keep-alive");
    }
  }
  head.keep_alive = head.http11 ? !close : (keep_alive && !close);
  if (head.status == 204 || head.status == 304 || head.status < 200) {
    head.framing = Framing::kNone;
  } else if (transfer_encoding) {
    head.framing = chunked ? Framing::kChunked : Framing::kUntilClose;
  } else if (length) {
    head.framing = Framing::kLength;
    head.length = *length;
  }
  if (head.framing == Framing::kUntilClose) head.keep_alive = false;
  return Io::kOk;
}

Io ReadChunkedBody(Reader& reader) {
  std::string line;
  while (true) {
    Io io = reader.ReadLine(line, kMaxLineBytes);
    if (io != Io::kOk) return io;
    std::string_view size_text = std::string_view(line).substr(0, line.find(';'));
    size_text = Trim(size_text);
    uint64_t size = 0;
    if (size_text.size() > 15 || !ParseUnsigned(size_text, size, 16)) return Io::kMalformed;
    if (size == 0) break;
    io = reader.Skip(size);
    if (io != Io::kOk) return io;
    io = reader.ReadLine(line, kMaxLineBytes);
    if (io != Io::kOk) return io;
    if (!line.empty()) return Io::kMalformed;
  }
  size_t total = 0;
  while (true) {  // trailer fields, up to the empty line
    const Io io = reader.ReadLine(line, kMaxLineBytes);
    if (io != Io::kOk) return io;
    total += line.size() + 2;
    if (total > kMaxHeadBytes) return Io::kMalformed;
    if (line.empty()) return Io::kOk;
  }
}

// Reads one full response; interim 1xx responses are skipped.
Io ReadResponse(Reader& reader, Head& head) {
  std::string line;
  while (true) {
    head = Head{};
    Io io = reader.ReadLine(line, kMaxLineBytes);
    if (io == Io::kOk && line.empty()) io = reader.ReadLine(line, kMaxLineBytes);  // a stray CRLF
    if (io != Io::kOk) return io;
    if (!ParseStatusLine(line, head)) return Io::kMalformed;
    io = ReadHeaders(reader, head);
    if (io != Io::kOk) return io;
    if (head.status == 101) return Io::kMalformed;  // we never ask to switch protocols
    if (head.status >= 200) break;
  }
  switch (head.framing) {
    case Framing::kNone: return Io::kOk;
    case Framing::kLength: return reader.Skip(head.length);
    case Framing::kChunked: return ReadChunkedBody(reader);
    case Framing::kUntilClose: return reader.SkipToEnd();
  }
  return Io::kMalformed;
}

// ---------------------------------------------------------------- the run

struct Run {
  const LoadOptions& options;
  std::vector<std::string> requests;  // encoded, one per path
  Clock::time_point start;
  Clock::time_point end;
  const std::atomic<bool>* stop;
  std::atomic<int64_t> next_ticket{0};

  bool stopped() const { return stop != nullptr && stop->load(std::memory_order_relaxed); }

  // Sleeps until `due`; false if stopped meanwhile.
  bool SleepUntil(Clock::time_point due) const {
    while (Clock::now() < due) {
      if (stopped()) return false;
      std::this_thread::sleep_for(std::min<Clock::duration>(due - Clock::now(), Milliseconds(20)));
    }
    return !stopped();
  }
};

std::string EncodeGet(const Target& target, const std::string& path, bool close) {
  std::string request = "GET " + path + " HTTP/1.1\r\nHost: " + target.host_header +
                        "\r\nUser-Agent: drydock-load\r\nAccept: */*\r\n";
  if (close) request += "Connection: close\r\n";
  request += "\r\n";
  return request;
}

// One request on `connection` (opened first if needed), counted in `tally`.
void OneRequest(const Run& run, const std::string& request, Connection& connection, LoadTally& tally) {
  const Clock::time_point started = Clock::now();
  const Clock::time_point deadline = started + run.options.timeout;
  if (connection.open() && !connection.Idle()) connection.Close();
  if (!connection.open() && !connection.Connect(run.options.target, deadline)) {
    tally.AddFailure(Outcome::kConnectError);
    return;
  }
  const Io sent = SendAll(connection.fd(), request, deadline);
  Reader reader(connection.fd(), deadline);
  Head head;
  const Io read = ReadResponse(reader, head);
  if (read != Io::kOk) {
    // A timeout while sending is a timeout; any other failure to send shows
    // as the read's failure (the server closed or reset).
    tally.AddFailure(OutcomeOfIo(sent == Io::kTimeout ? sent : read));
    connection.Close();
    return;
  }
  tally.AddResponse(head.status, std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - started));
  if (run.options.close_each || !head.keep_alive || sent != Io::kOk || reader.has_unread()) connection.Close();
}

void Worker(Run& run, LoadTally& tally) {
  Connection connection;
  const LoadOptions& options = run.options;
  while (!run.stopped() && Clock::now() < run.end) {
    const int64_t ticket = run.next_ticket.fetch_add(1, std::memory_order_relaxed);
    if (options.max_requests > 0 && ticket >= options.max_requests) break;
    if (options.rate > 0) {
      const auto offset = std::chrono::duration<double>(static_cast<double>(ticket) / options.rate);
      const Clock::time_point due = run.start + std::chrono::duration_cast<Clock::duration>(offset);
      if (due >= run.end || !run.SleepUntil(due)) break;
    }
    const auto index = static_cast<size_t>(ticket % static_cast<int64_t>(run.requests.size()));
    OneRequest(run, run.requests[index], connection, tally);
  }
}

std::string Fixed(double value, int decimals) {
  char text[64];
  std::snprintf(text, sizeof text, "%.*f", decimals, value);
  return text;
}

double Rounded(double value, double scale) { return std::round(value * scale) / scale; }

// The value of an option: after '=' or the next argument.
Result<std::string> OptionValue(const std::vector<std::string>& args, size_t& i, std::string_view name,
                                const std::optional<std::string>& inline_value) {
  if (inline_value) return *inline_value;
  if (i + 1 >= args.size()) return InvalidArgument(std::string(name) + " needs a value");
  return args[++i];
}

Result<int64_t> IntegerIn(std::string_view name, const std::string& text, int64_t low, int64_t high) {
  int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size() || value < low || value > high) {
    return InvalidArgument(std::string(name) + ": expected an integer from " + std::to_string(low) + " to " +
                           std::to_string(high) + ", got '" + text + "'");
  }
  return value;
}

Result<double> NumberIn(std::string_view name, const std::string& text, double low, double high, bool low_open) {
  double value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size() || !std::isfinite(value) ||
      value < low || (low_open && value == low) || value > high) {
    return InvalidArgument(std::string(name) + ": expected a number " + (low_open ? "above " : "from ") +
                           Fixed(low, 0) + " to " + Fixed(high, 0) + ", got '" + text + "'");
  }
  return value;
}

// Applies the valued option `name` to `options`.
Status ApplyOption(std::string_view name, const std::string& value, LoadOptions& options) {
  const double max_seconds = static_cast<double>(kMaxDuration.count());
  if (name == "--connections") {
    Result<int64_t> n = IntegerIn(name, value, 1, kMaxConnections);
    if (!n.ok()) return n.status();
    options.connections = static_cast<int>(*n);
  } else if (name == "--duration") {
    Result<double> seconds = NumberIn(name, value, 0, max_seconds, true);
    if (!seconds.ok()) return seconds.status();
    options.duration = std::chrono::duration_cast<Milliseconds>(std::chrono::duration<double>(*seconds));
    if (options.duration.count() == 0) return InvalidArgument("--duration: at least 0.001 seconds");
  } else if (name == "--requests") {
    Result<int64_t> n = IntegerIn(name, value, 0, std::numeric_limits<int64_t>::max() / 2);
    if (!n.ok()) return n.status();
    options.max_requests = *n;
  } else if (name == "--rate") {
    Result<double> rate = NumberIn(name, value, 0, 1e9, false);
    if (!rate.ok()) return rate.status();
    options.rate = *rate;
  } else if (name == "--timeout") {
    Result<int64_t> ms = IntegerIn(name, value, 1, int64_t{kMaxDuration.count()} * 1000);
    if (!ms.ok()) return ms.status();
    options.timeout = Milliseconds(*ms);
  } else if (name == "--path") {
    DRYDOCK_RETURN_IF_ERROR(CheckRequestTarget(value));
    options.paths.push_back(value);
  } else {
    return InvalidArgument("unknown option " + std::string(name));
  }
  return Status::Ok();
}

// Applies the flag `name`; false if it is not a flag.
bool ApplyFlag(std::string_view name, LoadOptions& options) {
  if (name == "--close") {
    options.close_each = true;
  } else if (name == "--json") {
    options.json = true;
  } else if (name == "--fail-on-error") {
    options.fail_on_error = true;
  } else {
    return false;
  }
  return true;
}

}  // namespace

// ---------------------------------------------------------------- public

Result<Target> ParseTargetUrl(std::string_view url) {
  const std::string quoted = "'" + std::string(url) + "'";
  if (StartsWithIgnoreCase(url, "https://")) {
    return InvalidArgument("https is not supported (plain HTTP/1.1 only): " + quoted);
  }
  if (!StartsWithIgnoreCase(url, "http://")) return InvalidArgument("not an http:// URL: " + quoted);
  std::string_view rest = url.substr(7);
  const size_t authority_end = rest.find_first_of("/?#");
  const std::string_view authority = rest.substr(0, authority_end);
  std::string_view tail = authority_end == std::string_view::npos ? "" : rest.substr(authority_end);
  tail = tail.substr(0, tail.find('#'));
  if (authority.find('@') != std::string_view::npos) {
    return InvalidArgument("user information in the URL is not supported: " + quoted);
  }
  std::string_view host = authority;
  std::optional<std::string_view> port_text;
  const size_t colon = authority.rfind(':');
  const size_t bracket = authority.rfind(']');
  if (colon != std::string_view::npos && (bracket == std::string_view::npos || colon > bracket)) {
    host = authority.substr(0, colon);
    port_text = authority.substr(colon + 1);
  }
  std::string host_lower(host);
  std::transform(host_lower.begin(), host_lower.end(), host_lower.begin(), Lower);
  Target target;
  if (host_lower == "127.0.0.1" || host_lower == "localhost") {
    target.address = "127.0.0.1";
  } else if (host_lower == "[::1]") {
    target.address = "::1";
    target.ipv6 = true;
  } else {
    return InvalidArgument("only loopback targets are allowed (127.0.0.1, [::1] or localhost), not '" +
                           std::string(host) + "'");
  }
  if (port_text) {
    uint64_t port = 0;
    if (port_text->size() > 5 || !ParseUnsigned(*port_text, port) || port == 0 || port > 65535) {
      return InvalidArgument("not a port (1..65535) in " + quoted);
    }
    target.port = static_cast<int>(port);
  }
  target.host_header = port_text ? host_lower + ":" + std::to_string(target.port) : host_lower;
  target.path = tail.empty() ? "/" : (tail.front() == '?' ? "/" + std::string(tail) : std::string(tail));
  DRYDOCK_RETURN_IF_ERROR(CheckRequestTarget(target.path));
  return target;
}

std::string_view LoadUsage() {
  return "usage: drydock-load URL [--connections N] [--duration SECONDS] [--requests MAX] [--rate RPS]\n"
         "                    [--close] [--timeout MS] [--path PATH]... [--json] [--fail-on-error]\n"
         "\n"
         "  URL                http://127.0.0.1:PORT/path, http://[::1]:PORT/path or http://localhost:PORT/path\n"
         "                     (loopback only)\n"
         "  --connections N    concurrent connections, one thread each, 1..256 (default 8)\n"
         "  --duration SECONDS stop starting requests after this long, up to 3600 (default 10)\n"
         "  --requests MAX     stop after MAX requests in total (default 0: no limit)\n"
         "  --rate RPS         requests per second over all connections (default 0: as fast as possible)\n"
         "  --close            a new connection per request (Connection: close); default keep-alive\n"
         "  --timeout MS       per request, connect included (default 5000)\n"
         "  --path PATH        request PATH instead of the URL's path; repeat to rotate over several\n"
         "  --json             print the summary as one JSON object\n"
         "  --fail-on-error    exit 1 if any request did not end with a 2xx or 3xx response\n"
         "\n"
         "Exit codes: 0 done, 1 failed requests (with --fail-on-error), 2 bad command line.\n"
         "Ctrl-C stops early and still prints the summary. See docs/loadgen.md.\n";
}

Result<LoadOptions> ParseLoadArgs(const std::vector<std::string>& args) {
  LoadOptions options;
  if (std::find_if(args.begin(), args.end(), [](const std::string& arg) { return arg == "-h" || arg == "--help"; }) !=
      args.end()) {
    options.help = true;
    return options;
  }
  std::optional<std::string> url;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg.size() > 1 && arg[0] == '-') {
      const size_t equals = arg.find('=');
      const std::string name = arg.substr(0, equals);
      std::optional<std::string> inline_value;
      if (equals != std::string::npos) inline_value = arg.substr(equals + 1);
      if (ApplyFlag(name, options)) {
        if (inline_value) return InvalidArgument(name + " takes no value");
        continue;
      }
      if (name.rfind("--", 0) != 0) return InvalidArgument("unknown option " + name);
      Result<std::string> value = OptionValue(args, i, name, inline_value);
      if (!value.ok()) return value.status();
      DRYDOCK_RETURN_IF_ERROR(ApplyOption(name, *value, options));
    } else if (url) {
      return InvalidArgument("one URL only (use --path to rotate over several paths): '" + arg + "'");
    } else {
      url = arg;
    }
  }
  if (!url) return InvalidArgument("missing the target URL");
  Result<Target> target = ParseTargetUrl(*url);
  if (!target.ok()) return target.status();
  options.target = std::move(*target);
  return options;
}

std::string_view OutcomeName(Outcome outcome) {
  switch (outcome) {
    case Outcome::k2xx: return "2xx";
    case Outcome::k3xx: return "3xx";
    case Outcome::k4xx: return "4xx";
    case Outcome::k5xx: return "5xx";
    case Outcome::kConnectError: return "connect_error";
    case Outcome::kClosed: return "closed";
    case Outcome::kTimeout: return "timeout";
    case Outcome::kOther: return "other";
  }
  return "other";
}

Outcome OutcomeOfStatus(int status) {
  if (status >= 200 && status < 300) return Outcome::k2xx;
  if (status >= 300 && status < 400) return Outcome::k3xx;
  if (status >= 400 && status < 500) return Outcome::k4xx;
  if (status >= 500 && status < 600) return Outcome::k5xx;
  return Outcome::kOther;
}

void LoadTally::AddFailure(Outcome outcome) {
  ++requests;
  ++outcomes[static_cast<size_t>(outcome)];
}

void LoadTally::AddResponse(int status_code, std::chrono::microseconds latency) {
  ++requests;
  ++outcomes[static_cast<size_t>(OutcomeOfStatus(status_code))];
  ++status[status_code];
  const auto us = std::clamp<int64_t>(latency.count(), 0, std::numeric_limits<uint32_t>::max());
  latencies_us.push_back(static_cast<uint32_t>(us));
}

void Merge(LoadTally& into, LoadTally&& from) {
  into.requests += from.requests;
  for (size_t i = 0; i < into.outcomes.size(); ++i) into.outcomes[i] += from.outcomes[i];
  for (const auto& [code, count] : from.status) into.status[code] += count;
  if (into.latencies_us.empty()) {
    into.latencies_us = std::move(from.latencies_us);
  } else {
    into.latencies_us.insert(into.latencies_us.end(), from.latencies_us.begin(), from.latencies_us.end());
  }
  from = LoadTally{};
}

uint32_t Percentile(const std::vector<uint32_t>& sorted, double p) {
  if (sorted.empty()) return 0;
  const double clamped = std::clamp(p, 0.0, 100.0);
  const auto rank = static_cast<size_t>(std::ceil(clamped / 100.0 * static_cast<double>(sorted.size())));
  return sorted[rank == 0 ? 0 : std::min(rank, sorted.size()) - 1];
}

LatencySummary LoadReport::latency() const {
  const auto& sorted = tally.latencies_us;
  return {Percentile(sorted, 50) / 1000.0, Percentile(sorted, 90) / 1000.0, Percentile(sorted, 99) / 1000.0,
          Percentile(sorted, 100) / 1000.0};
}

int64_t LoadReport::failed() const {
  return tally.requests - tally.count(Outcome::k2xx) - tally.count(Outcome::k3xx);
}

LoadReport RunLoad(const LoadOptions& options, const std::atomic<bool>* stop) {
  Run run{options, {}, {}, {}, stop};
  const std::vector<std::string> paths = options.paths.empty() ? std::vector{options.target.path} : options.paths;
  for (const std::string& path : paths) run.requests.push_back(EncodeGet(options.target, path, options.close_each));
  run.start = Clock::now();
  run.end = run.start + options.duration;
  const int threads_wanted = std::clamp(options.connections, 1, kMaxConnections);
  std::vector<LoadTally> tallies(static_cast<size_t>(threads_wanted));
  std::vector<std::thread> threads;
  threads.reserve(tallies.size());
  for (LoadTally& tally : tallies) threads.emplace_back(Worker, std::ref(run), std::ref(tally));
  for (std::thread& thread : threads) thread.join();
  LoadReport report;
  report.seconds = std::chrono::duration<double>(Clock::now() - run.start).count();
  report.interrupted = run.stopped();
  for (LoadTally& tally : tallies) Merge(report.tally, std::move(tally));
  std::sort(report.tally.latencies_us.begin(), report.tally.latencies_us.end());
  return report;
}

std::string FormatReport(const LoadOptions& options, const LoadReport& report) {
  const LoadTally& tally = report.tally;
  std::string out = "drydock-load: http://" + options.target.host_header + options.target.path;
  if (options.paths.size() > 1) out += " (+" + std::to_string(options.paths.size() - 1) + " paths)";
  out += ", " + std::to_string(options.connections) + " connections" +
         (options.close_each ? " (a new one per request)" : " (keep-alive)") + ", " + Fixed(report.seconds, 2) +
         " s" + (report.interrupted ? " (interrupted)" : "") + "\n";
  auto line = [&out](std::string_view label, const std::string& value) {
    std::string padded(label);
    padded.resize(std::max<size_t>(padded.size() + 1, 15), ' ');
    out += "  " + padded + value + "\n";
  };
  line("requests", std::to_string(tally.requests) + "  (" + Fixed(report.rps(), 1) + "/s)");
  for (int i = 0; i < kOutcomeCount; ++i) {
    line(OutcomeName(static_cast<Outcome>(i)), std::to_string(tally.outcomes[static_cast<size_t>(i)]));
  }
  std::string codes;
  for (const auto& [code, count] : tally.status) {
    codes += (codes.empty() ? "" : "  ") + std::to_string(code) + ": " + std::to_string(count);
  }
  line("status", codes.empty() ? "-" : codes);
  const LatencySummary latency = report.latency();
  line("latency ms", "p50 " + Fixed(latency.p50_ms, 3) + "  p90 " + Fixed(latency.p90_ms, 3) + "  p99 " +
                         Fixed(latency.p99_ms, 3) + "  max " + Fixed(latency.max_ms, 3));
  line("failed", std::to_string(report.failed()) + " (not 2xx/3xx)");
  return out;
}

std::string FormatReportJson(const LoadReport& report) {
  const LoadTally& tally = report.tally;
  nlohmann::ordered_json json;
  json["requests"] = tally.requests;
  json["seconds"] = Rounded(report.seconds, 1000);
  json["rps"] = Rounded(report.rps(), 10);
  nlohmann::ordered_json outcomes = nlohmann::ordered_json::object();
  for (int i = 0; i < kOutcomeCount; ++i) {
    outcomes[std::string(OutcomeName(static_cast<Outcome>(i)))] = tally.outcomes[static_cast<size_t>(i)];
  }
  json["outcomes"] = std::move(outcomes);
  nlohmann::ordered_json status = nlohmann::ordered_json::object();
  for (const auto& [code, count] : tally.status) status[std::to_string(code)] = count;
  json["status"] = std::move(status);
  const LatencySummary latency = report.latency();
  json["latency_ms"] = {{"p50", Rounded(latency.p50_ms, 1000)},
                        {"p90", Rounded(latency.p90_ms, 1000)},
                        {"p99", Rounded(latency.p99_ms, 1000)},
                        {"max", Rounded(latency.max_ms, 1000)}};
  return json.dump();
}

}  // namespace drydock::loadgen
