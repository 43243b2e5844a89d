// One read of an LDAP source into the identity store: connect, read everything, write the
// difference together with the source's new read state. A read that failed or did not see
// everything writes no identity change — only the state saying so, which reconcile reads
// as "this source is unhealthy: leave its accounts alone" — so an unreachable or
// truncated directory never deprovisions anyone.
#pragma once

#include <mutex>

#include <chrono>
#include <functional>
#include <cstddef>
#include <string>
#include <vector>

#include "core/timestamp.h"
#include "daemon/sources/directory_records.h"
#include "daemon/sources/ldap_source_settings.h"
#include "daemon/sources/source_changes.h"
#include "store/identity_store.h"

namespace rosterd {

struct PollOutcome {
  std::string status;  // ok | incomplete | failed (as written to the source's state)
  std::string error;   // incomplete or failed: why, naming the server and the operation
  bool full = true;                   // a full read, or the changes since the last read
  std::size_t users = 0, groups = 0;  // read (full) or changed (incremental)
  std::size_t deleted = 0;            // incremental: named as deleted by the server
  // Where the time went (reported, for benchmarks and logs): connecting and reading the
  // directory, then computing and writing the difference.
  std::chrono::milliseconds read_time{0}, store_time{0};
  WriteSummary written;
  // Entries skipped and references that lead nowhere: each names a DN. They do not make
  // the read incomplete.
  std::vector<std::string> problems;
  bool ok() const { return status == "ok"; }
};

// Inside a write job: the difference between what the store holds for the source and
// `records`, written with `state` (source_changes.h).
Result<WriteSummary> store_directory_read(IdentityWriter& writer, const std::string& source, const std::string& space,
                                          DirectoryRecords records, const SourceState& state, Timestamp now);
// The same with the read's memberships (records.contents.memberships is ignored) asked
// for once the records are compared: the poll works them out meanwhile. `state` is read
// after `read_memberships` returns.
using ReadMemberships = std::function<std::vector<Membership>()>;
Result<WriteSummary> store_directory_read(IdentityWriter& writer, const std::string& source, const std::string& space,
                                          DirectoryRecords records, const ReadMemberships& read_memberships,
                                          const SourceState& state, Timestamp now);
// The source's state before the read is read from the store: a failed read keeps its last
// success and its cursor.
// Incremental when the last full read left a cursor and `full_every` has not passed since
// it — RFC 4533 content synchronisation on OpenLDAP (syncprov), the uSNChanged of the same
// domain controller on Active Directory; else, or with `force_full`, or when the
// incremental read cannot be done (another DC, a cookie the server no longer serves, a
// limit), a full read.
// `large_work`, if given, is held from the end of a full read's search until it is stored:
// `serve` shares it with its reconciler, so that a full read and a plan, each holding a
// whole space in memory, never run at once. Incremental reads do not take it.
PollOutcome poll_directory(const LdapSourceSettings& source, IdentityStore& identities, Timestamp now,
                           bool force_full = false, std::mutex* large_work = nullptr);

}  // namespace rosterd
