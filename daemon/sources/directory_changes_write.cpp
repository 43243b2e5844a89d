#include "daemon/sources/directory_changes_write.h"

#include <map>
#include <set>

#include "core/distinguished_name.h"
#include "core/try.h"
#include "daemon/sources/directory_records.h"

namespace rosterd {
namespace {

using MemberSet = std::map<std::string, ResourceType>;  // member id -> type

class ChangeWriter {
 public:
  ChangeWriter(IdentityWriter& w, const std::string& source, const ldap::DirectoryChanges& changes,
               ldap::Membership model, Timestamp now, std::vector<std::string>& problems)
      : w_(w), source_(source), changes_(changes), model_(model), now_(now), problems_(problems) {}

  Result<SourceChanges> run() {
    ROSTERD_TRY(index_and_gone());
    const RecordConverter convert(source_, by_dn_, problems_);
    for (const auto& u : changes_.users) ROSTERD_TRY(compare(convert.user(u)));
    for (const auto& g : changes_.groups) ROSTERD_TRY(compare(convert.group(g)));
    for (const auto& id : gone_) {
      ROSTERD_ASSIGN(auto stored, find(id));
      if (stored) out_.removed.push_back(std::move(*stored));
      // Its groups lose a member: their version moves, as after a full read.
      ROSTERD_ASSIGN(const auto groups, w_.groups_of(source_, id));
      for (const MemberRef& g : groups) lost_.insert(g.id);
    }
    if (model_ == ldap::Membership::MemberOf) {
      for (const auto& u : changes_.users) ROSTERD_TRY(regroup(u.anchor, ResourceType::User, rows_of(convert, u)));
      for (const auto& g : changes_.groups) ROSTERD_TRY(regroup(g.anchor, ResourceType::Group, rows_of(convert, g)));
    } else {
      for (const auto& g : changes_.groups) ROSTERD_TRY(remember(g.anchor, rows_of(convert, g)));
    }
    finish_members();
    return std::move(out_);
  }

 private:
  template <class Entry>
  static std::vector<Membership> rows_of(const RecordConverter& convert, const Entry& e) {
    std::vector<Membership> rows;
    convert.memberships(e, rows);
    return rows;
  }

  // The store's keys give the DN index and what the server's answer removes.
  Result<void> index_and_gone() {
    ROSTERD_ASSIGN(const std::vector<ResourceKey> keys, w_.keys(source_));
    std::set<std::string> changed, kept(changes_.skipped_anchors.begin(), changes_.skipped_anchors.end());
    for (const auto& u : changes_.users) changed.insert(u.anchor);
    for (const auto& g : changes_.groups) changed.insert(g.anchor);
    const std::set<std::string> deleted(changes_.deleted.begin(), changes_.deleted.end());
    std::set<std::string> present_users, present_groups;
    if (changes_.present_users) present_users.insert(changes_.present_users->begin(), changes_.present_users->end());
    if (changes_.present_groups)
      present_groups.insert(changes_.present_groups->begin(), changes_.present_groups->end());
    for (const ResourceKey& k : keys) {
      stored_type_[k.id] = k.type;
      const bool user = k.type == ResourceType::User;
      const bool absent = user ? changes_.present_users && !present_users.contains(k.id)
                               : changes_.present_groups && !present_groups.contains(k.id);
      if ((deleted.contains(k.id) || absent) && !changed.contains(k.id) && !kept.contains(k.id)) {
        gone_.insert(k.id);
        continue;
      }
      if (!k.external_id.empty()) by_dn_.emplace(k.external_id, DnTarget{k.id, k.type});
    }
    for (const auto& u : changes_.users) by_dn_[normalise_dn(u.dn)] = DnTarget{u.anchor, ResourceType::User};
    for (const auto& g : changes_.groups) by_dn_[normalise_dn(g.dn)] = DnTarget{g.anchor, ResourceType::Group};
    kept_ = std::move(kept);
    return {};
  }

  Result<std::optional<ResourceRecord>> find(const std::string& id) {
    const auto it = stored_type_.find(id);
    if (it == stored_type_.end()) return std::optional<ResourceRecord>{};
    return w_.find(it->second, source_, id);
  }

  Result<void> compare(ResourceRecord r) {
    ROSTERD_ASSIGN(const auto stored, find(r.id));
    if (!stored) {
      r.version = 1;
      r.created = r.updated = now_;
      fresh_groups_.insert(r.id);
      out_.inserted.push_back(std::move(r));
    } else if (!same_record(*stored, r)) {
      r.version = stored->version + 1;
      r.created = stored->created;
      r.updated = now_;
      fresh_groups_.insert(r.id);
      out_.updated.push_back(std::move(r));
    }
    return {};
  }

  // Member models: `group`'s members are exactly `rows`.
  Result<void> remember(const std::string& group, const std::vector<Membership>& rows) {
    MemberSet now_in;
    for (const Membership& m : rows) now_in.emplace(m.member_id, m.member_type);
    MemberSet was;
    if (stored_type_.contains(group)) {
      ROSTERD_ASSIGN(const auto members, w_.members(source_, group));
      for (const MemberRef& m : members) was.emplace(m.id, m.type);
    }
    MemberChanges& c = change_of(group);
    for (const auto& [id, type] : now_in) {
      const auto it = was.find(id);
      if (it == was.end() || it->second != type) c.added.push_back(MemberRef{id, type, {}});
    }
    for (const auto& [id, type] : was) {
      const auto it = now_in.find(id);
      if (it != now_in.end() && it->second == type) continue;
      if (gone_.contains(id)) lost_.insert(group);  // its rows go with it
      else if (!kept_.contains(id)) c.removed.push_back(id);
    }
    return {};
  }

  // memberOf model: `member` is in exactly the groups of `rows`.
  Result<void> regroup(const std::string& member, ResourceType type, const std::vector<Membership>& rows) {
    std::set<std::string> now_in, was;
    for (const Membership& m : rows) now_in.insert(m.group_id);
    if (stored_type_.contains(member)) {
      ROSTERD_ASSIGN(const auto groups, w_.groups_of(source_, member));
      for (const MemberRef& g : groups) was.insert(g.id);
    }
    for (const auto& g : now_in)
      if (!was.contains(g)) change_of(g).added.push_back(MemberRef{member, type, {}});
    for (const auto& g : was)
      if (!now_in.contains(g) && !gone_.contains(g)) change_of(g).removed.push_back(member);
    return {};
  }

  MemberChanges& change_of(const std::string& group) {
    auto [it, added] = members_.try_emplace(group);
    if (added) it->second.group_id = group;
    return it->second;
  }

  void finish_members() {
    for (auto& [group, c] : members_) {
      const bool changed = !c.added.empty() || !c.removed.empty();
      if ((changed || lost_.contains(group)) && stored_type_.contains(group) && !fresh_groups_.contains(group) &&
          !gone_.contains(group))
        out_.touched.push_back(group);
      if (changed && !gone_.contains(group)) out_.members.push_back(std::move(c));
    }
    for (const auto& group : lost_)
      if (!members_.contains(group) && !fresh_groups_.contains(group) && !gone_.contains(group))
        out_.touched.push_back(group);
  }

  IdentityWriter& w_;
  const std::string& source_;
  const ldap::DirectoryChanges& changes_;
  ldap::Membership model_;
  Timestamp now_;
  std::vector<std::string>& problems_;
  std::map<std::string, ResourceType> stored_type_;
  DnIndex by_dn_;
  std::set<std::string> gone_, kept_;
  std::set<std::string> fresh_groups_;  // inserted or updated: their version moves anyway
  std::set<std::string> lost_;          // groups that lose a member that is gone
  std::map<std::string, MemberChanges> members_;
  SourceChanges out_;
};

}  // namespace

Result<WriteSummary> store_directory_changes(IdentityWriter& writer, const std::string& source,
                                             const std::string& space, const ldap::DirectoryChanges& changes,
                                             ldap::Membership model, const SourceState& state, Timestamp now,
                                             std::vector<std::string>& problems) {
  ROSTERD_ASSIGN(const SourceChanges diff, ChangeWriter(writer, source, changes, model, now, problems).run());
  if (diff.empty()) return write_source_changes(writer, diff, space, state, now);
  // The store no longer holds what the last full read found.
  SourceState changed = state;
  changed.read_digest.clear();
  return write_source_changes(writer, diff, space, changed, now);
}

}  // namespace rosterd
