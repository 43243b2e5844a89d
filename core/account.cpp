#include "core/account.h"

#include <array>
#include <utility>

namespace rosterd {
namespace {

constexpr std::array<std::pair<AccountState, std::string_view>, 6> kNames{{
    {AccountState::Invited, "invited"},
    {AccountState::Active, "active"},
    {AccountState::Suspended, "suspended"},
    {AccountState::Deactivated, "deactivated"},
    {AccountState::Locked, "locked"},
    {AccountState::Deleted, "deleted"},
}};

}  // namespace

std::string_view to_string(AccountState state) {
  for (const auto& [value, name] : kNames)
    if (value == state) return name;
  return "unknown";
}

std::optional<AccountState> parse_account_state(std::string_view text) {
  for (const auto& [value, name] : kNames)
    if (name == text) return value;
  return std::nullopt;
}

bool holds_seat(AccountState state) {
  return state != AccountState::Deactivated && state != AccountState::Deleted;
}

bool is_enabled(AccountState state) {
  return state == AccountState::Invited || state == AccountState::Active ||
         state == AccountState::Locked;
}

}  // namespace rosterd
