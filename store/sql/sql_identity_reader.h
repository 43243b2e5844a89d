// IdentityReader over one SqlConnection, for whoever holds that connection: a read job
// on a pooled connection, or the writer inside its transaction. Not thread-safe; it
// reads in whatever transaction the connection is in.
#pragma once

#include "store/identity_store.h"
#include "store/sql/sql_connection.h"

namespace rosterd::sql {

class SqlIdentityReader final : public IdentityReader {
 public:
  explicit SqlIdentityReader(SqlConnection& conn) : conn_(conn) {}

  Result<std::optional<ResourceRecord>> find(ResourceType type, std::string_view source,
                                             std::string_view id) override;
  Result<ResourcePage> search(const ResourceQuery& query) override;
  Result<std::vector<MemberRef>> members(std::string_view source, std::string_view group_id) override;
  Result<std::vector<MemberRef>> groups_of(std::string_view source, std::string_view member_id) override;
  Result<std::vector<MemberRef>> existing(std::string_view source,
                                          std::span<const std::string> ids) override;
  Result<std::vector<RelatedToUser>> related_users(std::string_view source,
                                                   std::span<const std::string> user_ids) override;

 private:
  SqlConnection& conn_;
};

}  // namespace rosterd::sql
