#include "daemon/service/leadership.h"

namespace rosterd {
namespace {

constexpr Leadership::Clock::rep kNotLeading = Leadership::Clock::time_point::min().time_since_epoch().count();

}  // namespace

Leadership::Leadership(std::unique_ptr<LeaseBackend> lease, std::string holder, LeadershipTiming timing,
                       LeadershipLog log, Now now)
    : lease_(std::move(lease)),
      holder_(std::move(holder)),
      timing_(timing),
      log_(std::move(log)),
      now_(std::move(now)),
      deadline_(kNotLeading) {
  if (!now_) now_ = [] { return Clock::now(); };
  if (!log_) log_ = [](auto, auto, auto, auto, auto) {};
}

Leadership::~Leadership() { stop(); }

void Leadership::start() {
  if (thread_.joinable()) return;
  attempt();
  thread_ = std::thread([this] { loop(); });
}

void Leadership::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
  if (!ever_held_) return;
  ever_held_ = false;
  deadline_.store(kNotLeading);
  // Only a row this instance holds is changed: after a takeover it is someone else's.
  if (auto released = lease_->release(holder_); !released)
    log_("warning", "leader_lease_not_released", term_.load(), holder_, released.error().message);
  else if (logged_leading_)
    log_("info", "leadership_released", term_.load(), holder_, "");
  logged_leading_ = false;
}

bool Leadership::is_leader() const { return now_().time_since_epoch().count() < deadline_.load(); }

void Leadership::loop() {
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      if (wake_.wait_for(lock, timing_.renew_every, [this] { return stopping_; })) return;
    }
    attempt();
  }
}

bool Leadership::attempt() {
  // Taken before the call: the database's expiry is counted from a later instant, so the
  // deadline derived from this one is earlier than it, however long the call takes.
  const Clock::time_point started = now_();
  {
    std::lock_guard lock(attempt_mutex_);
    attempting_ = true;
  }
  const Result<LeaseHold> outcome = lease_->try_hold(holder_, timing_.ttl);
  {
    std::lock_guard lock(attempt_mutex_);
    attempting_ = false;
  }
  attempt_done_.notify_all();
  if (outcome && outcome->held) {
    term_.store(outcome->term);
    ever_held_ = true;
    deadline_.store((started + timing_.ttl - timing_.margin).time_since_epoch().count());
  } else if (outcome) {
    deadline_.store(kNotLeading);  // someone else holds it: certainly not leading
  }
  // A failed call changes nothing: the deadline runs out by itself.
  const bool leading = is_leader();
  report(outcome, leading);
  return leading;
}

void Leadership::let_renewal_through(std::chrono::milliseconds limit) const {
  std::unique_lock lock(attempt_mutex_);
  attempt_done_.wait_for(lock, limit, [this] { return !attempting_; });
}

void Leadership::report(const Result<LeaseHold>& outcome, bool leading) {
  if (!outcome && !logged_unavailable_) {
    log_("error", "leader_lease_unavailable", term_.load(), holder_, outcome.error().message);
    logged_unavailable_ = true;
  } else if (outcome && logged_unavailable_) {
    log_("info", "leader_lease_available", outcome->term, outcome->holder, "");
    logged_unavailable_ = false;
  }
  if (leading && !logged_leading_) {
    log_("info", "leadership_gained", term_.load(), holder_, "");
    logged_leading_ = true;
    logged_standby_term_ = -1;
  } else if (!leading && logged_leading_) {
    std::string why;
    if (!outcome)
      why = "the lease could not be renewed in time: " + outcome.error().message;
    else if (outcome->held)
      why = "the renewal took longer than the lease's safety margin";
    else
      why = "the lease ran out and " + outcome->holder + " took it";
    log_("warning", "leadership_lost", term_.load(), holder_, why);
    logged_leading_ = false;
  }
  // A standby says who leads, once per term it sees.
  if (!leading && outcome && !outcome->held && outcome->term != logged_standby_term_) {
    log_("info", "leadership_standby", outcome->term, outcome->holder, "");
    logged_standby_term_ = outcome->term;
  }
}

}  // namespace rosterd
