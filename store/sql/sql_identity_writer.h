// IdentityWriter over one SqlConnection, used by the writer thread inside its batch
// transaction (each job in a savepoint). Not thread-safe. Every change keeps the indexed
// copies in step: user_name_key, email_key and the identity_emails rows.
#pragma once

#include <functional>
#include <string>

#include "store/identity_store.h"
#include "store/sql/sql_connection.h"
#include "store/sql/sql_identity_reader.h"

namespace rosterd::sql {

class SqlIdentityWriter final : public IdentityWriter {
 public:
  // `new_id` names audit events.
  SqlIdentityWriter(SqlConnection& conn, std::function<std::string()> new_id)
      : conn_(conn), reader_(conn), new_id_(std::move(new_id)) {}

  Result<std::optional<ResourceRecord>> find(ResourceType type, std::string_view source,
                                             std::string_view id) override {
    return reader_.find(type, source, id);
  }
  Result<ResourcePage> search(const ResourceQuery& query) override { return reader_.search(query); }
  Result<std::vector<MemberRef>> members(std::string_view source, std::string_view group_id) override {
    return reader_.members(source, group_id);
  }
  Result<std::vector<MemberRef>> groups_of(std::string_view source, std::string_view member_id) override {
    return reader_.groups_of(source, member_id);
  }
  Result<std::vector<MemberRef>> existing(std::string_view source,
                                          std::span<const std::string> ids) override {
    return reader_.existing(source, ids);
  }
  Result<std::vector<RelatedToUser>> related_users(std::string_view source,
                                                   std::span<const std::string> user_ids) override {
    return reader_.related_users(source, user_ids);
  }
  Result<std::optional<UserWithRelated>> find_user(std::string_view source, std::string_view id) override {
    return reader_.find_user(source, id);
  }
  Result<SourceContents> contents(std::string_view source) override { return reader_.contents(source); }
  Result<void> each_record(std::string_view source, const RecordSink& sink) override {
    return reader_.each_record(source, sink);
  }
  Result<std::vector<Membership>> memberships(std::string_view source) override {
    return reader_.memberships(source);
  }
  Result<std::int64_t> count(ResourceType type, std::string_view source) override {
    return reader_.count(type, source);
  }
  Result<std::vector<ResourceKey>> keys(std::string_view source) override { return reader_.keys(source); }
  Result<std::optional<SourceState>> source_state(std::string_view source) override {
    return reader_.source_state(source);
  }

  Result<void> insert(const ResourceRecord& record) override;
  Result<void> update(const ResourceRecord& record) override;
  Result<void> update_read(const ResourceRecord& current, const ResourceRecord& record) override;
  Result<bool> remove(ResourceType type, std::string_view source, std::string_view id) override;
  Result<std::size_t> add_members(std::string_view source, std::string_view group_id,
                                  std::span<const MemberRef> members) override;
  Result<AddedMembers> add_existing_members(std::string_view source, std::string_view group_id,
                                            std::span<const std::string> ids) override;
  Result<std::size_t> remove_members(std::string_view source, std::string_view group_id,
                                     std::span<const std::string> member_ids) override;
  Result<std::size_t> clear_members(std::string_view source, std::string_view group_id) override;
  Result<void> touch(ResourceType type, std::string_view source, std::string_view id,
                     std::int64_t version, Timestamp updated) override;
  Result<void> record(const IdentityEvent& event, Timestamp at) override;
  Result<void> set_source_state(const SourceState& state) override;

 private:
  Result<void> check_user_name(const ResourceRecord& record);
  Result<void> write_user(const ResourceRecord& record, bool insert);
  Result<void> write_group(const ResourceRecord& record, bool insert);
  // `inserted`: the record is new, so it has no email rows to delete first.
  Result<void> replace_emails(const ResourceRecord& record, bool inserted);

  SqlConnection& conn_;
  SqlIdentityReader reader_;
  std::function<std::string()> new_id_;
};

}  // namespace rosterd::sql
