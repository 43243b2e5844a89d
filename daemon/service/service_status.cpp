#include "daemon/service/service_status.h"

#include <algorithm>

namespace rosterd {

void ServiceStatus::configure(std::size_t sources, std::size_t polled) {
  const std::lock_guard lock(mutex_);
  sources_ = sources;
  polled_ = polled;
  // The pollers are restarted on a reload and read again at once: the old reads would
  // only name sources that may be gone.
  reads_.clear();
  reload_refused_.reset();
}

void ServiceStatus::set_leader_check(std::function<bool()> is_leader) {
  const std::lock_guard lock(mutex_);
  is_leader_ = std::move(is_leader);
}

void ServiceStatus::reload_refused(Timestamp at) {
  const std::lock_guard lock(mutex_);
  reload_refused_ = at;
}

namespace {

// "2026-11-24T14:02:05.123Z" -> "14:02 UTC"
std::string hour_minute(Timestamp t) { return format_timestamp(t).substr(11, 5) + " UTC"; }

}  // namespace

void ServiceStatus::source_read(const std::string& source, bool ok, Timestamp at) {
  const std::lock_guard lock(mutex_);
  reads_[source] = Read{ok, at};
}

std::string ServiceStatus::line() const {
  const std::lock_guard lock(mutex_);
  const bool standby = is_leader_ && !is_leader_();
  std::string out = std::string(!is_leader_ ? "serving; " : standby ? "serving as standby; " : "serving as leader; ") +
                    std::to_string(sources_) + (sources_ == 1 ? " source" : " sources");
  if (polled_ > 0 && reads_.empty() && !standby) out += "; first directory read in progress";
  if (!reads_.empty() && !standby) {
    Timestamp latest{};
    std::string failed;
    for (const auto& [source, read] : reads_) {
      latest = std::max(latest, read.at);
      if (!read.ok) failed += (failed.empty() ? "" : ", ") + source;
    }
    out += "; last sync " + hour_minute(latest) + (failed.empty() ? " ok" : " failed: " + failed);
  }
  if (reload_refused_) out += "; reload refused at " + hour_minute(*reload_refused_) + ", see the log";
  return out;
}

}  // namespace rosterd
