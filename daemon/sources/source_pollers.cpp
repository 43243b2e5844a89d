#include "daemon/sources/source_pollers.h"

#include <algorithm>
#include <random>

#include "daemon/log.h"
#include "daemon/sources/directory_poll.h"
#include "store/store_options.h"

namespace rosterd {

std::chrono::milliseconds next_poll_delay(std::chrono::milliseconds interval, int failures, double jitter,
                                          const PollerTiming& timing) {
  std::chrono::milliseconds base = interval;
  if (failures > 0) {
    const int doublings = std::min(failures - 1, 30);
    base = std::min(interval, timing.first_retry * (std::int64_t{1} << doublings));
  }
  const auto off = std::chrono::milliseconds(static_cast<std::int64_t>(static_cast<double>(base.count()) * 0.1 * jitter));
  return base - off;
}

struct SourcePollers::Poller {
  LdapSourceSettings source;
  std::mutex mutex;
  std::condition_variable wake;
  bool stopping = false;
  std::thread thread;
};

namespace {

void log_outcome(const LdapSourceSettings& source, const PollOutcome& o, std::chrono::milliseconds took,
                 std::chrono::milliseconds next) {
  const std::string ms = std::to_string(took.count());
  const std::string retry = std::to_string(std::chrono::duration_cast<std::chrono::seconds>(next).count());
  if (!o.ok()) {
    log_event("error", "source_read_failed",
              {{"source", source.id}, {"status", o.status}, {"error", o.error}, {"duration_ms", ms},
               {"retry_in_s", retry}});
  } else {
    log_event("info", "source_read",
              {{"source", source.id},
               {"read", o.full ? "full" : "changes"},
               {"users", std::to_string(o.users)},
               {"groups", std::to_string(o.groups)},
               {"created", std::to_string(o.written.inserted)},
               {"updated", std::to_string(o.written.updated)},
               {"removed", std::to_string(o.written.removed)},
               {"membership_changes", std::to_string(o.written.membership_changes)},
               {"duration_ms", ms},
               {"read_ms", std::to_string(o.read_time.count())},
               {"store_ms", std::to_string(o.store_time.count())},
               {"next_in_s", retry}});
  }
  // The first few problems, then how many more: a directory with thousands of dangling
  // references must not flood the log at every poll.
  constexpr std::size_t kLogged = 20;
  for (std::size_t i = 0; i < o.problems.size() && i < kLogged; ++i)
    log_event("warning", "source_entry_problem", {{"source", source.id}, {"problem", o.problems[i]}});
  if (o.problems.size() > kLogged)
    log_event("warning", "source_entry_problem",
              {{"source", source.id}, {"problem", std::to_string(o.problems.size() - kLogged) + " more"}});
}

}  // namespace

SourcePollers::SourcePollers(IdentityStore& identities, PollerTiming timing, ReadObserver on_read,
                             std::function<bool()> is_leader, std::mutex* large_work)
    : identities_(identities),
      timing_(timing),
      on_read_(std::move(on_read)),
      is_leader_(std::move(is_leader)),
      large_work_(large_work) {}

SourcePollers::~SourcePollers() { stop(); }

void SourcePollers::start(std::vector<LdapSourceSettings> sources) {
  stop();
  for (LdapSourceSettings& s : sources) {
    auto p = std::make_unique<Poller>();
    p->source = std::move(s);
    Poller* raw = p.get();
    p->thread = std::thread([this, raw] {
      std::mt19937 random(std::random_device{}());
      std::uniform_real_distribution<double> jitter(0.0, 1.0);
      int failures = 0;
      const auto interval = std::chrono::duration_cast<std::chrono::milliseconds>(raw->source.interval);
      while (true) {
        if (is_leader_ && !is_leader_()) {  // a standby: no read, look again soon
          std::unique_lock lock(raw->mutex);
          if (raw->wake.wait_for(lock, timing_.standby_check, [raw] { return raw->stopping; })) return;
          continue;
        }
        const auto started = std::chrono::steady_clock::now();
        const Timestamp now = system_now();
        const PollOutcome o = poll_directory(raw->source, identities_, now, false, large_work_);
        failures = o.ok() ? 0 : failures + 1;
        const auto next = next_poll_delay(interval, failures, jitter(random), timing_);
        log_outcome(raw->source, o, std::chrono::duration_cast<std::chrono::milliseconds>(
                                        std::chrono::steady_clock::now() - started), next);
        if (on_read_) on_read_(raw->source.id, o.ok(), now);
        std::unique_lock lock(raw->mutex);
        if (raw->wake.wait_for(lock, next, [raw] { return raw->stopping; })) return;
      }
    });
    pollers_.push_back(std::move(p));
  }
}

void SourcePollers::stop() {
  for (auto& p : pollers_) {
    {
      std::lock_guard lock(p->mutex);
      p->stopping = true;
    }
    p->wake.notify_all();
  }
  for (auto& p : pollers_)
    if (p->thread.joinable()) p->thread.join();
  pollers_.clear();
}

}  // namespace rosterd
