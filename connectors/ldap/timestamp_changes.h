// Incremental reads for directories without content synchronisation (OpenLDAP without
// the syncprov overlay, other LDAPv3 servers): the entries whose modifyTimestamp is at
// or after the latest one an earlier read saw — that boundary is read again, which is
// harmless. The server's own timestamps are compared, never this machine's clock.
// Deletions are not seen: the periodic full read finds them. A membership change that
// the server's memberof overlay makes does not change the user entry's timestamps: in the
// member models the group's modifyTimestamp moves instead.
#pragma once

#include <string>

#include "connectors/ldap/connection.h"
#include "connectors/ldap/directory_changes.h"
#include "connectors/ldap/directory_settings.h"
#include "core/timestamp.h"

namespace rosterd::ldap {

// `since` is a GeneralizedTime as the server writes it ("20261124031400Z").
DirectoryChanges read_changes_since_time(Connection& connection, const DirectorySettings& settings,
                                         const std::string& since, Timestamp now);

// The latest modifyTimestamp among the entries, or `floor` if none is later.
std::string latest_modification(const std::vector<DirectoryUser>& users, const std::vector<DirectoryGroup>& groups,
                                std::string floor = {});

}  // namespace rosterd::ldap
