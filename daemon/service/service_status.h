// What `rosterd serve` is doing, as one line for systemd's STATUS= (shown by `systemctl
// status`): "serving; 3 sources; last sync 14:02 UTC ok", or with the leadership of
// several instances on one database "serving as leader; ..." / "serving as standby; ...".
// Directory reads are reported from the pollers' threads; the main loop reads the line.
// Thread-safe.
#pragma once

#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "core/timestamp.h"

namespace rosterd {

class ServiceStatus {
 public:
  // A new configuration: how many sources it has, how many of them are read by polling.
  // Reads of sources no longer configured are forgotten.
  void configure(std::size_t sources, std::size_t polled);
  // A directory read finished (good or not) that started at `at`.
  void source_read(const std::string& source, bool ok, Timestamp at);
  // A reload was refused at `at`: the line says so until a reload succeeds (configure()).
  void reload_refused(Timestamp at);
  // Whether this instance leads (Leadership::is_leader), asked at each line().
  void set_leader_check(std::function<bool()> is_leader);

  // "serving; 2 sources", then "; last sync HH:MM UTC ok" once a directory has been read,
  // "; last sync HH:MM UTC failed: corp-ad" while any source's latest read failed, and
  // "; reload refused at HH:MM UTC, see the log" after a refused reload. With a leader
  // check: "serving as leader; ..." the same, or "serving as standby; 2 sources" (a
  // standby reads no directory) and the refused reload.
  std::string line() const;

 private:
  struct Read {
    bool ok = false;
    Timestamp at{};
  };
  mutable std::mutex mutex_;
  std::size_t sources_ = 0;
  std::size_t polled_ = 0;
  std::map<std::string, Read, std::less<>> reads_;
  std::optional<Timestamp> reload_refused_;
  std::function<bool()> is_leader_;
};

}  // namespace rosterd
