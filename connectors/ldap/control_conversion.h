// Control values (search_request.h) to and from libldap's LDAPControl. Internal.
#pragma once

#include <vector>

#include "connectors/ldap/ldap_handles.h"
#include "connectors/ldap/search_request.h"

namespace rosterd::ldap {

std::vector<Control> to_controls(LDAPControl* const* controls);

// A NULL-terminated array of LDAPControl whose pointers borrow from `controls`: valid as
// long as `controls` is unchanged, for passing to a libldap call.
class BorrowedControls {
 public:
  explicit BorrowedControls(const std::vector<Control>& controls);
  BorrowedControls(const BorrowedControls&) = delete;
  BorrowedControls& operator=(const BorrowedControls&) = delete;
  // nullptr when there are none, as libldap expects.
  LDAPControl** get() { return items_.empty() ? nullptr : pointers_.data(); }

 private:
  std::vector<LDAPControl> items_;
  std::vector<LDAPControl*> pointers_;
};

}  // namespace rosterd::ldap
