// The digest of a full directory read as the store keeps it, in two parts: the records
// (users, then groups, by id, with the anchors of the entries kept though skipped) and the
// memberships. Kept with the read's state (SourceState::read_digest, "<records>
// <memberships>"): the next full read with the same digests would change nothing, so it is
// not compared with the store, and what it writes is its state alone. In two parts so that
// a read whose records differ is compared at once, while its memberships (the larger part
// to work out) are still being worked out.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "store/identity_store.h"

namespace rosterd {

struct ReadDigest {
  std::string records, memberships;  // "sha256:<hex>" each; empty: unknown

  std::string text() const { return records + " " + memberships; }
  // SourceState::read_digest back into its parts; both empty if it is not two digests.
  static ReadDigest parse(std::string_view text);
};

// `contents.memberships` is not read: the memberships are digested apart.
std::string records_digest(const SourceContents& contents, const std::vector<std::string>& kept);
std::string memberships_digest(const std::vector<Membership>& memberships);

}  // namespace rosterd
