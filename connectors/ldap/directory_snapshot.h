// What one full read of a directory source found: its users and groups as values, in a
// stable order (by anchor), whether the read saw everything, and what was wrong with the
// entries it skipped. A snapshot that is not complete must never be taken as "the people
// missing from it have left".
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace rosterd::ldap {

// One mapped attribute: the canonical name (email, givenName, manager, ...) and the
// values of the directory attribute it is mapped to, valid UTF-8, in the server's order.
struct MappedAttribute {
  std::string name;
  std::vector<std::string> values;

  bool operator==(const MappedAttribute&) const = default;
};

struct DirectoryUser {
  std::string anchor;     // entryUUID, or objectGUID as "xxxxxxxx-xxxx-..." (ad)
  std::string dn;         // as the server wrote it
  std::string user_name;  // the first value of the attribute mapped to userName
  // Every other mapped attribute the entry has, sorted by name; `manager` is a DN.
  std::vector<MappedAttribute> attributes;
  bool active = true;  // ad: not disabled, not expired at the read's `now`; openldap: status rule
  std::vector<std::string> member_of;  // group DNs (memberOf model only)
  // openldap: the entry's modifyTimestamp (GeneralizedTime, "20261124031400Z"), the cursor
  // of incremental reads on servers without content synchronisation.
  std::string modified;

  // The values of the canonical attribute `name`, or nullptr.
  const std::vector<std::string>* find(std::string_view name) const {
    for (const MappedAttribute& a : attributes)
      if (a.name == name) return &a.values;
    return nullptr;
  }
};

struct DirectoryGroup {
  std::string anchor;
  std::string dn;
  std::string name;                    // cn, else displayName
  std::vector<std::string> members;    // member DNs, users and groups (member/uniqueMember models)
  std::vector<std::string> member_of;  // DNs of the groups it is in (memberOf model only)
  std::string modified;                // as DirectoryUser::modified
};

struct DirectorySnapshot {
  std::vector<DirectoryUser> users;    // sorted by anchor; anchors and user names unique
  std::vector<DirectoryGroup> groups;  // sorted by anchor; anchors unique
  // True only when every search and every range follow-up ended with the server saying
  // it had sent everything.
  bool complete = false;
  // Why complete is false: each names the server, the search and the server's words.
  std::vector<std::string> failures;
  // Entries skipped (no anchor, no userName, invalid UTF-8, duplicates) and values
  // dropped, each naming the DN. They do not make the snapshot incomplete.
  std::vector<std::string> problems;
  // Anchors of skipped entries whose anchor could be read (no userName, a value that is
  // not UTF-8, a duplicate userName): they are in the directory, so whoever compares
  // snapshots must not take their absence for a deletion.
  std::vector<std::string> skipped_anchors;
};

}  // namespace rosterd::ldap
