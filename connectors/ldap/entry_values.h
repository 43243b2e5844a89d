// Reading the values every entry reader needs the same way: the anchor, text values that
// must be UTF-8, and member DNs that may come in ranges. Problems name the entry's DN.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "connectors/ldap/entry.h"

namespace rosterd::ldap {

// The entry's anchor as text: objectGUID converted to its canonical form, anything else
// (entryUUID, nsUniqueId, ...) taken as it is. nullopt with a reason when absent or
// malformed.
std::optional<std::string> read_anchor(const EntryView& entry, const std::string& attribute,
                                       std::string& why_not);

// Values of `attribute` if all are valid UTF-8; nullopt (with a reason) otherwise.
std::optional<std::vector<std::string>> read_text(const EntryView& entry, const std::string& attribute,
                                                  std::string& why_not);

struct DnValues {
  std::vector<std::string> values;
  std::optional<std::uint64_t> more_from;  // the server sent a range; the rest starts here
};

// DN values (member, uniqueMember, memberOf), sent plainly or as a range. Values that are
// not UTF-8 are dropped, each with a problem naming the entry.
DnValues read_dns(const EntryView& entry, const std::string& dn, const std::string& attribute,
                  std::vector<std::string>& problems);

}  // namespace rosterd::ldap
