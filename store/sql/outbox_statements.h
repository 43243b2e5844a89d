// The outbox statements of the shared SQL layer (OutboxStore, store/outbox_store.h), with
// $N placeholders like statements.h. The event rows themselves are inserted by the
// account store (stmt::kInsertOutbox); these move them through their delivery states.
#pragma once

#include <string_view>

namespace rosterd::sql::stmt {

#define ROSTERD_OUTBOX_COLUMNS                                                         \
  "seq, event_id, type, space, account_id, payload, state, attempts, created_at, "     \
  "next_attempt_at, last_attempt_at, last_error"

// The first pending event of each account of a space, when it is due. Walks the
// (space, state, seq) index in order; the NOT EXISTS is one probe of the
// (space, account_id, state, seq) index (schema version 6).
inline constexpr std::string_view kOutboxDue =
    "SELECT " ROSTERD_OUTBOX_COLUMNS " FROM outbox o"
    " WHERE o.space = $1 AND o.state = 'pending' AND o.next_attempt_at <= $2"
    " AND NOT EXISTS (SELECT 1 FROM outbox e WHERE e.space = o.space"
    " AND e.account_id = o.account_id AND e.state = 'pending' AND e.seq < o.seq)"
    " ORDER BY o.seq LIMIT $3";
inline constexpr std::string_view kOutboxLease =
    "UPDATE outbox SET next_attempt_at = $2 WHERE event_id = $1 AND state = 'pending'";
inline constexpr std::string_view kOutboxDelivered =
    "UPDATE outbox SET state = 'delivered', attempts = attempts + 1, last_error = '',"
    " last_attempt_at = $2, next_attempt_at = $2 WHERE event_id = $1 AND state = 'pending'";
inline constexpr std::string_view kOutboxRetryLater =
    "UPDATE outbox SET attempts = attempts + 1, last_error = $3, last_attempt_at = $2,"
    " next_attempt_at = $4 WHERE event_id = $1 AND state = 'pending'";
inline constexpr std::string_view kOutboxDead =
    "UPDATE outbox SET state = 'dead', attempts = attempts + 1, last_error = $3,"
    " last_attempt_at = $2 WHERE event_id = $1 AND state = 'pending'";

inline constexpr std::string_view kOutboxEvents =
    "SELECT " ROSTERD_OUTBOX_COLUMNS " FROM outbox WHERE (CAST($1 AS TEXT) IS NULL OR state = $1)"
    " ORDER BY seq LIMIT $2";
inline constexpr std::string_view kOutboxEvent =
    "SELECT " ROSTERD_OUTBOX_COLUMNS " FROM outbox WHERE event_id = $1";
// Walks the (space, state, seq) index per state; few events of a space pass the filter.
inline constexpr std::string_view kOutboxEventsAfter =
    "SELECT " ROSTERD_OUTBOX_COLUMNS " FROM outbox WHERE space = $1 AND type = $2 AND seq > $3"
    " ORDER BY seq LIMIT $4";
inline constexpr std::string_view kOutboxCounts =
    "SELECT state, COUNT(*) FROM outbox GROUP BY state ORDER BY state";

inline constexpr std::string_view kOutboxRetryDead =
    "UPDATE outbox SET state = 'pending', attempts = 0, next_attempt_at = $2"
    " WHERE event_id = $1 AND state = 'dead'";
inline constexpr std::string_view kOutboxRetryAllDead =
    "UPDATE outbox SET state = 'pending', attempts = 0, next_attempt_at = $1 WHERE state = 'dead'";
inline constexpr std::string_view kOutboxDrop =
    "DELETE FROM outbox WHERE event_id = $1 AND state IN ('pending', 'dead')";

#undef ROSTERD_OUTBOX_COLUMNS

}  // namespace rosterd::sql::stmt
