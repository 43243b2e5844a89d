#include "daemon/service/service_notifier.h"

#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <utility>

namespace rosterd {
namespace {

std::optional<long long> parse_number(const char* text) {
  if (text == nullptr || *text == '\0') return std::nullopt;
  long long value = 0;
  const char* end = text + std::strlen(text);
  const auto [ptr, ec] = std::from_chars(text, end, value);
  if (ec != std::errc{} || ptr != end) return std::nullopt;
  return value;
}

}  // namespace

std::string status_line(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    if (c == '\n' || c == '\r') c = ' ';
  return out;
}

ServiceNotifier ServiceNotifier::from_environment() {
  const char* socket = std::getenv("NOTIFY_SOCKET");
  std::optional<std::chrono::microseconds> watchdog;
  if (const auto usec = parse_number(std::getenv("WATCHDOG_USEC")); usec && *usec > 0) {
    // WATCHDOG_PID names the process systemd expects pings from; another process's
    // value (inherited through a wrapper) is not for us.
    const auto pid = parse_number(std::getenv("WATCHDOG_PID"));
    if (!pid || *pid == static_cast<long long>(::getpid())) watchdog = std::chrono::microseconds(*usec);
  }
  return ServiceNotifier(socket != nullptr ? socket : "", watchdog);
}

ServiceNotifier::ServiceNotifier(std::string socket_path, std::optional<std::chrono::microseconds> watchdog_usec) {
  if (watchdog_usec && watchdog_usec->count() > 0) watchdog_interval_ = *watchdog_usec / 2;
  // Only an absolute path or an abstract name: anything else (systemd's vsock: form, a
  // relative path) is not a socket we can reach, and sd_notify ignores it too.
  if (socket_path.empty() || (socket_path[0] != '/' && socket_path[0] != '@')) return;
  if (socket_path.size() >= sizeof(sockaddr_un{}.sun_path)) return;
  if (socket_path[0] == '@') socket_path[0] = '\0';
  fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd_ < 0) return;
  // A manager that stops reading must not block the main loop for long: a message that
  // cannot be queued in 2 s is dropped (the next ping or status follows anyway).
  timeval timeout{2, 0};
  ::setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
  address_ = std::move(socket_path);
}

ServiceNotifier::~ServiceNotifier() { close_socket(); }

ServiceNotifier::ServiceNotifier(ServiceNotifier&& other) noexcept
    : address_(std::move(other.address_)),
      fd_(std::exchange(other.fd_, -1)),
      watchdog_interval_(other.watchdog_interval_) {
  other.address_.clear();
}

ServiceNotifier& ServiceNotifier::operator=(ServiceNotifier&& other) noexcept {
  if (this != &other) {
    close_socket();
    address_ = std::move(other.address_);
    other.address_.clear();
    fd_ = std::exchange(other.fd_, -1);
    watchdog_interval_ = other.watchdog_interval_;
  }
  return *this;
}

void ServiceNotifier::close_socket() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

bool ServiceNotifier::notify(std::string_view state) const {
  if (fd_ < 0) return true;
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::memcpy(address.sun_path, address_.data(), address_.size());
  // A path counts its terminating NUL; an abstract name is exactly its bytes.
  const bool abstract = address_[0] == '\0';
  const auto length =
      static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + address_.size() + (abstract ? 0 : 1));
  for (;;) {
    const ssize_t sent = ::sendto(fd_, state.data(), state.size(), MSG_NOSIGNAL,
                                  reinterpret_cast<const sockaddr*>(&address), length);
    if (sent >= 0) return static_cast<std::size_t>(sent) == state.size();
    if (errno != EINTR) return false;
  }
}

bool ServiceNotifier::ready(std::string_view status) const {
  return notify("READY=1\nSTATUS=" + status_line(status));
}

bool ServiceNotifier::status(std::string_view status) const { return notify("STATUS=" + status_line(status)); }

bool ServiceNotifier::reloading(std::string_view status) const {
  // MONOTONIC_USEC lets systemd 253+ match this RELOADING=1 with the reload it asked for.
  timespec now{};
  ::clock_gettime(CLOCK_MONOTONIC, &now);
  const long long usec = static_cast<long long>(now.tv_sec) * 1000000 + now.tv_nsec / 1000;
  return notify("RELOADING=1\nMONOTONIC_USEC=" + std::to_string(usec) + "\nSTATUS=" + status_line(status));
}

bool ServiceNotifier::stopping(std::string_view status) const {
  return notify("STOPPING=1\nSTATUS=" + status_line(status));
}

bool ServiceNotifier::watchdog() const { return notify("WATCHDOG=1"); }

}  // namespace rosterd
