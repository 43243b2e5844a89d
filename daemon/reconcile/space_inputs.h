// Everything reconcile() needs about one space, read from the stores: what its sources
// say (the Directory the rules engine reads), the state of each source, the accounts,
// the seat queue. One place builds it for `plan`, `apply`, `sync`, `explain` and `serve`.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "config/config.h"
#include "core/reconcile.h"
#include "mapping/directory.h"
#include "store/account_store.h"
#include "store/identity_store.h"
#include "store/source_state.h"

namespace rosterd {

struct SpaceInputs {
  Directory directory;
  std::vector<SourceStatus> sources;  // every source of the space, in config order
  std::vector<Account> accounts;      // the space's accounts, deleted ones excluded
  std::vector<SeatClaim> queue;
};

// Reads the identities and groups of every source of `space` (one read transaction per
// source), the sources' states (an LDAP source that was never read is "never"; a SCIM
// source is "ok": it is pushed to), the accounts and the queue.
Result<SpaceInputs> read_space_inputs(const Config& config, std::string_view space,
                                      AccountStore& accounts, IdentityStore& identities);

// The same in two halves, which need different stores and so may be read on two threads
// (Planner::plan does): the identities and groups of the space's sources, with how many
// users each has (config order)...
struct DirectoryInputs {
  Directory directory;
  std::vector<std::int64_t> users;
};
Result<DirectoryInputs> read_directory_inputs(const Config& config, std::string_view space,
                                              IdentityStore& identities);
// ...and the sources' states, the space's accounts and its seat queue...
struct AccountInputs {
  std::vector<SourceState> states;
  std::vector<Account> accounts;
  std::vector<SeatClaim> queue;
};
Result<AccountInputs> read_account_inputs(std::string_view space, AccountStore& accounts);
// ...put together.
SpaceInputs combine_space_inputs(const Config& config, std::string_view space, DirectoryInputs directory,
                                 AccountInputs account_side);

// The policy of a space as reconcile() takes it.
SpacePolicy space_policy(const SpaceConfig& space);

}  // namespace rosterd
