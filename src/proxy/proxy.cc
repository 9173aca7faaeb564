// The only translation unit of the proxy that includes Asio and Beast. Each
// client connection is one C++20 coroutine on the proxy's io_context; nothing
// here blocks, and every wait is bounded by a Watchdog.
#include <utility>  // first: Boost 1.74's asio/awaitable.hpp uses std::exchange without it

// GCC 12 at -O2 warns inside Boost 1.74 Asio once inlined here: a null check in
// scheduler.ipp it cannot follow, and the coroutine frame's class-specific
// operator new/delete pair, which it takes for a mismatch (a known false
// positive with coroutines). Neither is in our code nor a bug.
#pragma GCC diagnostic ignored "-Wnull-dereference"
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"

#include "proxy/proxy.h"

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <exception>
#include <limits>
#include <map>
#include <optional>
#include <unordered_map>
#include <vector>

#include <sys/socket.h>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/read_size.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>

#include "proxy/tls.h"
#include "runtime/http/framing.h"
#include "runtime/http/request_head.h"

namespace drydock::proxy {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;
using boost::system::error_code;
using std::chrono::milliseconds;
template <typename T>
using awaitable = asio::awaitable<T>;
using RequestParser = http::request_parser<http::buffer_body>;
using ResponseParser = http::response_parser<http::buffer_body>;
using SslStream = asio::ssl::stream<tcp::socket>;

// The TCP socket under a client stream: deadlines cancel it, Close() closes it.
tcp::socket& Lowest(tcp::socket& socket) { return socket; }
tcp::socket& Lowest(SslStream& stream) { return stream.next_layer(); }

constexpr size_t kPieceBytes = 64 * 1024;  // one read of a body, each way
constexpr size_t kReadBytes = 4 * 1024;  // one read of a request header
// The upstream read buffer's first capacity: a response header and a 16 KiB
// body arrive in one read.
constexpr size_t kUpstreamReadBytes = 32 * 1024;
constexpr size_t kMaxSpareBuffers = 64;  // sessions' buffers kept for new connections
constexpr std::uint32_t kMaxResponseHeaderBytes = 64 * 1024;
// The body of a redirect, as ALB sends it.
constexpr std::string_view kRedirectBody =
    "<html>\r\n<head><title>301 Moved Permanently</title></head>\r\n<body>\r\n"
    "<center><h1>301 Moved Permanently</h1></center>\r\n</body>\r\n</html>\r\n";

auto Redirect(error_code& ec) { return asio::redirect_error(asio::use_awaitable, ec); }

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

std::string_view View(beast::string_view view) { return {view.data(), view.size()}; }

bool IEquals(std::string_view a, std::string_view b) {
  return beast::iequals(beast::string_view(a.data(), a.size()), beast::string_view(b.data(), b.size()));
}

// Appends the decimal digits of `value` to `out`, without a temporary string.
void AppendNumber(std::string& out, unsigned long value) {
  char digits[24];
  size_t count = 0;
  do {
    digits[count++] = static_cast<char>('0' + value % 10);
    value /= 10;
  } while (value != 0);
  while (count > 0) out.push_back(digits[--count]);
}

class Watchdog;

// The one timer behind every Watchdog of a proxy. Arming a watchdog only
// stores its deadline (one clock read, no timer-queue operation, no handler,
// no timerfd update): the timer is set to the earliest deadline it was told
// of, and when it fires it scans the watchdogs, expires those whose deadline
// has passed and sets itself to the earliest of the others. A deadline that
// was disarmed or pushed back meanwhile costs one scan when the timer fires,
// and since the timeouts are long (seconds) and re-armed with increasing
// deadlines, that is about once per shortest timeout, not once per I/O.
// Deadlines are exact: a watchdog expires at the first timer firing at or
// after its deadline, never before.
class Deadlines {
 public:
  using Clock = std::chrono::steady_clock;
  explicit Deadlines(asio::io_context& io) : timer_(std::in_place, io) {}
  Deadlines(const Deadlines&) = delete;
  Deadlines& operator=(const Deadlines&) = delete;
  // The timer must go before its io_context; watchdogs may still unlink after.
  void Shutdown() { timer_.reset(); }

  void Link(Watchdog& watchdog);
  void Unlink(Watchdog& watchdog);
  // `deadline` is armed: make sure the timer fires no later than that.
  void Due(Clock::time_point deadline) {
    if (deadline >= scheduled_ || !timer_) return;
    scheduled_ = deadline;
    timer_->expires_at(deadline);  // cancels the earlier wait: it returns aborted
    timer_->async_wait([this](const error_code& ec) {
      if (!ec) Sweep();
    });
  }

 private:
  void Sweep();

  Watchdog* head_ = nullptr;  // every live watchdog, armed or not
  Clock::time_point scheduled_ = Clock::time_point::max();  // max: no wait pending
  std::optional<asio::steady_timer> timer_;
};

// Cancels a socket's pending operations when a deadline passes (see
// Deadlines). Arm before each wait, Disarm after; fired() tells whether the
// last armed deadline passed.
class Watchdog {
 public:
  explicit Watchdog(Deadlines& deadlines) : deadlines_(deadlines) { deadlines_.Link(*this); }
  Watchdog(const Watchdog&) = delete;
  Watchdog& operator=(const Watchdog&) = delete;
  ~Watchdog() { deadlines_.Unlink(*this); }

  void Arm(tcp::socket& socket, milliseconds timeout) {
    fired_ = false;
    socket_ = &socket;
    // Capped (at ten years) so that it cannot overflow the clock.
    deadline_ = Deadlines::Clock::now() + std::min<milliseconds>(timeout, std::chrono::hours(87660));
    deadlines_.Due(deadline_);
  }
  void Disarm() { socket_ = nullptr; }
  bool fired() const { return fired_; }

 private:
  friend class Deadlines;
  bool armed() const { return socket_ != nullptr; }
  // The deadline passed: cancel the pending operation. Its coroutine resumes
  // later (Asio posts the completion), so Sweep's list does not change under it.
  void Expire() {
    fired_ = true;
    error_code ignored;
    socket_->cancel(ignored);
    socket_ = nullptr;
  }

  Deadlines& deadlines_;
  tcp::socket* socket_ = nullptr;  // armed iff set
  Deadlines::Clock::time_point deadline_{};
  bool fired_ = false;
  Watchdog* prev_ = nullptr;
  Watchdog* next_ = nullptr;
};

void Deadlines::Link(Watchdog& watchdog) {
  watchdog.next_ = head_;
  if (head_ != nullptr) head_->prev_ = &watchdog;
  head_ = &watchdog;
}

void Deadlines::Unlink(Watchdog& watchdog) {
  if (watchdog.prev_ != nullptr) {
    watchdog.prev_->next_ = watchdog.next_;
  } else {
    head_ = watchdog.next_;
  }
  if (watchdog.next_ != nullptr) watchdog.next_->prev_ = watchdog.prev_;
  watchdog.prev_ = watchdog.next_ = nullptr;
}

void Deadlines::Sweep() {
  scheduled_ = Clock::time_point::max();
  const Clock::time_point now = Clock::now();
  Clock::time_point next = Clock::time_point::max();
  for (Watchdog* watchdog = head_; watchdog != nullptr; watchdog = watchdog->next_) {
    if (!watchdog->armed()) continue;
    if (watchdog->deadline_ <= now) {
      watchdog->Expire();
    } else {
      next = std::min(next, watchdog->deadline_);
    }
  }
  if (next != Clock::time_point::max()) Due(next);
}

// runtime::AcceptRequestHead's `put`: the whole head into the proxy's parser.
runtime::RequestHeadPut PutHead(RequestParser& parser, std::string_view head) {
  error_code ec;
  runtime::RequestHeadPut put;
  put.used = parser.put(asio::buffer(head.data(), head.size()), ec);
  put.header_done = parser.is_header_done();
  put.too_large = ec == http::error::header_limit;
  if (ec) put.error = ec.message();
  return put;
}

// Hop-by-hop headers (RFC 9110 §7.6.1): the fixed ones and those Connection
// names. Host and Content-Length are never dropped, even if named: the first
// routes the request, the second frames it. The names Connection lists are
// kept as views into `fields` and compared without case: no allocation per
// message or field (a HopByHop lives no longer than the message it reads).
class HopByHop {
 public:
  explicit HopByHop(const http::fields& fields) {
    for (const auto& field : fields) {
      if (field.name() != http::field::connection) continue;
      std::string_view list = View(field.value());
      while (!list.empty()) {
        const size_t comma = list.find(',');
        const std::string_view item = Trim(list.substr(0, comma));
        if (!item.empty() && !IEquals(item, "host") && !IEquals(item, "content-length")) {
          listed_.push_back(item);
        }
        list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
      }
    }
  }
  bool Contains(const http::fields::value_type& field) const {
    switch (field.name()) {
      case http::field::connection:
      case http::field::keep_alive:
      case http::field::proxy_connection:
      case http::field::te:
      case http::field::trailer:
      case http::field::transfer_encoding:
      case http::field::upgrade: return true;
      default: {
        const std::string_view name = View(field.name_string());
        return std::any_of(listed_.begin(), listed_.end(),
                           [name](std::string_view listed) { return IEquals(listed, name); });
      }
    }
  }

 private:
  std::vector<std::string_view> listed_;  // usually empty or one ("keep-alive")
};

bool IsIdempotent(http::verb method) {
  switch (method) {
    case http::verb::get:
    case http::verb::head:
    case http::verb::options:
    case http::verb::trace:
    case http::verb::put:
    case http::verb::delete_: return true;
    default: return false;
  }
}

std::string ReasonFor(int status) {
  switch (status) {
    case 400: return "Bad Request";
    case 404: return "Not Found";
    case 408: return "Request Timeout";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    default: {
      const beast::string_view reason = http::obsolete_reason(http::int_to_status(static_cast<unsigned>(status)));
      return std::string(reason.data(), reason.size());
    }
  }
}

// A chunk-size line ("1f4\r\n"), kept here until its write completes; no allocation.
struct ChunkSizeLine {
  char bytes[2 * sizeof(size_t) + 2];
  size_t length = 0;

  asio::const_buffer Set(size_t value) {
    static constexpr char kDigits[] = "0123456789abcdef";
    char digits[2 * sizeof(size_t)];
    size_t count = 0;
    do {
      digits[count++] = kDigits[value % 16];
      value /= 16;
    } while (value != 0);
    length = 0;
    while (count > 0) bytes[length++] = digits[--count];
    bytes[length++] = '\r';
    bytes[length++] = '\n';
    return asio::buffer(bytes, length);
  }
};

// The pool's and in-use registry's key of an upstream.
std::string KeyOf(const Upstream& upstream) { return upstream.host + ":" + std::to_string(upstream.port); }

// Runs a callback of the embedder on the proxy's thread: an exception out of
// it must not stop the io_context (it would end Run() for every connection).
void RunGuarded(const std::function<void()>& fn) {
  try {
    fn();
  } catch (...) {
  }
}

// A short, human description of why a probe failed (ProbeResult::error).
std::string ProbeError(const error_code& ec) {
  if (ec == asio::error::connection_refused) return "connection refused";
  if (ec == asio::error::connection_reset) return "connection reset";
  if (ec == asio::error::eof || ec == http::error::end_of_stream || ec == http::error::partial_message) {
    return "connection closed before the response header";
  }
  if (ec.category() == http::make_error_code(http::error::bad_version).category()) {
    return "malformed response: " + ec.message();
  }
  return ec.message();
}

// RFC 9112 §3.2: a request-target has no whitespace or control characters.
bool IsValidProbePath(std::string_view path) {
  return !path.empty() && path.front() == '/' &&
         std::none_of(path.begin(), path.end(), [](char c) {
           const auto byte = static_cast<unsigned char>(c);
           return byte <= 0x20 || byte == 0x7f;
         });
}

// A session's buffers, reused from one exchange to the next (their capacity
// stays) and, through Impl's spares, from one client connection to the next:
// a new connection then costs no 64 KiB piece (nor its zero-fill) and no
// buffer growth.
struct SessionBuffers {
  std::unique_ptr<char[]> piece{new char[kPieceBytes]};  // one body piece, either way
  beast::flat_buffer client;  // the client's bytes (request heads and bodies)
  beast::flat_buffer upstream;  // the upstream's bytes (response heads and bodies)
  std::string head;  // the head of each response to the client
  std::string upstream_head;  // the head of each request to the upstream
  std::vector<asio::const_buffer> gather;  // the pieces of one write

  void Clear() {
    client.clear();
    upstream.clear();
  }
};

// Counts a client connection in `open` for as long as it lives (ProxyStats).
class OpenConnection {
 public:
  explicit OpenConnection(size_t& open) : open_(open) { ++open_; }
  ~OpenConnection() { --open_; }
  OpenConnection(const OpenConnection&) = delete;
  OpenConnection& operator=(const OpenConnection&) = delete;

 private:
  size_t& open_;
};

}  // namespace

class Proxy::Impl {
 public:
  Impl(ProxyOptions options, Router router) : options_(std::move(options)), router_(std::move(router)) {}
  ~Impl() {
    // Sockets must go before their io_context; the coroutine frames it owns
    // (sessions, with their sockets and `done` guards) go with it, while the
    // members they touch are still alive.
    // From here on (a `done` may run), the hooks below do nothing.
    tearing_down_ = true;
    idle_.clear();
    StopTlsListener();
    acceptor_.reset();
    deadlines_.Shutdown();
    io_.reset();
  }

  Status Listen();
  int port() const { return port_; }
  void Run();
  void Stop() { io_->stop(); }
  void GetStats(std::function<void(const ProxyStats&)> callback) {
    if (tearing_down_) return;
    asio::post(*io_, [this, callback = std::move(callback)] { callback(stats_); });
  }
  void Post(std::function<void()> fn) {
    if (tearing_down_) return;
    asio::post(*io_, [fn = std::move(fn)] { RunGuarded(fn); });
  }
  void RunAfter(milliseconds delay, std::function<void()> fn);
  void Probe(Upstream upstream, std::string path, milliseconds timeout,
             std::function<void(const ProbeResult&)> done);
  void CloseIdle(const Upstream& upstream);
  void Cut(const Upstream& upstream);
  int tls_port() const { return tls_port_; }
  Status SetTlsListener(TlsListener listener);
  void StopTlsListener() {
    if (tls_acceptor_) {
      error_code ec;
      tls_acceptor_->close(ec);  // its Accept coroutine ends (operation_aborted)
    }
    tls_acceptor_.reset();
    tls_port_ = 0;
  }

 private:
  template <typename Stream>
  class Session;
  template <typename Stream>
  friend class Session;

  // What a session needs of the listener it came from.
  struct ListenerView {
    std::string_view forwarded_proto;  // X-Forwarded-Proto
    int port;  // X-Forwarded-Port
    const Router* router;  // outlives the session
  };

  // An upstream connection an exchange is using (Session::Forward registers
  // it in `in_use_` for as long as the exchange runs), for Cut().
  struct InUse {
    std::optional<tcp::socket>* socket;  // not engaged while connecting anew
    bool cut = false;  // Cut() closed it: the exchange must not retry
  };
  class InUseGuard;

  // A listening socket on address:port (TCP_NODELAY inherited by accepted sockets).
  Result<std::shared_ptr<tcp::acceptor>> Bind(const std::string& address, int port);
  awaitable<void> Accept();
  awaitable<void> Serve(tcp::socket client, tcp::endpoint peer);
  awaitable<void> AcceptTls(std::shared_ptr<tcp::acceptor> acceptor);
  awaitable<void> ServeTls(tcp::socket client, tcp::endpoint peer, std::shared_ptr<const TlsContext> context,
                           std::shared_ptr<const Router> router, int port);
  awaitable<void> RunProbe(Upstream upstream, std::string path, milliseconds timeout,
                           std::function<void(const ProbeResult&)> done);
  awaitable<ProbeResult> ProbeOnce(Upstream upstream, std::string path, milliseconds timeout);
  // A pooled connection to `key` that still looks open, if any.
  std::optional<tcp::socket> TakeIdle(const std::string& key);
  void PutIdle(const std::string& key, tcp::socket socket);
  // A session's buffers, and back when it ends (see SessionBuffers).
  SessionBuffers* TakeBuffers() {
    if (spare_buffers_.empty()) return new SessionBuffers;
    SessionBuffers* buffers = spare_buffers_.back().release();
    spare_buffers_.pop_back();
    return buffers;
  }
  void GiveBuffers(SessionBuffers* buffers) {
    std::unique_ptr<SessionBuffers> owned(buffers);
    if (tearing_down_ || spare_buffers_.size() >= kMaxSpareBuffers) return;
    owned->Clear();
    spare_buffers_.push_back(std::move(owned));
  }

  const ProxyOptions options_;
  const Router router_;
  // Every socket and timer operation runs on the proxy's thread (the hooks
  // that act on sockets must be called there; the thread-safe calls only
  // post), so the reactor needs no lock per I/O operation. The scheduler
  // keeps its lock: Post(), RunAfter(), Stop() come from other threads.
  std::optional<asio::io_context> io_{std::in_place, BOOST_ASIO_CONCURRENCY_HINT_UNSAFE_IO};
  Deadlines deadlines_{*io_};  // after io_: every Watchdog's timer
  std::optional<tcp::acceptor> acceptor_;
  int port_ = 0;
  // The HTTPS listener, if any: shared with its Accept coroutine.
  std::shared_ptr<tcp::acceptor> tls_acceptor_;
  std::string tls_address_;  // as asked
  int tls_asked_port_ = 0;  // as asked (0: any)
  int tls_port_ = 0;  // bound
  std::shared_ptr<const TlsContext> tls_context_;
  std::shared_ptr<const Router> tls_router_;
  ProxyStats stats_;
  std::map<std::string, std::vector<tcp::socket>> idle_;  // by "host:port"
  // By "host:port"; entries stay when empty (as idle_'s: one per upstream).
  std::unordered_map<std::string, std::vector<InUse*>> in_use_;
  bool tearing_down_ = false;
  std::vector<std::unique_ptr<SessionBuffers>> spare_buffers_;
};

// Registers an exchange's upstream connection in `in_use_` for its lifetime.
// Declared after the socket it points to, so that it goes first.
class Proxy::Impl::InUseGuard {
 public:
  InUseGuard(Impl& proxy, const std::string& key, InUse& in_use)
      : list_(proxy.in_use_[key]), entry_(in_use) {
    list_.push_back(&entry_);
  }
  InUseGuard(const InUseGuard&) = delete;
  InUseGuard& operator=(const InUseGuard&) = delete;
  ~InUseGuard() {
    // unordered_map keeps references to its values valid across rehashing.
    const auto it = std::find(list_.begin(), list_.end(), &entry_);
    if (it == list_.end()) return;
    *it = list_.back();
    list_.pop_back();
  }

 private:
  std::vector<InUse*>& list_;
  InUse& entry_;
};

void Proxy::Impl::RunAfter(milliseconds delay, std::function<void()> fn) {
  if (tearing_down_) return;
  // The deadline counts from this call, not from when the post runs; capped
  // (at ten years) so that it cannot overflow the clock.
  const auto deadline = std::chrono::steady_clock::now() + std::min<milliseconds>(delay, std::chrono::hours(87660));
  asio::post(*io_, [this, deadline, fn = std::move(fn)]() mutable {
    // The handler owns its timer; destroying the io_context destroys both
    // without calling `fn`.
    auto timer = std::make_shared<asio::steady_timer>(*io_, deadline);
    timer->async_wait([timer, fn = std::move(fn)](const error_code& ec) {
      if (!ec) RunGuarded(fn);
    });
  });
}

void Proxy::Impl::Probe(Upstream upstream, std::string path, milliseconds timeout,
                        std::function<void(const ProbeResult&)> done) {
  if (tearing_down_) return;
  asio::post(*io_, [this, upstream = std::move(upstream), path = std::move(path), timeout,
                    done = std::move(done)]() mutable {
    asio::co_spawn(*io_, RunProbe(std::move(upstream), std::move(path), timeout, std::move(done)),
                   [](const std::exception_ptr&) {});
  });
}

awaitable<void> Proxy::Impl::RunProbe(Upstream upstream, std::string path, milliseconds timeout,
                                      std::function<void(const ProbeResult&)> done) {
  ProbeResult result;
  try {
    result = co_await ProbeOnce(std::move(upstream), std::move(path), timeout);
  } catch (const std::exception& e) {  // e.g. an allocation failure
    result = {};
    result.error = std::string("internal error: ") + e.what();
  }
  try {
    if (done) done(result);
  } catch (...) {
  }
}

awaitable<ProbeResult> Proxy::Impl::ProbeOnce(Upstream upstream, std::string path, milliseconds timeout) {
  ProbeResult result;
  error_code ec;
  const asio::ip::address address = asio::ip::make_address(upstream.host, ec);
  if (ec || upstream.port <= 0 || upstream.port > 65535) {
    result.error = "invalid upstream address";
    co_return result;
  }
  if (!IsValidProbePath(path)) {
    result.error = "invalid health check path";
    co_return result;
  }
  tcp::socket socket(*io_);
  // One deadline for the whole probe. The watchdog cancels the operation
  // pending when it fires; checking fired() after each one covers a deadline
  // that passes between two.
  Watchdog watch(deadlines_);
  watch.Arm(socket, timeout);
  auto failed = [&] {
    if (watch.fired()) {
      result.kind = ProbeResult::Kind::kTimeout;
      result.error = "no response within " + std::to_string(timeout.count()) + " ms";
      return true;
    }
    if (!ec) return false;
    result.kind = ProbeResult::Kind::kConnectFailed;
    result.error = ProbeError(ec);
    return true;
  };
  co_await socket.async_connect(tcp::endpoint(address, static_cast<unsigned short>(upstream.port)), Redirect(ec));
  if (failed()) co_return result;
  socket.set_option(tcp::no_delay(true), ec);
  ec = {};
  const std::string request = "GET " + path + " HTTP/1.1\r\nHost: " + KeyOf(upstream) +
                              "\r\nUser-Agent: ELB-HealthChecker/2.0\r\nAccept: */*\r\nConnection: close\r\n\r\n";
  co_await asio::async_write(socket, asio::buffer(request), Redirect(ec));
  if (failed()) co_return result;
  beast::flat_buffer buffer;
  while (true) {
    http::response_parser<http::empty_body> response;
    response.header_limit(kMaxResponseHeaderBytes);
    co_await http::async_read_header(socket, buffer, response, Redirect(ec));
    if (failed()) co_return result;
    const unsigned status = response.get().result_int();
    if (status >= 100 && status < 200 && status != 101) continue;  // interim
    result.kind = ProbeResult::Kind::kStatus;
    result.status = static_cast<int>(status);
    break;
  }
  watch.Disarm();
  socket.shutdown(tcp::socket::shutdown_both, ec);
  socket.close(ec);
  co_return result;
}

void Proxy::Impl::CloseIdle(const Upstream& upstream) {
  if (tearing_down_) return;
  const auto it = idle_.find(KeyOf(upstream));
  if (it == idle_.end()) return;
  for (tcp::socket& socket : it->second) {
    error_code ec;
    socket.close(ec);
  }
  it->second.clear();
}

void Proxy::Impl::Cut(const Upstream& upstream) {
  if (tearing_down_) return;
  CloseIdle(upstream);
  const auto it = in_use_.find(KeyOf(upstream));
  if (it == in_use_.end()) return;
  // Closing cancels the pending operation; its coroutine resumes later (Asio
  // posts the completion), so the list does not change under us.
  for (InUse* in_use : it->second) {
    if (!in_use->socket->has_value() || !(*in_use->socket)->is_open()) continue;
    in_use->cut = true;
    error_code ec;
    (*in_use->socket)->close(ec);
    ++stats_.upstream_cuts;
  }
}

Result<std::shared_ptr<tcp::acceptor>> Proxy::Impl::Bind(const std::string& host, int port) {
  error_code ec;
  const asio::ip::address address = asio::ip::make_address(host, ec);
  if (ec) return InvalidArgument("invalid listen address \"" + host + "\": " + ec.message());
  if (port < 0 || port > 65535) return InvalidArgument("invalid listen port " + std::to_string(port));
  const tcp::endpoint endpoint(address, static_cast<unsigned short>(port));
  auto acceptor = std::make_shared<tcp::acceptor>(*io_);
  acceptor->open(endpoint.protocol(), ec);
  if (!ec) acceptor->set_option(asio::socket_base::reuse_address(true), ec);
  // Linux copies TCP_NODELAY from the listener to every socket it accepts:
  // one setsockopt() here instead of one per client connection.
  if (!ec) acceptor->set_option(tcp::no_delay(true), ec);
  if (!ec) acceptor->bind(endpoint, ec);
  if (!ec) acceptor->listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return IoError("cannot listen on " + host + ":" + std::to_string(port) + ": " + ec.message());
  return acceptor;
}

Status Proxy::Impl::Listen() {
  Result<std::shared_ptr<tcp::acceptor>> bound = Bind(options_.listen_address, options_.listen_port);
  if (!bound.ok()) return bound.status();
  acceptor_.emplace(std::move(**bound));
  error_code ec;
  port_ = acceptor_->local_endpoint(ec).port();
  if (ec) return IoError("cannot read the listening port: " + ec.message());
  asio::co_spawn(*io_, Accept(), [](const std::exception_ptr&) {});
  return Status::Ok();
}

Status Proxy::Impl::SetTlsListener(TlsListener listener) {
  if (tearing_down_) return Status(StatusCode::kFailedPrecondition, "the proxy is going away");
  if (!listener.context || !listener.router) return InvalidArgument("the HTTPS listener needs a context and a router");
  if (!tls_acceptor_ || listener.listen_address != tls_address_ || listener.listen_port != tls_asked_port_) {
    Result<std::shared_ptr<tcp::acceptor>> bound = Bind(listener.listen_address, listener.listen_port);
    if (!bound.ok()) return bound.status();
    error_code ec;
    const int port = (*bound)->local_endpoint(ec).port();
    if (ec) return IoError("cannot read the listening port: " + ec.message());
    StopTlsListener();
    tls_acceptor_ = std::move(*bound);
    tls_address_ = listener.listen_address;
    tls_asked_port_ = listener.listen_port;
    tls_port_ = port;
    asio::co_spawn(*io_, AcceptTls(tls_acceptor_), [](const std::exception_ptr&) {});
  }
  tls_context_ = std::move(listener.context);
  tls_router_ = std::make_shared<const Router>(std::move(listener.router));
  return Status::Ok();
}

void Proxy::Impl::Run() {
  try {
    io_->run();
  } catch (const std::exception&) {
    // Our handlers catch their own exceptions; nothing may escape anyway.
  }
}

awaitable<void> Proxy::Impl::Accept() {
  asio::steady_timer backoff(*io_);
  while (acceptor_->is_open()) {
    error_code ec;
    // The peer's address comes with accept(): no getpeername() per connection.
    tcp::endpoint peer;
    tcp::socket socket = co_await acceptor_->async_accept(peer, Redirect(ec));
    if (ec == asio::error::operation_aborted) co_return;
    if (ec) {  // e.g. out of file descriptors: let connections finish first
      backoff.expires_after(milliseconds(50));
      co_await backoff.async_wait(Redirect(ec));
      continue;
    }
    if (stats_.client_connections >= options_.max_connections) {
      socket.close(ec);
      continue;
    }
    asio::co_spawn(*io_, Serve(std::move(socket), peer), [](const std::exception_ptr&) {});
  }
}

std::optional<tcp::socket> Proxy::Impl::TakeIdle(const std::string& key) {
  auto it = idle_.find(key);
  while (it != idle_.end() && !it->second.empty()) {
    tcp::socket socket = std::move(it->second.back());
    it->second.pop_back();
    // An idle connection must have nothing to read: EOF or stray bytes mean
    // the upstream closed it or is out of step with us.
    // One recv(MSG_PEEK | MSG_DONTWAIT) syscall: toggling the socket's
    // non-blocking mode through Asio would cost three more (two ioctls now,
    // and Asio setting its own mode back on the next async operation).
    char byte = 0;
    const ssize_t got = ::recv(socket.native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
    const bool open = got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
    if (open) return socket;
    error_code ec;
    socket.close(ec);
  }
  return std::nullopt;
}

void Proxy::Impl::PutIdle(const std::string& key, tcp::socket socket) {
  std::vector<tcp::socket>& sockets = idle_[key];
  if (sockets.size() >= options_.max_idle_per_upstream) {
    error_code ec;
    sockets.front().close(ec);
    sockets.erase(sockets.begin());
  }
  sockets.push_back(std::move(socket));
}

// One client connection: requests one at a time, each forwarded or answered.
template <typename Stream>
class Proxy::Impl::Session {
 public:
  // `peer`: the client's address, as accept() returned it.
  Session(Impl& proxy, Stream client, const tcp::endpoint& peer, const ListenerView& listener)
      : proxy_(proxy),
        options_(proxy.options_),
        listener_(listener),
        client_(std::move(client)),
        client_watch_(proxy.deadlines_),
        buffers_(proxy.TakeBuffers(), BuffersReturn{&proxy}),
        client_ip_(peer.address().to_string()) {}

  awaitable<void> Run();

 private:
  enum class Read { kHeader, kClosed, kFailed };
  struct Failure {
    int status = 400;
    std::string message;
  };
  // How an upstream attempt failed; kRetry only while nothing was received.
  enum class Attempt { kDone, kRetry, kFailed };

  awaitable<Read> ReadRequestHeader(RequestParser& request);
  awaitable<bool> Forward(RequestParser& request, RouteResult& route);
  // `cut`: Cut() closed `upstream`; checked when deciding to retry.
  awaitable<Attempt> Exchange(RequestParser& request, const std::string& header, tcp::socket& upstream,
                              bool pooled, bool retry_allowed, const bool& cut, bool& keep_client,
                              bool& keep_upstream);
  // Writes a short text response; false if the client is gone.
  awaitable<bool> Respond(int status, std::string_view content_type, std::string_view body, bool keep_alive,
                          int version, std::string_view location = {});
  awaitable<bool> WriteClient(const std::vector<asio::const_buffer>& buffers);
  // Adds `got` bytes of piece_ to gather_, as a chunk if `chunked`, and the
  // last chunk after them if `chunked && last`.
  void AddPiece(size_t got, bool chunked, bool last) {
    if (chunked && got > 0) gather_.push_back(size_line_.Set(got));
    if (got > 0) gather_.push_back(asio::buffer(piece_.get(), got));
    if (chunked && got > 0) gather_.push_back(asio::buffer("\r\n", 2));
    if (chunked && last) gather_.push_back(asio::buffer("0\r\n\r\n", 5));
  }
  awaitable<bool> WriteText(std::string_view bytes);
  // The request head for the upstream, in upstream_head_.
  const std::string& UpstreamHeader(const RequestParser& request, bool drop_expect);
  // close() alone: it sends the FIN (or the RST, with unread bytes) exactly
  // as shutdown() before it would, for one syscall less per connection.
  void Close() {
    error_code ec;
    Lowest(client_).close(ec);
  }

  Impl& proxy_;
  const ProxyOptions& options_;
  const ListenerView listener_;
  Stream client_;
  Watchdog client_watch_;
  // From and back to the proxy's spares; the references below are into it.
  struct BuffersReturn {
    Impl* proxy;
    void operator()(SessionBuffers* buffers) const { proxy->GiveBuffers(buffers); }
  };
  std::unique_ptr<SessionBuffers, BuffersReturn> buffers_;
  beast::flat_buffer& client_buffer_ = buffers_->client;
  const std::unique_ptr<char[]>& piece_ = buffers_->piece;
  beast::flat_buffer& upstream_buffer_ = buffers_->upstream;
  std::string& head_ = buffers_->head;
  std::string& upstream_head_ = buffers_->upstream_head;
  std::vector<asio::const_buffer>& gather_ = buffers_->gather;
  ChunkSizeLine size_line_;
  std::string client_ip_;
  Failure failure_;
  bool head_request_ = false;  // the request being answered is a HEAD: no body in our answers
};

awaitable<void> Proxy::Impl::Serve(tcp::socket client, tcp::endpoint peer) {
  const OpenConnection open(stats_.client_connections);
  try {
    Session<tcp::socket> session(*this, std::move(client), peer,
                                 ListenerView{options_.forwarded_proto, port_, &router_});
    co_await session.Run();
  } catch (const std::exception&) {
    // e.g. an allocation failure: this connection ends, the proxy serves on.
  }
}

template <typename Stream>
awaitable<void> Proxy::Impl::Session<Stream>::Run() {
  while (true) {
    RequestParser request;
    request.header_limit(static_cast<std::uint32_t>(options_.max_header_bytes));
    request.body_limit(std::numeric_limits<std::uint64_t>::max());
    const Read read = co_await ReadRequestHeader(request);
    if (read == Read::kClosed) break;
    const int version = request.is_header_done() ? static_cast<int>(request.get().version()) : 11;
    head_request_ = request.is_header_done() && request.get().method() == http::verb::head;
    if (read == Read::kFailed) {
      co_await Respond(failure_.status, "text/plain", failure_.message + "\n", false, version);
      break;
    }
    const bool keep = request.keep_alive();
    RouteResult route;
    bool routed = true;
    try {
      route = (*listener_.router)(View(request.get().method_string()), View(request.get().target()));
    } catch (const std::exception&) {
      routed = false;
    }
    if (!routed) {
      co_await Respond(500, "text/plain", "routing failed\n", false, version);
      break;
    }
    bool keep_going = false;
    switch (route.kind) {
      case RouteResult::Kind::kForward:
        keep_going = co_await Forward(request, route);
        break;
      case RouteResult::Kind::kNoTargets:
        // A body we did not read would be taken for the next request.
        keep_going = keep && request.is_done();
        keep_going = co_await Respond(503, "text/plain", "503 Service Temporarily Unavailable\n", keep_going,
                                      version) && keep_going;
        break;
      case RouteResult::Kind::kRedirect: {
        keep_going = keep && request.is_done();
        const auto host = request.get().find(http::field::host);
        std::optional<std::string> location;
        if (route.location) location = route.location(host == request.get().end() ? std::string_view() : View(host->value()));
        if (location) {
          keep_going = co_await Respond(route.status, "text/html", kRedirectBody, keep_going, version, *location) &&
                       keep_going;
        } else {
          keep_going = co_await Respond(400, "text/plain", "invalid Host header for a redirect\n", keep_going,
                                        version) && keep_going;
        }
        break;
      }
      case RouteResult::Kind::kFixed:
        keep_going = keep && request.is_done();
        keep_going = co_await Respond(route.status, route.content_type, route.body, keep_going, version) &&
                     keep_going;
        break;
    }
    if (!keep_going) break;
  }
  client_watch_.Disarm();
  Close();
}

template <typename Stream>
awaitable<typename Proxy::Impl::Session<Stream>::Read> Proxy::Impl::Session<Stream>::ReadRequestHeader(RequestParser& request) {
  // The rules are runtime/http/request_head.h's (fuzzed there); we only read.
  bool started = false;
  while (true) {
    std::string_view data(static_cast<const char*>(client_buffer_.data().data()), client_buffer_.size());
    const runtime::RequestHeadScan scan = runtime::ScanRequestHead(data, options_.max_header_bytes);
    client_buffer_.consume(scan.skipped);
    data.remove_prefix(scan.skipped);
    if (!started && !data.empty()) {
      started = true;
      client_watch_.Arm(Lowest(client_), options_.header_timeout);
    }
    if (scan.kind == runtime::RequestHeadScan::Kind::kComplete) {
      const std::optional<runtime::RequestHeadRefusal> refusal =
          runtime::AcceptRequestHead(data.substr(0, scan.length), request, PutHead);
      if (refusal) {
        failure_ = {refusal->status, refusal->message};
        co_return Read::kFailed;
      }
      client_buffer_.consume(scan.length);
      client_watch_.Disarm();
      co_return Read::kHeader;
    }
    if (scan.kind == runtime::RequestHeadScan::Kind::kTooLarge) {
      failure_ = {431, "request header too large"};
      co_return Read::kFailed;
    }
    if (!started) client_watch_.Arm(Lowest(client_), options_.idle_timeout);
    error_code ec;
    const size_t got = co_await client_.async_read_some(client_buffer_.prepare(kReadBytes), Redirect(ec));
    client_buffer_.commit(got);
    if (ec) {
      if (started && client_watch_.fired()) {
        failure_ = {408, "request header not received in time"};
        co_return Read::kFailed;
      }
      co_return Read::kClosed;  // EOF, reset or idle: nobody to answer
    }
  }
}

template <typename Stream>
const std::string& Proxy::Impl::Session<Stream>::UpstreamHeader(const RequestParser& request, bool drop_expect) {
  const auto& message = request.get();
  std::string& out = upstream_head_;  // reused: its capacity stays
  out.clear();
  out.append(View(message.method_string())).append(" ").append(View(message.target())).append(" HTTP/1.1\r\n");
  const HopByHop hop(message.base());
  std::string forwarded_for;
  for (const auto& field : message.base()) {
    if (hop.Contains(field)) continue;
    if (field.name() == http::field::expect && drop_expect) continue;
    const beast::string_view name = field.name_string();
    if (beast::iequals(name, "x-forwarded-for")) {
      if (!forwarded_for.empty()) forwarded_for += ", ";
      forwarded_for.append(View(field.value()));
      continue;
    }
    if (beast::iequals(name, "x-forwarded-proto") || beast::iequals(name, "x-forwarded-port")) continue;
    out.append(View(field.name_string())).append(": ").append(View(field.value())).append("\r\n");
  }
  out += "X-Forwarded-For: ";
  if (!forwarded_for.empty()) out.append(forwarded_for).append(", ");
  out.append(client_ip_).append("\r\nX-Forwarded-Proto: ").append(listener_.forwarded_proto);
  out += "\r\nX-Forwarded-Port: ";
  AppendNumber(out, static_cast<unsigned long>(listener_.port));
  out += "\r\n";
  if (request.chunked()) out += "Transfer-Encoding: chunked\r\n";
  out += "\r\n";
  return out;
}

template <typename Stream>
awaitable<bool> Proxy::Impl::Session<Stream>::Forward(RequestParser& request, RouteResult& route) {
  struct Done {
    std::function<void()>& done;
    ~Done() {
      if (done) done();
    }
  } done_guard{route.done};
  const int version = static_cast<int>(request.get().version());
  const bool keep = request.keep_alive();

  // We stream the body before reading the response, so answer the client's
  // "Expect: 100-continue" ourselves instead of passing it on.
  bool expects_continue = false;
  const auto expect = request.get().find(http::field::expect);
  if (expect != request.get().end() && beast::iequals(expect->value(), "100-continue") && !request.is_done()) {
    expects_continue = true;
    if (version >= 11 && !co_await WriteText("HTTP/1.1 100 Continue\r\n\r\n")) co_return false;
  }
  const std::string& header = UpstreamHeader(request, expects_continue);
  const Upstream& target = route.upstream;
  const std::string key = KeyOf(target);
  // Safe to send twice: nothing of the client's body is consumed yet.
  const bool retry_allowed = IsIdempotent(request.get().method()) && request.is_done();

  std::optional<tcp::socket> upstream = proxy_.TakeIdle(key);
  bool pooled = upstream.has_value();
  InUse in_use{&upstream};
  const InUseGuard in_use_guard(proxy_, key, in_use);
  for (int attempt = 0; attempt < 2; ++attempt) {
    if (!upstream) {
      error_code ec;
      const asio::ip::address address = asio::ip::make_address(target.host, ec);
      if (ec || target.port <= 0 || target.port > 65535) {
        co_return co_await Respond(502, "text/plain", "502 Bad Gateway: invalid upstream address\n",
                                   keep && request.is_done(), version) && keep && request.is_done();
      }
      upstream.emplace(client_.get_executor());
      Watchdog watch(proxy_.deadlines_);
      watch.Arm(*upstream, options_.connect_timeout);
      co_await upstream->async_connect(tcp::endpoint(address, static_cast<unsigned short>(target.port)),
                                       Redirect(ec));
      watch.Disarm();
      if (ec) {
        const bool timed_out = watch.fired();
        const bool keep_client = keep && request.is_done();
        co_return co_await Respond(timed_out ? 504 : 502, "text/plain",
                                   timed_out ? "504 Gateway Time-out\n" : "502 Bad Gateway\n", keep_client,
                                   version) && keep_client;
      }
      upstream->set_option(tcp::no_delay(true), ec);
      ++proxy_.stats_.upstream_connects;
      pooled = false;
    } else {
      ++proxy_.stats_.upstream_reuses;
    }
    bool keep_client = false;
    bool keep_upstream = false;
    const Attempt result =
        co_await Exchange(request, header, *upstream, pooled, retry_allowed, in_use.cut, keep_client, keep_upstream);
    if (result == Attempt::kRetry && attempt == 0) {
      error_code ec;
      upstream->close(ec);
      upstream.reset();
      ++proxy_.stats_.upstream_retries;
      continue;
    }
    if (keep_upstream && !in_use.cut) {
      proxy_.PutIdle(key, std::move(*upstream));
    } else {
      error_code ec;
      upstream->close(ec);
    }
    // On kFailed too: a 502/504 answered to a request read whole keeps the
    // client connection (Exchange cleared keep_client otherwise).
    co_return keep_client;
  }
  co_return false;  // not reached: the second attempt never retries
}

// Sends the request on `upstream` and the response back. On kFailed the
// client has been answered (or must be closed: keep_client false).
template <typename Stream>
awaitable<typename Proxy::Impl::Session<Stream>::Attempt> Proxy::Impl::Session<Stream>::Exchange(RequestParser& request,
                                                                        const std::string& header,
                                                                        tcp::socket& upstream, bool pooled,
                                                                        bool retry_allowed, const bool& cut,
                                                                        bool& keep_client, bool& keep_upstream) {
  const int version = static_cast<int>(request.get().version());
  const bool keep = request.keep_alive();
  Watchdog upstream_watch(proxy_.deadlines_);
  error_code ec;
  auto fail = [&](int status) -> awaitable<Attempt> {
    keep_upstream = false;
    keep_client = keep && request.is_done();
    const bool timed_out = status == 504;
    keep_client = co_await Respond(status, "text/plain", timed_out ? "504 Gateway Time-out\n" : "502 Bad Gateway\n",
                                   keep_client, version) && keep_client;
    co_return Attempt::kFailed;
  };

  // The request header, then its body piece by piece.
  upstream_watch.Arm(upstream, options_.upstream_timeout);
  co_await asio::async_write(upstream, asio::buffer(header), Redirect(ec));
  upstream_watch.Disarm();
  if (ec) {
    if (pooled && retry_allowed && !cut && !upstream_watch.fired()) co_return Attempt::kRetry;
    co_return co_await fail(upstream_watch.fired() ? 504 : 502);
  }
  const bool chunked = request.chunked();
  while (!request.is_done()) {
    request.get().body().data = piece_.get();
    request.get().body().size = kPieceBytes;
    client_watch_.Arm(Lowest(client_), options_.idle_timeout);
    co_await http::async_read_some(client_, client_buffer_, request, Redirect(ec));
    client_watch_.Disarm();
    if (ec == http::error::need_buffer) ec = {};
    if (ec) {  // the client went away, stalled, or sent a malformed body
      keep_client = false;
      keep_upstream = false;
      if (!client_watch_.fired() && ec.category() == http::make_error_code(http::error::bad_chunk).category() &&
          ec != http::error::end_of_stream && ec != http::error::partial_message) {
        co_await Respond(400, "text/plain", "malformed request body: " + ec.message() + "\n", false, version);
      }
      co_return Attempt::kFailed;
    }
    const size_t got = kPieceBytes - request.get().body().size;
    if (got == 0 && !request.is_done()) continue;
    gather_.clear();
    AddPiece(got, chunked, request.is_done());
    if (gather_.empty()) continue;
    upstream_watch.Arm(upstream, options_.upstream_timeout);
    co_await asio::async_write(upstream, gather_, Redirect(ec));
    upstream_watch.Disarm();
    if (ec) {
      keep_upstream = false;
      keep_client = false;  // the rest of the client's body is unread
      co_await Respond(upstream_watch.fired() ? 504 : 502, "text/plain",
                       upstream_watch.fired() ? "504 Gateway Time-out\n" : "502 Bad Gateway\n", false, version);
      co_return Attempt::kFailed;
    }
  }

  // The response header, skipping interim (1xx) responses. The buffer is the
  // session's: empty here (a connection goes back to the pool only with
  // nothing buffered past its response), with its capacity kept.
  upstream_buffer_.clear();
  if (upstream_buffer_.capacity() < kUpstreamReadBytes) upstream_buffer_.reserve(kUpstreamReadBytes);
  std::optional<ResponseParser> response;
  while (true) {
    response.emplace();
    response->header_limit(kMaxResponseHeaderBytes);
    response->body_limit(std::numeric_limits<std::uint64_t>::max());
    if (request.get().method() == http::verb::head) response->skip(true);
    // What http::async_read_header does (put what is buffered; read while the
    // parser needs more; EOF is an error), by hand: without Beast's two
    // composed operations around every read, and their executor work
    // tracking. One deadline for the whole header, as before.
    upstream_watch.Arm(upstream, options_.upstream_timeout);
    while (true) {
      if (upstream_buffer_.size() > 0) {
        const size_t used = response->put(upstream_buffer_.data(), ec);
        upstream_buffer_.consume(used);
        if (ec == http::error::need_more) {
          ec = {};
        } else if (ec || response->is_header_done()) {
          break;  // the header, or a malformed one
        } else if (used > 0) {
          continue;
        }
      }
      const size_t size = beast::read_size(upstream_buffer_, 65536);
      if (size == 0) {
        ec = http::error::buffer_overflow;
        break;
      }
      const size_t got = co_await upstream.async_read_some(upstream_buffer_.prepare(size), Redirect(ec));
      upstream_buffer_.commit(got);
      if (ec) break;  // EOF included: the header is not complete
    }
    upstream_watch.Disarm();
    if (ec) {
      if (upstream_watch.fired()) co_return co_await fail(504);
      if (pooled && retry_allowed && !cut && !response->got_some() && upstream_buffer_.size() == 0) {
        co_return Attempt::kRetry;
      }
      co_return co_await fail(502);
    }
    if (runtime::FramingProblemOf(response->get().base())) co_return co_await fail(502);
    const unsigned status = response->get().result_int();
    if (status == 101) co_return co_await fail(502);  // we never forward Upgrade
    if (status >= 200 || status < 100) break;
  }

  // The response header to the client; re-framed if need be.
  auto& message = response->get();
  const bool has_body = !response->is_done();
  const bool counted = response->content_length().has_value();
  const bool rechunk = has_body && !counted && version >= 11;
  const bool until_close = has_body && !counted && !rechunk;  // an HTTP/1.0 client
  keep_client = keep && !until_close;
  std::string& out = head_;
  out.assign("HTTP/1.1 ");
  AppendNumber(out, message.result_int());
  out.append(" ").append(View(message.reason())).append("\r\n");
  const HopByHop hop(message.base());
  for (const auto& field : message.base()) {
    if (hop.Contains(field)) continue;
    out.append(View(field.name_string())).append(": ").append(View(field.value())).append("\r\n");
  }
  if (rechunk) out += "Transfer-Encoding: chunked\r\n";
  if (!keep_client) {
    out += "Connection: close\r\n";
  } else if (version < 11) {
    out += "Connection: keep-alive\r\n";
  }
  out += "\r\n";
  gather_.clear();
  gather_.push_back(asio::buffer(out));
  // The part of the body that came with the header goes out with it, in the
  // same write: parsed here as http::async_read_some would (one put() of
  // what is buffered), without its trip through the io_context. need_more
  // and need_buffer are its normal stops; the loop below carries on.
  bool body_failed = false;
  if (has_body && upstream_buffer_.size() > 0) {
    message.body().data = piece_.get();
    message.body().size = kPieceBytes;
    error_code put_ec;
    const size_t used = response->put(upstream_buffer_.data(), put_ec);
    upstream_buffer_.consume(used);
    if (put_ec == http::error::need_more || put_ec == http::error::need_buffer) put_ec = {};
    if (put_ec) {
      body_failed = true;  // as below: the header goes out, then the client is closed
    } else {
      AddPiece(kPieceBytes - message.body().size, rechunk, response->is_done());
    }
  }
  // WriteClient's body, inline: no coroutine frame for the one write that
  // every response makes.
  client_watch_.Arm(Lowest(client_), options_.idle_timeout);
  co_await asio::async_write(client_, gather_, Redirect(ec));
  client_watch_.Disarm();
  if (ec || body_failed) {
    keep_client = false;
    co_return Attempt::kFailed;
  }

  // The rest of the body, piece by piece. A failure now can no longer be reported.
  while (!response->is_done()) {
    message.body().data = piece_.get();
    message.body().size = kPieceBytes;
    upstream_watch.Arm(upstream, options_.upstream_timeout);
    co_await http::async_read_some(upstream, upstream_buffer_, *response, Redirect(ec));
    upstream_watch.Disarm();
    if (ec == http::error::need_buffer) ec = {};
    if (ec) {
      keep_client = false;
      co_return Attempt::kFailed;
    }
    gather_.clear();
    AddPiece(kPieceBytes - message.body().size, rechunk, response->is_done());
    if (!gather_.empty() && !co_await WriteClient(gather_)) {
      keep_client = false;
      co_return Attempt::kFailed;
    }
  }
  // Bytes past the response mean the upstream is out of step: do not reuse.
  keep_upstream = response->keep_alive() && upstream_buffer_.size() == 0;
  co_return Attempt::kDone;
}

template <typename Stream>
awaitable<bool> Proxy::Impl::Session<Stream>::WriteClient(const std::vector<asio::const_buffer>& buffers) {
  error_code ec;
  client_watch_.Arm(Lowest(client_), options_.idle_timeout);
  co_await asio::async_write(client_, buffers, Redirect(ec));
  client_watch_.Disarm();
  co_return !ec;
}

template <typename Stream>
awaitable<bool> Proxy::Impl::Session<Stream>::WriteText(std::string_view bytes) {
  error_code ec;
  client_watch_.Arm(Lowest(client_), options_.idle_timeout);
  co_await asio::async_write(client_, asio::buffer(bytes.data(), bytes.size()), Redirect(ec));
  client_watch_.Disarm();
  co_return !ec;
}

template <typename Stream>
awaitable<bool> Proxy::Impl::Session<Stream>::Respond(int status, std::string_view content_type, std::string_view body,
                                              bool keep_alive, int version, std::string_view location) {
  std::string out = "HTTP/1.1 " + std::to_string(status) + " " + ReasonFor(status) + "\r\n";
  out += "Server: drydock\r\n";
  if (!location.empty()) out.append("Location: ").append(location).append("\r\n");
  if (!content_type.empty()) out.append("Content-Type: ").append(content_type).append("\r\n");
  out += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  if (!keep_alive) {
    out += "Connection: close\r\n";
  } else if (version < 11) {
    out += "Connection: keep-alive\r\n";
  }
  out += "\r\n";
  if (!head_request_) out.append(body);
  co_return co_await WriteText(out);
}

awaitable<void> Proxy::Impl::AcceptTls(std::shared_ptr<tcp::acceptor> acceptor) {
  asio::steady_timer backoff(*io_);
  while (acceptor->is_open()) {
    error_code ec;
    tcp::endpoint peer;
    tcp::socket socket = co_await acceptor->async_accept(peer, Redirect(ec));
    if (ec == asio::error::operation_aborted || !acceptor->is_open()) co_return;
    if (ec) {
      backoff.expires_after(milliseconds(50));
      co_await backoff.async_wait(Redirect(ec));
      continue;
    }
    if (stats_.client_connections >= options_.max_connections || !tls_context_) {
      socket.close(ec);
      continue;
    }
    asio::co_spawn(*io_, ServeTls(std::move(socket), peer, tls_context_, tls_router_, tls_port_),
                   [](const std::exception_ptr&) {});
  }
}

// One HTTPS connection: the handshake (bounded by header_timeout, as ALB
// bounds its own), then the same session as plain HTTP over the TLS stream.
// `context` and `router` are the listener's when it accepted: a later
// SetTlsListener does not change them for this connection.
awaitable<void> Proxy::Impl::ServeTls(tcp::socket client, tcp::endpoint peer, std::shared_ptr<const TlsContext> context,
                                      std::shared_ptr<const Router> router, int port) {
  const OpenConnection open(stats_.client_connections);
  try {
    SslStream stream(std::move(client), context->context());
    {
      Watchdog handshake(deadlines_);
      handshake.Arm(stream.next_layer(), options_.header_timeout);
      error_code ec;
      co_await stream.async_handshake(asio::ssl::stream_base::server, Redirect(ec));
      handshake.Disarm();
      if (ec) {
        stream.next_layer().close(ec);
        co_return;  // refused version, no shared cipher, timeout, not TLS at all
      }
    }
    Session<SslStream> session(*this, std::move(stream), peer, ListenerView{"https", port, router.get()});
    co_await session.Run();
  } catch (const std::exception&) {
    // e.g. an allocation failure: this connection ends, the proxy serves on.
  }
}

Proxy::Proxy(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Proxy::~Proxy() = default;

Result<std::unique_ptr<Proxy>> Proxy::Start(ProxyOptions options, Router router) {
  if (!router) return InvalidArgument("the proxy needs a router");
  try {
    auto impl = std::make_unique<Impl>(std::move(options), std::move(router));
    DRYDOCK_RETURN_IF_ERROR(impl->Listen());
    return std::unique_ptr<Proxy>(new Proxy(std::move(impl)));
  } catch (const std::exception& e) {
    return Internal(std::string("cannot start the proxy: ") + e.what());
  }
}

int Proxy::port() const { return impl_->port(); }
int Proxy::tls_port() const { return impl_->tls_port(); }
Status Proxy::SetTlsListener(TlsListener listener) { return impl_->SetTlsListener(std::move(listener)); }
void Proxy::StopTlsListener() { impl_->StopTlsListener(); }
void Proxy::Run() { impl_->Run(); }
void Proxy::Stop() { impl_->Stop(); }
void Proxy::GetStats(std::function<void(const ProxyStats&)> callback) { impl_->GetStats(std::move(callback)); }
void Proxy::Post(std::function<void()> fn) { impl_->Post(std::move(fn)); }
void Proxy::RunAfter(std::chrono::milliseconds delay, std::function<void()> fn) {
  impl_->RunAfter(delay, std::move(fn));
}
void Proxy::Probe(const Upstream& upstream, std::string path, std::chrono::milliseconds timeout,
                  std::function<void(const ProbeResult&)> done) {
  impl_->Probe(upstream, std::move(path), timeout, std::move(done));
}
void Proxy::CloseIdle(const Upstream& upstream) { impl_->CloseIdle(upstream); }
void Proxy::Cut(const Upstream& upstream) { impl_->Cut(upstream); }

}  // namespace drydock::proxy
