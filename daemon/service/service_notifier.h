// The systemd notification protocol (sd_notify(3)) without libsystemd: each message is one
// datagram of "KEY=VALUE\n" lines sent to the AF_UNIX socket named by $NOTIFY_SOCKET (an
// abstract socket when the name begins with '@'). Outside systemd (no $NOTIFY_SOCKET)
// every call does nothing, so `rosterd serve` runs the same from a shell.
//
// The watchdog: when systemd sets $WATCHDOG_USEC (WatchdogSec= in the unit) and
// $WATCHDOG_PID is unset or ours, watchdog_interval() is half of it, the period at which
// the main loop must send WATCHDOG=1. Pings come from the main loop only, so a loop that
// is stuck stops them and systemd restarts the service.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace rosterd {

class ServiceNotifier {
 public:
  // From $NOTIFY_SOCKET, $WATCHDOG_USEC and $WATCHDOG_PID. Read once at start, before
  // threads exist; the variables are left in place (rosterd starts no programs).
  static ServiceNotifier from_environment();
  // Explicit values (tests). An empty `socket_path` disables notifications.
  ServiceNotifier(std::string socket_path, std::optional<std::chrono::microseconds> watchdog_usec);

  ~ServiceNotifier();
  ServiceNotifier(ServiceNotifier&& other) noexcept;
  ServiceNotifier& operator=(ServiceNotifier&& other) noexcept;
  ServiceNotifier(const ServiceNotifier&) = delete;
  ServiceNotifier& operator=(const ServiceNotifier&) = delete;

  bool enabled() const { return !address_.empty(); }
  // Half of $WATCHDOG_USEC; nullopt when systemd does not watch us.
  std::optional<std::chrono::microseconds> watchdog_interval() const { return watchdog_interval_; }

  // Sends `state` ("READY=1\nSTATUS=serving"). False if it could not be sent (logged once
  // per kind of failure by the caller if it cares); true when disabled. Thread-safe:
  // one sendto(2) per message.
  bool notify(std::string_view state) const;

  bool ready(std::string_view status) const;      // READY=1 + STATUS=
  bool status(std::string_view status) const;     // STATUS=
  bool reloading(std::string_view status) const;  // RELOADING=1 + MONOTONIC_USEC= + STATUS=
  bool stopping(std::string_view status) const;   // STOPPING=1 + STATUS=
  bool watchdog() const;                          // WATCHDOG=1

 private:
  void close_socket();

  std::string address_;  // sun_path as given, '@' already turned into '\0'
  int fd_ = -1;
  std::optional<std::chrono::microseconds> watchdog_interval_;
};

// A STATUS= text has one line: newlines (which would start another KEY=) become spaces.
std::string status_line(std::string_view text);

}  // namespace rosterd
