#include "daemon/sources/source_changes.h"

#include <algorithm>
#include <cassert>
#include <set>
#include <span>

#include "core/try.h"

namespace rosterd {
namespace {

[[maybe_unused]] bool membership_before(const Membership& a, const Membership& b) {
  return a.group_id != b.group_id ? a.group_id < b.group_id : a.member_id < b.member_id;
}

// A cursor over memberships ordered by group then member (IdentityReader::contents() and
// sort_memberships() both give that order), handing out one group's rows at a time. Both
// sides are walked together, so no map of 300,000 member ids is built for a comparison.
class GroupRows {
 public:
  explicit GroupRows(const std::vector<Membership>& rows) : rows_(rows) {
    assert(std::is_sorted(rows.begin(), rows.end(), membership_before));
  }
  // The rows of `group`; groups before it are skipped. Asked for in increasing order.
  std::span<const Membership> of(const std::string& group) {
    while (next_ < rows_.size() && rows_[next_].group_id < group) ++next_;
    const std::size_t first = next_;
    while (next_ < rows_.size() && rows_[next_].group_id == group) ++next_;
    return {rows_.data() + first, next_ - first};
  }

 private:
  const std::vector<Membership>& rows_;
  std::size_t next_ = 0;
};

IdentityEvent event(const ResourceRecord& r, const std::string& space, std::string_view what) {
  const bool user = r.type == ResourceType::User;
  return IdentityEvent{space, r.source, "source:" + r.source,
                       std::string(user ? "identity." : "group.") + std::string(what), r.id,
                       user ? r.user_name : r.display_name, {}};
}

}  // namespace

bool same_record(const ResourceRecord& a, const ResourceRecord& b) {
  return a.user_name == b.user_name && a.display_name == b.display_name && a.emails == b.emails &&
         a.active == b.active && a.attributes == b.attributes && a.external_id == b.external_id;
}

SourceDiff::SourceDiff(SourceContents read, Timestamp now, const std::vector<std::string>& kept)
    : read_(std::move(read)), now_(now), kept_(kept.begin(), kept.end()) {
  for (const ResourceRecord& g : read_.groups) read_groups_.insert(g.id);
}

void SourceDiff::insert_read_before(ResourceType type, const std::string* id) {
  std::vector<ResourceRecord>& records = type == ResourceType::User ? read_.users : read_.groups;
  std::size_t& next = type == ResourceType::User ? next_user_ : next_group_;
  for (; next < records.size() && (!id || records[next].id < *id); ++next) {
    ResourceRecord& r = records[next];
    r.version = 1;
    r.created = r.updated = now_;
    out_.inserted.push_back(std::move(r));
  }
}

void SourceDiff::stored(ResourceRecord&& s) {
  const bool group = s.type == ResourceType::Group;
  if (group) {
    insert_read_before(ResourceType::User, nullptr);  // users come first: the rest are new
    stored_groups_.insert(s.id);
  }
  insert_read_before(s.type, &s.id);
  std::vector<ResourceRecord>& records = group ? read_.groups : read_.users;
  std::size_t& next = group ? next_group_ : next_user_;
  if (next < records.size() && records[next].id == s.id) {
    ResourceRecord& r = records[next++];
    if (!same_record(s, r)) {
      r.version = s.version + 1;
      r.created = s.created;
      r.updated = now_;
      if (group) updated_groups_.insert(r.id);
      out_.updated.push_back(std::move(r));
    }
  } else if (!kept_.contains(s.id)) {
    out_.removed.push_back(std::move(s));
  }
}

SourceChanges SourceDiff::finish(const std::vector<Membership>& stored_memberships) && {
  insert_read_before(ResourceType::User, nullptr);
  insert_read_before(ResourceType::Group, nullptr);
  std::set<std::string> removed_ids;
  for (const ResourceRecord& r : out_.removed) removed_ids.insert(r.id);

  GroupRows before(stored_memberships), after(read_.memberships);
  for (const std::string& group : read_groups_) {  // a std::set: in increasing order
    const auto was = before.of(group);
    const auto now_in = after.of(group);
    MemberChanges change{group, {}, {}};
    bool lost_removed = false;  // a member that is gone from the source altogether
    const auto gone = [&](const Membership& m) {
      if (kept_.contains(m.member_id)) return;
      // A removed member's rows go with it (IdentityWriter::remove).
      if (removed_ids.contains(m.member_id)) lost_removed = true;
      else change.removed.push_back(m.member_id);
    };
    auto w = was.begin();
    for (const Membership& m : now_in) {
      while (w != was.end() && w->member_id < m.member_id) gone(*w++);
      if (w != was.end() && w->member_id == m.member_id) {
        if (w->member_type != m.member_type) {  // the same id, now another kind of member
          change.added.push_back(MemberRef{m.member_id, m.member_type, {}});
          gone(*w);
        }
        ++w;
      } else {
        change.added.push_back(MemberRef{m.member_id, m.member_type, {}});
      }
    }
    while (w != was.end()) gone(*w++);
    const bool is_new = !stored_groups_.contains(group);
    const bool changed = !change.added.empty() || !change.removed.empty() || lost_removed;
    if (changed && !is_new && !updated_groups_.contains(group)) out_.touched.push_back(group);
    if (!change.added.empty() || !change.removed.empty()) out_.members.push_back(std::move(change));
  }
  return std::move(out_);
}

SourceChanges diff_source(const SourceContents& stored, SourceContents read, Timestamp now,
                          const std::vector<std::string>& kept) {
  SourceDiff diff(std::move(read), now, kept);
  for (const auto* records : {&stored.users, &stored.groups})
    for (const ResourceRecord& r : *records) diff.stored(ResourceRecord(r));
  return std::move(diff).finish(stored.memberships);
}

Result<WriteSummary> write_source_changes(IdentityWriter& w, const SourceChanges& changes, const std::string& space,
                                          const SourceState& state, Timestamp now) {
  WriteSummary summary;
  for (const ResourceRecord& r : changes.removed) {
    ROSTERD_TRY(w.remove(r.type, r.source, r.id));
    ROSTERD_TRY(w.record(event(r, space, "deleted"), now));
    ++summary.removed;
  }
  // First every renamed user takes a name no entry can have (its anchor behind a space and
  // a character no directory name holds), so that the final names can be given in any order.
  for (const ResourceRecord& r : changes.updated) {
    if (r.type != ResourceType::User) continue;
    ROSTERD_ASSIGN(const auto was, w.find(r.type, r.source, r.id));
    if (!was || was->user_name == r.user_name) continue;
    ResourceRecord parked = *was;
    parked.user_name = "\x01 renaming " + r.id;
    ROSTERD_TRY(w.update(parked));
  }
  for (const ResourceRecord& r : changes.updated) {
    ROSTERD_TRY(w.update(r));
    ROSTERD_TRY(w.record(event(r, space, "updated"), now));
    ++summary.updated;
  }
  for (const ResourceRecord& r : changes.inserted) {
    ROSTERD_TRY(w.insert(r));
    ROSTERD_TRY(w.record(event(r, space, "created"), now));
    ++summary.inserted;
  }
  for (const std::string& group : changes.touched) {
    ROSTERD_ASSIGN(const auto g, w.find(ResourceType::Group, state.source, group));
    if (!g) continue;
    ROSTERD_TRY(w.touch(ResourceType::Group, state.source, group, g->version + 1, now));
    ROSTERD_TRY(w.record(event(*g, space, "updated"), now));
  }
  for (const MemberChanges& m : changes.members) {
    if (!m.removed.empty()) ROSTERD_TRY(w.remove_members(state.source, m.group_id, m.removed));
    if (!m.added.empty()) ROSTERD_TRY(w.add_members(state.source, m.group_id, m.added));
    summary.membership_changes += m.added.size() + m.removed.size();
  }
  ROSTERD_TRY(w.set_source_state(state));
  return summary;
}

}  // namespace rosterd
