// The main loop's signals and the bounded stop of `rosterd serve`: SIGTERM, SIGINT and
// SIGHUP are received with sigtimedwait in the main thread (never by a handler), which
// keeps the systemd watchdog fed while it waits.
#pragma once

#include <signal.h>

#include <chrono>
#include <functional>

#include "daemon/service/heartbeat.h"

namespace rosterd::cli {

// Blocks SIGTERM, SIGINT and SIGHUP in this thread (and so in every thread it starts)
// so that wait_for_signal() receives them with sigtimedwait rather than a handler.
sigset_t block_signals();

// The main loop: waits for one of `set`, beating the heartbeat (watchdog, status) while
// it waits.
int wait_for_signal(const sigset_t& set, Heartbeat& heartbeat);

// How long a stop may take: the server's grace for requests in flight (10 s), then the
// plan being applied and the directory read in progress. Below systemd's default
// TimeoutStopSec= (90 s), so that rosterd says why before it is killed.
inline constexpr std::chrono::seconds kStopLimit{75};

// Runs `stop` in a thread of its own while this one keeps the watchdog fed; after
// kStopLimit, logs why and exits 3 without waiting any longer.
void stop_within(const std::function<void()>& stop, Heartbeat& heartbeat);

}  // namespace rosterd::cli
