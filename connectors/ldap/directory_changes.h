// What changed in an OpenLDAP directory since a cookie, read with RFC 4533 content
// synchronisation (refreshOnly, the syncprov overlay on the server): the users and groups
// added or modified (whole, as a full read reads them), the anchors deleted, and — when
// the server could not say what was deleted (its session log does not reach back to the
// cookie, e.g. after a restart) — the complete list of anchors still there, from which the
// caller works out the deletions. Users and groups are two searches, each with its cookie.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "connectors/ldap/connection.h"
#include "connectors/ldap/directory_settings.h"
#include "connectors/ldap/directory_snapshot.h"
#include "core/timestamp.h"

namespace rosterd::ldap {

struct SyncCursor {
  std::string users, groups;  // the servers' cookies; empty: none yet
  bool operator==(const SyncCursor&) const = default;
};

struct DirectoryChanges {
  std::vector<DirectoryUser> users;    // added or modified
  std::vector<DirectoryGroup> groups;  // added or modified
  // Anchors of users and groups, sorted, once each, none of them also changed; may name
  // entries the searches never covered (slapd lists every deletion in the database).
  std::vector<std::string> deleted;
  // Set when the server answered with a present phase: every anchor the search still
  // covers (changed ones included). Stored entries of that kind not listed are gone.
  std::optional<std::vector<std::string>> present_users, present_groups;
  // The server can no longer serve from the cookie (e-syncRefreshRequired): read
  // everything again.
  bool refresh_required = false;
  SyncCursor cursor;  // for the next read
  bool complete = false;
  std::vector<std::string> failures;
  std::vector<std::string> problems;         // entries skipped, as in a full read
  std::vector<std::string> skipped_anchors;  // they exist: not deletions

  bool empty() const {
    return users.empty() && groups.empty() && deleted.empty() && !present_users && !present_groups;
  }
};

// A read of only the entries changed since some point (uSNChanged, modifyTimestamp) as
// changes: deletions and presence are not known from such a read.
DirectoryChanges changes_from(DirectorySnapshot&& changed_entries);

// The changes since `since` (both cookies set). Groups are read only when
// settings.groups.base is set. In the memberOf model a membership change made by the
// server's memberof overlay does not change the user entry (slapd), so it is not seen
// here: the periodic full read picks it up.
DirectoryChanges read_directory_changes(Connection& connection, const DirectorySettings& settings,
                                        const SyncCursor& since, Timestamp now);

// The cookies of the directory as it is now, taken before a full read so that the next
// incremental read starts from there (a change made during the full read is then read
// again, which is harmless). No cursor, and why, when content synchronisation cannot be
// used with this server and account (no syncprov overlay, or a size, time or
// administrative limit: a sync search cannot be paged): the caller reads in full every
// time.
struct CursorTaken {
  std::optional<SyncCursor> cursor;
  std::string why_not;
};
Result<CursorTaken> current_sync_cursor(Connection& connection, const DirectorySettings& settings);

}  // namespace rosterd::ldap
