// The main loop's regular duties towards systemd, between signals: WATCHDOG=1 every
// watchdog interval (half of WatchdogSec=), and STATUS= whenever the status line has
// changed (checked every second). Called from the main loop only, so that a main loop
// that is stuck stops the pings and systemd restarts the service.
#pragma once

#include <chrono>
#include <functional>
#include <string>

#include "daemon/service/service_notifier.h"

namespace rosterd {

class Heartbeat {
 public:
  using Clock = std::chrono::steady_clock;

  Heartbeat(const ServiceNotifier& notifier, std::function<std::string()> status_line);

  // How long the caller may wait before calling beat() again (never negative).
  std::chrono::milliseconds until_due() const;
  // Sends what is due now. With `with_status` false (a reload or a stop in progress,
  // whose own STATUS= was sent by the caller) only the watchdog.
  void beat(bool with_status = true);
  // The status line was just sent by the caller (with READY=1): the next change only.
  void status_sent(std::string line) { last_status_ = std::move(line); }

 private:
  static constexpr std::chrono::seconds kStatusEvery{1};

  const ServiceNotifier& notifier_;
  std::function<std::string()> status_line_;
  std::string last_status_;
  Clock::time_point next_ping_;
  Clock::time_point next_status_;
};

}  // namespace rosterd
