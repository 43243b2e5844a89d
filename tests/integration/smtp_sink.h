// An SMTP sink for tests: plain SMTP on 127.0.0.1 and a port the kernel picked (bound
// and listening before the constructor returns), one connection at a time. It speaks just
// enough of RFC 5321 for libcurl: a 220 banner, EHLO/HELO 250, MAIL/RCPT 250, DATA 354,
// the message up to "." (dot-stuffing undone) 250, RSET/NOOP 250, QUIT 221. It can answer
// 451 to the next MAIL commands, to check that the sender tries again later. Each accepted
// message is recorded with its envelope.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace rosterd::testing {

struct ReceivedMail {
  std::string from;                 // MAIL FROM:<...>, without the brackets
  std::vector<std::string> to;      // RCPT TO:<...>
  std::string data;                 // the message, CRLF line ends, dot-stuffing undone

  // The value of the first header `name` (case-sensitive), "" when absent.
  std::string header(const std::string& name) const {
    const std::string head = data.substr(0, data.find("\r\n\r\n") + 2);
    const std::string key = "\r\n" + name + ": ";
    const std::string text = "\r\n" + head;
    const auto at = text.find(key);
    if (at == std::string::npos) return "";
    const auto start = at + key.size();
    return text.substr(start, text.find("\r\n", start) - start);
  }
  std::string body() const { return data.substr(data.find("\r\n\r\n") + 4); }
};

class SmtpSink {
 public:
  SmtpSink() {
    listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
    const int one = 1;
    ::setsockopt(listener_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(listener_, reinterpret_cast<const sockaddr*>(&address), sizeof address);
    ::listen(listener_, 16);
    socklen_t length = sizeof address;
    ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length);
    port_ = ntohs(address.sin_port);
    thread_ = std::thread([this] { accept_loop(); });
  }
  SmtpSink(const SmtpSink&) = delete;
  SmtpSink& operator=(const SmtpSink&) = delete;
  ~SmtpSink() {
    stopping_ = true;
    ::shutdown(listener_, SHUT_RDWR);
    {
      std::lock_guard lock(mutex_);
      if (client_ >= 0) ::shutdown(client_, SHUT_RDWR);
    }
    thread_.join();
    ::close(listener_);
  }

  std::uint16_t port() const { return port_; }
  std::string url() const { return "smtp://127.0.0.1:" + std::to_string(port_); }
  // The next `n` MAIL commands are answered 451 (a transient failure).
  void refuse_next_mail(int n) { refuse_mail_ = n; }
  int refused() const { return refused_.load(); }
  std::vector<ReceivedMail> mails() const {
    std::lock_guard lock(mutex_);
    return mails_;
  }

 private:
  void accept_loop() {
    while (!stopping_) {
      const int fd = ::accept(listener_, nullptr, nullptr);
      if (fd < 0) {
        if (stopping_) return;
        continue;
      }
      {
        std::lock_guard lock(mutex_);
        client_ = fd;
      }
      converse(fd);
      {
        std::lock_guard lock(mutex_);
        client_ = -1;
      }
      ::close(fd);
    }
  }

  static bool send_text(int fd, const std::string& text) {
    return ::send(fd, text.data(), text.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(text.size());
  }

  // One line without its CRLF; false when the peer went away.
  bool read_line(int fd, std::string& buffer, std::string& line) {
    for (;;) {
      if (const auto end = buffer.find("\r\n"); end != std::string::npos) {
        line = buffer.substr(0, end);
        buffer.erase(0, end + 2);
        return true;
      }
      char chunk[4096];
      const ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
      if (n <= 0) return false;
      buffer.append(chunk, static_cast<std::size_t>(n));
    }
  }

  static std::string address_of(const std::string& line) {
    const auto open = line.find('<');
    const auto close = line.find('>', open);
    return open == std::string::npos || close == std::string::npos ? "" : line.substr(open + 1, close - open - 1);
  }

  void converse(int fd) {
    std::string buffer, line;
    ReceivedMail mail;
    if (!send_text(fd, "220 sink.test ESMTP ready\r\n")) return;
    while (read_line(fd, buffer, line)) {
      const std::string verb = line.substr(0, 4);
      std::string answer = "502 5.5.2 not implemented\r\n";
      if (verb == "EHLO" || verb == "HELO") {
        answer = "250 sink.test\r\n";
      } else if (verb == "MAIL") {
        mail = ReceivedMail{};
        if (refuse_mail_ > 0) {
          --refuse_mail_;
          ++refused_;
          answer = "451 4.3.0 try again later\r\n";
        } else {
          mail.from = address_of(line);
          answer = "250 2.1.0 ok\r\n";
        }
      } else if (verb == "RCPT") {
        mail.to.push_back(address_of(line));
        answer = "250 2.1.5 ok\r\n";
      } else if (verb == "DATA") {
        if (!send_text(fd, "354 end with <CRLF>.<CRLF>\r\n")) return;
        for (;;) {
          if (!read_line(fd, buffer, line)) return;
          if (line == ".") break;
          if (line.starts_with(".")) line.erase(0, 1);  // dot-stuffing undone
          mail.data += line + "\r\n";
        }
        {
          std::lock_guard lock(mutex_);
          mails_.push_back(mail);
        }
        answer = "250 2.0.0 queued\r\n";
      } else if (verb == "RSET" || verb == "NOOP") {
        answer = "250 2.0.0 ok\r\n";
      } else if (verb == "QUIT") {
        send_text(fd, "221 2.0.0 bye\r\n");
        return;
      }
      if (!send_text(fd, answer)) return;
    }
  }

  int listener_ = -1;
  std::uint16_t port_ = 0;
  std::thread thread_;
  std::atomic<bool> stopping_{false};
  std::atomic<int> refuse_mail_{0};
  std::atomic<int> refused_{0};
  mutable std::mutex mutex_;
  int client_ = -1;  // under mutex_
  std::vector<ReceivedMail> mails_;  // under mutex_
};

}  // namespace rosterd::testing
