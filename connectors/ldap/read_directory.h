// A full read of a directory source over one connection: users and groups each with a
// paged search, AD member ranges followed to the end, bad entries skipped and reported.
// The result is a value; a read that did not see everything says so (complete == false,
// with the reasons) rather than failing, so the caller can still log what it got and
// must not deprovision anyone from it.
#pragma once

#include "connectors/ldap/connection.h"
#include "connectors/ldap/directory_settings.h"
#include "connectors/ldap/directory_snapshot.h"
#include "core/timestamp.h"

namespace rosterd::ldap {

// `now` decides AD accountExpires (expired from that instant on). Groups are read only
// when settings.groups.base is set.
DirectorySnapshot read_directory(Connection& connection, const DirectorySettings& settings, Timestamp now);

}  // namespace rosterd::ldap
