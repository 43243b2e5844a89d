// What a store needs from outside to apply operations: the role catalogue of the running
// configuration, a clock and an id generator (both replaceable in tests).
#pragma once

#include <functional>
#include <string>

#include "core/role_catalogue.h"
#include "core/timestamp.h"

namespace rosterd {

struct StoreOptions {
  RoleCatalogue roles = RoleCatalogue::built_in();
  std::function<Timestamp()> clock;          // default: the system clock
  std::function<std::string()> new_id;       // default: random UUIDs (random_id.h)
};

// The system clock at millisecond precision.
Timestamp system_now();

}  // namespace rosterd
