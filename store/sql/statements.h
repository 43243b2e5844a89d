// The statement table of the shared SQL layer: every statement the store runs, written
// once for SQLite and PostgreSQL, with $N placeholders. Drivers prepare each once per
// connection and keep it. An optional parameter is tested as CAST($N AS TEXT) IS NULL:
// PostgreSQL infers each parameter's type from its first use, and `$N IS NULL` gives it
// none.
#pragma once

#include <string_view>

namespace rosterd::sql::stmt {

#define ROSTERD_ACCOUNT_COLUMNS                                                          \
  "id, space, email, given_name, family_name, title, phone, team, country, language, " \
  "role, licence, state, managed_by, source_anchor, successor, folders, created_at, "  \
  "updated_at, activated_at, version"

inline constexpr std::string_view kSpace = "SELECT id, default_owner FROM spaces WHERE id = $1";
inline constexpr std::string_view kSpaces = "SELECT id, default_owner FROM spaces ORDER BY id";
// With the number of people waiting for a seat of the type (seat_queue, kept by reconcile).
inline constexpr std::string_view kPools =
    "SELECT p.space, p.licence, p.total, p.used,"
    " (SELECT COUNT(*) FROM seat_queue q WHERE q.space = p.space AND q.licence = p.licence)"
    " FROM licence_pools p ORDER BY p.space, p.licence";
inline constexpr std::string_view kPoolsOfSpace =
    "SELECT licence, total FROM licence_pools WHERE space = $1 ORDER BY licence";
inline constexpr std::string_view kUpsertSpace =
    "INSERT INTO spaces (id, default_owner) VALUES ($1, $2) "
    "ON CONFLICT (id) DO UPDATE SET default_owner = excluded.default_owner";
inline constexpr std::string_view kUpsertPool =
    "INSERT INTO licence_pools (space, licence, total, used) VALUES ($1, $2, $3, 0) "
    "ON CONFLICT (space, licence) DO UPDATE SET total = excluded.total";
// configure_spaces: pools of licence types the configuration no longer lists are marked
// (-1), dropped when unused, and kept with a total of 0 while accounts still hold them.
inline constexpr std::string_view kMarkPools = "UPDATE licence_pools SET total = -1 WHERE space = $1";
inline constexpr std::string_view kDropUnlistedPools =
    "DELETE FROM licence_pools WHERE total = -1 AND used = 0";
inline constexpr std::string_view kCloseUnlistedPools =
    "UPDATE licence_pools SET total = 0 WHERE total = -1";
inline constexpr std::string_view kSeatsUsed =
    "SELECT used FROM licence_pools WHERE space = $1 AND licence = $2";
inline constexpr std::string_view kChangeSeats =
    "UPDATE licence_pools SET used = used + $3 WHERE space = $1 AND licence = $2";
// Counting from the accounts keeps the counters honest for licence types a space no
// longer lists and after an import.
inline constexpr std::string_view kRecountSeats =
    "UPDATE licence_pools SET used = (SELECT COUNT(*) FROM accounts a WHERE a.space = "
    "licence_pools.space AND a.licence = licence_pools.licence AND a.state NOT IN "
    "('deactivated', 'deleted'))";

inline constexpr std::string_view kAccount =
    "SELECT " ROSTERD_ACCOUNT_COLUMNS " FROM accounts WHERE id = $1";
inline constexpr std::string_view kAccountByEmail =
    "SELECT " ROSTERD_ACCOUNT_COLUMNS
    " FROM accounts WHERE space = $1 AND email_key = $2 AND state <> 'deleted'";
inline constexpr std::string_view kAccountsByEmail =
    "SELECT " ROSTERD_ACCOUNT_COLUMNS
    " FROM accounts WHERE email_key = $1 AND state <> 'deleted'"
    " AND (CAST($2 AS TEXT) IS NULL OR space = $2)"
    " ORDER BY space";
inline constexpr std::string_view kAccounts =
    "SELECT " ROSTERD_ACCOUNT_COLUMNS " FROM accounts WHERE"
    " (CAST($1 AS TEXT) IS NULL OR space = $1) AND (CAST($2 AS TEXT) IS NULL OR role = $2)"
    " AND (CAST($3 AS TEXT) IS NULL OR licence = $3) AND (CAST($4 AS TEXT) IS NULL OR team = $4)"
    " AND (CAST($5 AS TEXT) IS NULL OR managed_by = $5)"
    " AND (CAST($6 AS TEXT) IS NULL OR state = $6) AND ($7 = 1 OR state <> 'deleted')"
    " AND (CAST($8 AS TEXT) IS NULL OR email_key LIKE $8 ESCAPE '!'"
    "      OR lower(given_name) LIKE $8 ESCAPE '!'"
    "      OR lower(family_name) LIKE $8 ESCAPE '!'"
    "      OR lower(given_name || ' ' || family_name) LIKE $8 ESCAPE '!')"
    " ORDER BY space, email_key, id";
inline constexpr std::string_view kEnabledOwners =
    "SELECT COUNT(*) FROM accounts WHERE space = $1 AND role = 'owner'"
    " AND state IN ('invited', 'active', 'locked')";
inline constexpr std::string_view kUpsertAccount =
    "INSERT INTO accounts (" ROSTERD_ACCOUNT_COLUMNS ", email_key) VALUES ($1, $2, $3, $4, $5,"
    " $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22)"
    " ON CONFLICT (id) DO UPDATE SET email = excluded.email, email_key = excluded.email_key,"
    " given_name = excluded.given_name, family_name = excluded.family_name,"
    " title = excluded.title, phone = excluded.phone, team = excluded.team,"
    " country = excluded.country, language = excluded.language, role = excluded.role,"
    " licence = excluded.licence, state = excluded.state, managed_by = excluded.managed_by,"
    " source_anchor = excluded.source_anchor, successor = excluded.successor,"
    " folders = excluded.folders, updated_at = excluded.updated_at,"
    " activated_at = excluded.activated_at, version = excluded.version";

// The accounts a source derived from some of its identities ($2: a list of their ids,
// as id_list() writes it), for the identity store's related_users; one spelling per dialect.
inline constexpr std::string_view kAccountsOfAnchorsSqlite =
    "SELECT " ROSTERD_ACCOUNT_COLUMNS " FROM accounts WHERE managed_by = $1"
    " AND source_anchor IN (SELECT value FROM json_each($2)) AND state <> 'deleted'"
    " ORDER BY source_anchor, id";
inline constexpr std::string_view kAccountsOfAnchorsPostgres =
    "SELECT " ROSTERD_ACCOUNT_COLUMNS " FROM accounts WHERE managed_by = $1"
    " AND source_anchor = ANY((SELECT ($2)::text[])::text[])"
    " AND state <> 'deleted' ORDER BY source_anchor, id";
// The same for the identities some userNames find ($2: a list of user_name_keys).
inline constexpr std::string_view kAccountsOfNamedUsersSqlite =
    "SELECT " ROSTERD_ACCOUNT_COLUMNS " FROM accounts WHERE managed_by = $1"
    " AND source_anchor IN (SELECT n.id FROM identities n WHERE n.source = $1"
    " AND n.user_name_key IN (SELECT value FROM json_each($2))) AND state <> 'deleted'"
    " ORDER BY source_anchor, id";
inline constexpr std::string_view kAccountsOfNamedUsersPostgres =
    "SELECT " ROSTERD_ACCOUNT_COLUMNS " FROM accounts WHERE managed_by = $1"
    " AND source_anchor IN (SELECT n.id FROM identities n WHERE n.source = $1"
    " AND n.user_name_key = ANY((SELECT ($2)::text[])::text[]))"
    " AND state <> 'deleted' ORDER BY source_anchor, id";

#undef ROSTERD_ACCOUNT_COLUMNS

// The audit chain (audit_chain.h). Locking the head row first is what serialises two
// writers on PostgreSQL; on SQLite the transaction holds the write lock already.
inline constexpr std::string_view kLockAuditHead = "UPDATE audit_head SET seq = seq WHERE id = 1 RETURNING hash";
inline constexpr std::string_view kAuditHeadHash = "SELECT hash FROM audit_head WHERE id = 1";
inline constexpr std::string_view kAuditHead = "SELECT seq, hash FROM audit_head WHERE id = 1";
inline constexpr std::string_view kSetAuditHead = "UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1";
// At commit, the seq of the transaction's last row still standing: writers are serialised
// (see kLockAuditHead), so the highest seq is it. One rolled back to a savepoint is gone
// from the table, though its number was drawn (a sequence never goes back). Looking the row
// up by its hash instead (to step over a row slipped in behind rosterd's back, which the
// chain walk reports anyway) made PostgreSQL scan the audit table at every commit: POST
// fell from 4,345 to 2,200 a second.
inline constexpr std::string_view kSetAuditHeadToLastRow =
    "UPDATE audit_head SET seq = (SELECT MAX(seq) FROM audit), hash = $1 WHERE id = 1";
// No RETURNING: nothing needs the new row's seq before commit, so on PostgreSQL the row
// can travel with the next statement (on SQLite RETURNING builds a temporary table for
// every row, a fifth of the time of an audit row).
inline constexpr std::string_view kInsertAudit =
    "INSERT INTO audit (at, actor, operation, event, event_id, space, account_id, email, reason,"
    " details, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)";
#define ROSTERD_AUDIT_CHAIN_COLUMNS \
  "SELECT seq, prev_hash, hash, at, actor, operation, event, event_id, space, account_id, email," \
  " reason, details FROM audit"
inline constexpr std::string_view kAuditChain = ROSTERD_AUDIT_CHAIN_COLUMNS " ORDER BY seq";
inline constexpr std::string_view kAuditChainPage =
    ROSTERD_AUDIT_CHAIN_COLUMNS " WHERE seq > $1 ORDER BY seq LIMIT $2";
#undef ROSTERD_AUDIT_CHAIN_COLUMNS
inline constexpr std::string_view kChainAuditRow =
    "UPDATE audit SET prev_hash = $2, hash = $3 WHERE seq = $1";

inline constexpr std::string_view kAudit =
    "SELECT seq, at, actor, operation, event, event_id, space, account_id, reason, details, email"
    " FROM (SELECT * FROM audit WHERE (CAST($1 AS TEXT) IS NULL OR at >= $1)"
    " AND (CAST($2 AS TEXT) IS NULL OR space = $2) AND (CAST($3 AS TEXT) IS NULL OR account_id = $3)"
    " ORDER BY seq DESC LIMIT $4) newest ORDER BY seq";

inline constexpr std::string_view kInsertOutbox =
    "INSERT INTO outbox (event_id, type, space, account_id, payload, state, attempts,"
    " created_at, next_attempt_at) VALUES ($1, $2, $3, $4, $5, 'pending', 0, $6, $6)";
inline constexpr std::string_view kOutbox =
    "SELECT seq, event_id, type, space, account_id, payload, state, attempts, created_at"
    " FROM outbox WHERE (CAST($1 AS TEXT) IS NULL OR state = $1) ORDER BY seq LIMIT $2";

}  // namespace rosterd::sql::stmt
