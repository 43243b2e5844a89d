// IdentityReader over one SqlConnection, for whoever holds that connection: a read job
// on a pooled connection, or the writer inside its transaction. Not thread-safe; it
// reads in whatever transaction the connection is in.
#pragma once

#include "store/identity_store.h"
#include "store/sql/list_order_cache.h"
#include "store/sql/sql_connection.h"

namespace rosterd::sql {

class SqlIdentityReader final : public IdentityReader {
 public:
  explicit SqlIdentityReader(SqlConnection& conn) : conn_(conn) {}

  // Users with their groups and accounts, on `conn` outside any transaction, in a
  // snapshot of their own (SqlConnection::query_snapshot): one answer per lookup, in
  // order (nullopt: no such user). What SqlIdentityStore::find_user and
  // find_user_by_name run, for one lookup or for several combined (user_read_combiner.h).
  static Result<std::vector<std::optional<UserWithRelated>>> find_users_at_once(
      SqlConnection& conn, std::span<const UserLookup> lookups);
  // A reader in a read-only snapshot: unfiltered default-order pages come from `cache`
  // (list_order_cache.h).
  SqlIdentityReader(SqlConnection& conn, ListOrderCache& cache) : conn_(conn), cache_(&cache) {}

  Result<std::optional<ResourceRecord>> find(ResourceType type, std::string_view source,
                                             std::string_view id) override;
  Result<ResourcePage> search(const ResourceQuery& query) override;
  Result<std::vector<MemberRef>> members(std::string_view source, std::string_view group_id) override;
  Result<std::vector<MemberRef>> groups_of(std::string_view source, std::string_view member_id) override;
  Result<std::vector<MemberRef>> existing(std::string_view source,
                                          std::span<const std::string> ids) override;
  Result<std::vector<RelatedToUser>> related_users(std::string_view source,
                                                   std::span<const std::string> user_ids) override;
  Result<std::optional<UserWithRelated>> find_user(std::string_view source, std::string_view id) override;
  Result<SourceContents> contents(std::string_view source) override;
  Result<void> each_record(std::string_view source, const RecordSink& sink) override;
  Result<std::vector<Membership>> memberships(std::string_view source) override;
  Result<std::int64_t> count(ResourceType type, std::string_view source) override;
  Result<std::optional<SourceState>> source_state(std::string_view source) override;
  Result<std::vector<ResourceKey>> keys(std::string_view source) override;

 private:
  Result<std::int64_t> scalar(std::string_view sql, std::string_view source);
  Result<std::vector<ResourceRecord>> all(ResourceType type, std::string_view source);
  Result<ResourcePage> cached_page(const ResourceQuery& query);

  SqlConnection& conn_;
  ListOrderCache* cache_ = nullptr;
};

}  // namespace rosterd::sql
