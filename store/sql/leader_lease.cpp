#include "store/sql/leader_lease.h"

#include "core/try.h"

namespace rosterd::sql {
namespace {

// $1 the holder, $2 the time to live in ms, @NOW@ the time (see now_sql). The SET
// expressions see the row as it was: the term goes up only when the holder changes.
// One statement: two instances racing for a lease that ran out cannot both take it
// (SQLite serialises writers; PostgreSQL re-checks the WHERE on the row the winner wrote).
constexpr std::string_view kHold =
    "UPDATE leader_lease SET term = CASE WHEN holder = $1 THEN term ELSE term + 1 END,"
    " holder = $1, expires_at = @NOW@ + $2"
    " WHERE name = 'leader' AND (holder = $1 OR expires_at < @NOW@)"
    " RETURNING holder, term, expires_at";
constexpr std::string_view kRelease =
    "UPDATE leader_lease SET expires_at = 0 WHERE name = 'leader' AND holder = $1";
constexpr std::string_view kCurrent =
    "SELECT holder, term, expires_at FROM leader_lease WHERE name = 'leader'";

// Milliseconds since the Unix epoch by the database's clock. PostgreSQL: clock_timestamp(),
// not now(), which is the start of the transaction. SQLite: 'now' is fixed for the
// duration of one statement, so both uses in kHold see the same instant.
std::string_view now_sql(Dialect dialect) {
  return dialect == Dialect::Postgres ? "(extract(epoch from clock_timestamp()) * 1000)::bigint"
                                      : "CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER)";
}

std::string with_now(std::string_view sql, std::string_view now) {
  std::string out(sql);
  for (auto pos = out.find("@NOW@"); pos != std::string::npos; pos = out.find("@NOW@", pos + now.size()))
    out.replace(pos, 5, now);
  return out;
}

LeaseState state_of(const SqlRow& row, bool held) {
  return LeaseState{held, row.text(0), row.integer(1), row.integer(2)};
}

}  // namespace

LeaderLease::LeaderLease(SqlConnection& conn, Clock clock)
    : conn_(conn),
      clock_(std::move(clock)),
      hold_sql_(with_now(kHold, clock_ ? std::string_view("CAST($3 AS BIGINT)") : now_sql(conn.dialect()))) {}

Result<LeaseState> LeaderLease::try_hold(std::string_view holder, std::chrono::milliseconds ttl) {
  const std::int64_t ttl_ms = ttl.count();
  auto rows = clock_ ? conn_.query(hold_sql_, {holder, ttl_ms, clock_()}) : conn_.query(hold_sql_, {holder, ttl_ms});
  if (!rows) return tl::unexpected(rows.error());
  if (!rows->empty()) return state_of(rows->front(), true);
  return current();
}

Result<void> LeaderLease::release(std::string_view holder) {
  ROSTERD_TRY(conn_.execute(kRelease, {holder}));
  return {};
}

Result<LeaseState> LeaderLease::current() {
  ROSTERD_ASSIGN(const auto rows, conn_.query(kCurrent, {}));
  if (rows.empty())
    return fail(ErrorCode::Storage, "the leader_lease table has no 'leader' row (schema version 9 adds it)");
  return state_of(rows.front(), false);
}

}  // namespace rosterd::sql
