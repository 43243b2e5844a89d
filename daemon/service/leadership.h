// Which of several `rosterd serve` on one database runs the leader work: the directory
// pollers, the reconcile/apply loop, the webhook and invitation senders. Every instance
// serves SCIM; the one holding the lease (a row in the database, store/sql/leader_lease.h,
// behind LeaseBackend) leads. A thread of its own renews the lease every `renew_every`
// with a time to live of `ttl`; a standby tries to take it as often. A leader that dies
// is replaced once its lease has run out: within ttl + renew_every.
//
// Safety: the leader's own deadline is the moment its last successful renewal STARTED
// (steady clock) + ttl − margin, so it is always earlier than the lease's expiry in the
// database, however long the call took. is_leader() is false from that deadline on,
// whatever the renewing thread is doing (stuck on a database that went away, on a network
// that was cut): the leader work checks it before each unit of work, so a leader that
// cannot renew stops before anyone else can take the lease. The margin covers the rate
// difference between the two clocks and the leader work's last unit in flight.
//
// A failed renewal is not fatal: the thread tries again at the next period. Each change of
// state is logged once (leadership_gained, leadership_lost, leadership_standby,
// leader_lease_unavailable, leader_lease_available).
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

#include "core/error.h"

namespace rosterd {

// What a lease attempt found.
struct LeaseHold {
  bool held = false;      // by this instance, now
  std::string holder;     // who holds it ("" if nobody ever did)
  std::int64_t term = 0;  // +1 at each change of holder
};

// The lease in the database, as Leadership uses it (daemon/leadership_setup.h puts
// sql::LeaderLease behind it). Called from one thread at a time.
class LeaseBackend {
 public:
  virtual ~LeaseBackend() = default;
  virtual Result<LeaseHold> try_hold(std::string_view holder, std::chrono::milliseconds ttl) = 0;
  virtual Result<void> release(std::string_view holder) = 0;
};

struct LeadershipTiming {
  std::chrono::milliseconds ttl{10000};
  std::chrono::milliseconds renew_every{2000};
  std::chrono::milliseconds margin{3000};
};

// The log, passed in: (level, event name, term, holder, error ("" when none)).
using LeadershipLog = std::function<void(std::string_view level, std::string_view event, std::int64_t term,
                                         std::string_view holder, std::string_view error)>;

class Leadership {
 public:
  using Clock = std::chrono::steady_clock;
  using Now = std::function<Clock::time_point()>;

  // `holder`: this instance's name in the lease, unique among the instances (and across
  // restarts of one). `now`: the steady clock unless given (tests).
  Leadership(std::unique_ptr<LeaseBackend> lease, std::string holder, LeadershipTiming timing = {},
             LeadershipLog log = {}, Now now = {});
  ~Leadership();  // stop()
  Leadership(const Leadership&) = delete;
  Leadership& operator=(const Leadership&) = delete;

  // A first attempt on the calling thread (so that a lone instance leads from its first
  // moment), then the renewing thread.
  void start();
  // Ends the thread, then releases the lease if this instance holds it. Call it after the
  // leader work has stopped: another instance may start it as soon as this returns.
  void stop();

  // True until this instance's deadline (see above). Thread-safe, lock-free.
  bool is_leader() const;
  // The term of the lease this instance holds or last held (0: never).
  std::int64_t term() const { return term_.load(); }
  const std::string& holder() const { return holder_; }

  // One attempt to take or renew the lease, on the calling thread (the thread's loop and
  // tests). Returns whether this instance leads after it.
  bool attempt();

  // Waits, up to `limit`, while an attempt is in flight. The leader work calls it between
  // two write transactions: on SQLite, whose write lock is the whole file's, a renewal
  // otherwise waits behind back-to-back transactions of this very process (a large apply)
  // until the deadline passes and the leadership is lost to its own work.
  void let_renewal_through(std::chrono::milliseconds limit) const;

 private:
  void loop();
  void report(const Result<LeaseHold>& outcome, bool leading);

  std::unique_ptr<LeaseBackend> lease_;
  const std::string holder_;
  const LeadershipTiming timing_;
  LeadershipLog log_;
  Now now_;

  // Clock::time_point's count; Clock::time_point::min() when not leading.
  std::atomic<Clock::rep> deadline_;
  std::atomic<std::int64_t> term_{0};

  // What was last logged (the renewing thread, or attempt()'s caller, only).
  bool logged_leading_ = false;
  bool logged_unavailable_ = false;
  std::int64_t logged_standby_term_ = -1;
  bool ever_held_ = false;

  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;  // under mutex_
  std::thread thread_;

  mutable std::mutex attempt_mutex_;
  mutable std::condition_variable attempt_done_;
  bool attempting_ = false;  // under attempt_mutex_
};

}  // namespace rosterd
