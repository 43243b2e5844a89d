#include "daemon/sources/source_changes.h"

#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>

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

using MemberSet = std::map<std::string, ResourceType>;  // member id -> type

std::unordered_map<std::string, MemberSet> by_group(const std::vector<Membership>& rows) {
  std::unordered_map<std::string, MemberSet> out;
  for (const Membership& m : rows) out[m.group_id].emplace(m.member_id, m.member_type);
  return out;
}

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
  std::map<std::string, std::int64_t> stored_versions;
  for (const ResourceRecord& g : stored.groups) stored_versions.emplace(g.id, g.version);

  const auto before = by_group(stored.memberships);
  const auto after = by_group(read.memberships);
  static const MemberSet kNone;
  for (const std::string& group : groups) {
    const auto b = before.find(group);
    const auto a = after.find(group);
    const MemberSet& was = b == before.end() ? kNone : b->second;
    const MemberSet& now_in = a == after.end() ? kNone : a->second;
    MemberChanges change{group, {}, {}};
    for (const auto& [id, type] : now_in) {
      const auto it = was.find(id);
      if (it == was.end() || it->second != type) change.added.push_back(MemberRef{id, type, {}});
    }
    bool lost_removed = false;  // a member that is gone from the source altogether
    for (const auto& [id, type] : was) {
      const auto it = now_in.find(id);
      if ((it != now_in.end() && it->second == type) || kept.contains(id)) continue;
      // A removed member's rows go with it (IdentityWriter::remove).
      if (removed_ids.contains(id)) lost_removed = true;
      else change.removed.push_back(id);
    }
    const bool is_new = !stored_versions.contains(group);
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
