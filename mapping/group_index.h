// The groups of one space's sources, indexed once per Directory: which `group:` patterns
// each group matches, and which patterns each group reaches through its parents (the
// transitive closure, computed per group and cycle-safe), so a person's memberships are
// tested with a few bit operations however deep the nesting. Built per computation and
// used by one thread (the walks reuse scratch buffers).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "mapping/directory.h"
#include "mapping/group_pattern.h"
#include "mapping/string_hash.h"

namespace rosterd {

class GroupIndex {
 public:
  // Only groups of `sources` are kept. Group numbers follow (source, DN or name, id), so
  // nothing depends on the order of directory.groups.
  GroupIndex(const Directory& directory, std::span<const std::string> sources,
             std::span<const GroupPattern> patterns);

  // The groups `person` is directly in, ascending; ids the directory does not know are skipped.
  void direct_groups(const DirectoryPerson& person, std::vector<int>& out) const;

  // 64-bit words in a pattern mask.
  std::size_t words() const { return words_; }
  // ORs into `mask` (words() long) the patterns matched by the groups in `direct` or by
  // any group they are (transitively) members of.
  void reach(std::span<const int> direct, std::span<std::uint64_t> mask) const;
  static bool has(std::span<const std::uint64_t> mask, int pattern) {
    return (mask[static_cast<std::size_t>(pattern) / 64] >> (pattern % 64)) & 1U;
  }

  // The shortest chain from one of `direct` to a group matching `pattern` (the direct
  // group first, the matching group last); empty if none.
  std::vector<int> path_to(std::span<const int> direct, int pattern) const;
  // Every group reached from `direct`, each once with its shortest chain, direct first.
  std::vector<std::vector<int>> reached(std::span<const int> direct) const;

  const DirectoryGroup& group(int g) const { return *groups_[static_cast<std::size_t>(g)]; }
  // The DN if the group has one, else its display name: what `inputs` and `because` show.
  std::string_view label(int g) const;
  // The display name if the group has one, else its DN.
  std::string_view name(int g) const;

 private:
  int find(std::string_view source, std::string_view id) const;
  template <typename Stop>
  void walk(std::span<const int> direct, Stop stop) const;
  std::vector<int> chain(int g) const;  // after walk(): from a direct group to g
  const std::uint64_t* mask_of(int g) const { return reach_.data() + static_cast<std::size_t>(g) * words_; }

  std::vector<const DirectoryGroup*> groups_;
  std::unordered_map<SourceAndId, int, SourceAndIdHash> by_id_;
  std::vector<std::vector<int>> parents_;  // ascending
  std::vector<std::uint64_t> matches_;     // per group: the patterns it matches itself
  std::vector<std::uint64_t> reach_;       // per group: the patterns of its closure
  std::size_t words_ = 1;
  // Scratch of walk(): the groups in visiting order, and per group a visit stamp and
  // the group it was reached from (-1: a direct group).
  mutable std::vector<int> order_;
  mutable std::vector<std::uint32_t> seen_;
  mutable std::vector<int> previous_;
  mutable std::uint32_t stamp_ = 0;
};

}  // namespace rosterd
