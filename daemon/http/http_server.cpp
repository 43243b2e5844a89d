// The one translation unit of rosterd that includes Boost.Beast/Asio (STYLE.md habits 6
// and 14; byte_stream.h is its private part). One coroutine per connection (Session),
// over TCP or TLS alike (ByteStream);
// a fresh parser per request with both limits; a deadline before every read and write;
// errors as error_code values; a draining flag that stop() sets.
#include "daemon/http/http_server.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include <algorithm>
#include <atomic>
#include <functional>
#include <future>
#include <mutex>
#include <optional>
#include <thread>
#include <tuple>
#include <utility>
#include <vector>

#include "daemon/http/byte_stream.h"
#include "daemon/http/connection_registry.h"
#include "daemon/http/scim_error_response.h"

namespace rosterd::http {
namespace {

namespace bhttp = beast::http;
using Request = bhttp::request<bhttp::string_body>;
using Response = bhttp::response<bhttp::string_body>;

// Completion token: (error_code, ...) as a tuple, so a peer that went away is a value.
constexpr auto kTok = asio::as_tuple(asio::use_awaitable);
constexpr std::size_t kReadChunk = 16 * 1024;
// How long a closing connection keeps reading what the peer still sends (the rest of a
// refused body), so that closing does not reset the connection before the peer has read
// the error response.
constexpr std::chrono::seconds kLinger{2};

std::string text(beast::string_view s) { return {s.data(), s.size()}; }

std::string endpoint_text(const tcp::endpoint& endpoint) {
  const auto address = endpoint.address();
  const std::string host = address.is_v6() ? "[" + address.to_string() + "]" : address.to_string();
  return host + ":" + std::to_string(endpoint.port());
}

// What the transport answers for a request the parser refused; nullopt when there is no
// one to answer (the peer went away, a deadline passed).
std::optional<scim::HttpResponse> rejection(const beast::error_code& ec, const ServerLimits& limits) {
  if (ec == bhttp::error::body_limit)
    return scim_error_response(
        413, "request body larger than " + std::to_string(limits.max_body_bytes) + " bytes");
  if (ec == bhttp::error::header_limit)
    return scim_error_response(
        431, "request header larger than " + std::to_string(limits.max_header_bytes) + " bytes");
  if (ec.category() != bhttp::make_error_code(bhttp::error::bad_method).category()) return std::nullopt;
  switch (static_cast<bhttp::error>(ec.value())) {
    case bhttp::error::unexpected_body:
    case bhttp::error::bad_line_ending:
    case bhttp::error::bad_method:
    case bhttp::error::bad_target:
    case bhttp::error::bad_version:
    case bhttp::error::bad_field:
    case bhttp::error::bad_value:
    case bhttp::error::bad_content_length:
    case bhttp::error::bad_transfer_encoding:
    case bhttp::error::bad_chunk:
    case bhttp::error::bad_chunk_extension:
    case bhttp::error::bad_obs_fold:
    case bhttp::error::multiple_content_length:
      return scim_error_response(400, "malformed HTTP request: " + ec.message());
    default:
      return std::nullopt;
  }
}

scim::HttpRequest to_scim(Request&& message, const std::string& remote) {
  scim::HttpRequest request;
  request.method = text(message.method_string());
  request.target = text(message.target());
  for (const auto& field : message) request.headers.emplace_back(text(field.name_string()), text(field.value()));
  request.body = std::move(message.body());
  request.remote = remote;
  return request;
}

bool is_token(std::string_view s) {
  constexpr std::string_view kSymbols = "!#$%&'*+-.^_`|~";
  return !s.empty() && std::all_of(s.begin(), s.end(), [&](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           kSymbols.find(c) != std::string_view::npos;
  });
}

// Headers the transport owns: a handler's copy is dropped, not sent twice.
bool is_framing_header(std::string_view name) {
  for (const std::string_view owned : {"content-length", "transfer-encoding", "connection", "server"})
    if (beast::iequals(name, owned)) return true;
  return false;
}

Response to_beast(scim::HttpResponse&& response, unsigned version) {
  Response message;
  message.version(version);
  const bool valid = response.status >= 200 && response.status <= 599;
  message.result(valid ? static_cast<unsigned>(response.status) : 500U);
  for (const auto& [name, value] : response.headers) {
    // A name that is not a token or a value with CR/LF would split the response.
    if (!is_token(name) || is_framing_header(name) || value.find_first_of("\r\n") != std::string::npos ||
        value.find('\0') != std::string::npos)
      continue;
    message.insert(name, value);
  }
  message.set(bhttp::field::server, "rosterd");
  if (message.result() == bhttp::status::no_content || message.result() == bhttp::status::not_modified)
    return message;  // no body and no Content-Length (RFC 9110 section 8.6)
  message.body() = std::move(response.body);
  message.prepare_payload();
  return message;
}

// Where a handler's answer goes. Most answers (reads, refusals) come before the handler
// returns, on the calling thread: they are kept in `early` and the coroutine goes on
// without a round trip through the io_context. An answer that comes later (a write, once
// durable, from the store's writer thread) completes the Asio operation of await_late().
class Answer {
 public:
  using Late = std::function<void(scim::HttpResponse)>;

  void give(scim::HttpResponse response) {
    Late late;
    {
      std::lock_guard lock(mutex_);
      if (answered_) return;  // only the first answer counts
      answered_ = true;
      if (!late_) {
        early_ = std::move(response);
        return;
      }
      late = std::move(late_);
    }
    late(std::move(response));
  }

  // After the handler returned: the answer it gave, if any.
  std::optional<scim::HttpResponse> take_early() {
    std::lock_guard lock(mutex_);
    return std::move(early_);
  }

  // Registers where a later answer goes, or hands over one that arrived meanwhile.
  void on_late(Late late) {
    std::optional<scim::HttpResponse> arrived;
    {
      std::lock_guard lock(mutex_);
      if (!early_) {
        late_ = std::move(late);
        return;
      }
      arrived = std::move(early_);
      early_.reset();
    }
    late(std::move(*arrived));
  }

 private:
  std::mutex mutex_;
  bool answered_ = false;
  std::optional<scim::HttpResponse> early_;
  Late late_;
};

// The later answer as an Asio asynchronous operation: the completion runs on the caller's
// executor (the connection's strand), and a work guard keeps the io_context running until
// the answer arrives.
template <class Token>
auto await_late(std::shared_ptr<Answer> answer, Token&& token) {
  return asio::async_initiate<Token, void(scim::HttpResponse)>(
      [](auto completion, std::shared_ptr<Answer> pending_answer) {
        using Completion = decltype(completion);
        struct Pending {
          explicit Pending(Completion c)
              : executor(asio::get_associated_executor(c)),
                work(asio::make_work_guard(executor)),
                completion(std::move(c)) {}
          asio::associated_executor_t<Completion> executor;
          asio::executor_work_guard<asio::associated_executor_t<Completion>> work;
          std::optional<Completion> completion;
        };
        auto pending = std::make_shared<Pending>(std::move(completion));
        pending_answer->on_late([pending](scim::HttpResponse response) {
          asio::post(pending->executor, [pending, response = std::move(response)]() mutable {
            Completion done = std::move(*pending->completion);
            pending->completion.reset();
            pending->work.reset();
            std::move(done)(std::move(response));
          });
        });
      },
      token, std::move(answer));
}

// Everything a connection needs from its server. Outlives every session (see Impl).
struct SharedState {
  SharedState(Handler h, const ServerLimits& l) : handler(std::move(h)), limits(l) {}
  const Handler handler;
  const ServerLimits limits;
  std::atomic<bool> draining{false};
  ConnectionRegistry registry;
};

// How a request/response exchange leaves the connection.
enum class After {
  KeepAlive,  // read the next request
  Close,      // close gracefully (TLS close_notify, TCP FIN)
  Linger,     // close gracefully, discarding input the peer may still send
  Drop,       // the connection is broken or timed out: just close
};

// One connection: one coroutine, run on the connection's strand.
class Session final : public Connection, public std::enable_shared_from_this<Session> {
 public:
  Session(SharedState& shared, std::string remote, std::unique_ptr<ByteStream> stream)
      : shared_(shared), remote_(std::move(remote)), stream_(std::move(stream)) {}

  ~Session() override {
    if (id_) shared_.registry.remove(*id_);
  }

  void set_id(std::uint64_t id) { id_ = id; }
  asio::any_io_executor executor() const { return stream_->get_executor(); }

  static asio::awaitable<void> run(std::shared_ptr<Session> self) { co_await self->serve(); }

  // Both may be called from any thread: the work runs on this connection's strand, so
  // idle_ and the stream are only ever touched there.
  void drain() override {
    asio::post(executor(), [self = shared_from_this()] {
      if (self->idle_) self->stream_->lowest().cancel();
    });
  }
  void force_close() override {
    asio::post(executor(), [self = shared_from_this()] { self->stream_->lowest().close(); });
  }

 private:
  const ServerLimits& limits() const { return shared_.limits; }

  asio::awaitable<void> serve() {
    if (stream_->tls()) {
      stream_->lowest().expires_after(limits().header_timeout);
      auto [ec] = co_await stream_->async_handshake(kTok);
      if (ec) {
        stream_->lowest().close();
        co_return;
      }
    }
    After after = After::Drop;
    for (;;) {
      const bool ready = co_await wait_for_request();
      if (!ready) break;
      after = co_await serve_request();
      if (after != After::KeepAlive) break;
    }
    if (after == After::Close || after == After::Linger) co_await shut_down(after == After::Linger);
    stream_->lowest().close();
  }

  // The keep-alive wait, the only time drain() interrupts: true once the next request's
  // first bytes are here; false on idle timeout, a peer that closed, or a draining server.
  asio::awaitable<bool> wait_for_request() {
    if (shared_.draining) co_return false;
    if (buffer_.size() > 0) co_return true;  // pipelined
    stream_->lowest().expires_after(limits().idle_timeout);
    idle_ = true;
    auto [ec, n] = co_await stream_->async_read_some(buffer_.prepare(kReadChunk), kTok);
    idle_ = false;
    if (ec) co_return false;
    buffer_.commit(n);
    co_return true;
  }

  asio::awaitable<After> serve_request() {
    bhttp::request_parser<bhttp::string_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(
        std::min<std::size_t>(limits().max_header_bytes, UINT32_MAX)));
    parser.body_limit(limits().max_body_bytes);
    beast::error_code ec;
    stream_->lowest().expires_after(limits().header_timeout);
    std::tie(ec, std::ignore) = co_await bhttp::async_read_header(*stream_, buffer_, parser, kTok);
    if (!ec && !parser.is_done()) {
      if (beast::iequals(parser.get()[bhttp::field::expect], "100-continue")) {
        bhttp::response<bhttp::empty_body> go_on{bhttp::status::continue_, 11};
        const bool written = co_await write(go_on);
        if (!written) co_return After::Drop;
      }
      stream_->lowest().expires_after(limits().read_timeout);
      std::tie(ec, std::ignore) = co_await bhttp::async_read(*stream_, buffer_, parser, kTok);
    }
    if (ec) {
      const After after = co_await reject(ec);
      co_return after;
    }
    Request request = parser.release();
    const bool keep_alive = request.keep_alive();
    const unsigned version = request.version();
    const bool head = request.method() == bhttp::verb::head;
    scim::HttpResponse answer = co_await call_handler(to_scim(std::move(request), remote_));
    Response response = to_beast(std::move(answer), version);
    if (head) response.body().clear();  // Content-Length stays that of the GET
    response.keep_alive(keep_alive && !shared_.draining);
    const bool written = co_await write(response);
    if (!written) co_return After::Drop;
    co_return response.keep_alive() ? After::KeepAlive : After::Close;
  }

  // The handler's answer: at once when it answered before returning, else once it does
  // (possibly from another thread), this connection's coroutine suspended meanwhile.
  asio::awaitable<scim::HttpResponse> call_handler(scim::HttpRequest&& request) {
    auto answer = std::make_shared<Answer>();
    try {
      shared_.handler(std::move(request), [answer](scim::HttpResponse r) { answer->give(std::move(r)); });
    } catch (...) {
      answer->give(scim_error_response(500, "internal error"));
    }
    if (std::optional<scim::HttpResponse> early = answer->take_early()) co_return std::move(*early);
    co_return co_await await_late(std::move(answer), asio::use_awaitable);
  }

  // 413, 431 or 400 with a SCIM error body, then close; nothing for a peer that went away.
  asio::awaitable<After> reject(beast::error_code ec) {
    std::optional<scim::HttpResponse> answer = rejection(ec, limits());
    if (!answer) co_return After::Drop;
    Response response = to_beast(std::move(*answer), 11);
    response.keep_alive(false);
    const bool written = co_await write(response);
    co_return written ? After::Linger : After::Drop;
  }

  template <class Body>
  asio::awaitable<bool> write(bhttp::response<Body>& message) {
    stream_->lowest().expires_after(limits().write_timeout);
    auto [ec, n] = co_await bhttp::async_write(*stream_, message, kTok);
    co_return !ec;
  }

  asio::awaitable<void> shut_down(bool linger) {
    stream_->lowest().expires_after(std::min<std::chrono::seconds>(kLinger, limits().read_timeout));
    auto [ec] = co_await stream_->async_shutdown(kTok);
    while (linger && !ec && !stream_->tls())
      std::tie(ec, std::ignore) = co_await stream_->async_read_some(buffer_.prepare(kReadChunk), kTok);
  }

  SharedState& shared_;
  const std::string remote_;
  const std::unique_ptr<ByteStream> stream_;
  beast::flat_buffer buffer_;
  bool idle_ = false;
  std::optional<std::uint64_t> id_;
};

Result<tcp::endpoint> endpoint_for(const std::string& host, std::uint16_t port) {
  beast::error_code ec;
  const auto address = asio::ip::make_address(host, ec);
  if (!ec) return tcp::endpoint(address, port);
  asio::io_context context;
  tcp::resolver resolver(context);
  const auto results = resolver.resolve(host, std::to_string(port), tcp::resolver::passive, ec);
  if (ec || results.empty())
    return fail(ErrorCode::Config, "cannot resolve the listen address '" + host + "': " +
                                       (ec ? ec.message() : "no address"));
  return results.begin()->endpoint();
}

Result<ssl::context> tls_context(const TlsFiles& files) {
  ssl::context context(ssl::context::tls_server);
  beast::error_code ec;
  context.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                          ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1,
                      ec);
  if (ec) return fail(ErrorCode::Config, "cannot set up TLS: " + ec.message());
  context.use_certificate_chain_file(files.cert_file, ec);
  if (ec) return fail(ErrorCode::Config, "cannot load the TLS certificate " + files.cert_file + ": " + ec.message());
  context.use_private_key_file(files.key_file, ssl::context::pem, ec);
  if (ec) return fail(ErrorCode::Config, "cannot load the TLS key " + files.key_file + ": " + ec.message());
  return Result<ssl::context>(std::move(context));
}

}  // namespace

class Server::Impl {
 public:
  Impl(Handler handler, const ServerLimits& limits, std::optional<ssl::context> tls)
      : shared_(std::move(handler), limits),
        tls_(std::move(tls)),
        io_(static_cast<int>(std::max(1U, limits.threads))),
        acceptor_(asio::make_strand(io_)) {}

  Result<void> listen(const tcp::endpoint& endpoint) {
    beast::error_code ec;
    acceptor_.open(endpoint.protocol(), ec);
    if (!ec) acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) acceptor_.bind(endpoint, ec);
    if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
    if (!ec) port_ = acceptor_.local_endpoint(ec).port();
    if (ec) return fail(ErrorCode::Unavailable, "cannot listen on " + endpoint_text(endpoint) + ": " + ec.message());
    return {};
  }

  std::uint16_t port() const { return port_; }

  void start() {
    if (started_ || stopped_) return;
    started_ = true;
    asio::co_spawn(acceptor_.get_executor(), accept_loop(), asio::detached);
    for (unsigned i = 0; i < std::max(1U, shared_.limits.threads); ++i) threads_.emplace_back([this] { io_.run(); });
  }

  void stop(std::chrono::milliseconds grace) {
    if (stopped_) return;
    stopped_ = true;
    shared_.draining = true;
    beast::error_code ignored;
    if (!started_) {
      acceptor_.close(ignored);
      return;
    }
    const auto deadline = std::chrono::steady_clock::now() + std::min<std::chrono::milliseconds>(grace, std::chrono::hours(24));
    // The acceptor belongs to its strand; wait for it to be closed so that a connection
    // attempted from now on is refused rather than accepted and dropped.
    auto closed = std::make_shared<std::promise<void>>();
    asio::post(acceptor_.get_executor(), [this, closed] {
      beast::error_code ec;
      acceptor_.close(ec);
      closed->set_value();
    });
    closed->get_future().wait_until(deadline);
    for (const auto& connection : shared_.registry.snapshot()) connection->drain();
    if (!shared_.registry.wait_until_empty(deadline)) {
      for (const auto& connection : shared_.registry.snapshot()) connection->force_close();
      shared_.registry.wait_until_empty(std::chrono::steady_clock::now() + std::chrono::seconds(1));
      io_.stop();  // what is left is destroyed with io_
    }
    for (auto& thread : threads_) thread.join();
    threads_.clear();
  }

 private:
  asio::awaitable<void> accept_loop() {
    for (;;) {
      tcp::socket socket(asio::make_strand(io_));
      auto [ec] = co_await acceptor_.async_accept(socket, kTok);
      if (shared_.draining || ec == asio::error::operation_aborted || !acceptor_.is_open()) co_return;
      if (ec) {  // out of descriptors, say: pause rather than spin on the same error
        asio::steady_timer pause(acceptor_.get_executor(), std::chrono::milliseconds(100));
        co_await pause.async_wait(kTok);
        continue;
      }
      open_session(std::move(socket));
    }
  }

  void open_session(tcp::socket socket) {
    beast::error_code ec;
    std::string remote = endpoint_text(socket.remote_endpoint(ec));
    if (ec) return;  // already gone
    std::unique_ptr<ByteStream> stream;
    if (tls_)
      stream = std::make_unique<TlsByteStream>(std::move(socket), *tls_);
    else
      stream = std::make_unique<TcpByteStream>(std::move(socket));
    auto session = std::make_shared<Session>(shared_, std::move(remote), std::move(stream));
    const auto id = shared_.registry.add(session, shared_.limits.max_connections);
    if (!id) return;  // over max_connections: the socket closes with `session`
    session->set_id(*id);
    const asio::any_io_executor executor = session->executor();
    asio::co_spawn(executor, Session::run(std::move(session)), asio::detached);
  }

  // Declaration order is destruction order reversed: coroutine frames still suspended
  // when io_ is destroyed hold references to shared_ and tls_.
  SharedState shared_;
  std::optional<ssl::context> tls_;
  asio::io_context io_;
  tcp::acceptor acceptor_;
  std::vector<std::thread> threads_;
  std::uint16_t port_ = 0;
  bool started_ = false;
  bool stopped_ = false;
};

Result<std::unique_ptr<Server>> Server::bind(const std::string& host, std::uint16_t port, Handler handler,
                                             ServerLimits limits, std::optional<TlsFiles> tls) {
  std::optional<ssl::context> context;
  if (tls) {
    auto loaded = tls_context(*tls);
    if (!loaded) return tl::unexpected(loaded.error());
    context.emplace(std::move(*loaded));
  }
  const auto endpoint = endpoint_for(host, port);
  if (!endpoint) return tl::unexpected(endpoint.error());
  auto impl = std::make_unique<Impl>(std::move(handler), limits, std::move(context));
  if (auto listening = impl->listen(*endpoint); !listening) return tl::unexpected(listening.error());
  return std::make_unique<Server>(Key{}, std::move(impl));
}

Result<std::unique_ptr<Server>> Server::bind(const std::string& host, std::uint16_t port,
                                             SyncHandler handler, ServerLimits limits,
                                             std::optional<TlsFiles> tls) {
  Handler adapted = [handler = std::move(handler)](scim::HttpRequest&& request, const Respond& respond) {
    respond(handler(std::move(request)));
  };
  return bind(host, port, std::move(adapted), limits, std::move(tls));
}

Server::Server(Key, std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Server::~Server() { stop(); }
std::uint16_t Server::port() const { return impl_->port(); }
void Server::start() { impl_->start(); }
void Server::stop(std::chrono::milliseconds grace) { impl_->stop(grace); }

}  // namespace rosterd::http
