#include "store/sql/sql_identity_writer.h"

#include <array>
#include <set>

#include "core/email.h"
#include "core/try.h"
#include "store/sql/account_rows.h"
#include "store/sql/audit_chain.h"
#include "store/sql/identity_rows.h"
#include "store/sql/identity_statements.h"
#include "store/sql/source_state_rows.h"
#include "store/sql/statements.h"

namespace rosterd::sql {
namespace {

std::string_view noun(ResourceType type) { return type == ResourceType::User ? "user" : "group"; }

tl::unexpected<Error> not_found(ResourceType type, std::string_view source, std::string_view id) {
  return fail(ErrorCode::NotFound, std::string(noun(type)) + " '" + std::string(id) +
                                       "' does not exist in source '" + std::string(source) + "'");
}

// The unique index would refuse the row too, but its message names columns, not the value
// the identity provider sent; a SCIM client shows this message to an administrator.
tl::unexpected<Error> user_name_taken(const ResourceRecord& r) {
  return fail(ErrorCode::Uniqueness, "userName '" + r.user_name + "' is already taken in source '" + r.source +
                                         "' (compared case-insensitively)");
}

tl::unexpected<Error> id_taken(const ResourceRecord& r) {
  return fail(ErrorCode::Uniqueness,
              std::string(noun(r.type)) + " id '" + r.id + "' is already taken in source '" + r.source + "'");
}

}  // namespace

Result<void> SqlIdentityWriter::check_user_name(const ResourceRecord& r) {
  const std::string key = ascii_lower(r.user_name);
  ROSTERD_ASSIGN(const auto rows, conn_.query(stmt::kUserIdByNameKey, {r.source, key}));
  if (!rows.empty() && rows.front().text(0) != r.id) return user_name_taken(r);
  return {};
}

// Writes whose row count nothing reads go through execute_later(): on PostgreSQL they ride
// with the next statement (a lookup, the audit row) instead of waiting for an answer each,
// and GroupCommitWriter settles them at the end of the job, so a failure still fails the
// job that wrote. A first LDAP load is some 15 statements per person.
Result<void> SqlIdentityWriter::insert(const ResourceRecord& r) {
  if (r.type == ResourceType::Group) {
    ROSTERD_ASSIGN(const auto existing, reader_.find(r.type, r.source, r.id));
    if (existing) return id_taken(r);
    return write_group(r, true);
  }
  // A user's id and userName are checked in one round trip (the most frequent write an
  // identity provider sends is a create).
  const std::string name_key = ascii_lower(r.user_name);
  const std::array<SqlValue, 2> by_id{r.source, r.id};
  const std::array<SqlValue, 2> by_name{r.source, std::string_view(name_key)};
  const std::array<SqlStatement, 2> checks{SqlStatement{stmt::kFindUser, by_id},
                                           SqlStatement{stmt::kUserIdByNameKey, by_name}};
  ROSTERD_ASSIGN(const auto found, conn_.query_all(checks));
  if (!found.at(0).empty()) return id_taken(r);
  if (!found.at(1).empty()) return user_name_taken(r);
  return write_user(r, true);
}

Result<void> SqlIdentityWriter::update(const ResourceRecord& r) {
  ROSTERD_ASSIGN(const auto existing, reader_.find(r.type, r.source, r.id));
  if (!existing) return not_found(r.type, r.source, r.id);
  return update_read(*existing, r);
}

Result<void> SqlIdentityWriter::update_read(const ResourceRecord& existing, const ResourceRecord& r) {
  // Most updates (active, a title, a group rename's neighbours) leave every indexed value
  // as it was: then only the row's body is written, so the indexes (and the pages that
  // WAL must copy and sync) are left alone.
  const bool same_keys = existing.user_name == r.user_name && existing.display_name == r.display_name &&
                         existing.emails == r.emails && existing.external_id == r.external_id;
  if (same_keys) {
    const std::string updated = format_timestamp(r.updated);
    if (r.type == ResourceType::User) {
      const std::int64_t active = r.active ? 1 : 0;
      return conn_.execute_later(stmt::kUpdateUserBody, {r.source, r.id, active, r.attributes, r.version, updated});
    }
    return conn_.execute_later(stmt::kUpdateGroupBody, {r.source, r.id, r.attributes, r.version, updated});
  }
  if (r.type == ResourceType::Group) return write_group(r, false);
  ROSTERD_TRY(check_user_name(r));
  return write_user(r, false);
}

// The userName has been checked (insert, update).
Result<void> SqlIdentityWriter::write_user(const ResourceRecord& r, bool insert) {
  const std::string name_key = ascii_lower(r.user_name);
  const std::string primary_key = r.emails.empty() ? std::string() : email_key(r.emails.front());
  const std::string emails = string_array_json(r.emails);
  const std::string created = format_timestamp(r.created);
  const std::string updated = format_timestamp(r.updated);
  const std::int64_t active = r.active ? 1 : 0;
  if (insert)
    ROSTERD_TRY(conn_.execute_later(stmt::kInsertUser,
                              {r.source, r.id, opt(r.external_id), r.user_name, name_key,
                               r.display_name, primary_key, emails, active, r.attributes,
                               r.version, created, updated}));
  else
    ROSTERD_TRY(conn_.execute_later(stmt::kUpdateUser,
                              {r.source, r.id, opt(r.external_id), r.user_name, name_key,
                               r.display_name, primary_key, emails, active, r.attributes,
                               r.version, updated}));
  return replace_emails(r, insert);
}

Result<void> SqlIdentityWriter::replace_emails(const ResourceRecord& r, bool inserted) {
  if (!inserted) ROSTERD_TRY(conn_.execute_later(stmt::kDeleteEmails, {r.source, r.id}));
  std::set<std::string> keys;
  for (const std::string& e : r.emails)
    if (!e.empty()) keys.insert(email_key(e));
  for (const std::string& key : keys) ROSTERD_TRY(conn_.execute_later(stmt::kInsertEmail, {r.source, key, r.id}));
  return {};
}

Result<void> SqlIdentityWriter::write_group(const ResourceRecord& r, bool insert) {
  const std::string name_key = ascii_lower(r.display_name);
  const std::string created = format_timestamp(r.created);
  const std::string updated = format_timestamp(r.updated);
  if (insert)
    ROSTERD_TRY(conn_.execute_later(stmt::kInsertGroup, {r.source, r.id, opt(r.external_id), r.display_name,
                                                   name_key, r.attributes, r.version, created, updated}));
  else
    ROSTERD_TRY(conn_.execute_later(stmt::kUpdateGroup, {r.source, r.id, opt(r.external_id), r.display_name,
                                                   name_key, r.attributes, r.version, updated}));
  return {};
}

Result<bool> SqlIdentityWriter::remove(ResourceType type, std::string_view source, std::string_view id) {
  const auto sql = type == ResourceType::User ? stmt::kDeleteUser : stmt::kDeleteGroup;
  ROSTERD_ASSIGN(const auto removed, conn_.execute(sql, {source, id}));
  if (removed == 0) return false;
  ROSTERD_TRY(conn_.execute_later(stmt::kLeaveGroups, {source, id, type_name(type)}));
  if (type == ResourceType::User) ROSTERD_TRY(conn_.execute_later(stmt::kDeleteEmails, {source, id}));
  else ROSTERD_TRY(conn_.execute_later(stmt::kClearMembers, {source, id}));
  return true;
}

// One statement per member: the cost follows the members added, not the group's size.
// A first read adds 300,000 members: a statement per row spent most of its time in
// binding and stepping, not in the rows. Members are added kMembersPerInsert at a time.
Result<std::size_t> SqlIdentityWriter::add_members(std::string_view source, std::string_view group_id,
                                                   std::span<const MemberRef> members) {
  std::size_t added = 0;
  std::vector<SqlValue> params;
  while (!members.empty()) {
    const std::size_t n = std::min(members.size(), stmt::kMembersPerInsert);
    params.assign({source, group_id});
    for (const MemberRef& m : members.first(n)) {
      params.emplace_back(std::string_view(m.id));
      params.emplace_back(type_name(m.type));
    }
    ROSTERD_ASSIGN(const auto inserted, conn_.execute(stmt::add_members(n), params));
    added += static_cast<std::size_t>(inserted);
    members = members.subspan(n);
  }
  return added;
}

// The check and the insert travel together: on PostgreSQL one round trip where existing()
// then add_members() took two.
Result<IdentityWriter::AddedMembers> SqlIdentityWriter::add_existing_members(std::string_view source,
                                                                             std::string_view group_id,
                                                                             std::span<const std::string> ids) {
  AddedMembers out;
  if (ids.empty()) return out;
  const Dialect d = conn_.dialect();
  const std::string list = id_list(ids, d);
  const std::array<SqlValue, 2> check_params{source, std::string_view(list)};
  const std::array<SqlValue, 3> add_params{source, std::string_view(list), group_id};
  const std::array<SqlStatement, 2> statements{
      SqlStatement{stmt::for_dialect(stmt::kExisting, d), check_params},
      SqlStatement{stmt::for_dialect(stmt::kAddExistingMembers, d), add_params}};
  ROSTERD_ASSIGN(const auto rows, conn_.query_all(statements));
  out.found = existing_in_order(ids, rows.at(0));
  out.added = rows.at(1).size();
  return out;
}

Result<std::size_t> SqlIdentityWriter::remove_members(std::string_view source, std::string_view group_id,
                                                      std::span<const std::string> member_ids) {
  std::size_t removed = 0;
  for (const std::string& id : member_ids) {
    ROSTERD_ASSIGN(const auto n, conn_.execute(stmt::kRemoveMember, {source, group_id, id}));
    removed += static_cast<std::size_t>(n);
  }
  return removed;
}

Result<std::size_t> SqlIdentityWriter::clear_members(std::string_view source, std::string_view group_id) {
  ROSTERD_ASSIGN(const auto n, conn_.execute(stmt::kClearMembers, {source, group_id}));
  return static_cast<std::size_t>(n);
}

Result<void> SqlIdentityWriter::touch(ResourceType type, std::string_view source, std::string_view id,
                                      std::int64_t version, Timestamp updated) {
  const auto sql = type == ResourceType::User ? stmt::kTouchUser : stmt::kTouchGroup;
  const std::string at = format_timestamp(updated);
  ROSTERD_ASSIGN(const auto n, conn_.execute(sql, {source, id, version, at}));
  if (n == 0) return not_found(type, source, id);
  return {};
}

// The audit row has the shape of an account event's (AccountStore::audit and the CLI read
// it alike): no account, and the identity named in the details.
Result<void> SqlIdentityWriter::record(const IdentityEvent& e, Timestamp at) {
  std::vector<std::pair<std::string, std::string>> details{
      {"source", e.source}, {"resource_id", e.resource_id}, {"label", e.label}};
  for (const auto& d : e.details) {
    bool ours = false;
    for (std::size_t i = 0; i < 3; ++i) ours = ours || details[i].first == d.first;
    if (!ours) details.push_back(d);
  }
  const std::string details_text = details_json(details);
  const std::string when = format_timestamp(at);
  const std::string event_id = new_id_();
  const std::string_view none = "";  // a null data() would bind NULL
  ROSTERD_TRY(append_audit(conn_, AuditRow{when, e.actor, e.event, e.event, event_id, e.space,
                                           none, none, none, details_text},
                           AuditInsert::WithNextStatement));
  ROSTERD_TRY(conn_.execute_later(stmt::kRequestReconcile, {e.space, when}));
  return {};
}

Result<void> SqlIdentityWriter::set_source_state(const SourceState& state) {
  return upsert_source_state(conn_, state);
}

}  // namespace rosterd::sql
