#include "daemon/serve_signals.h"

#include <pthread.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <future>
#include <string>
#include <thread>

#include "daemon/log.h"

namespace rosterd::cli {

sigset_t block_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  return set;
}

int wait_for_signal(const sigset_t& set, Heartbeat& heartbeat) {
  for (;;) {
    const auto wait = heartbeat.until_due();
    const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(wait);
    const timespec timeout{static_cast<time_t>(seconds.count()),
                           static_cast<long>(std::chrono::nanoseconds(wait - seconds).count())};
    const int signal = sigtimedwait(&set, nullptr, &timeout);
    if (signal > 0) return signal;
    heartbeat.beat();
  }
}

void stop_within(const std::function<void()>& stop, Heartbeat& heartbeat) {
  std::promise<void> stopped;
  std::future<void> done = stopped.get_future();
  std::thread stopper([&] {
    stop();
    stopped.set_value();
  });
  const auto give_up = std::chrono::steady_clock::now() + kStopLimit;
  while (done.wait_for(std::min(heartbeat.until_due(), std::chrono::milliseconds(1000))) != std::future_status::ready) {
    heartbeat.beat(false);
    if (std::chrono::steady_clock::now() >= give_up) {
      log_event("error", "stop_timed_out", {{"limit_s", std::to_string(kStopLimit.count())}});
      ::_exit(3);  // the other threads are still running: no destructors, no atexit
    }
  }
  stopper.join();
}

}  // namespace rosterd::cli
