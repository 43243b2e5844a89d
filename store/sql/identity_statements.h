// The statement table of the identity store (identities, external groups, memberships),
// with $N placeholders, prepared once per connection by the driver. A list of ids travels
// as one parameter (id_list(): a JSON array on SQLite, a text[] on PostgreSQL), so a page
// of any size is one fixed statement: those few statements have a spelling per dialect,
// picked with for_dialect().
#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <string_view>

#include "store/sql/sql_connection.h"

namespace rosterd::sql::stmt {

// One statement in both spellings, SQLite first.
using PerDialect = std::array<std::string_view, 2>;
inline std::string_view for_dialect(const PerDialect& s, Dialect d) {
  return s[d == Dialect::Sqlite ? 0 : 1];
}

// Users and groups read into the same columns (identity_rows.h decodes both).
#define ROSTERD_USER_COLUMNS                                                                  \
  "i.id, i.external_id, i.user_name, i.display_name, i.emails, i.active, i.attributes, "    \
  "i.version, i.created_at, i.updated_at, i.source"
#define ROSTERD_GROUP_COLUMNS                                                                 \
  "g.id, g.external_id, '', g.display_name, '[]', 1, g.attributes, g.version, g.created_at, " \
  "g.updated_at, g.source"
// "is one of the list bound as $2" (the list written by id_list(): a JSON array on SQLite,
// a text[] on PostgreSQL, whose `= ANY` is one index scan over the sorted values instead
// of a join with the unpacked list: a page of 100 users reads in a third less time). The
// sub-select hides the list from the planner: with a short list in sight, PostgreSQL
// finds its custom plan cheaper than the generic one and plans again at every execution
// (0.6 ms, more than the look-up).
#define ROSTERD_SQLITE_IN_IDS " IN (SELECT value FROM json_each($2))"
#define ROSTERD_PG_IN_IDS " = ANY((SELECT ($2)::text[])::text[])"
// The rowids of a JSON array bound as $2 (SQLite's page keys).
#define ROSTERD_SQLITE_IDS "(SELECT value FROM json_each($2))"

inline constexpr std::string_view kUserColumns = ROSTERD_USER_COLUMNS;
inline constexpr std::string_view kGroupColumns = ROSTERD_GROUP_COLUMNS;

inline constexpr std::string_view kFindUser =
    "SELECT " ROSTERD_USER_COLUMNS " FROM identities i WHERE i.source = $1 AND i.id = $2";
inline constexpr std::string_view kFindGroup =
    "SELECT " ROSTERD_GROUP_COLUMNS " FROM external_groups g WHERE g.source = $1 AND g.id = $2";
inline constexpr std::string_view kUserIdByNameKey =
    "SELECT id FROM identities WHERE source = $1 AND user_name_key = $2";

inline constexpr std::string_view kInsertUser =
    "INSERT INTO identities (source, id, external_id, user_name, user_name_key, display_name,"
    " email_key, emails, active, attributes, version, created_at, updated_at)"
    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)";
inline constexpr std::string_view kUpdateUser =
    "UPDATE identities SET external_id = $3, user_name = $4, user_name_key = $5,"
    " display_name = $6, email_key = $7, emails = $8, active = $9, attributes = $10,"
    " version = $11, updated_at = $12 WHERE source = $1 AND id = $2";
// An update that changes no indexed value (see SqlIdentityWriter::update).
inline constexpr std::string_view kUpdateUserBody =
    "UPDATE identities SET active = $3, attributes = $4, version = $5, updated_at = $6"
    " WHERE source = $1 AND id = $2";
inline constexpr std::string_view kUpdateGroupBody =
    "UPDATE external_groups SET attributes = $3, version = $4, updated_at = $5"
    " WHERE source = $1 AND id = $2";
inline constexpr std::string_view kInsertGroup =
    "INSERT INTO external_groups (source, id, external_id, display_name, display_name_key,"
    " attributes, version, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
inline constexpr std::string_view kUpdateGroup =
    "UPDATE external_groups SET external_id = $3, display_name = $4, display_name_key = $5,"
    " attributes = $6, version = $7, updated_at = $8 WHERE source = $1 AND id = $2";
inline constexpr std::string_view kDeleteUser = "DELETE FROM identities WHERE source = $1 AND id = $2";
inline constexpr std::string_view kDeleteGroup =
    "DELETE FROM external_groups WHERE source = $1 AND id = $2";
inline constexpr std::string_view kTouchUser =
    "UPDATE identities SET version = $3, updated_at = $4 WHERE source = $1 AND id = $2";
inline constexpr std::string_view kTouchGroup =
    "UPDATE external_groups SET version = $3, updated_at = $4 WHERE source = $1 AND id = $2";

inline constexpr std::string_view kInsertEmail =
    "INSERT INTO identity_emails (source, email_key, identity_id) VALUES ($1, $2, $3)"
    " ON CONFLICT (source, email_key, identity_id) DO NOTHING";
inline constexpr std::string_view kDeleteEmails =
    "DELETE FROM identity_emails WHERE source = $1 AND identity_id = $2";

// Members are added this many at a time: source $1, group $2, then a (member id, type)
// pair per row. add_members(n) is the statement for n rows (1..kMembersPerInsert).
inline constexpr std::size_t kMembersPerInsert = 64;
inline std::string_view add_members(std::size_t rows) {
  static const std::array<std::string, kMembersPerInsert + 1> texts = [] {
    std::array<std::string, kMembersPerInsert + 1> out;
    std::string values;
    for (std::size_t n = 1; n <= kMembersPerInsert; ++n) {
      values += std::string(n == 1 ? "" : ", ") + "($1, $2, $" + std::to_string(2 * n + 1) + ", $" +
                std::to_string(2 * n + 2) + ")";
      out[n] = "INSERT INTO group_members (source, group_id, member_id, member_type) VALUES " + values +
               " ON CONFLICT (source, group_id, member_id) DO NOTHING";
    }
    return out;
  }();
  return texts.at(rows);
}
inline constexpr std::string_view kRemoveMember =
    "DELETE FROM group_members WHERE source = $1 AND group_id = $2 AND member_id = $3";
inline constexpr std::string_view kClearMembers =
    "DELETE FROM group_members WHERE source = $1 AND group_id = $2";
// A member's memberships, by type: a user and a group may (in principle) share an id.
inline constexpr std::string_view kLeaveGroups =
    "DELETE FROM group_members WHERE source = $1 AND member_id = $2 AND member_type = $3";

// The display of a member: a user's displayName, else its userName; a group's displayName.
inline constexpr std::string_view kMembers =
    "SELECT m.member_id, m.member_type,"
    " COALESCE(NULLIF(i.display_name, ''), i.user_name, g.display_name, '')"
    " FROM group_members m"
    " LEFT JOIN identities i ON m.member_type = 'User' AND i.source = m.source AND i.id = m.member_id"
    " LEFT JOIN external_groups g ON m.member_type = 'Group' AND g.source = m.source"
    " AND g.id = m.member_id"
    " WHERE m.source = $1 AND m.group_id = $2 ORDER BY m.member_id";
inline constexpr std::string_view kGroupsOf =
    "SELECT m.group_id, g.display_name FROM group_members m"
    " JOIN external_groups g ON g.source = m.source AND g.id = m.group_id"
    " WHERE m.source = $1 AND m.member_id = $2 ORDER BY m.group_id";

// A whole source (contents()): in primary key order, which the index gives without a sort.
inline constexpr std::string_view kAllUsers =
    "SELECT " ROSTERD_USER_COLUMNS " FROM identities i WHERE i.source = $1 ORDER BY i.id";
inline constexpr std::string_view kAllGroups =
    "SELECT " ROSTERD_GROUP_COLUMNS " FROM external_groups g WHERE g.source = $1 ORDER BY g.id";
inline constexpr std::string_view kAllMemberships =
    "SELECT group_id, member_id, member_type FROM group_members WHERE source = $1"
    " ORDER BY group_id, member_id";
// Every resource's id and external id (keys()).
inline constexpr std::string_view kUserKeys =
    "SELECT id, COALESCE(external_id, '') FROM identities WHERE source = $1";
inline constexpr std::string_view kGroupKeys =
    "SELECT id, COALESCE(external_id, '') FROM external_groups WHERE source = $1";
inline constexpr std::string_view kCountUsers = "SELECT COUNT(*) FROM identities WHERE source = $1";
inline constexpr std::string_view kCountGroups =
    "SELECT COUNT(*) FROM external_groups WHERE source = $1";
inline constexpr std::string_view kCountMemberships =
    "SELECT COUNT(*) FROM group_members WHERE source = $1";

#define ROSTERD_EXISTING(IN_IDS)                                                     \
  "SELECT i.id, 'User' FROM identities i WHERE i.source = $1 AND i.id" IN_IDS      \
  " UNION ALL SELECT g.id, 'Group' FROM external_groups g WHERE g.source = $1 AND g.id" IN_IDS
inline constexpr PerDialect kExisting{ROSTERD_EXISTING(ROSTERD_SQLITE_IN_IDS),
                                      ROSTERD_EXISTING(ROSTERD_PG_IN_IDS)};
#undef ROSTERD_EXISTING
// Adds to group $3 those of the list $2 that exist, typed as kExisting types them (a user
// before a group of the same id); the rows of the members it added. SQLite needs the
// WHERE before ON CONFLICT (without it the parser reads ON as a join's).
#define ROSTERD_ADD_EXISTING_MEMBERS(IN_IDS)                                                          \
  "INSERT INTO group_members (source, group_id, member_id, member_type)"                              \
  " SELECT $1, $3, f.id, f.type FROM ("                                                               \
  "SELECT i.id AS id, 'User' AS type FROM identities i WHERE i.source = $1 AND i.id" IN_IDS            \
  " UNION ALL SELECT g.id, 'Group' FROM external_groups g WHERE g.source = $1 AND g.id" IN_IDS        \
  " AND NOT EXISTS (SELECT 1 FROM identities u WHERE u.source = $1 AND u.id = g.id)) f WHERE true"    \
  " ON CONFLICT (source, group_id, member_id) DO NOTHING RETURNING member_id"
inline constexpr PerDialect kAddExistingMembers{ROSTERD_ADD_EXISTING_MEMBERS(ROSTERD_SQLITE_IN_IDS),
                                                ROSTERD_ADD_EXISTING_MEMBERS(ROSTERD_PG_IN_IDS)};
#undef ROSTERD_ADD_EXISTING_MEMBERS

// PostgreSQL's generic plan for a plain join merges with every group of the source (1,000
// index entries for a user in two groups); the lateral join looks each group up, and
// remembers the ones a page of users shares (Memoize).
#define ROSTERD_GROUPS_OF_USERS_SQLITE(IN_IDS)                                           \
  "SELECT m.member_id, m.group_id, g.display_name FROM group_members m"                 \
  " JOIN external_groups g ON g.source = m.source AND g.id = m.group_id"                \
  " WHERE m.source = $1 AND m.member_type = 'User' AND m.member_id" IN_IDS              \
  " ORDER BY m.member_id, m.group_id"
#define ROSTERD_GROUPS_OF_USERS_PG(IN_IDS)                                               \
  "SELECT m.member_id, m.group_id, g.display_name FROM group_members m"                 \
  " JOIN LATERAL (SELECT g.display_name FROM external_groups g"                         \
  " WHERE g.source = m.source AND g.id = m.group_id) g ON true"                         \
  " WHERE m.source = $1 AND m.member_type = 'User' AND m.member_id" IN_IDS              \
  " ORDER BY m.member_id, m.group_id"
inline constexpr PerDialect kGroupsOfUsers{ROSTERD_GROUPS_OF_USERS_SQLITE(ROSTERD_SQLITE_IN_IDS),
                                           ROSTERD_GROUPS_OF_USERS_PG(ROSTERD_PG_IN_IDS)};

// Users looked up several at once (SqlIdentityReader::find_users_at_once; $2: a list),
// by id or by userName (user_name_key: ASCII lower-cased, as a filter compares
// it); for the second, the groups of the users those names find.
#define ROSTERD_IN_NAMED(IN_KEYS) \
  " IN (SELECT n.id FROM identities n WHERE n.source = $1 AND n.user_name_key" IN_KEYS ")"
inline constexpr PerDialect kUsersByIds{
    "SELECT " ROSTERD_USER_COLUMNS " FROM identities i WHERE i.source = $1 AND i.id" ROSTERD_SQLITE_IN_IDS,
    "SELECT " ROSTERD_USER_COLUMNS " FROM identities i WHERE i.source = $1 AND i.id" ROSTERD_PG_IN_IDS};
inline constexpr PerDialect kUsersByNameKeys{
    "SELECT " ROSTERD_USER_COLUMNS " FROM identities i WHERE i.source = $1 AND i.user_name_key" ROSTERD_SQLITE_IN_IDS,
    "SELECT " ROSTERD_USER_COLUMNS " FROM identities i WHERE i.source = $1 AND i.user_name_key" ROSTERD_PG_IN_IDS};
inline constexpr PerDialect kGroupsOfNamedUsers{
    ROSTERD_GROUPS_OF_USERS_SQLITE(ROSTERD_IN_NAMED(ROSTERD_SQLITE_IN_IDS)),
    ROSTERD_GROUPS_OF_USERS_PG(ROSTERD_IN_NAMED(ROSTERD_PG_IN_IDS))};
#undef ROSTERD_IN_NAMED
#undef ROSTERD_GROUPS_OF_USERS_SQLITE
#undef ROSTERD_GROUPS_OF_USERS_PG

// The default list order as row keys (store/sql/list_order_cache.h), and the rows of one
// page by those keys ($1: the source, $2: a JSON array of keys), in that order. SQLite's
// keys are rowids; PostgreSQL has none that last, so its keys are the ids. (SQLite's
// `+i.source`: the unary plus keeps the planner from walking the source's whole
// (source, created_at, id) index for the ORDER BY instead of looking up 100 rowids:
// 230 pages a second instead of thousands.)
inline constexpr std::string_view kUserOrderKeysSqlite =
    "SELECT i.rowid FROM identities i WHERE i.source = $1 ORDER BY i.created_at, i.id";
inline constexpr std::string_view kGroupOrderKeysSqlite =
    "SELECT g.rowid FROM external_groups g WHERE g.source = $1 ORDER BY g.created_at, g.id";
inline constexpr std::string_view kUsersByKeysSqlite =
    "SELECT " ROSTERD_USER_COLUMNS " FROM identities i"
    " WHERE i.rowid IN " ROSTERD_SQLITE_IDS " AND +i.source = $1 ORDER BY i.created_at, i.id";
inline constexpr std::string_view kGroupsByKeysSqlite =
    "SELECT " ROSTERD_GROUP_COLUMNS " FROM external_groups g"
    " WHERE g.rowid IN " ROSTERD_SQLITE_IDS " AND +g.source = $1 ORDER BY g.created_at, g.id";
inline constexpr std::string_view kUserOrderKeysPostgres =
    "SELECT i.id FROM identities i WHERE i.source = $1 ORDER BY i.created_at, i.id";
inline constexpr std::string_view kGroupOrderKeysPostgres =
    "SELECT g.id FROM external_groups g WHERE g.source = $1 ORDER BY g.created_at, g.id";
inline constexpr std::string_view kUsersByKeysPostgres =
    "SELECT " ROSTERD_USER_COLUMNS " FROM identities i"
    " WHERE i.source = $1 AND i.id" ROSTERD_PG_IN_IDS " ORDER BY i.created_at, i.id";
// The same page of users as a walk of the (source, created_at, id) index from its first
// key ($2), $3 rows: one descent instead of one per user (half the time of a page). The
// limit in a sub-select for the reason ROSTERD_PG_IN_IDS gives: in sight, it made the
// planner plan every page again.
inline constexpr std::string_view kUsersPageFromPostgres =
    "SELECT " ROSTERD_USER_COLUMNS " FROM identities i WHERE i.source = $1 AND (i.created_at, i.id) >="
    " (SELECT f.created_at, f.id FROM identities f WHERE f.source = $1 AND f.id = $2)"
    " ORDER BY i.created_at, i.id LIMIT (SELECT ($3)::bigint)";
inline constexpr std::string_view kGroupsByKeysPostgres =
    "SELECT " ROSTERD_GROUP_COLUMNS " FROM external_groups g"
    " WHERE g.source = $1 AND g.id" ROSTERD_PG_IN_IDS " ORDER BY g.created_at, g.id";

// The identity write counter (migration 10): read in a reader's snapshot, moved on in
// every write transaction of identities.
inline constexpr std::string_view kIdentityGeneration =
    "SELECT generation FROM identity_generation WHERE id = 1";
inline constexpr std::string_view kNextIdentityGeneration =
    "UPDATE identity_generation SET generation = generation + 1 WHERE id = 1";

#undef ROSTERD_USER_COLUMNS
#undef ROSTERD_GROUP_COLUMNS
#undef ROSTERD_SQLITE_IDS
#undef ROSTERD_SQLITE_IN_IDS
#undef ROSTERD_PG_IN_IDS

// Keeps the oldest request: the reconcile is owed since then.
inline constexpr std::string_view kRequestReconcile =
    "INSERT INTO reconcile_queue (space, requested_at) VALUES ($1, $2)"
    " ON CONFLICT (space) DO NOTHING";

}  // namespace rosterd::sql::stmt
