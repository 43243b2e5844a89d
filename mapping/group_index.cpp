#include "mapping/group_index.h"

#include <algorithm>

#include "core/distinguished_name.h"
#include "core/email.h"

namespace rosterd {

GroupIndex::GroupIndex(const Directory& directory, std::span<const std::string> sources,
                       std::span<const GroupPattern> patterns)
    : words_(std::max<std::size_t>(1, (patterns.size() + 63) / 64)) {
  for (const DirectoryGroup& g : directory.groups)
    if (std::find(sources.begin(), sources.end(), g.source) != sources.end()) groups_.push_back(&g);
  std::sort(groups_.begin(), groups_.end(), [](const DirectoryGroup* a, const DirectoryGroup* b) {
    const std::string_view la = a->dn.empty() ? a->display_name : a->dn;
    const std::string_view lb = b->dn.empty() ? b->display_name : b->dn;
    return std::tie(a->source, la, a->id, a->display_name) < std::tie(b->source, lb, b->id, b->display_name);
  });
  by_id_.reserve(groups_.size());
  for (std::size_t g = 0; g < groups_.size(); ++g)
    by_id_.try_emplace({groups_[g]->source, groups_[g]->id}, static_cast<int>(g));

  const std::size_t n = groups_.size();
  parents_.resize(n);
  matches_.assign(n * words_, 0);
  for (std::size_t g = 0; g < n; ++g) {
    const DirectoryGroup& group = *groups_[g];
    for (const auto& parent : group.groups)
      if (const int p = find(group.source, parent); p >= 0) parents_[g].push_back(p);
    std::sort(parents_[g].begin(), parents_[g].end());
    parents_[g].erase(std::unique(parents_[g].begin(), parents_[g].end()), parents_[g].end());
    const std::string name = ascii_lower(group.display_name);
    const std::string dn = normalise_dn(group.dn);
    for (std::size_t p = 0; p < patterns.size(); ++p)
      if (patterns[p].matches(name, dn)) matches_[g * words_ + p / 64] |= std::uint64_t{1} << (p % 64);
  }

  // Each group's closure by a breadth-first walk over its ancestors; a visit stamp per
  // group keeps cycles from looping and costs nothing to reset.
  reach_.assign(n * words_, 0);
  seen_.assign(n, 0);
  previous_.assign(n, -1);
  std::vector<std::size_t> stamp(n, 0);
  std::vector<int> queue;
  for (std::size_t g = 0; g < n; ++g) {
    queue.assign(1, static_cast<int>(g));
    stamp[g] = g + 1;
    for (std::size_t head = 0; head < queue.size(); ++head) {
      const auto at = static_cast<std::size_t>(queue[head]);
      for (std::size_t w = 0; w < words_; ++w) reach_[g * words_ + w] |= matches_[at * words_ + w];
      for (const int p : parents_[at])
        if (stamp[static_cast<std::size_t>(p)] != g + 1) {
          stamp[static_cast<std::size_t>(p)] = g + 1;
          queue.push_back(p);
        }
    }
  }
}

int GroupIndex::find(std::string_view source, std::string_view id) const {
  const auto it = by_id_.find({source, id});
  return it == by_id_.end() ? -1 : it->second;
}

void GroupIndex::direct_groups(const DirectoryPerson& person, std::vector<int>& out) const {
  out.clear();
  for (const auto& id : person.groups)
    if (const int g = find(person.source, id); g >= 0) out.push_back(g);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
}

void GroupIndex::reach(std::span<const int> direct, std::span<std::uint64_t> mask) const {
  for (const int g : direct) {
    const std::uint64_t* m = mask_of(g);
    for (std::size_t w = 0; w < words_; ++w) mask[w] |= m[w];
  }
}

// Breadth-first from `direct` (in order) over parents, each group once; stops after the
// first group `stop` accepts (if given). Leaves the walk in order_ and previous_.
template <typename Stop>
void GroupIndex::walk(std::span<const int> direct, Stop stop) const {
  ++stamp_;
  order_.clear();
  const auto visit = [&](int g, int from) {
    const auto i = static_cast<std::size_t>(g);
    if (seen_[i] == stamp_) return;
    seen_[i] = stamp_;
    previous_[i] = from;
    order_.push_back(g);
  };
  for (const int g : direct) visit(g, -1);
  for (std::size_t head = 0; head < order_.size(); ++head) {
    const int at = order_[head];
    if (stop(at)) {
      order_.resize(head + 1);
      return;
    }
    for (const int p : parents_[static_cast<std::size_t>(at)]) visit(p, at);
  }
}

std::vector<int> GroupIndex::chain(int g) const {
  std::vector<int> out;
  for (int at = g; at >= 0; at = previous_[static_cast<std::size_t>(at)]) out.push_back(at);
  std::reverse(out.begin(), out.end());
  return out;
}

std::vector<int> GroupIndex::path_to(std::span<const int> direct, int pattern) const {
  bool found = false;
  walk(direct, [&](int g) {
    found = has(std::span(matches_.data() + static_cast<std::size_t>(g) * words_, words_), pattern);
    return found;
  });
  return found ? chain(order_.back()) : std::vector<int>();
}

std::vector<std::vector<int>> GroupIndex::reached(std::span<const int> direct) const {
  walk(direct, [](int) { return false; });
  std::vector<std::vector<int>> out;
  out.reserve(order_.size());
  for (const int g : order_) out.push_back(chain(g));
  return out;
}

std::string_view GroupIndex::label(int g) const {
  const DirectoryGroup& group = this->group(g);
  return group.dn.empty() ? std::string_view(group.display_name) : std::string_view(group.dn);
}

std::string_view GroupIndex::name(int g) const {
  const DirectoryGroup& group = this->group(g);
  return group.display_name.empty() ? std::string_view(group.dn) : std::string_view(group.display_name);
}

}  // namespace rosterd
