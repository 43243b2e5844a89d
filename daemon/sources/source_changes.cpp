#include "daemon/sources/source_changes.h"

#include <algorithm>
#include <cassert>
#include <set>
#include <span>

#include "core/try.h"

namespace rosterd {
namespace {

// Records of one type, both sorted by id: inserted, updated and removed ones.
void diff_records(const std::vector<ResourceRecord>& stored, std::vector<ResourceRecord>& read, Timestamp now,
                  const std::set<std::string>& kept, SourceChanges& out, std::set<std::string>& updated_groups) {
  const auto gone = [&](const ResourceRecord& r) {
    if (!kept.contains(r.id)) out.removed.push_back(r);
  };
  auto s = stored.begin();
  for (ResourceRecord& r : read) {
    while (s != stored.end() && s->id < r.id) gone(*s++);
    if (s != stored.end() && s->id == r.id) {
      if (!same_record(*s, r)) {
        r.version = s->version + 1;
        r.created = s->created;
        r.updated = now;
        if (r.type == ResourceType::Group) updated_groups.insert(r.id);
        out.updated.push_back(std::move(r));
      }
      ++s;
    } else {
      r.version = 1;
      r.created = r.updated = now;
      out.inserted.push_back(std::move(r));
    }
  }
  while (s != stored.end()) gone(*s++);
}

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

SourceChanges diff_source(const SourceContents& stored, SourceContents read, Timestamp now,
                          const std::vector<std::string>& kept_ids) {
  const std::set<std::string> kept(kept_ids.begin(), kept_ids.end());
  SourceChanges out;
  std::set<std::string> groups;  // taken before diff_records moves the records out of `read`
  for (const ResourceRecord& g : read.groups) groups.insert(g.id);
  std::set<std::string> updated_groups;
  diff_records(stored.users, read.users, now, kept, out, updated_groups);
  diff_records(stored.groups, read.groups, now, kept, out, updated_groups);

  std::set<std::string> removed_ids;
  for (const ResourceRecord& r : out.removed) removed_ids.insert(r.id);
  std::set<std::string> stored_groups;
  for (const ResourceRecord& g : stored.groups) stored_groups.insert(g.id);

  GroupRows before(stored.memberships), after(read.memberships);
  for (const std::string& group : groups) {  // a std::set: in increasing order
    const auto was = before.of(group);
    const auto now_in = after.of(group);
    MemberChanges change{group, {}, {}};
    bool lost_removed = false;  // a member that is gone from the source altogether
    const auto gone = [&](const Membership& m) {
      if (kept.contains(m.member_id)) return;
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
    const bool is_new = !stored_groups.contains(group);
    const bool changed = !change.added.empty() || !change.removed.empty() || lost_removed;
    if (changed && !is_new && !updated_groups.contains(group)) out.touched.push_back(group);
    if (!change.added.empty() || !change.removed.empty()) out.members.push_back(std::move(change));
  }
  return out;
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
