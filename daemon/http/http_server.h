// The HTTP/1.1 (and HTTPS) transport of `rosterd serve`. It turns wire requests into
// scim::HttpRequest values, hands them to a Handler and writes the HttpResponse back.
// Boost.Beast/Asio live in http_server.cpp only: this header includes neither, so the
// files that wire the daemon together stay quick to compile (STYLE.md habit 14).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "core/error.h"
#include "scim/http_message.h"

namespace rosterd::http {

struct ServerLimits {
  std::size_t max_body_bytes = 1 << 20;      // beyond: 413 with a SCIM error body, then close
  std::size_t max_header_bytes = 16 * 1024;  // beyond: 431, then close
  std::chrono::seconds header_timeout{10};   // TLS handshake, and a request's header once its
                                             // first byte has arrived
  std::chrono::seconds read_timeout{30};     // a request's body
  std::chrono::seconds write_timeout{30};    // a response
  std::chrono::seconds idle_timeout{60};     // a keep-alive connection waiting for a request
  std::size_t max_connections = 1024;        // beyond: accepted, then closed at once
  unsigned threads = 2;                      // I/O threads (0 counts as 1)
};

// PEM files; the certificate file may hold the chain. Absent (std::nullopt) = plain HTTP.
struct TlsFiles {
  std::string cert_file;
  std::string key_file;
};

// Called on an I/O thread for each request; must be thread-safe and must not block:
// it answers by calling `respond` exactly once, at once or later from any thread (a
// write answers once its transaction is durable, from the store's writer thread). An
// exception it throws before responding becomes a 500 with a SCIM error body.
using Respond = std::function<void(scim::HttpResponse)>;
using Handler = std::function<void(scim::HttpRequest&&, Respond)>;
// A handler that answers at once and may block briefly (tests, trivial endpoints).
using SyncHandler = std::function<scim::HttpResponse(scim::HttpRequest&&)>;

class Server {
  struct Key {
    explicit Key() = default;
  };

 public:
  // Listens now, so "address in use" or an unreadable certificate is reported at once;
  // serves nothing until start(). Errors: Config (bad host, TLS files), Unavailable
  // (cannot bind or listen).
  static Result<std::unique_ptr<Server>> bind(const std::string& host, std::uint16_t port,
                                              Handler handler, ServerLimits limits = {},
                                              std::optional<TlsFiles> tls = {});
  static Result<std::unique_ptr<Server>> bind(const std::string& host, std::uint16_t port,
                                              SyncHandler handler, ServerLimits limits = {},
                                              std::optional<TlsFiles> tls = {});

  std::uint16_t port() const;  // the bound port (the one chosen for port 0)

  void start();  // starts the I/O threads; once only

  // Graceful: stops accepting (new connections are refused once this has begun), lets
  // requests in flight finish and their responses be written (with Connection: close),
  // closes idle keep-alive connections and joins the threads. After `grace`, closes what
  // is left; a handler still running is waited for. Call from one thread; idempotent.
  // A `respond` that arrives after stop() has given up on its connection is dropped, but
  // it must not arrive after the Server is destroyed: stop whatever may still respond
  // (the store's writer) between stop() and destruction.
  void stop(std::chrono::milliseconds grace = std::chrono::seconds(10));

  ~Server();  // stop() if still running

  class Impl;
  Server(Key, std::unique_ptr<Impl> impl);
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace rosterd::http
