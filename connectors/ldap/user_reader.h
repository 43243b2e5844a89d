// Turns one user entry into a DirectoryUser, as the settings say: anchor, userName and the
// other mapped attributes, active from the status rules at `now`, memberOf DNs. An entry
// that cannot be a user is skipped with a problem naming its DN; it never stops the read.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "connectors/ldap/directory_settings.h"
#include "connectors/ldap/directory_snapshot.h"
#include "connectors/ldap/entry.h"
#include "core/timestamp.h"

namespace rosterd::ldap {

struct UserRead {
  DirectoryUser user;
  std::optional<std::uint64_t> more_member_of_from;  // memberOf came in a range (ad)
};

class UserReader {
 public:
  UserReader(const DirectorySettings& settings, Timestamp now);

  // Every attribute read() looks at, to be asked for by name (entryUUID, memberOf and
  // pwdAccountLockedTime are operational: a search for "*" would not return them).
  const std::vector<std::string>& attributes() const { return attributes_; }

  // nullopt when the entry is skipped; the reason (and dropped values) go to `problems`,
  // and its anchor, if it has a readable one, to `skipped_anchors`.
  std::optional<UserRead> read(const EntryView& entry, std::vector<std::string>& problems,
                               std::vector<std::string>* skipped_anchors = nullptr) const;

 private:
  bool active(const EntryView& entry, const std::string& dn, std::vector<std::string>& problems) const;

  Dialect dialect_;
  Membership membership_;
  StatusRule status_;
  std::string anchor_;
  std::string user_name_;  // the directory attribute mapped to userName
  std::map<std::string, std::string> mapped_;  // the other canonical names -> attribute
  Timestamp now_;
  std::vector<std::string> attributes_;
};

// Adds `attribute` to `list` unless it is there already (ignoring ASCII case).
void add_attribute(std::vector<std::string>& list, const std::string& attribute);

}  // namespace rosterd::ldap
