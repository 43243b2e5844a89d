// The leadership of `rosterd serve` (daemon/service/leadership.h) over the store's
// leader_lease row (store/sql/leader_lease.h), on a database connection of its own so that
// a renewal never waits behind a SCIM write or an apply on another connection of this
// process.
#pragma once

#include <memory>
#include <string>

#include "config/config.h"
#include "daemon/service/leadership.h"

namespace rosterd {

// "host:pid:random": unique among the instances on one database, and across restarts.
std::string leadership_holder_name();

// Opens the connection and starts the leadership (its first attempt made before this
// returns). open_store() first: it migrates the schema that has the lease.
Result<std::unique_ptr<Leadership>> start_leadership(const Config& config, LeadershipTiming timing = {});

}  // namespace rosterd
