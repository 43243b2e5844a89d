// Edits a sorted vector in place: used by IncrementalMapper to keep DesiredState's
// accounts and excluded people sorted without rebuilding them. Each element kept moves at
// most once, straight to its final place, and only if something before it was removed
// or added; moving is most of the cost of an update (a DesiredAccount is ~20 strings).
#pragma once

#include <algorithm>
#include <cstddef>
#include <span>
#include <utility>
#include <vector>

namespace rosterd {

// Removes the elements at `removed` (ascending, distinct positions) and merges in `added`
// (sorted by `less`, none equivalent to an element of `v`). Leaves `added` moved from.
template <typename T, typename Less>
void apply_sorted_edits(std::vector<T>& v, std::span<const std::size_t> removed, std::vector<T>& added, Less less) {
  if (removed.empty() && added.empty()) return;
  if (v.empty()) {
    v = std::move(added);
    return;
  }
  const std::size_t n = v.size(), m = added.size(), size = n - removed.size() + m;
  // Where each addition goes among the old elements (before the element at that index).
  std::vector<std::size_t> before(m);
  for (std::size_t j = 0; j < m; ++j) {
    const auto from = v.begin() + static_cast<std::ptrdiff_t>(j == 0 ? 0 : before[j - 1]);
    before[j] = static_cast<std::size_t>(std::lower_bound(from, v.end(), added[j], less) - v.begin());
  }
  // The runs of kept elements between two edits, each with how far it moves.
  struct Run {
    std::size_t begin, end;
    std::ptrdiff_t shift;
  };
  std::vector<Run> runs;
  std::size_t r = 0, j = 0;
  std::ptrdiff_t shift = 0;
  for (std::size_t i = 0; i < n;) {
    for (; j < m && before[j] <= i; ++j) ++shift;
    if (r < removed.size() && removed[r] == i) {
      ++r;
      --shift;
      ++i;
      continue;
    }
    std::size_t end = n;
    if (r < removed.size()) end = std::min(end, removed[r]);
    if (j < m) end = std::min(end, before[j]);
    if (shift != 0) runs.push_back({i, end, shift});
    i = end;
  }
  if (size > n) {
    // Some headroom, so that a few people joining do not reallocate each time; capacity
    // not used yet is never touched and costs no resident memory.
    if (size > v.capacity()) v.reserve(size + size / 16);
    v.resize(size);
  }
  // Runs moving towards the front, front first; then runs moving towards the back, back
  // first: no run overwrites one that has not moved yet.
  const auto at = [&](std::size_t i) { return v.begin() + static_cast<std::ptrdiff_t>(i); };
  for (const Run& run : runs)
    if (run.shift < 0) std::move(at(run.begin), at(run.end), at(run.begin) + run.shift);
  for (auto it = runs.rbegin(); it != runs.rend(); ++it)
    if (it->shift > 0) std::move_backward(at(it->begin), at(it->end), at(it->end) + it->shift);
  r = 0;
  for (j = 0; j < m; ++j) {
    for (; r < removed.size() && removed[r] < before[j]; ++r) {
    }
    v[before[j] - r + j] = std::move(added[j]);
  }
  v.resize(size);
}

}  // namespace rosterd
