// What `rosterd serve` is doing, as one line for systemd's STATUS= (shown by `systemctl
// status`): "serving; 3 sources; last sync 14:02 UTC ok". Directory reads are reported
// from the pollers' threads; the main loop reads the line. Thread-safe.
#pragma once

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

  // "serving; 2 sources", then "; last sync HH:MM UTC ok" once a directory has been read,
  // "; last sync HH:MM UTC failed: corp-ad" while any source's latest read failed, and
  // "; reload refused at HH:MM UTC, see the log" after a refused reload.
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
};

}  // namespace rosterd
