// A source's read state (the sync_state table): written by pollers, in the same
// transaction as the identity changes a read found (IdentityWriter::set_source_state), and
// read by reconcile, which leaves the accounts of a source whose last read failed alone.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/timestamp.h"

namespace rosterd {

struct SourceState {
  std::string source;
  std::string status = "never";  // never | ok | failed | incomplete
  std::string error;
  std::int64_t identity_count = 0;  // identities when the last plan of its space was applied
  std::optional<Timestamp> last_attempt_at, last_success_at, last_full_at;
  std::string cursor;
  // The digests of the last full read as the store then held it ("<records>
  // <memberships>", daemon/sources/read_digest.h), or empty: a full read with the same
  // digests finds nothing to change. Whatever else writes the source's identities (an
  // incremental read; a migration that rewrites them) must empty it.
  std::string read_digest;
};

}  // namespace rosterd
