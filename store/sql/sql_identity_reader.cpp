#include "store/sql/sql_identity_reader.h"

#include <algorithm>
#include <array>
#include <limits>
#include <memory>
#include <string>
#include <unordered_map>

#include "core/email.h"
#include "core/try.h"
#include "store/sql/account_rows.h"
#include "store/sql/identity_rows.h"
#include "store/sql/identity_statements.h"
#include "store/sql/search_sql.h"
#include "store/sql/source_state_rows.h"
#include "store/sql/statements.h"

namespace rosterd::sql {
namespace {

std::int64_t sql_count(std::size_t n) {
  constexpr auto kMax = static_cast<std::size_t>(std::numeric_limits<std::int64_t>::max());
  return static_cast<std::int64_t>(n > kMax ? kMax : n);
}

Result<std::vector<ResourceRecord>> records_from(ResourceType type, const SqlRows& rows) {
  std::vector<ResourceRecord> out;
  out.reserve(rows.size());
  for (const SqlRow& row : rows) {
    ROSTERD_ASSIGN(auto r, record_from_row(type, row));
    out.push_back(std::move(r));
  }
  return out;
}

// related_users() of `user_ids` from the rows of kGroupsOfUsers and kAccountsOfAnchors*.
Result<std::vector<RelatedToUser>> related_from(std::span<const std::string> user_ids, const SqlRows& groups,
                                                const SqlRows& accounts) {
  std::vector<RelatedToUser> out(user_ids.size());
  std::unordered_map<std::string_view, std::vector<std::size_t>> index;  // ids may repeat
  for (std::size_t i = 0; i < user_ids.size(); ++i) index[user_ids[i]].push_back(i);
  for (const SqlRow& row : groups)
    if (const auto it = index.find(row.text(0)); it != index.end())
      for (const std::size_t i : it->second)
        out[i].groups.push_back(MemberRef{row.text(1), ResourceType::Group, row.text(2)});
  for (const SqlRow& row : accounts) {
    ROSTERD_ASSIGN(auto account, account_from_row(row));
    if (const auto it = index.find(account.source_anchor); it != index.end())
      for (const std::size_t i : it->second)
        if (!out[i].account) out[i].account = account;  // one space per source: one account
  }
  return out;
}

std::string_view accounts_of_anchors(Dialect d) {
  return d == Dialect::Sqlite ? stmt::kAccountsOfAnchorsSqlite : stmt::kAccountsOfAnchorsPostgres;
}

}  // namespace

Result<std::optional<ResourceRecord>> SqlIdentityReader::find(ResourceType type,
                                                              std::string_view source,
                                                              std::string_view id) {
  const auto sql = type == ResourceType::User ? stmt::kFindUser : stmt::kFindGroup;
  ROSTERD_ASSIGN(const auto rows, conn_.query(sql, {source, id}));
  if (rows.empty()) return std::optional<ResourceRecord>{};
  ROSTERD_ASSIGN(auto r, record_from_row(type, rows.front()));
  return std::optional<ResourceRecord>(std::move(r));
}

Result<ResourcePage> SqlIdentityReader::cached_page(const ResourceQuery& q) {
  const bool users = q.type == ResourceType::User;
  const bool sqlite = conn_.dialect() == Dialect::Sqlite;
  // In this snapshot: the list below is read in it too, so they agree.
  ROSTERD_ASSIGN(const auto current, conn_.query(stmt::kIdentityGeneration, {}));
  const auto generation = static_cast<std::uint64_t>(current.empty() ? 0 : current.front().integer(0));
  std::shared_ptr<const ListOrderCache::Keys> keys = cache_->get(q.type, q.source, generation);
  if (!keys) {
    const std::string_view order_sql = users ? (sqlite ? stmt::kUserOrderKeysSqlite : stmt::kUserOrderKeysPostgres)
                                             : (sqlite ? stmt::kGroupOrderKeysSqlite : stmt::kGroupOrderKeysPostgres);
    auto built = std::make_shared<ListOrderCache::Keys>();
    ROSTERD_TRY(conn_.query_each(order_sql, {std::string_view(q.source)}, [&](const SqlRow& row) -> Result<bool> {
      built->push_back(row.text(0));
      return true;
    }));
    keys = built;
    cache_->put(q.type, q.source, generation, keys);
  }
  ResourcePage page;
  page.total = keys->size();
  const std::size_t offset = q.start_index > 0 ? q.start_index - 1 : 0;
  if (q.count == 0 || offset >= keys->size()) return page;
  const std::size_t end = std::min(keys->size(), offset + q.count);
  // SQLite's rowids as JSON numbers; PostgreSQL's ids as JSON strings.
  std::string list;
  if (sqlite) {
    list = "[";
    for (std::size_t i = offset; i < end; ++i) list += (i > offset ? "," : "") + (*keys)[i];
    list += ']';
  } else {
    list = id_list(std::span<const std::string>(keys->data() + offset, end - offset), Dialect::Postgres);
  }
  const std::string_view page_sql = users ? (sqlite ? stmt::kUsersByKeysSqlite : stmt::kUsersByKeysPostgres)
                                          : (sqlite ? stmt::kGroupsByKeysSqlite : stmt::kGroupsByKeysPostgres);
  const SqlValue params[] = {std::string_view(q.source), std::string_view(list)};
  if (!users || sqlite) {
    ROSTERD_ASSIGN(const auto rows, conn_.query(page_sql, params));
    ROSTERD_ASSIGN(page.resources, records_from(q.type, rows));
    return page;
  }
  // PostgreSQL's keys are the users' ids: the page is read as a walk of the list order's
  // index from its first key (the keys belong to this snapshot's generation, so the walk
  // meets exactly them), and their groups and accounts go in the same round trip
  // (related_users' statements, which take the list).
  const std::span<const std::string> slice(keys->data() + offset, end - offset);
  const SqlValue walk[] = {std::string_view(q.source), std::string_view(slice.front()), sql_count(slice.size())};
  const SqlStatement statements[] = {{stmt::kUsersPageFromPostgres, walk},
                                     {stmt::for_dialect(stmt::kGroupsOfUsers, Dialect::Postgres), params},
                                     {accounts_of_anchors(Dialect::Postgres), params}};
  ROSTERD_ASSIGN(const auto rows, conn_.query_all(statements));
  ROSTERD_ASSIGN(page.resources, records_from(q.type, rows[0]));
  const bool as_listed = std::equal(page.resources.begin(), page.resources.end(), slice.begin(), slice.end(),
                                    [](const ResourceRecord& r, const std::string& key) { return r.id == key; });
  if (!as_listed)
    return fail(ErrorCode::Storage, "the list order of source '" + q.source +
                                        "' changed without its identity generation moving on");
  ROSTERD_ASSIGN(page.related, related_from(slice, rows[1], rows[2]));
  return page;
}

Result<ResourcePage> SqlIdentityReader::search(const ResourceQuery& q) {
  if (cache_ && !q.filter && q.sort_by.empty() && !q.descending) return cached_page(q);
  ROSTERD_ASSIGN(const SearchSql sql, compile_search(q, conn_.dialect()));
  std::vector<SqlValue> params{std::string_view(q.source)};
  for (const std::string& p : sql.params) params.emplace_back(std::string_view(p));
  ResourcePage page;
  const std::size_t offset = q.start_index > 0 ? q.start_index - 1 : 0;
  if (q.count > 0) {
    params.emplace_back(sql_count(q.count));
    params.emplace_back(sql_count(offset));
    ROSTERD_ASSIGN(const auto rows, conn_.query(sql.page, params));
    ROSTERD_ASSIGN(page.resources, records_from(q.type, rows));
    params.resize(params.size() - 2);
    // A page that is neither empty nor full says the total by itself.
    if (!page.resources.empty() && page.resources.size() < q.count) {
      page.total = offset + page.resources.size();
      return page;
    }
  }
  ROSTERD_ASSIGN(const auto total, conn_.query(sql.count, params));
  page.total = total.empty() ? 0 : static_cast<std::size_t>(total.front().integer(0));
  return page;
}

Result<std::vector<MemberRef>> SqlIdentityReader::members(std::string_view source,
                                                          std::string_view group_id) {
  ROSTERD_ASSIGN(const auto rows, conn_.query(stmt::kMembers, {source, group_id}));
  std::vector<MemberRef> out;
  out.reserve(rows.size());
  for (const SqlRow& row : rows)
    out.push_back(MemberRef{row.text(0), type_from_name(row.text(1)), row.text(2)});
  return out;
}

Result<std::vector<MemberRef>> SqlIdentityReader::groups_of(std::string_view source,
                                                            std::string_view member_id) {
  ROSTERD_ASSIGN(const auto rows, conn_.query(stmt::kGroupsOf, {source, member_id}));
  std::vector<MemberRef> out;
  out.reserve(rows.size());
  for (const SqlRow& row : rows) out.push_back(MemberRef{row.text(0), ResourceType::Group, row.text(1)});
  return out;
}

Result<std::vector<MemberRef>> SqlIdentityReader::existing(std::string_view source,
                                                           std::span<const std::string> ids) {
  if (ids.empty()) return std::vector<MemberRef>{};
  const std::string list = id_list(ids, conn_.dialect());
  ROSTERD_ASSIGN(const auto rows,
                 conn_.query(stmt::for_dialect(stmt::kExisting, conn_.dialect()), {source, list}));
  return existing_in_order(ids, rows);
}


// Both queries at once (query_all): on PostgreSQL one round trip for a page of users.
Result<std::vector<RelatedToUser>> SqlIdentityReader::related_users(
    std::string_view source, std::span<const std::string> user_ids) {
  if (user_ids.empty()) return std::vector<RelatedToUser>{};
  const Dialect d = conn_.dialect();
  const std::string list = id_list(user_ids, d);
  const SqlValue params[] = {source, std::string_view(list)};
  const SqlStatement statements[] = {{stmt::for_dialect(stmt::kGroupsOfUsers, d), params},
                                     {accounts_of_anchors(d), params}};
  ROSTERD_ASSIGN(const auto rows, conn_.query_all(statements));
  return related_from(user_ids, rows[0], rows[1]);
}

namespace {

// The user, its groups and its account in one query_all(): the last two are asked for
// before the user is known to exist, and are empty if it does not.
Result<std::optional<UserWithRelated>> read_user(SqlConnection& conn, std::string_view source,
                                                 std::string_view id) {
  const std::string ids[] = {std::string(id)};
  const Dialect d = conn.dialect();
  const std::string list = id_list(ids, d);
  const SqlValue by_id[] = {source, id};
  const SqlValue by_list[] = {source, std::string_view(list)};
  const SqlStatement statements[] = {{stmt::kFindUser, by_id},
                                     {stmt::for_dialect(stmt::kGroupsOfUsers, d), by_list},
                                     {accounts_of_anchors(d), by_list}};
  ROSTERD_ASSIGN(const auto rows, conn.query_all(statements));
  if (rows[0].empty()) return std::optional<UserWithRelated>();
  ROSTERD_ASSIGN(auto record, record_from_row(ResourceType::User, rows[0].front()));
  ROSTERD_ASSIGN(auto related, related_from(ids, rows[1], rows[2]));
  return std::optional<UserWithRelated>(UserWithRelated{std::move(record), std::move(related.front())});
}

// The lookups of one source and one kind (by id or by name), answered by three statements.
struct LookupGroup {
  std::string_view source;
  bool by_name = false;
  std::vector<std::string> keys;        // ids, or user_name_keys
  std::vector<std::size_t> asked;       // the lookups' places, one per key
  std::string list;                     // `keys` as a JSON array
  std::array<SqlValue, 2> params;
};

std::vector<LookupGroup> group_lookups(std::span<const UserLookup> lookups, Dialect dialect) {
  std::vector<LookupGroup> groups;
  for (std::size_t i = 0; i < lookups.size(); ++i) {
    const UserLookup& l = lookups[i];
    auto it = std::find_if(groups.begin(), groups.end(), [&](const LookupGroup& g) {
      return g.source == l.source && g.by_name == l.by_name;
    });
    if (it == groups.end()) it = groups.insert(groups.end(), LookupGroup{l.source, l.by_name, {}, {}, {}, {}});
    it->keys.push_back(l.by_name ? ascii_lower(l.key) : l.key);
    it->asked.push_back(i);
  }
  for (LookupGroup& g : groups) {
    g.list = id_list(g.keys, dialect);
    g.params = {SqlValue(g.source), SqlValue(std::string_view(g.list))};
  }
  return groups;
}

}  // namespace

Result<std::optional<UserWithRelated>> SqlIdentityReader::find_user(std::string_view source,
                                                                    std::string_view id) {
  return read_user(conn_, source, id);
}

// Three statements per source and kind, all in one snapshot (on PostgreSQL one round
// trip): the users, their groups and their accounts.
Result<std::vector<std::optional<UserWithRelated>>> SqlIdentityReader::find_users_at_once(
    SqlConnection& conn, std::span<const UserLookup> lookups) {
  std::vector<std::optional<UserWithRelated>> out(lookups.size());
  if (lookups.empty()) return out;
  const std::vector<LookupGroup> groups = group_lookups(lookups, conn.dialect());
  const Dialect d = conn.dialect();
  const bool sqlite = d == Dialect::Sqlite;
  std::vector<SqlStatement> statements;
  statements.reserve(groups.size() * 3);
  for (const LookupGroup& g : groups) {
    const std::span<const SqlValue> params(g.params);
    if (g.by_name) {
      statements.push_back({stmt::for_dialect(stmt::kUsersByNameKeys, d), params});
      statements.push_back({stmt::for_dialect(stmt::kGroupsOfNamedUsers, d), params});
      statements.push_back(
          {sqlite ? stmt::kAccountsOfNamedUsersSqlite : stmt::kAccountsOfNamedUsersPostgres, params});
    } else {
      statements.push_back({stmt::for_dialect(stmt::kUsersByIds, d), params});
      statements.push_back({stmt::for_dialect(stmt::kGroupsOfUsers, d), params});
      statements.push_back({accounts_of_anchors(d), params});
    }
  }
  ROSTERD_ASSIGN(const auto rows, conn.query_snapshot(statements));
  for (std::size_t n = 0; n < groups.size(); ++n) {
    const LookupGroup& g = groups[n];
    std::vector<ResourceRecord> users;
    std::vector<std::string> ids;
    for (const SqlRow& row : rows[3 * n]) {
      ROSTERD_ASSIGN(auto record, record_from_row(ResourceType::User, row));
      ids.push_back(record.id);
      users.push_back(std::move(record));
    }
    ROSTERD_ASSIGN(auto related, related_from(ids, rows[3 * n + 1], rows[3 * n + 2]));
    // Each key finds at most one user (ids and user_name_keys are unique in a source).
    std::unordered_map<std::string, std::size_t> by_key;
    for (std::size_t u = 0; u < users.size(); ++u)
      by_key.emplace(g.by_name ? ascii_lower(users[u].user_name) : users[u].id, u);
    for (std::size_t k = 0; k < g.keys.size(); ++k)
      if (const auto it = by_key.find(g.keys[k]); it != by_key.end())
        out[g.asked[k]] = UserWithRelated{users[it->second], related[it->second]};
  }
  return out;
}

Result<std::int64_t> SqlIdentityReader::scalar(std::string_view sql, std::string_view source) {
  ROSTERD_ASSIGN(const auto rows, conn_.query(sql, {source}));
  return rows.empty() ? 0 : rows.front().integer(0);
}

Result<std::int64_t> SqlIdentityReader::count(ResourceType type, std::string_view source) {
  return scalar(type == ResourceType::User ? stmt::kCountUsers : stmt::kCountGroups, source);
}

// Counted first, so each vector is allocated once; then streamed, so the rows never sit
// in memory twice (as cells and as records).
Result<std::vector<ResourceRecord>> SqlIdentityReader::all(ResourceType type, std::string_view source) {
  ROSTERD_ASSIGN(const std::int64_t n, count(type, source));
  std::vector<ResourceRecord> out;
  out.reserve(static_cast<std::size_t>(n));
  const auto sql = type == ResourceType::User ? stmt::kAllUsers : stmt::kAllGroups;
  ROSTERD_TRY(conn_.query_each(sql, {source}, [&](const SqlRow& row) -> Result<bool> {
    ROSTERD_ASSIGN(auto r, record_from_row(type, row));
    out.push_back(std::move(r));
    return true;
  }));
  return out;
}

Result<SourceContents> SqlIdentityReader::contents(std::string_view source) {
  SourceContents out;
  ROSTERD_ASSIGN(out.users, all(ResourceType::User, source));
  ROSTERD_ASSIGN(out.groups, all(ResourceType::Group, source));
  ROSTERD_ASSIGN(out.memberships, memberships(source));
  return out;
}

Result<void> SqlIdentityReader::each_record(std::string_view source, const RecordSink& sink) {
  for (const ResourceType type : {ResourceType::User, ResourceType::Group}) {
    const auto sql = type == ResourceType::User ? stmt::kAllUsers : stmt::kAllGroups;
    auto each = conn_.query_each(sql, {source}, [&](const SqlRow& row) -> Result<bool> {
      ROSTERD_ASSIGN(auto r, record_from_row(type, row));
      ROSTERD_TRY(sink(std::move(r)));
      return true;
    });
    if (!each) return each;
  }
  return {};
}

Result<std::vector<Membership>> SqlIdentityReader::memberships(std::string_view source) {
  std::vector<Membership> out;
  ROSTERD_ASSIGN(const std::int64_t n, scalar(stmt::kCountMemberships, source));
  out.reserve(static_cast<std::size_t>(n));
  ROSTERD_TRY(conn_.query_each(stmt::kAllMemberships, {source}, [&](const SqlRow& row) -> Result<bool> {
    out.push_back(Membership{row.text(0), row.text(1), type_from_name(row.text(2))});
    return true;
  }));
  return out;
}

Result<std::vector<ResourceKey>> SqlIdentityReader::keys(std::string_view source) {
  std::vector<ResourceKey> out;
  for (const auto& [statement, type] : {std::pair{stmt::kUserKeys, ResourceType::User},
                                        std::pair{stmt::kGroupKeys, ResourceType::Group}})
    ROSTERD_TRY(conn_.query_each(statement, {source}, [&, type = type](const SqlRow& row) -> Result<bool> {
      out.push_back(ResourceKey{type, row.text(0), row.text(1)});
      return true;
    }));
  return out;
}

Result<std::optional<SourceState>> SqlIdentityReader::source_state(std::string_view source) {
  ROSTERD_ASSIGN(auto states, read_source_states(conn_, source));
  if (states.empty()) return std::optional<SourceState>{};
  return std::optional<SourceState>(std::move(states.front()));
}

}  // namespace rosterd::sql
