// An incremental read (RFC 4533 changes) written into the identity store without reading
// the whole source: the store's keys (ids and DNs) resolve the changed entries' DN
// references, only the changed, deleted and regrouped resources are read and compared,
// and what differs is written with the source's state (source_changes.h) — so a poll
// with 100 changes costs about 100 changes, not 100,000 records.
#pragma once

#include <string>
#include <vector>

#include "connectors/ldap/directory_changes.h"
#include "core/timestamp.h"
#include "daemon/sources/source_changes.h"
#include "store/identity_store.h"

namespace rosterd {

// Inside a write job. `model` says whether a changed group states its members or, in the
// memberOf model, a changed entry its groups. DN references that lead nowhere are
// described in `problems`.
Result<WriteSummary> store_directory_changes(IdentityWriter& writer, const std::string& source,
                                             const std::string& space, const ldap::DirectoryChanges& changes,
                                             ldap::Membership model, const SourceState& state, Timestamp now,
                                             std::vector<std::string>& problems);

}  // namespace rosterd
