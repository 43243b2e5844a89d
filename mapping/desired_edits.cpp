#include "mapping/desired_edits.h"

#include <algorithm>

#include "mapping/sorted_edits.h"

namespace rosterd {
namespace {

struct EntryOrder {
  const CompiledSpace& space;
  template <typename Entry>
  bool operator()(const Entry& a, const Entry& b) const {
    if (const int c = a.person.compare(b.person)) return c < 0;
    const int ra = space.source_rank(a.source), rb = space.source_rank(b.source);
    if (ra != rb) return ra < rb;
    if (const int c = a.source.compare(b.source)) return c < 0;
    return a.anchor < b.anchor;
  }
};

// A non-empty key names one person: the entries compare by key alone.
template <typename Entry>
std::size_t find_keyed(const std::vector<Entry>& v, std::string_view key) {
  const auto it = std::lower_bound(v.begin(), v.end(), key,
                                   [](const Entry& e, std::string_view k) { return e.person < k; });
  return it != v.end() && it->person == key ? static_cast<std::size_t>(it - v.begin()) : DesiredEdits::kNowhere;
}

}  // namespace

DesiredEdits::DesiredEdits(DesiredState& state, const CompiledSpace& space) : state_(state), space_(space) {}

void DesiredEdits::reserve(std::size_t accounts) {
  if (state_.accounts.empty()) added_accounts_.reserve(accounts);
}

std::size_t DesiredEdits::account_of(std::string_view key) const { return find_keyed(state_.accounts, key); }
std::size_t DesiredEdits::excluded_of(std::string_view key) const { return find_keyed(state_.excluded, key); }

std::size_t DesiredEdits::excluded_without_key(int rank, std::string_view id) const {
  const auto& v = state_.excluded;
  // The people without a key come first (an empty key sorts first).
  const auto it = std::lower_bound(v.begin(), v.end(), rank, [&](const ExcludedPerson& x, int) {
    if (!x.person.empty()) return false;
    const int r = space_.source_rank(x.source);
    return r != rank ? r < rank : x.anchor < id;
  });
  const bool found = it != v.end() && it->person.empty() && space_.source_rank(it->source) == rank && it->anchor == id;
  return found ? static_cast<std::size_t>(it - v.begin()) : kNowhere;
}

void DesiredEdits::put(DesiredAccount&& a, std::size_t account, std::size_t excluded) {
  if (account != kNowhere)
    state_.accounts[account] = std::move(a);
  else
    added_accounts_.push_back(std::move(a));
  if (excluded != kNowhere) removed_excluded_.push_back(excluded);
}

void DesiredEdits::put(ExcludedPerson&& x, std::size_t account, std::size_t excluded) {
  if (excluded != kNowhere)
    state_.excluded[excluded] = std::move(x);
  else
    added_excluded_.push_back(std::move(x));
  if (account != kNowhere) removed_accounts_.push_back(account);
}

void DesiredEdits::remove(std::size_t account, std::size_t excluded) {
  if (account != kNowhere) removed_accounts_.push_back(account);
  if (excluded != kNowhere) removed_excluded_.push_back(excluded);
}

void DesiredEdits::apply() {
  const EntryOrder less{space_};
  apply_sorted_edits(state_.accounts, removed_accounts_, added_accounts_, less);
  apply_sorted_edits(state_.excluded, removed_excluded_, added_excluded_, less);
}

}  // namespace rosterd
