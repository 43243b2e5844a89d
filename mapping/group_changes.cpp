#include "mapping/group_changes.h"

#include "mapping/identity_hash.h"
#include "mapping/space_ref.h"

namespace rosterd {

std::size_t GroupChanges::diff(const Directory& directory, const CompiledSpace& space, RefSet& affected) {
  affected.clear();
  ++generation_;
  for (const DirectoryGroup& g : directory.groups) {
    const int rank = space.source_rank(g.source);
    if (rank < 0) continue;
    Group& group = groups_[space_ref(ref_, rank, g.id)];
    if (group.seen != generation_) {
      group.seen = generation_;
      group.next = 0;
      group.next_parents.clear();
    }
    group.next += hash_group(g);
  }
  std::size_t changed = 0;
  for (auto& [ref, group] : groups_)
    if (group.seen != generation_ || group.next != group.hash) {
      affected.insert(ref);
      ++changed;
    }
  if (changed == 0) return 0;
  // The new parents of the groups that changed (all duplicates of a ref together).
  for (const DirectoryGroup& g : directory.groups) {
    const int rank = space.source_rank(g.source);
    if (rank < 0) continue;
    const auto it = groups_.find(space_ref(ref_, rank, g.id));
    if (it->second.next != it->second.hash)
      it->second.next_parents.insert(it->second.next_parents.end(), g.groups.begin(), g.groups.end());
  }
  spread(affected);
  for (auto it = groups_.begin(); it != groups_.end();) {
    Group& group = it->second;
    if (group.seen != generation_) {
      it = groups_.erase(it);
      continue;
    }
    if (group.next != group.hash) {
      group.hash = group.next;
      group.parents = std::move(group.next_parents);
      group.next_parents.clear();
    }
    ++it;
  }
  return changed;
}

// Adds to `affected` every group that is a member, directly or through others, of a
// group in it: along the old parent lists and the new ones alike.
void GroupChanges::spread(RefSet& affected) const {
  std::unordered_map<std::string, std::vector<std::string_view>, StringHash, std::equal_to<>> members;
  std::string parent;
  for (const auto& entry : groups_) {
    const std::string& ref = entry.first;
    const Group& group = entry.second;
    const std::string_view rank = std::string_view(ref).substr(0, ref.find(':') + 1);
    const auto add = [&](const std::vector<std::string>& ids) {
      for (const auto& id : ids) {
        parent.assign(rank);
        parent += id;
        members[parent].push_back(ref);
      }
    };
    add(group.parents);
    if (group.next != group.hash) add(group.next_parents);
  }
  std::vector<std::string> queue(affected.begin(), affected.end());
  while (!queue.empty()) {
    const std::string at = std::move(queue.back());
    queue.pop_back();
    const auto it = members.find(at);
    if (it == members.end()) continue;
    for (const std::string_view member : it->second)
      if (affected.emplace(member).second) queue.emplace_back(member);
  }
}

}  // namespace rosterd
