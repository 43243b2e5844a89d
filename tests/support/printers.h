// GoogleTest printers for core enums, so a failed EXPECT_EQ shows "suspended" or
// "invariant" rather than a number. Found by argument-dependent lookup.
#pragma once

#include <ostream>

#include "core/account.h"
#include "core/error.h"

namespace rosterd {

inline void PrintTo(AccountState state, std::ostream* os) { *os << to_string(state); }
inline void PrintTo(ErrorCode code, std::ostream* os) { *os << traits(code).name; }

}  // namespace rosterd
