// apply_sorted_edits: removals and additions anywhere give the sorted vector a rebuild
// would, moving elements of a type that notices being read after a move.
#include "mapping/sorted_edits.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <set>
#include <string>
#include <vector>

namespace rosterd {
namespace {

// A value that becomes empty when moved from, so that reading a moved-from element shows.
struct Text {
  std::string s;
  bool operator==(const Text&) const = default;
};
// Not the order of std::string: shorter first.
const auto kLess = [](const Text& a, const Text& b) {
  return a.s.size() != b.s.size() ? a.s.size() < b.s.size() : a.s < b.s;
};

Text text(int n) { return Text{std::string(static_cast<std::size_t>(n % 7) + 16, 'x') + std::to_string(n)}; }

TEST(SortedEdits, GiveWhatARebuildGivesForRandomRemovalsAndAdditions) {
  for (unsigned seed = 0; seed < 500; ++seed) {
    std::mt19937 rng(seed);
    std::set<int> present;
    for (int k = 0; k < static_cast<int>(rng() % 40); ++k) present.insert(static_cast<int>(rng() % 100));
    const auto sorted = [&](const std::set<int>& values) {
      std::vector<Text> out;
      for (int n : values) out.push_back(text(n));
      std::sort(out.begin(), out.end(), kLess);
      return out;
    };
    std::vector<Text> v = sorted(present);
    std::set<int> after = present;
    std::vector<std::size_t> removed;
    for (std::size_t i = 0; i < v.size(); ++i)
      if (rng() % 3 == 0) {
        removed.push_back(i);
        for (int n : present)
          if (text(n) == v[i]) after.erase(n);
      }
    std::set<int> fresh;
    for (int k = 0; k < static_cast<int>(rng() % 20); ++k) {
      const int n = static_cast<int>(rng() % 200);
      if (!present.contains(n)) fresh.insert(n);
    }
    std::vector<Text> added = sorted(fresh);
    after.insert(fresh.begin(), fresh.end());
    apply_sorted_edits(v, removed, added, kLess);
    EXPECT_EQ(v, sorted(after)) << "seed " << seed;
  }
}

}  // namespace
}  // namespace rosterd
