// An account: what the platform grants one person in one space.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/timestamp.h"

namespace rosterd {

enum class AccountState { Invited, Active, Suspended, Deactivated, Locked, Deleted };

std::string_view to_string(AccountState state);
std::optional<AccountState> parse_account_state(std::string_view text);

// A seat (licence) is held in every state except deactivated and deleted.
bool holds_seat(AccountState state);
// The person can use the platform, or will on first login / after an unlock. Used for
// "the last active owner" and for successors: suspended, deactivated and deleted
// accounts do not count.
bool is_enabled(AccountState state);

inline constexpr std::string_view kManualManager = "manual";

struct Account {
  std::string id;
  std::string space;
  std::string email;
  std::string given_name;
  std::string family_name;
  std::string title;
  std::string phone;
  std::string team;
  std::string country;
  std::string language;
  std::string role;
  std::string licence;
  AccountState state = AccountState::Invited;
  std::string managed_by{kManualManager};  // "manual" or the id of the source
  std::string source_anchor;               // the source's stable id for the person
  std::string successor;                   // account id that took over, after delete/reassign
  std::vector<std::string> folders;        // shared recruitment folders the account can use
  Timestamp created_at{};
  Timestamp updated_at{};
  std::optional<Timestamp> activated_at;   // first login; decides invited vs active on resume
  std::int64_t version = 0;                // bumped by every change (ETags, optimistic checks)

  bool is_manual() const { return managed_by == kManualManager; }
  // The state an account returns to when a suspension or a lock ends.
  AccountState enabled_state() const {
    return activated_at ? AccountState::Active : AccountState::Invited;
  }
};

}  // namespace rosterd
