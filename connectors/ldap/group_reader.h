// Turns one group entry into a DirectoryGroup: anchor, name (cn, else displayName) and
// the member DNs of the membership model. In the ad dialect members are asked for as
// "member;range=0-1499" (ranged_attribute.h), so a server that sends ranges (Windows,
// and Samba when asked this way) answers with the first one and read_directory() fetches
// the rest.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "connectors/ldap/directory_settings.h"
#include "connectors/ldap/directory_snapshot.h"
#include "connectors/ldap/entry.h"

namespace rosterd::ldap {

struct GroupRead {
  DirectoryGroup group;
  std::optional<std::uint64_t> more_from;  // members (or memberOf) came in a range
};

class GroupReader {
 public:
  explicit GroupReader(const DirectorySettings& settings);

  const std::vector<std::string>& attributes() const { return attributes_; }
  // The attribute whose values are the group's members or, in the memberOf model, the
  // groups it is in; what GroupRead::more_from refers to.
  const std::string& dn_attribute() const { return dn_attribute_; }

  // nullopt when the entry is skipped; the reason (and dropped values) go to `problems`,
  // and its anchor, if it has a readable one, to `skipped_anchors`.
  std::optional<GroupRead> read(const EntryView& entry, std::vector<std::string>& problems,
                                std::vector<std::string>* skipped_anchors = nullptr) const;

 private:
  Membership membership_;
  std::string anchor_;
  std::string dn_attribute_;
  bool modified_;  // read modifyTimestamp (openldap)
  std::vector<std::string> attributes_;
};

}  // namespace rosterd::ldap
