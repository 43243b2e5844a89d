// Reading the directory sources once, for `rosterd sync --once` (and the poller of
// `serve`, source by source): each LDAP source of the chosen spaces, or the one named,
// read into the identity store with its state.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"
#include "core/error.h"
#include "core/timestamp.h"
#include "daemon/sources/directory_poll.h"
#include "store/identity_store.h"

namespace rosterd {

struct SourcePoll {
  std::string source;
  std::string space;
  PollOutcome outcome;
};

// Sources of kind ldap only (SCIM sources push). An error is a configuration that cannot
// be used or a store that cannot be read; a source that cannot be read is an outcome.
Result<std::vector<SourcePoll>> poll_ldap_sources(const Config& config, IdentityStore& identities, const std::vector<std::string>& spaces,
                                                  std::optional<std::string_view> only, Timestamp now,
                                                  bool force_full = false);

// "full read: 120 users and 14 groups; 3 created, 1 updated, 0 removed, 2 membership
// changes", "changes: 2 users and 0 groups changed, 1 deleted; ...", or "failed: ..." /
// "incomplete: ...".
std::string poll_summary(const PollOutcome& outcome);

}  // namespace rosterd
