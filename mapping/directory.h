// What the sources of one space say, as the rules engine reads it: people (identities)
// and groups, with direct memberships. Built by the daemon from the identity store (SCIM
// and LDAP identities alike); plain values, so tests and benchmarks build them directly.
#pragma once

#include <string>
#include <vector>

#include "core/timestamp.h"

namespace rosterd {

struct DirectoryPerson {
  std::string source;
  std::string id;  // the identity's id in its source: its stable anchor
  std::string user_name;
  std::string display_name;
  std::vector<std::string> emails;  // the first is the primary one
  bool active = true;               // false: disabled in the source (a leaver)
  // The identity as stored: a JSON object with canonical SCIM attribute names (core
  // User attributes, the enterprise extension under its URN, other extensions likewise).
  std::string attributes_json = "{}";
  std::vector<std::string> groups;  // ids of the groups (same source) it is directly in
  Timestamp created{};
};

struct DirectoryGroup {
  std::string source;
  std::string id;
  std::string display_name;
  std::string dn;                   // the group's DN for directory sources; else empty
  std::vector<std::string> groups;  // ids of the groups (same source) it is directly in
};

struct Directory {
  std::vector<DirectoryPerson> people;
  std::vector<DirectoryGroup> groups;
};

}  // namespace rosterd
