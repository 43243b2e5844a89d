// An in-memory StateView for tests of the lifecycle rules (core/lifecycle.h): spaces and
// accounts in maps; seats in use counted from the accounts' states (holds_seat), enabled
// owners from theirs (is_enabled), emails compared by email_key. apply() writes a
// Transition back so a test can chain decisions the way a store would.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "core/account.h"
#include "core/email.h"
#include "core/role_catalogue.h"
#include "core/space.h"
#include "core/state_view.h"
#include "core/transition.h"

namespace rosterd::testing {

class MemoryStateView final : public StateView {
 public:
  void add_space(Space space) {
    std::string id = space.id;
    spaces_.insert_or_assign(std::move(id), std::move(space));
  }
  Space* find_space(std::string_view id) {
    const auto it = spaces_.find(id);
    return it == spaces_.end() ? nullptr : &it->second;
  }

  // Inserts or replaces; the reference stays valid until the account is replaced.
  Account& put(Account account) {
    std::string id = account.id;
    return accounts_.insert_or_assign(std::move(id), std::move(account)).first->second;
  }
  const Account* find(std::string_view id) const {
    const auto it = accounts_.find(id);
    return it == accounts_.end() ? nullptr : &it->second;
  }
  const std::map<std::string, Account, std::less<>>& all() const { return accounts_; }

  // What a store does with a decision: the rows of the transition replace the old ones.
  void apply(const Transition& t) {
    for (const auto& a : t.accounts) put(a);
  }

  // Every read fails with `error` from now on (a store that went away).
  void fail_reads(Error error) { failure_ = std::move(error); }

  Result<std::optional<Space>> space(std::string_view id) override {
    if (failure_) return tl::unexpected(*failure_);
    const auto it = spaces_.find(id);
    if (it == spaces_.end()) return std::optional<Space>{};
    return std::optional<Space>(it->second);
  }

  Result<std::optional<Account>> account(std::string_view id) override {
    if (failure_) return tl::unexpected(*failure_);
    const auto it = accounts_.find(id);
    if (it == accounts_.end()) return std::optional<Account>{};
    return std::optional<Account>(it->second);
  }

  Result<std::optional<Account>> account_by_email(std::string_view space_id,
                                                  std::string_view email) override {
    if (failure_) return tl::unexpected(*failure_);
    const std::string key = email_key(email);
    for (const auto& [id, a] : accounts_)
      if (a.space == space_id && a.state != AccountState::Deleted && email_key(a.email) == key)
        return std::optional<Account>(a);
    return std::optional<Account>{};
  }

  Result<std::int64_t> seats_used(std::string_view space_id, std::string_view licence) override {
    if (failure_) return tl::unexpected(*failure_);
    std::int64_t used = 0;
    for (const auto& [id, a] : accounts_)
      if (a.space == space_id && a.licence == licence && holds_seat(a.state)) ++used;
    return used;
  }

  Result<std::int64_t> enabled_owners(std::string_view space_id) override {
    if (failure_) return tl::unexpected(*failure_);
    std::int64_t owners = 0;
    for (const auto& [id, a] : accounts_)
      if (a.space == space_id && a.role == kOwnerRole && is_enabled(a.state)) ++owners;
    return owners;
  }

 private:
  std::map<std::string, Space, std::less<>> spaces_;
  std::map<std::string, Account, std::less<>> accounts_;
  std::optional<Error> failure_;
};

}  // namespace rosterd::testing
