// Active Directory's own change tracking: every domain controller numbers the writes it
// makes (uSNChanged on each entry, highestCommittedUSN in its rootDSE), and those numbers
// mean something only on that DC, which its invocationId names. The users and groups
// changed since a USN are a paged search with (uSNChanged>=USN+1) added to the usual
// filters, ranges followed as in a full read. A change of a group's members changes the
// group's uSNChanged. Deletions are not seen (tombstones need the show-deleted control and
// more rights than a reader has): the periodic full read finds them.
#pragma once

#include <cstdint>
#include <string>

#include "connectors/ldap/connection.h"
#include "connectors/ldap/directory_changes.h"
#include "connectors/ldap/directory_settings.h"
#include "core/error.h"
#include "core/timestamp.h"

namespace rosterd::ldap {

struct UsnCursor {
  std::string invocation_id;  // the DC's, as a canonical GUID string
  std::uint64_t usn = 0;      // its highestCommittedUSN when the cursor was taken
  bool operator==(const UsnCursor&) const = default;
};

// The DC's invocationId and highestCommittedUSN (from its rootDSE and its NTDS Settings
// object). Take it before a read: what changes during the read is read again next time.
Result<UsnCursor> current_usn_cursor(Connection& connection);

// The users and groups changed on this DC since `since` (deleted and present lists stay
// empty). The caller checks first that the DC is the one the cursor came from.
DirectoryChanges read_changes_since_usn(Connection& connection, const DirectorySettings& settings,
                                        const UsnCursor& since, Timestamp now);

}  // namespace rosterd::ldap
