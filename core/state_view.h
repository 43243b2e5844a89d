// What the lifecycle rules need to know about the current state. A store implements it
// inside the transaction that will write the result, so the rules stay pure (they do no
// I/O themselves) and the check and the write see the same data.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "core/account.h"
#include "core/error.h"
#include "core/space.h"

namespace rosterd {

class StateView {
 public:
  virtual ~StateView() = default;
  virtual Result<std::optional<Space>> space(std::string_view id) = 0;
  virtual Result<std::optional<Account>> account(std::string_view id) = 0;
  // The account of the space with this email (case-insensitive), deleted ones excluded.
  virtual Result<std::optional<Account>> account_by_email(std::string_view space,
                                                          std::string_view email) = 0;
  virtual Result<std::int64_t> seats_used(std::string_view space, std::string_view licence) = 0;
  // Owners of the space whose state is_enabled().
  virtual Result<std::int64_t> enabled_owners(std::string_view space) = 0;
};

}  // namespace rosterd
