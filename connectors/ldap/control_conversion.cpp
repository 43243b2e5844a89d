#include "connectors/ldap/control_conversion.h"

namespace rosterd::ldap {

std::vector<Control> to_controls(LDAPControl* const* controls) {
  std::vector<Control> out;
  if (controls == nullptr) return out;
  for (; *controls != nullptr; ++controls) {
    const LDAPControl& c = **controls;
    Control control;
    control.oid = c.ldctl_oid == nullptr ? "" : c.ldctl_oid;
    if (c.ldctl_value.bv_val != nullptr) control.value = to_string(c.ldctl_value);
    control.critical = c.ldctl_iscritical != 0;
    out.push_back(std::move(control));
  }
  return out;
}

BorrowedControls::BorrowedControls(const std::vector<Control>& controls) {
  items_.reserve(controls.size());
  for (const Control& control : controls) {
    LDAPControl c{};
    // libldap takes non-const pointers but only reads request controls.
    c.ldctl_oid = const_cast<char*>(control.oid.c_str());
    if (control.value) {
      c.ldctl_value.bv_len = control.value->size();
      c.ldctl_value.bv_val = const_cast<char*>(control.value->data());
    }
    c.ldctl_iscritical = control.critical ? 1 : 0;
    items_.push_back(c);
  }
  for (LDAPControl& c : items_) pointers_.push_back(&c);
  pointers_.push_back(nullptr);
}

}  // namespace rosterd::ldap
