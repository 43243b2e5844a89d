// A test client for HTTP/1.1 over plain POSIX sockets (no Beast, so test files that use it
// compile quickly): send raw bytes exactly as written, read Content-Length framed replies.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <optional>
#include <sstream>
#include <string>

namespace rosterd::testing {

// A connected client socket, closed by the destructor.
class HttpClient {
 public:
  explicit HttpClient(std::uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    // Only so that a broken server fails the test instead of hanging it.
    const timeval limit{30, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
      error_ = errno;
      ::close(fd_);
      fd_ = -1;
    }
  }
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;
  ~HttpClient() {
    if (fd_ >= 0) ::close(fd_);
  }

  bool connected() const { return fd_ >= 0; }
  int connect_error() const { return error_; }

  void send(const std::string& data) {
    for (std::size_t sent = 0; sent < data.size();) {
      const ssize_t n = ::send(fd_, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return;  // the server closed; the reads say what happened
      sent += static_cast<std::size_t>(n);
    }
  }

  struct Reply {
    int status = 0;
    std::map<std::string, std::string> headers;  // names in lower case
    std::string body;
    std::string header(const std::string& name) const {
      const auto it = headers.find(name);
      return it == headers.end() ? "" : it->second;
    }
  };

  // One complete response (Content-Length framed, no body after HEAD), or nullopt if the
  // connection ended first.
  std::optional<Reply> read_reply(bool after_head = false) {
    std::size_t end;
    while ((end = pending_.find("\r\n\r\n")) == std::string::npos)
      if (!fill()) return std::nullopt;
    Reply reply;
    std::istringstream head(pending_.substr(0, end));
    std::string line;
    std::getline(head, line);
    if (line.rfind("HTTP/1.1 ", 0) != 0) return std::nullopt;
    reply.status = std::atoi(line.c_str() + 9);
    while (std::getline(head, line)) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      const auto colon = line.find(':');
      if (colon == std::string::npos) continue;
      std::string name = line.substr(0, colon);
      for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      const auto value = line.find_first_not_of(' ', colon + 1);
      reply.headers[name] = value == std::string::npos ? "" : line.substr(value);
    }
    pending_.erase(0, end + 4);
    const std::string declared = reply.header("content-length");
    const std::size_t length = after_head || declared.empty() ? 0 : std::stoul(declared);
    while (pending_.size() < length)
      if (!fill()) return std::nullopt;
    reply.body = pending_.substr(0, length);
    pending_.erase(0, length);
    return reply;
  }

  // True once the server has closed the connection (end of stream or reset) with nothing
  // more to read; false if data came, or nothing happened for the socket's 30 s limit.
  bool closed_by_peer() {
    if (!pending_.empty()) return false;
    char c;
    ssize_t n;
    do n = ::recv(fd_, &c, 1, 0);
    while (n < 0 && errno == EINTR);
    return n == 0 || (n < 0 && (errno == ECONNRESET || errno == EPIPE));
  }

 private:
  bool fill() {
    char buffer[8192];
    // A signal to this process (std::system's SIGCHLD in a test's other thread) is not
    // an answer: read again.
    ssize_t n;
    do n = ::recv(fd_, buffer, sizeof buffer, 0);
    while (n < 0 && errno == EINTR);
    if (n <= 0) return false;
    pending_.append(buffer, static_cast<std::size_t>(n));
    return true;
  }

  int fd_ = -1;
  int error_ = 0;
  std::string pending_;
};

}  // namespace rosterd::testing
