#include "store/sql/migrations.h"

#include <algorithm>
#include <string>
#include <vector>

#include "store/sql/audit_chain.h"
#include "store/sql/transaction.h"

namespace rosterd::sql {
namespace {

// One schema version: a script, and what the SQL dialects cannot do themselves (such as
// hashing), run after it in the same transaction.
struct Migration {
  std::string_view sql;
  Result<void> (*after)(SqlConnection&) = nullptr;
};

// @SERIAL@ is the dialect's auto-incrementing integer primary key.
const std::vector<Migration> kMigrations = {
    // 1: accounts, licence pools, audit, outbox, identities and groups, sync state.
    {R"sql(
CREATE TABLE spaces (
  id            TEXT PRIMARY KEY,
  default_owner TEXT NOT NULL DEFAULT ''
);
CREATE TABLE licence_pools (
  space   TEXT NOT NULL REFERENCES spaces(id),
  licence TEXT NOT NULL,
  total   BIGINT NOT NULL,
  used    BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (space, licence)
);
CREATE TABLE accounts (
  id            TEXT PRIMARY KEY,
  space         TEXT NOT NULL REFERENCES spaces(id),
  email         TEXT NOT NULL,
  email_key     TEXT NOT NULL,
  given_name    TEXT NOT NULL,
  family_name   TEXT NOT NULL,
  title         TEXT NOT NULL DEFAULT '',
  phone         TEXT NOT NULL DEFAULT '',
  team          TEXT NOT NULL DEFAULT '',
  country       TEXT NOT NULL DEFAULT '',
  language      TEXT NOT NULL DEFAULT '',
  role          TEXT NOT NULL,
  licence       TEXT NOT NULL,
  state         TEXT NOT NULL,
  managed_by    TEXT NOT NULL,
  source_anchor TEXT NOT NULL DEFAULT '',
  successor     TEXT NOT NULL DEFAULT '',
  folders       TEXT NOT NULL DEFAULT '[]',
  created_at    TEXT NOT NULL,
  updated_at    TEXT NOT NULL,
  activated_at  TEXT,
  version       BIGINT NOT NULL
);
CREATE UNIQUE INDEX accounts_email ON accounts (space, email_key) WHERE state <> 'deleted';
CREATE INDEX accounts_role ON accounts (space, role, state);
CREATE INDEX accounts_source ON accounts (managed_by, source_anchor);

CREATE TABLE audit (
  seq        @SERIAL@,
  at         TEXT NOT NULL,
  actor      TEXT NOT NULL,
  operation  TEXT NOT NULL,
  event      TEXT NOT NULL,
  event_id   TEXT NOT NULL,
  space      TEXT NOT NULL,
  account_id TEXT NOT NULL,
  email      TEXT NOT NULL,  -- the account's email when the event happened
  reason     TEXT NOT NULL,
  details    TEXT NOT NULL
);
CREATE INDEX audit_at ON audit (at);
CREATE INDEX audit_account ON audit (account_id);

CREATE TABLE outbox (
  seq             @SERIAL@,
  event_id        TEXT NOT NULL UNIQUE,
  type            TEXT NOT NULL,
  space           TEXT NOT NULL,
  account_id      TEXT NOT NULL,
  payload         TEXT NOT NULL,
  state           TEXT NOT NULL DEFAULT 'pending',
  attempts        INTEGER NOT NULL DEFAULT 0,
  created_at      TEXT NOT NULL,
  next_attempt_at TEXT NOT NULL,
  last_error      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX outbox_pending ON outbox (state, next_attempt_at);

-- What a source says about a person, kept as received (SCIM, LDAP). `attributes` is
-- the resource as JSON; the indexed columns are copies used by filters and look-ups.
CREATE TABLE identities (
  source        TEXT NOT NULL,
  id            TEXT NOT NULL,
  external_id   TEXT,
  anchor        TEXT,
  user_name     TEXT NOT NULL,
  user_name_key TEXT NOT NULL,
  display_name  TEXT NOT NULL DEFAULT '',
  email_key     TEXT NOT NULL DEFAULT '',
  active        INTEGER NOT NULL DEFAULT 1,
  attributes    TEXT NOT NULL,
  version       BIGINT NOT NULL,
  created_at    TEXT NOT NULL,
  updated_at    TEXT NOT NULL,
  PRIMARY KEY (source, id)
);
CREATE UNIQUE INDEX identities_user_name ON identities (source, user_name_key);
CREATE INDEX identities_external_id ON identities (source, external_id);
CREATE INDEX identities_anchor ON identities (source, anchor);
CREATE INDEX identities_email ON identities (source, email_key);
CREATE INDEX identities_updated ON identities (source, updated_at);

CREATE TABLE external_groups (
  source           TEXT NOT NULL,
  id               TEXT NOT NULL,
  external_id      TEXT,
  anchor           TEXT,
  display_name     TEXT NOT NULL,
  display_name_key TEXT NOT NULL,
  attributes       TEXT NOT NULL,
  version          BIGINT NOT NULL,
  created_at       TEXT NOT NULL,
  updated_at       TEXT NOT NULL,
  PRIMARY KEY (source, id)
);
CREATE INDEX external_groups_name ON external_groups (source, display_name_key);
CREATE INDEX external_groups_external_id ON external_groups (source, external_id);
CREATE INDEX external_groups_anchor ON external_groups (source, anchor);

-- One row per membership, so adding one member to a 50,000-member group is one insert.
CREATE TABLE group_members (
  source      TEXT NOT NULL,
  group_id    TEXT NOT NULL,
  member_id   TEXT NOT NULL,
  member_type TEXT NOT NULL DEFAULT 'User',
  PRIMARY KEY (source, group_id, member_id)
);
CREATE INDEX group_members_member ON group_members (source, member_id);

CREATE TABLE sync_state (
  source          TEXT PRIMARY KEY,
  cursor          TEXT NOT NULL DEFAULT '',
  status          TEXT NOT NULL DEFAULT 'never',
  error           TEXT NOT NULL DEFAULT '',
  identity_count  BIGINT NOT NULL DEFAULT 0,
  last_attempt_at TEXT,
  last_success_at TEXT,
  last_full_at    TEXT
);

-- Spaces whose identities changed since their last reconcile.
CREATE TABLE reconcile_queue (
  space        TEXT PRIMARY KEY,
  requested_at TEXT NOT NULL
);
)sql"},
    // 2: indexed look-ups for the SCIM filters identity providers send most.
    {R"sql(
-- Every email of an identity (not only the first), ASCII lower case, so that
-- `emails.value eq "x"` (Entra ID and Okta look people up that way) is an index search.
CREATE TABLE identity_emails (
  source      TEXT NOT NULL,
  email_key   TEXT NOT NULL,
  identity_id TEXT NOT NULL,
  PRIMARY KEY (source, email_key, identity_id)
);
CREATE INDEX identity_emails_identity ON identity_emails (source, identity_id);
INSERT INTO identity_emails (source, email_key, identity_id)
  SELECT source, email_key, id FROM identities WHERE email_key <> '';

-- The email values as given, in order (a JSON array of strings), so a record reads back
-- exactly as it was written without parsing `attributes`.
ALTER TABLE identities ADD COLUMN emails TEXT NOT NULL DEFAULT '[]';

-- The filter compiler compares displayName as lower(display_name): index that expression.
CREATE INDEX identities_display_name ON identities (source, lower(display_name));
CREATE INDEX external_groups_display_name ON external_groups (source, lower(display_name));

-- The default order of lists (creation, then id): pages walk this index.
CREATE INDEX identities_created ON identities (source, created_at, id);
CREATE INDEX external_groups_created ON external_groups (source, created_at, id);
)sql"},
    // 3: the audit hash chain, stored plans, the seat queue.
    {R"sql(
-- audit_chain.h: each row's hash and the hash of the row before it; the rows written
-- before this version are chained by chain_existing_audit() after this script.
ALTER TABLE audit ADD COLUMN prev_hash TEXT NOT NULL DEFAULT '';
ALTER TABLE audit ADD COLUMN hash TEXT NOT NULL DEFAULT '';
-- The last row written (seq 0 and '' before the first), so that rows deleted at the end
-- of the log are seen.
CREATE TABLE audit_head (
  id   INTEGER PRIMARY KEY CHECK (id = 1),
  seq  BIGINT NOT NULL,
  hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '');

-- Plans as reviewed, so that `rosterd apply PLAN_ID` applies exactly what was shown.
-- seq: the order plans were stored in (several may share a created_at).
CREATE TABLE plans (
  id             TEXT PRIMARY KEY,
  space          TEXT NOT NULL,
  created_at     TEXT NOT NULL,
  input_hash     TEXT NOT NULL,
  state          TEXT NOT NULL,
  blocked_reason TEXT NOT NULL DEFAULT '',
  body           TEXT NOT NULL,
  applied_at     TEXT,
  applied_by     TEXT NOT NULL DEFAULT '',
  seq            BIGINT NOT NULL
);
CREATE INDEX plans_space ON plans (space, created_at);
CREATE UNIQUE INDEX plans_seq ON plans (seq);

-- People waiting for a seat, kept between plans in their order (position).
CREATE TABLE seat_queue (
  space    TEXT NOT NULL,
  person   TEXT NOT NULL,
  licence  TEXT NOT NULL,
  since    TEXT NOT NULL,
  position BIGINT NOT NULL,
  PRIMARY KEY (space, person)
);
)sql",
     chain_existing_audit},
    // 4: a directory source's keys (IdentityReader::keys) read from an index alone: its
    // incremental reads resolve DNs (kept as external ids) without scanning every record.
    // It also serves externalId lookups, which the index it replaces did.
    {R"sql(
CREATE INDEX identities_keys ON identities (source, external_id, id);
DROP INDEX identities_external_id;
)sql"},
    // 5: the groups of one member (groups_of) in group order from an index: without
    // group_id in it, SQLite preferred scanning the whole primary key for the ORDER BY
    // (20 ms a call at 300,000 memberships).
    {R"sql(
DROP INDEX group_members_member;
CREATE INDEX group_members_member ON group_members (source, member_id, group_id);
)sql"},
    // 6: webhook delivery (store/outbox_store.h). The sender walks a space's pending events
    // in order and skips those whose account has an earlier pending one: both are index
    // searches, not scans of every pending event. outbox_pending goes: SQLite preferred it
    // for the due-time range and then sorted every pending event by seq for each batch
    // of 16 (43 ms a batch at 100,000 pending). When the last attempt was made.
    {R"sql(
DROP INDEX outbox_pending;
CREATE INDEX outbox_due ON outbox (space, state, seq);
CREATE INDEX outbox_account ON outbox (space, account_id, state, seq);
ALTER TABLE outbox ADD COLUMN last_attempt_at TEXT;
)sql"},
    // 7: a plan's body in a table of its own: marking a plan applied rewrote its whole
    // row, body included (some 40 MB for a first sync of 100,000 people).
    {R"sql(
CREATE TABLE plan_bodies (
  plan_id TEXT PRIMARY KEY REFERENCES plans (id) ON DELETE CASCADE,
  body    TEXT NOT NULL
);
INSERT INTO plan_bodies (plan_id, body) SELECT id, body FROM plans;
ALTER TABLE plans DROP COLUMN body;
)sql"},
    // 8: invitation emails sent by rosterd (store/invitation_store.h), one row per
    // account.created event of a space with invitations.smtp; seq is the event's outbox
    // seq, from which the sender reads the events it has not seen yet.
    {R"sql(
CREATE TABLE invitations (
  event_id        TEXT PRIMARY KEY,
  seq             BIGINT NOT NULL,
  space           TEXT NOT NULL,
  account_id      TEXT NOT NULL,
  state           TEXT NOT NULL,
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at TEXT NOT NULL,
  last_error      TEXT NOT NULL DEFAULT '',
  sent_at         TEXT
);
CREATE INDEX invitations_seen ON invitations (space, seq);
CREATE INDEX invitations_due ON invitations (space, state, next_attempt_at);
-- Where each space's invitations start: the outbox events created before invitations were
-- turned on for it are never mailed (that would invite every existing account).
CREATE TABLE invitation_starts (
  space     TEXT PRIMARY KEY,
  after_seq BIGINT NOT NULL
);
)sql"},
    // 9: the leader lease (store/sql/leader_lease.h). Several `rosterd serve` on one
    // database all serve SCIM, but only the holder of this row runs the pollers, the
    // reconciler and the senders. expires_at is in milliseconds of the database's clock,
    // so that instances whose clocks disagree still agree on when it has passed; term
    // counts the changes of holder. The row exists from the start: taking the lease is
    // then always one UPDATE, never an INSERT racing another.
    {R"sql(
CREATE TABLE leader_lease (
  name       TEXT PRIMARY KEY,
  holder     TEXT NOT NULL DEFAULT '',
  term       BIGINT NOT NULL DEFAULT 0,
  expires_at BIGINT NOT NULL DEFAULT 0
);
INSERT INTO leader_lease (name) VALUES ('leader');
)sql"},
    // 10: a counter of identity writes (store/sql/list_order_cache.h), moved on by every
    // write transaction of identities and groups in that transaction, so that a list
    // cache built in one snapshot knows whether it is still true, whichever instance wrote
    // since.
    {R"sql(
CREATE TABLE identity_generation (
  id         INTEGER PRIMARY KEY,
  generation BIGINT NOT NULL
);
INSERT INTO identity_generation (id, generation) VALUES (1, 0);
)sql"},
    // 11: the digest of a directory source's last full read (store/source_state.h), so
    // that a full read that changes nothing is not compared with the store row by row.
    {R"sql(
ALTER TABLE sync_state ADD COLUMN read_digest TEXT NOT NULL DEFAULT '';
)sql"},
};

bool is_word_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

// PostgreSQL compares and sorts text by the database's collation (often en_US.UTF-8,
// where 'a' < 'B' and punctuation is ignored); SQLite compares bytes. The store's ORDER
// BY id walks (diffs, merges, pages) rely on byte order, as do range comparisons of
// timestamps: every TEXT column of PostgreSQL is declared COLLATE "C" (byte order).
std::string with_byte_order(std::string sql) {
  constexpr std::string_view kText = "TEXT";
  constexpr std::string_view kByteOrder = " COLLATE \"C\"";
  for (auto pos = sql.find(kText); pos != std::string::npos; pos = sql.find(kText, pos + 1)) {
    const auto end = pos + kText.size();
    const bool in_a_word =
        (pos > 0 && is_word_char(sql[pos - 1])) || (end < sql.size() && is_word_char(sql[end]));
    if (in_a_word) continue;
    sql.insert(end, kByteOrder);
  }
  return sql;
}

std::string for_dialect(std::string_view sql, Dialect dialect) {
  // BY DEFAULT rather than ALWAYS: copying a store from SQLite keeps the audit rows' and
  // outbox events' sequence numbers (the audit head and the invitations refer to them);
  // the copy then moves the sequence past them (setval).
  const std::string_view serial = dialect == Dialect::Sqlite
                                      ? "INTEGER PRIMARY KEY AUTOINCREMENT"
                                      : "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY";
  std::string out(sql);
  for (auto pos = out.find("@SERIAL@"); pos != std::string::npos; pos = out.find("@SERIAL@"))
    out.replace(pos, 8, serial);
  return dialect == Dialect::Postgres ? with_byte_order(std::move(out)) : out;
}

Result<int> current_version(SqlConnection& conn) {
  if (auto r = conn.execute_script("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)"); !r)
    return tl::unexpected(r.error());
  auto rows = conn.query("SELECT MAX(version) FROM schema_version", {});
  if (!rows) return tl::unexpected(rows.error());
  return rows->empty() ? 0 : static_cast<int>(rows->front().integer(0));
}

}  // namespace

int latest_schema_version() { return static_cast<int>(kMigrations.size()); }

Result<void> migrate(SqlConnection& conn) { return migrate_to(conn, latest_schema_version()); }

Result<void> migrate_to(SqlConnection& conn, int target) {
  auto tx = Transaction::begin(conn);
  if (!tx) return tl::unexpected(tx.error());
  auto version = current_version(conn);
  if (!version) return tl::unexpected(version.error());
  if (*version > latest_schema_version())
    return fail(ErrorCode::Storage, "the database has schema version " + std::to_string(*version) +
                                        ", newer than this rosterd knows (" +
                                        std::to_string(latest_schema_version()) +
                                        "): upgrade rosterd");
  for (int v = *version + 1; v <= std::min(target, latest_schema_version()); ++v) {
    const Migration& m = kMigrations[v - 1];
    auto step = conn.execute_script(for_dialect(m.sql, conn.dialect()));
    if (step && m.after) step = m.after(conn);
    if (!step)
      return fail(ErrorCode::Storage, "migration to schema version " + std::to_string(v) +
                                          " failed: " + step.error().message);
    const std::int64_t value = v;
    if (auto r = conn.execute("DELETE FROM schema_version", {}); !r) return tl::unexpected(r.error());
    if (auto r = conn.execute("INSERT INTO schema_version (version) VALUES ($1)", {value}); !r)
      return tl::unexpected(r.error());
  }
  return tx->commit();
}

}  // namespace rosterd::sql
