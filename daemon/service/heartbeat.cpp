#include "daemon/service/heartbeat.h"

#include <algorithm>

namespace rosterd {

Heartbeat::Heartbeat(const ServiceNotifier& notifier, std::function<std::string()> status_line)
    : notifier_(notifier), status_line_(std::move(status_line)) {
  const auto now = Clock::now();
  next_ping_ = notifier_.watchdog_interval() ? now : Clock::time_point::max();
  next_status_ = now + kStatusEvery;
}

std::chrono::milliseconds Heartbeat::until_due() const {
  const auto next = std::min(next_ping_, next_status_);
  const auto now = Clock::now();
  if (next <= now) return std::chrono::milliseconds(0);
  // Rounded up: waking a little late for the status is harmless, and the watchdog
  // interval is half of what systemd allows.
  return std::chrono::ceil<std::chrono::milliseconds>(next - now);
}

void Heartbeat::beat(bool with_status) {
  const auto now = Clock::now();
  if (const auto interval = notifier_.watchdog_interval(); interval && now >= next_ping_) {
    notifier_.watchdog();
    next_ping_ = now + *interval;
  }
  if (now >= next_status_) {
    next_status_ = now + kStatusEvery;
    if (!with_status || !notifier_.enabled()) return;
    std::string line = status_line_();
    if (line != last_status_) {
      notifier_.status(line);
      last_status_ = std::move(line);
    }
  }
}

}  // namespace rosterd
