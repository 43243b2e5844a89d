// The statement table of the ReconcileStore (plans, seat queue, source states), with $N
// placeholders, written once for SQLite and PostgreSQL.
#pragma once

#include <string_view>

namespace rosterd::sql::stmt {

// A plan's row and its body (a table of its own: a state change rewrites only the row).
#define ROSTERD_PLAN_COLUMNS                                                                   \
  "p.id, p.space, p.created_at, p.input_hash, p.state, p.blocked_reason, b.body, p.applied_at," \
  " p.applied_by FROM plans p JOIN plan_bodies b ON b.plan_id = p.id"

// seq orders plans stored within the same millisecond; BEGIN IMMEDIATE (SQLite) and the
// unique index (PostgreSQL) keep it one per plan.
inline constexpr std::string_view kInsertPlan =
    "INSERT INTO plans (id, space, created_at, input_hash, state, blocked_reason, applied_at,"
    " applied_by, seq) VALUES ($1, $2, $3, $4, $5, $6, $7, $8,"
    " (SELECT COALESCE(MAX(seq), 0) + 1 FROM plans))";
inline constexpr std::string_view kInsertPlanBody =
    "INSERT INTO plan_bodies (plan_id, body) VALUES ($1, $2)";
inline constexpr std::string_view kSupersedePlans =
    "UPDATE plans SET state = 'superseded' WHERE space = $1 AND state IN ('planned', 'blocked')";
inline constexpr std::string_view kPlan = "SELECT " ROSTERD_PLAN_COLUMNS " WHERE p.id = $1";
// The plan without its body, for changing its state.
inline constexpr std::string_view kPlanHeader =
    "SELECT id, space, created_at, input_hash, state, blocked_reason, '', applied_at, applied_by"
    " FROM plans WHERE id = $1";
inline constexpr std::string_view kPlans =
    "SELECT " ROSTERD_PLAN_COLUMNS " WHERE (CAST($1 AS TEXT) IS NULL OR p.space = $1)"
    " ORDER BY p.created_at DESC, p.seq DESC LIMIT $2";
inline constexpr std::string_view kSetPlanState =
    "UPDATE plans SET state = $2, blocked_reason = $3, applied_at = $4, applied_by = $5"
    " WHERE id = $1";

#undef ROSTERD_PLAN_COLUMNS

inline constexpr std::string_view kSeatQueue =
    "SELECT person, licence, since FROM seat_queue WHERE space = $1 ORDER BY position";
inline constexpr std::string_view kClearSeatQueue = "DELETE FROM seat_queue WHERE space = $1";
inline constexpr std::string_view kInsertSeatClaim =
    "INSERT INTO seat_queue (space, person, licence, since, position) VALUES ($1, $2, $3, $4, $5)";

inline constexpr std::string_view kSetIdentityCount =
    "INSERT INTO sync_state (source, identity_count) VALUES ($1, $2)"
    " ON CONFLICT (source) DO UPDATE SET identity_count = excluded.identity_count";
inline constexpr std::string_view kSourceStates =
    "SELECT source, status, error, identity_count, last_attempt_at, last_success_at,"
    " last_full_at, cursor, read_digest FROM sync_state ORDER BY source";
inline constexpr std::string_view kSourceState =
    "SELECT source, status, error, identity_count, last_attempt_at, last_success_at,"
    " last_full_at, cursor, read_digest FROM sync_state WHERE source = $1";
// identity_count is after_apply's to write: a poller's state leaves it as it was.
inline constexpr std::string_view kUpsertSourceState =
    "INSERT INTO sync_state (source, status, error, identity_count, last_attempt_at,"
    " last_success_at, last_full_at, cursor, read_digest) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
    " ON CONFLICT (source) DO UPDATE SET status = excluded.status, error = excluded.error,"
    " last_attempt_at = excluded.last_attempt_at, last_success_at = excluded.last_success_at,"
    " last_full_at = excluded.last_full_at, cursor = excluded.cursor, read_digest = excluded.read_digest";

inline constexpr std::string_view kReconcileRequests =
    "SELECT space, requested_at FROM reconcile_queue ORDER BY requested_at, space";
inline constexpr std::string_view kClearReconcileRequest =
    "DELETE FROM reconcile_queue WHERE space = $1 AND requested_at = $2";

}  // namespace rosterd::sql::stmt
