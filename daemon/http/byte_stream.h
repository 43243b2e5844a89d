// TCP or TLS behind one type, for daemon/http/http_server.cpp ONLY: it includes
// Boost.Beast/Asio, and that file is meant to stay the one translation unit that does
// (STYLE.md habit 14). Do not include it anywhere else.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <array>
#include <cstddef>
#include <memory>
#include <type_traits>
#include <utility>

namespace rosterd::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using PlainStream = beast::tcp_stream;

// A move-only completion handler of one signature. (Asio 1.81's any_completion_handler
// does not work with Beast: its executor lacks blocking.never.) It does not carry the
// wrapped handler's executor; the stream's strand, which is also the coroutine's, runs it.
template <class... Args>
class ErasedHandler {
 public:
  template <class Handler>
  explicit ErasedHandler(Handler&& handler)
      : impl_(std::make_unique<Holder<std::decay_t<Handler>>>(std::forward<Handler>(handler))) {}

  void operator()(Args... args) {
    const std::unique_ptr<Base> impl = std::move(impl_);
    impl->call(args...);
  }

 private:
  struct Base {
    virtual ~Base() = default;
    virtual void call(Args... args) = 0;
  };
  template <class Handler>
  struct Holder final : Base {
    template <class H>
    explicit Holder(H&& h) : handler(std::forward<H>(h)) {}
    void call(Args... args) override { std::move(handler)(args...); }
    Handler handler;
  };
  std::unique_ptr<Base> impl_;
};

// TCP or TLS behind one type: Beast's HTTP read and write algorithms and the session
// coroutines are compiled once instead of once per stream type, which cut the compile
// time of http_server.cpp from 65 s to 26 s (g++ 12, -O2 -g). The price: a virtual call
// and a small allocation per read or write.
class ByteStream {
 public:
  using executor_type = asio::any_io_executor;
  using IoHandler = ErasedHandler<beast::error_code, std::size_t>;
  using DoneHandler = ErasedHandler<beast::error_code>;
  // A write takes at most this many buffers of a sequence (a write may be partial anyway).
  using WriteBuffers = std::array<asio::const_buffer, 16>;

  explicit ByteStream(executor_type executor) : executor_(std::move(executor)) {}
  virtual ~ByteStream() = default;
  ByteStream(const ByteStream&) = delete;
  ByteStream& operator=(const ByteStream&) = delete;

  executor_type get_executor() const { return executor_; }
  virtual PlainStream& lowest() = 0;  // deadlines, cancel, close
  virtual bool tls() const = 0;

  template <class MutableBuffers, class Token>
  auto async_read_some(const MutableBuffers& buffers, Token&& token) {
    return asio::async_initiate<Token, void(beast::error_code, std::size_t)>(
        [this](auto handler, asio::mutable_buffer buffer) { read_some(buffer, IoHandler(std::move(handler))); },
        token, first_nonempty(buffers));
  }

  template <class ConstBuffers, class Token>
  auto async_write_some(const ConstBuffers& buffers, Token&& token) {
    WriteBuffers some{};
    auto out = some.begin();
    for (auto in = asio::buffer_sequence_begin(buffers); in != asio::buffer_sequence_end(buffers) && out != some.end(); ++in)
      if (asio::const_buffer b = *in; b.size() > 0) *out++ = b;
    return asio::async_initiate<Token, void(beast::error_code, std::size_t)>(
        [this](auto handler, const WriteBuffers& b) { write_some(b, IoHandler(std::move(handler))); }, token, some);
  }

  template <class Token>
  auto async_handshake(Token&& token) {  // TLS server handshake; nothing for TCP
    return asio::async_initiate<Token, void(beast::error_code)>(
        [this](auto handler) { handshake(DoneHandler(std::move(handler))); }, token);
  }

  template <class Token>
  auto async_shutdown(Token&& token) {  // TLS close_notify; TCP shutdown of the sending side
    return asio::async_initiate<Token, void(beast::error_code)>(
        [this](auto handler) { shutdown(DoneHandler(std::move(handler))); }, token);
  }

 protected:
  virtual void read_some(asio::mutable_buffer buffer, IoHandler handler) = 0;
  virtual void write_some(const WriteBuffers& buffers, IoHandler handler) = 0;
  virtual void handshake(DoneHandler handler) = 0;
  virtual void shutdown(DoneHandler handler) = 0;

  void complete_soon(DoneHandler handler, beast::error_code ec) {
    asio::post(executor_, [h = std::move(handler), ec]() mutable { std::move(h)(ec); });
  }

 private:
  template <class MutableBuffers>
  static asio::mutable_buffer first_nonempty(const MutableBuffers& buffers) {
    for (auto in = asio::buffer_sequence_begin(buffers); in != asio::buffer_sequence_end(buffers); ++in)
      if (asio::mutable_buffer b = *in; b.size() > 0) return b;
    return {};
  }

  const executor_type executor_;  // a strand of the server's io_context
};

class TcpByteStream final : public ByteStream {
 public:
  explicit TcpByteStream(tcp::socket&& socket) : ByteStream(socket.get_executor()), stream_(std::move(socket)) {}
  PlainStream& lowest() override { return stream_; }
  bool tls() const override { return false; }

 private:
  void read_some(asio::mutable_buffer buffer, IoHandler handler) override {
    stream_.async_read_some(buffer, std::move(handler));
  }
  void write_some(const WriteBuffers& buffers, IoHandler handler) override {
    stream_.async_write_some(buffers, std::move(handler));
  }
  void handshake(DoneHandler handler) override { complete_soon(std::move(handler), {}); }
  void shutdown(DoneHandler handler) override {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    complete_soon(std::move(handler), ec);
  }

  PlainStream stream_;
};

class TlsByteStream final : public ByteStream {
 public:
  TlsByteStream(tcp::socket&& socket, ssl::context& context)
      : ByteStream(socket.get_executor()), stream_(std::move(socket), context) {}
  PlainStream& lowest() override { return stream_.next_layer(); }
  bool tls() const override { return true; }

 private:
  void read_some(asio::mutable_buffer buffer, IoHandler handler) override {
    stream_.async_read_some(buffer, std::move(handler));
  }
  void write_some(const WriteBuffers& buffers, IoHandler handler) override {
    stream_.async_write_some(buffers, std::move(handler));
  }
  void handshake(DoneHandler handler) override {
    stream_.async_handshake(ssl::stream_base::server, std::move(handler));
  }
  void shutdown(DoneHandler handler) override { stream_.async_shutdown(std::move(handler)); }

  beast::ssl_stream<PlainStream> stream_;
};

}  // namespace rosterd::http
