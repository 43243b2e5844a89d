// A webhook receiver for tests: plain HTTP/1.1 on 127.0.0.1 and a port the kernel picked
// (bound and listening before the constructor returns), one thread per connection,
// keep-alive. Each request is recorded with its headers and body and whether its
// X-Rosterd-Signature verifies with the receiver's secret (HMAC computed here with
// OpenSSL, independently of connectors/webhook). What it answers is up to the test.
// With a certificate and key it speaks HTTPS instead (OpenSSL, TLS 1.2 or later).
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace rosterd::testing {

struct ReceivedRequest {
  std::map<std::string, std::string> headers;  // names in lower case
  std::string body;
  bool signature_ok = false;
  int answered = 0;  // the status answered, 0 when the connection was dropped or left hanging
};

struct ReceiverAnswer {
  enum class Kind { Respond, Drop, Hang, Huge } kind = Kind::Respond;
  int status = 200;
  std::string extra_headers;  // lines ending in CRLF
  std::string body = "ok";
};

class WebhookReceiver {
 public:
  using Script = std::function<ReceiverAnswer(const ReceivedRequest&, int nth_attempt_of_this_id)>;

  explicit WebhookReceiver(std::string secret, const std::string& tls_cert = "", const std::string& tls_key = "")
      : secret_(std::move(secret)) {
    if (!tls_cert.empty()) {
      // OpenSSL writes with write(2): a client that hangs up mid-handshake (it does not
      // trust the certificate) would end the test binary with SIGPIPE.
      ::signal(SIGPIPE, SIG_IGN);
      tls_ = SSL_CTX_new(TLS_server_method());
      SSL_CTX_use_certificate_chain_file(tls_, tls_cert.c_str());
      SSL_CTX_use_PrivateKey_file(tls_, tls_key.c_str(), SSL_FILETYPE_PEM);
    }
    listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
    const int one = 1;
    ::setsockopt(listener_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(listener_, reinterpret_cast<const sockaddr*>(&address), sizeof address);
    ::listen(listener_, 64);
    socklen_t length = sizeof address;
    ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length);
    port_ = ntohs(address.sin_port);
    acceptor_ = std::thread([this] { accept_loop(); });
  }
  WebhookReceiver(const WebhookReceiver&) = delete;
  WebhookReceiver& operator=(const WebhookReceiver&) = delete;
  ~WebhookReceiver() {
    stopping_ = true;
    ::shutdown(listener_, SHUT_RDWR);
    acceptor_.join();
    std::vector<std::thread> threads;
    {
      std::lock_guard lock(mutex_);
      for (const int fd : open_) ::shutdown(fd, SHUT_RDWR);
      threads.swap(connections_);
    }
    for (auto& t : threads) t.join();
    ::close(listener_);
    if (tls_) SSL_CTX_free(tls_);
  }

  std::uint16_t port() const { return port_; }
  std::string url() const {
    return (tls_ ? "https" : "http") + std::string("://127.0.0.1:") + std::to_string(port_) + "/hooks";
  }
  void set_script(Script script) {
    std::lock_guard lock(mutex_);
    script_ = std::move(script);
  }
  void set_secret(std::string secret) {
    std::lock_guard lock(mutex_);
    secret_ = std::move(secret);
  }
  std::vector<ReceivedRequest> requests() const {
    std::lock_guard lock(mutex_);
    return requests_;
  }
  // Requests read but not answered yet (hanging).
  int in_flight() const { return in_flight_.load(); }
  // TLS handshakes that failed (a client that does not trust the certificate).
  int tls_refused() const {
    std::lock_guard lock(mutex_);
    return tls_refused_;
  }

  static std::string hmac_hex(const std::string& key, const std::string& data) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
         reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest, &length);
    std::string out;
    char hex[3];
    for (unsigned int i = 0; i < length; ++i) {
      std::snprintf(hex, sizeof hex, "%02x", digest[i]);
      out += hex;
    }
    return out;
  }

 private:
  void accept_loop() {
    while (!stopping_) {
      const int fd = ::accept(listener_, nullptr, nullptr);
      if (fd < 0) {
        if (stopping_) return;
        continue;
      }
      std::lock_guard lock(mutex_);
      open_.push_back(fd);
      connections_.emplace_back([this, fd] { serve(fd); });
    }
  }

  // One accepted connection, plain or TLS.
  struct Conn {
    int fd = -1;
    SSL* ssl = nullptr;
    ssize_t read(char* buffer, std::size_t size) {
      if (!ssl) return ::recv(fd, buffer, size, 0);
      const int n = SSL_read(ssl, buffer, static_cast<int>(size));
      return n > 0 ? n : -1;
    }
    ssize_t write(const char* data, std::size_t size) {
      if (!ssl) return ::send(fd, data, size, MSG_NOSIGNAL);
      const int n = SSL_write(ssl, data, static_cast<int>(size));
      return n > 0 ? n : -1;
    }
  };

  static bool send_all(Conn& c, const std::string& data) {
    for (std::size_t sent = 0; sent < data.size();) {
      const ssize_t n = c.write(data.data() + sent, data.size() - sent);
      if (n <= 0) return false;
      sent += static_cast<std::size_t>(n);
    }
    return true;
  }

  // Reads one request; false when the peer closed.
  bool read_request(Conn& fd, std::string& buffer, ReceivedRequest& r) {
    char chunk[8192];
    auto end = buffer.find("\r\n\r\n");
    while (end == std::string::npos) {
      const ssize_t n = fd.read(chunk, sizeof chunk);
      if (n <= 0) return false;
      buffer.append(chunk, static_cast<std::size_t>(n));
      end = buffer.find("\r\n\r\n");
    }
    const std::string head = buffer.substr(0, end);
    buffer.erase(0, end + 4);
    std::size_t pos = head.find("\r\n");
    while (pos != std::string::npos) {
      const auto next = head.find("\r\n", pos + 2);
      const std::string line = head.substr(pos + 2, next == std::string::npos ? std::string::npos : next - pos - 2);
      if (const auto colon = line.find(':'); colon != std::string::npos) {
        std::string name = line.substr(0, colon);
        std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
        std::string value = line.substr(colon + 1);
        while (!value.empty() && value.front() == ' ') value.erase(0, 1);
        r.headers[name] = value;
      }
      pos = next;
    }
    const std::size_t length = r.headers.count("content-length") ? std::stoul(r.headers["content-length"]) : 0;
    while (buffer.size() < length) {
      const ssize_t n = fd.read(chunk, sizeof chunk);
      if (n <= 0) return false;
      buffer.append(chunk, static_cast<std::size_t>(n));
    }
    r.body = buffer.substr(0, length);
    buffer.erase(0, length);
    return true;
  }

  void set_answered(std::size_t index, int status) {
    std::lock_guard lock(mutex_);
    requests_[index].answered = status;
  }

  bool verify(const ReceivedRequest& r, const std::string& secret) const {
    const auto found = r.headers.find("x-rosterd-signature");
    if (found == r.headers.end()) return false;
    const std::string& v = found->second;  // t=...,v1=...
    if (v.rfind("t=", 0) != 0 || v.find(",v1=") == std::string::npos) return false;
    const std::string t = v.substr(2, v.find(",v1=") - 2);
    const std::string mac = v.substr(v.find(",v1=") + 4);
    return mac == hmac_hex(secret, t + "." + r.body);
  }

  void serve(int fd) {
    Conn conn{fd, nullptr};
    if (tls_) {
      // Blocking handshake; a client that refuses the certificate just ends it.
      conn.ssl = SSL_new(tls_);
      SSL_set_fd(conn.ssl, fd);
      if (SSL_accept(conn.ssl) != 1) {
        SSL_free(conn.ssl);
        conn.ssl = nullptr;
        std::lock_guard lock(mutex_);
        ++tls_refused_;
        open_.erase(std::remove(open_.begin(), open_.end(), fd), open_.end());
        ::close(fd);
        return;
      }
    }
    serve_requests(conn);
    if (conn.ssl) SSL_free(conn.ssl);
    std::lock_guard lock(mutex_);
    open_.erase(std::remove(open_.begin(), open_.end(), fd), open_.end());
    ::close(fd);
  }

  void serve_requests(Conn& conn) {
    const int fd = conn.fd;
    std::string buffer;
    for (;;) {
      ReceivedRequest r;
      if (!read_request(conn, buffer, r)) break;
      ReceiverAnswer answer;
      std::size_t index = 0;
      {
        std::lock_guard lock(mutex_);
        r.signature_ok = verify(r, secret_);
        const std::string id = r.headers["x-rosterd-event-id"];
        const int nth = ++attempts_[id];
        if (script_) answer = script_(r, nth);
        requests_.push_back(r);
        index = requests_.size() - 1;
      }
      if (answer.kind == ReceiverAnswer::Kind::Drop) break;
      if (answer.kind == ReceiverAnswer::Kind::Hang) {
        ++in_flight_;
        pollfd p{fd, POLLIN, 0};
        while (!stopping_ && ::poll(&p, 1, 100) == 0) {
        }
        --in_flight_;
        break;  // the client gave up (timeout) or the receiver stops
      }
      // Marked answered before the answer leaves: the test reads the marks once rosterd
      // has recorded the answer, which it cannot do before it is sent.
      set_answered(index, answer.kind == ReceiverAnswer::Kind::Huge ? 200 : answer.status);
      if (answer.kind == ReceiverAnswer::Kind::Huge) {
        if (!send_all(conn, "HTTP/1.1 200 OK\r\nContent-Length: 1000000000\r\n\r\n")) set_answered(index, 0);
        const std::string block(1 << 16, 'x');
        for (int i = 0; i < 15000 && !stopping_; ++i)
          if (!send_all(conn, block)) break;
        break;
      }
      const std::string reply = "HTTP/1.1 " + std::to_string(answer.status) + " X\r\nContent-Length: " +
                                std::to_string(answer.body.size()) + "\r\n" + answer.extra_headers + "\r\n" +
                                answer.body;
      if (!send_all(conn, reply)) {
        set_answered(index, 0);
        break;
      }
    }
  }

  SSL_CTX* tls_ = nullptr;
  int tls_refused_ = 0;
  int listener_ = -1;
  std::uint16_t port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<int> in_flight_{0};
  std::thread acceptor_;
  mutable std::mutex mutex_;
  std::string secret_;
  Script script_;
  std::vector<std::thread> connections_;
  std::vector<int> open_;
  std::vector<ReceivedRequest> requests_;
  std::map<std::string, int> attempts_;
};

}  // namespace rosterd::testing
