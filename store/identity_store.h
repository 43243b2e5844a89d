// The identity store: what sources say about people (SCIM Users, LDAP entries) and their
// groups, kept per source as received (DESIGN.md section 2). The SCIM server reads and
// writes through it; the mapping work reads it. Implemented once over store/sql.
//
// Concurrency: read() may be called from any number of threads at once (each call uses
// a connection of its own). Writes are jobs run by one writer: jobs that arrive while a
// commit is in progress are run together in the next transaction, each in a savepoint of
// its own, and committed with one sync to disk (group commit). A job's `done` is called
// once its changes are durable, or with its error (then nothing it wrote remains and the
// other jobs of the batch are unaffected).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/account.h"
#include "core/error.h"
#include "core/predicate.h"
#include "core/timestamp.h"
#include "store/source_state.h"

namespace rosterd {

enum class ResourceType { User, Group };

// One identity (User) or external group (Group) of a source.
struct ResourceRecord {
  ResourceType type = ResourceType::User;
  std::string source;
  std::string id;
  std::optional<std::string> external_id;
  // Indexed copies of values inside `attributes`, filled by the caller (who knows the
  // schema): userName (Users; unique per source, case-insensitively), displayName,
  // every email value (Users; the first is the primary one, used to correlate), active.
  std::string user_name;
  std::string display_name;
  std::vector<std::string> emails;
  bool active = true;
  // The resource as a JSON object with canonical attribute names, without id, meta,
  // Group members and User groups (kept as rows, see MemberRef).
  std::string attributes = "{}";
  std::int64_t version = 1;  // 1 when created, +1 on every change (the ETag W/"n")
  Timestamp created{}, updated{};
};

// A member of a group, or (from groups_of) a group of a member.
struct MemberRef {
  std::string id;
  ResourceType type = ResourceType::User;
  std::string display;  // filled on read: the member's displayName, else its userName
};

// One row of a group's membership, as the rules engine reads it: the member of `group_id`
// is a user or, for nested groups, another group.
struct Membership {
  std::string group_id, member_id;
  ResourceType member_type = ResourceType::User;
  bool operator==(const Membership&) const = default;
};

// Everything a source holds, for the rules engine: users and groups ordered by id,
// memberships by group id then member id.
// A resource's identity without its content (keys()).
struct ResourceKey {
  ResourceType type = ResourceType::User;
  std::string id;
  std::string external_id;  // empty: none
};

struct SourceContents {
  std::vector<ResourceRecord> users, groups;
  std::vector<Membership> memberships;
};

struct RelatedToUser {
  std::vector<MemberRef> groups;
  std::optional<Account> account;
};

// A user as GET /Users/{id} shows it.
struct UserWithRelated {
  ResourceRecord record;
  RelatedToUser related;
};

// A user asked for by id, or by userName compared as `filter=userName eq` compares it
// (ASCII case-insensitively).
struct UserLookup {
  std::string source;
  std::string key;  // the id, or the userName
  bool by_name = false;
};

struct ResourceQuery {
  ResourceType type = ResourceType::User;
  std::string source;
  const Predicate* filter = nullptr;  // null: every resource of the source
  // Canonical attribute name from core/resource_schema.h ("userName", "name.familyName",
  // "meta.lastModified", "emails.value"); empty: by creation order. Ties are broken by id,
  // so pages are stable. Resources without the attribute sort last (ascending).
  std::string sort_by;
  bool descending = false;
  std::size_t start_index = 1;  // 1-based (SCIM startIndex)
  std::size_t count = 100;      // 0: only the total
};

struct ResourcePage {
  std::size_t total = 0;  // every match, not only this page
  std::vector<ResourceRecord> resources;
  // For a page of Users, what related_users() would answer for `resources` (same order),
  // when the store could read it with them at no extra cost (PostgreSQL's unfiltered
  // pages: in the same round trip). Empty: ask related_users().
  std::vector<RelatedToUser> related;
};

// An audit row for a change to identities or groups; also marks `space` as needing a
// reconcile (reconcile_queue) in the same transaction.
struct IdentityEvent {
  std::string space;
  std::string source;
  std::string actor;        // "source:okta"
  std::string event;        // "identity.created|updated|deleted", "group.created|updated|deleted"
  std::string resource_id;
  std::string label;        // userName or displayName, for people reading the log
  std::vector<std::pair<std::string, std::string>> details;
};

class IdentityReader {
 public:
  virtual ~IdentityReader() = default;

  virtual Result<std::optional<ResourceRecord>> find(ResourceType type, std::string_view source,
                                                     std::string_view id) = 0;
  // ErrorCode::InvalidFilter for a filter the store cannot compile (unknown attribute);
  // ErrorCode::InvalidValue for an unknown sort_by.
  virtual Result<ResourcePage> search(const ResourceQuery& query) = 0;
  // Every member of a group, ordered by id, with display filled.
  virtual Result<std::vector<MemberRef>> members(std::string_view source,
                                                 std::string_view group_id) = 0;
  // The groups a user or group is a direct member of, ordered by id (display = group name).
  virtual Result<std::vector<MemberRef>> groups_of(std::string_view source,
                                                   std::string_view member_id) = 0;
  // Which of `ids` exist in the source, as a User or a Group (order of `ids`, unknown left out).
  virtual Result<std::vector<MemberRef>> existing(std::string_view source,
                                                  std::span<const std::string> ids) = 0;
  // For each of `user_ids` (same order): its groups (display = group name) and the
  // account derived from it (managed_by = source, source_anchor = id), if any. One or
  // two queries for a whole page of users.
  virtual Result<std::vector<RelatedToUser>> related_users(std::string_view source,
                                                           std::span<const std::string> user_ids) = 0;
  // find() of a user and related_users() of it, which a store may read at once (on
  // PostgreSQL one round trip instead of three). nullopt: no such user.
  virtual Result<std::optional<UserWithRelated>> find_user(std::string_view source, std::string_view id);
  // The whole source in a few queries (one per table, rows streamed): what reconcile
  // reads, for sources of 100,000 users. Read it in one read job for one snapshot.
  virtual Result<SourceContents> contents(std::string_view source) = 0;
  // The same, a resource at a time (users by id, then groups by id), so that comparing a
  // full read with the store does not hold the source twice; then its memberships.
  using RecordSink = std::function<Result<void>(ResourceRecord&&)>;
  virtual Result<void> each_record(std::string_view source, const RecordSink& sink) = 0;
  virtual Result<std::vector<Membership>> memberships(std::string_view source) = 0;
  // Every user and group of the source, id and external id only: what a directory
  // source's incremental read needs (its external ids are the entries' DNs) without
  // reading every resource whole. Users first, then groups; no order within each.
  virtual Result<std::vector<ResourceKey>> keys(std::string_view source) = 0;
  // How many users or groups the source holds.
  virtual Result<std::int64_t> count(ResourceType type, std::string_view source) = 0;
  // The source's read state; nullopt before its first read.
  virtual Result<std::optional<SourceState>> source_state(std::string_view source) = 0;
};

class IdentityWriter : public IdentityReader {
 public:
  // ErrorCode::Uniqueness when the id, or (Users) the userName compared
  // case-insensitively, is taken in the source.
  virtual Result<void> insert(const ResourceRecord& record) = 0;
  // Replaces everything but id, source and created. ErrorCode::NotFound if absent,
  // ErrorCode::Uniqueness as for insert.
  virtual Result<void> update(const ResourceRecord& record) = 0;
  // update() of a resource this job has just read (`current`, found in this same
  // transaction, which no other writer can change under it): the existence check and the
  // comparison of indexed values use it instead of reading the row again.
  virtual Result<void> update_read(const ResourceRecord& current, const ResourceRecord& record) = 0;
  // false if absent. Removes the resource's memberships both ways.
  virtual Result<bool> remove(ResourceType type, std::string_view source, std::string_view id) = 0;
  // Members already present are left alone; returns how many were added. The caller
  // checks they exist (existing()).
  virtual Result<std::size_t> add_members(std::string_view source, std::string_view group_id,
                                          std::span<const MemberRef> members) = 0;
  // The same for ids whose existence is not known yet: those of `ids` that are Users or
  // Groups of the source (found, as existing() answers) are added, in one round trip with
  // the check. The caller refuses the rest by failing its job, whose savepoint then takes
  // the additions back. `ids` sorted, without duplicates.
  struct AddedMembers {
    std::vector<MemberRef> found;
    std::size_t added = 0;
  };
  virtual Result<AddedMembers> add_existing_members(std::string_view source, std::string_view group_id,
                                                    std::span<const std::string> ids) = 0;
  virtual Result<std::size_t> remove_members(std::string_view source, std::string_view group_id,
                                             std::span<const std::string> member_ids) = 0;
  virtual Result<std::size_t> clear_members(std::string_view source, std::string_view group_id) = 0;
  // Bumps version and updated of a group whose members changed (no other change).
  virtual Result<void> touch(ResourceType type, std::string_view source, std::string_view id,
                             std::int64_t version, Timestamp updated) = 0;
  virtual Result<void> record(const IdentityEvent& event, Timestamp at) = 0;
  // Upserts the source's read state with the changes the read found, so that a cursor is
  // committed with exactly the changes it covers. identity_count is only written when the
  // row is new (as ReconcileStore::set_source_state).
  virtual Result<void> set_source_state(const SourceState& state) = 0;
};

class IdentityStore {
 public:
  using ReadJob = std::function<Result<void>(IdentityReader&)>;
  using WriteJob = std::function<Result<void>(IdentityWriter&)>;
  using WriteDone = std::function<void(Result<void>)>;
  // Whether the writer may run a job again, from the start, in a new transaction, after a
  // run whose changes were all rolled back. Allowed for a job with no effect but through
  // its IdentityWriter whose outcome each run sets afresh (SCIM's). A store may then send a
  // batch of such jobs with fewer round trips, and should a statement fail, roll the batch
  // back and run each job again on its own: each still gets its own outcome.
  enum class Rerun { No, Allowed };

  virtual ~IdentityStore() = default;

  // Runs `job` on a read connection of its own, in the calling thread, in one read
  // transaction (a consistent snapshot).
  virtual Result<void> read(const ReadJob& job) = 0;

  // IdentityReader::find_user() in a read of its own: what GET /Users/{id} needs, the
  // most frequent request of an identity provider. The default is a read() job; a store
  // may answer it more cheaply (SqlIdentityStore: one round trip on PostgreSQL).
  virtual Result<std::optional<UserWithRelated>> find_user(std::string_view source, std::string_view id);
  // The same by userName, compared as `filter=userName eq` compares it (ASCII
  // case-insensitively): what Okta and Entra ID ask before every create.
  virtual Result<std::optional<UserWithRelated>> find_user_by_name(std::string_view source,
                                                                   std::string_view user_name) = 0;

  // Queues `job` for the writer; returns at once. `done` is called on the writer's
  // thread once the job's changes are durable, or with its error; it must be short and
  // must not throw. After close(), `done` is called at once with ErrorCode::Unavailable.
  // An exception thrown by a job fails that job with ErrorCode::Internal.
  virtual void write_async(WriteJob job, WriteDone done, Rerun rerun = Rerun::No) = 0;

  // write_async, waiting for `done`. Never from a `done` or a write job (the writer
  // would wait for itself).
  Result<void> write(WriteJob job);

  // Finishes the jobs already queued, then stops the writer; later writes fail with
  // ErrorCode::Unavailable. Idempotent; the destructor calls it.
  virtual void close() = 0;
};

}  // namespace rosterd
