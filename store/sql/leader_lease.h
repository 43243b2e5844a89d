// The leader lease of several `rosterd serve` on one database (schema version 9): one row,
// leader_lease 'leader', naming its holder, the term (how many times the holder changed)
// and when the lease runs out. An instance takes it when it is free or has run out, and
// renews it while it holds it; whoever holds an unexpired lease runs the leader work (the
// pollers, the reconciler, the senders: daemon/service/leadership.h).
//
// Time is the database's, not the instance's: instances whose clocks disagree still agree
// on when a lease has run out, since one clock decides it. Each call is one autocommit
// statement outside the store's write lock (on PostgreSQL, begin_write takes the
// store-wide advisory lock, which a long apply holds: a renewal must not wait for it).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "core/error.h"
#include "store/sql/sql_connection.h"

namespace rosterd::sql {

struct LeaseState {
  bool held = false;       // by the caller of try_hold, now
  std::string holder;      // "" before anyone held it
  std::int64_t term = 0;   // 0 before anyone held it; +1 at each change of holder
  std::int64_t expires_at_ms = 0;  // the database's clock; 0 after a release
};

class LeaderLease {
 public:
  // Milliseconds since the Unix epoch, given to the database instead of its own clock
  // (tests, which move time by hand). Empty: the database's clock.
  using Clock = std::function<std::int64_t()>;

  // `conn` is borrowed; the lease's statements are its only use while a call runs.
  explicit LeaderLease(SqlConnection& conn, Clock clock = {});

  // Renews the lease if `holder` holds it, or takes it if it is free or has run out (the
  // term then goes up by one); either way it then runs out `ttl` from now. Otherwise
  // changes nothing and says who holds it.
  Result<LeaseState> try_hold(std::string_view holder, std::chrono::milliseconds ttl);
  // A clean stop: the lease runs out now, if `holder` holds it, so that another instance
  // takes it at its next attempt instead of waiting for the expiry.
  Result<void> release(std::string_view holder);
  // Who holds it and until when, as stored (held: false).
  Result<LeaseState> current();

 private:
  SqlConnection& conn_;
  Clock clock_;
  std::string hold_sql_;  // kHold with the dialect's clock, or the given time as $3
};

}  // namespace rosterd::sql
