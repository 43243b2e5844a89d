// What a full read changes in the identity store: the difference between what the store
// holds for a source and what the source holds now, then written in one transaction with
// the source's new read state. A read that finds nothing different writes nothing.
#pragma once

#include <cstddef>
#include <set>
#include <string>
#include <vector>

#include "core/timestamp.h"
#include "store/identity_store.h"

namespace rosterd {

struct MemberChanges {
  std::string group_id;
  std::vector<MemberRef> added;
  std::vector<std::string> removed;
};

struct SourceChanges {
  std::vector<ResourceRecord> inserted;  // users, then groups
  std::vector<ResourceRecord> updated;   // version and created carried on from the stored record
  std::vector<ResourceRecord> removed;   // the stored records (for the audit label)
  std::vector<MemberChanges> members;    // groups still there whose members changed
  std::vector<std::string> touched;      // groups whose only change is their members

  bool empty() const {
    return inserted.empty() && updated.empty() && removed.empty() && members.empty() && touched.empty();
  }
};

// Whether a read record says anything new about the stored one: userName, displayName,
// emails, active, attributes or external id differ.
bool same_record(const ResourceRecord& stored, const ResourceRecord& read);

// Compares what the store holds for a source, handed over one record at a time in the
// order of IdentityReader::each_record(), with a full read ordered the same way (users
// and groups by id, memberships by group then member). The store's records are not all
// held: at 100,000 people they are some 150 MB. Records whose id is in `kept` (entries the
// read skipped but that exist) are neither removed nor taken out of their groups.
class SourceDiff {
 public:
  SourceDiff(SourceContents read, Timestamp now, const std::vector<std::string>& kept);
  void stored(ResourceRecord&& record);
  // The read's memberships, when they were not known at construction (a poll works them
  // out while the records are compared); replaces those given then.
  void read_memberships(std::vector<Membership> rows) { read_.memberships = std::move(rows); }
  SourceChanges finish(const std::vector<Membership>& stored_memberships) &&;

 private:
  // Every read record of `type` ordered before `id` (all of them: null) is new.
  void insert_read_before(ResourceType type, const std::string* id);

  SourceContents read_;
  Timestamp now_;
  std::set<std::string> kept_;
  std::set<std::string> read_groups_, stored_groups_, updated_groups_;
  std::size_t next_user_ = 0, next_group_ = 0;
  SourceChanges out_;
};

// The same over a whole stored SourceContents.
// `stored` and `read` are ordered as IdentityReader::contents() orders them. Records are
// equal when userName, displayName, emails, active and attributes are. Records whose id is
// in `kept` (entries the read skipped but that exist) are neither removed nor taken out of
// their groups.
SourceChanges diff_source(const SourceContents& stored, SourceContents read, Timestamp now,
                          const std::vector<std::string>& kept = {});

struct WriteSummary {
  std::size_t inserted = 0, updated = 0, removed = 0, membership_changes = 0;
};

// Applies `changes` through `writer` (one transaction: the caller's write job), recording
// an identity.* / group.* event per resource (which asks for a reconcile of `space`), and
// writes `state` last. User names freed by a rename in the same read may be taken by
// another entry: renamed users first take a name nobody can have.
Result<WriteSummary> write_source_changes(IdentityWriter& writer, const SourceChanges& changes,
                                          const std::string& space, const SourceState& state, Timestamp now);

}  // namespace rosterd
