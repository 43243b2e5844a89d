// A loopback TCP forwarder between a client under test and a real server, which a test can
// cut: every connection through it is closed at once, as a network failure would close it,
// while the server goes on with whatever it was doing. New connections are forwarded
// again afterwards (the network came back), unless the proxy is blocked: then every new
// connection is closed as soon as it is accepted, until unblock() (a partition).
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <list>
#include <mutex>
#include <thread>

namespace rosterd::testing {

class TcpProxy {
 public:
  explicit TcpProxy(std::uint16_t upstream_port) : upstream_port_(upstream_port) {
    listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
    const int on = 1;
    ::setsockopt(listener_, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    sockaddr_in addr = loopback(0);
    ::bind(listener_, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    ::listen(listener_, 64);
    socklen_t size = sizeof addr;
    ::getsockname(listener_, reinterpret_cast<sockaddr*>(&addr), &size);
    port_ = ntohs(addr.sin_port);
    acceptor_ = std::thread([this] { accept_loop(); });
  }
  TcpProxy(const TcpProxy&) = delete;
  TcpProxy& operator=(const TcpProxy&) = delete;
  ~TcpProxy() {
    stopping_ = true;
    ::shutdown(listener_, SHUT_RDWR);
    acceptor_.join();
    cut();
    std::lock_guard lock(mutex_);
    for (auto& pair : pairs_) {
      pair.pump.join();
      ::close(pair.client);  // closed only here, so cut() never reaches a reused descriptor
      ::close(pair.server);
    }
    ::close(listener_);
  }

  std::uint16_t port() const { return port_; }

  void block() {
    blocked_ = true;
    cut();
  }
  void unblock() { blocked_ = false; }

  // Closes both ends of every connection open through the proxy.
  void cut() {
    std::lock_guard lock(mutex_);
    for (auto& pair : pairs_) {
      ::shutdown(pair.client, SHUT_RDWR);
      ::shutdown(pair.server, SHUT_RDWR);
    }
  }

 private:
  struct Pair {
    int client;
    int server;
    std::thread pump;
  };

  static sockaddr_in loopback(std::uint16_t port) {
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(port);
    return addr;
  }

  void accept_loop() {
    while (!stopping_) {
      const int client = ::accept(listener_, nullptr, nullptr);
      if (client < 0) return;
      if (blocked_) {
        ::close(client);
        continue;
      }
      const int server = ::socket(AF_INET, SOCK_STREAM, 0);
      sockaddr_in addr = loopback(upstream_port_);
      if (::connect(server, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        ::close(server);
        ::close(client);
        continue;
      }
      std::lock_guard lock(mutex_);
      auto& pair = pairs_.emplace_back(Pair{client, server, {}});
      pair.pump = std::thread([client, server] { pump(client, server); });
    }
  }

  // Copies bytes both ways until either side closes, then shuts both down.
  static void pump(int client, int server) {
    char buffer[16384];
    pollfd fds[2] = {{client, POLLIN, 0}, {server, POLLIN, 0}};
    for (;;) {
      if (::poll(fds, 2, -1) < 0) break;
      bool open = true;
      for (int i = 0; i < 2 && open; ++i) {
        if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
        const ssize_t n = ::read(fds[i].fd, buffer, sizeof buffer);
        if (n <= 0) open = false;
        for (ssize_t sent = 0; open && sent < n;) {
          // MSG_NOSIGNAL: a side that has gone away must end this pair, not the test
          // process (SIGPIPE killed a leader test in CI when the server closed first).
          const ssize_t w = ::send(fds[1 - i].fd, buffer + sent, static_cast<std::size_t>(n - sent), MSG_NOSIGNAL);
          if (w <= 0) open = false;
          else sent += w;
        }
      }
      if (!open) break;
    }
    ::shutdown(client, SHUT_RDWR);
    ::shutdown(server, SHUT_RDWR);
  }

  const std::uint16_t upstream_port_;
  int listener_ = -1;
  std::uint16_t port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<bool> blocked_{false};
  std::mutex mutex_;
  std::list<Pair> pairs_;
  std::thread acceptor_;
};

}  // namespace rosterd::testing
