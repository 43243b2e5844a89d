// The changes one IncrementalMapper update makes to a DesiredState: people whose outcome
// stays in the same list are replaced in place; the others are removed from one list and
// added to the other (or just removed, or just added), all in one pass per list at the
// end, keeping the order desired_state() gives: by key, then (people without a key) by
// source precedence, source and id.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

#include "core/desired.h"
#include "mapping/compiled_space.h"

namespace rosterd {

class DesiredEdits {
 public:
  static constexpr std::size_t kNowhere = static_cast<std::size_t>(-1);

  // `state` is edited in place and must outlive the edits; it must not change otherwise
  // until apply().
  DesiredEdits(DesiredState& state, const CompiledSpace& space);
  // Room for `accounts` new accounts, when the state starts empty (an evaluation of all).
  void reserve(std::size_t accounts);

  // Where a person is now, given before any change: the account of key `key`, the excluded
  // entry of key `key`, the excluded entry of the person without a key whose identity is
  // (rank, id); kNowhere if none.
  std::size_t account_of(std::string_view key) const;
  std::size_t excluded_of(std::string_view key) const;
  std::size_t excluded_without_key(int rank, std::string_view id) const;

  // The person's new outcome, where `account` and `excluded` are their entries now. Each
  // person is given once, in DesiredState order (additions are appended, not sorted).
  void put(DesiredAccount&& a, std::size_t account, std::size_t excluded);
  void put(ExcludedPerson&& x, std::size_t account, std::size_t excluded);
  // The person is gone.
  void remove(std::size_t account, std::size_t excluded);

  void apply();

 private:
  DesiredState& state_;
  const CompiledSpace& space_;
  std::vector<std::size_t> removed_accounts_, removed_excluded_;
  std::vector<DesiredAccount> added_accounts_;
  std::vector<ExcludedPerson> added_excluded_;
};

}  // namespace rosterd
