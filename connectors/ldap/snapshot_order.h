// The last step of a read: users and groups sorted by anchor, and the entries that would
// make an anchor or a user name ambiguous taken out. Which duplicate stays does not depend
// on the order the server sent them in: the lowest anchor (then the lowest DN) is kept.
#pragma once

#include <string>
#include <vector>

#include "connectors/ldap/directory_snapshot.h"

namespace rosterd::ldap {

// Sorts and drops duplicates, adding one problem per dropped entry (both DNs named) and
// the anchor of each user dropped for its userName to `skipped_anchors`.
// Duplicate emails are reported but kept: two people may share a mailbox, and which
// account an email belongs to is decided by correlation, not here. User names compare
// ignoring ASCII case, as SCIM's userName does.
void order_and_deduplicate(std::vector<DirectoryUser>& users, std::vector<std::string>& problems,
                           std::vector<std::string>* skipped_anchors = nullptr);
void order_and_deduplicate(std::vector<DirectoryGroup>& groups, std::vector<std::string>& problems);

}  // namespace rosterd::ldap
