// One LDAP search as a value: where, what, which attributes, which controls. Controls are
// plain (OID, BER value, criticality) values so code above this library, and tests, can
// build and inspect them without libldap (RFC 4533's sync request, AD's DirSync, ...).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "connectors/ldap/directory_settings.h"

namespace rosterd::ldap {

struct Control {
  std::string oid;
  std::optional<std::string> value;  // BER-encoded, binary; nullopt: the control has none
  bool critical = false;
};

// The first control with this OID, or nullptr.
inline const Control* find_control(const std::vector<Control>& controls, const std::string& oid) {
  for (const Control& control : controls)
    if (control.oid == oid) return &control;
  return nullptr;
}

struct SearchRequest {
  std::string base;
  SearchScope scope = SearchScope::Sub;
  std::string filter = "(objectClass=*)";
  // Asked for by name: operational attributes (entryUUID, memberOf) come only this way.
  // Empty: all user attributes.
  std::vector<std::string> attributes;
  std::vector<Control> controls;  // server controls sent with the request
  int size_limit = 0;             // 0: none asked (the server's own limits still apply)
  // What the search is for, in messages: "users", "groups", "members of <dn>".
  std::string purpose = "entries";
};

}  // namespace rosterd::ldap
