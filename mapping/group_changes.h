// The group structure of a space as IncrementalMapper last saw it (a fingerprint and the
// parent ids of each group, not the groups themselves), and what changed in the next
// Directory: the groups whose own fields changed, appeared or disappeared, and every
// group that is (transitively) a member of one of them in the old or the new structure.
// A person none of whose direct groups is in that set reaches the same groups, with the
// same names, chains and patterns, as before: their evaluation cannot have changed.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "mapping/compiled_space.h"
#include "mapping/directory.h"
#include "mapping/string_hash.h"

namespace rosterd {

using RefSet = std::unordered_set<std::string, StringHash, std::equal_to<>>;

class GroupChanges {
 public:
  // The groups of `directory` fed by `space`'s sources, against those of the previous
  // call (none before the first): fills `affected` with the refs (space_ref) of the
  // groups whose closure may differ, empty if nothing changed. Returns the number of
  // groups that changed themselves.
  std::size_t diff(const Directory& directory, const CompiledSpace& space, RefSet& affected);
  void clear() { groups_.clear(); }

 private:
  struct Group {
    std::uint64_t hash = 0, next = 0;      // of every group with this ref (sum: duplicates)
    std::vector<std::string> parents;      // ids, as last seen
    std::vector<std::string> next_parents; // ids, in the new Directory (changed groups only)
    std::uint32_t seen = 0;
  };
  void spread(RefSet& affected) const;

  std::unordered_map<std::string, Group, StringHash, std::equal_to<>> groups_;
  std::uint32_t generation_ = 0;
  std::string ref_;
};

}  // namespace rosterd
