// The digest of a full directory read as the store keeps it: every record (users, then
// groups, by id), every membership, and the anchors of the entries kept though skipped.
// Written with the read's state (SourceState::read_digest): the next full read with the
// same digest would change nothing, so it is not compared with the store row by row, and
// what it writes is its state alone.
#pragma once

#include <string>
#include <vector>

#include "store/identity_store.h"

namespace rosterd {

// `contents.memberships` is not read: the memberships are given apart (a poll works them
// out while the records wait).
std::string read_digest(const SourceContents& contents, const std::vector<Membership>& memberships,
                        const std::vector<std::string>& kept);

}  // namespace rosterd
