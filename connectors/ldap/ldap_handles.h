// One owner per libldap allocation, each released by the function libldap documents for
// it. Internal to connectors/ldap: only its .cpp files include <ldap.h>.
#pragma once

#include <ldap.h>
#include <sys/time.h>

#include <chrono>
#include <memory>
#include <string>

namespace rosterd::ldap {

struct LdapUnbind {
  void operator()(LDAP* ld) const { ldap_unbind_ext_s(ld, nullptr, nullptr); }
};
struct MessageFree {
  void operator()(LDAPMessage* message) const { ldap_msgfree(message); }
};
struct BerFree {
  // 0: the buffer belongs to the message the BerElement walks, not to the element.
  void operator()(BerElement* ber) const { ber_free(ber, 0); }
};
struct ValuesFree {
  void operator()(berval** values) const { ldap_value_free_len(values); }
};
struct BervalFree {
  void operator()(berval* value) const { ber_bvfree(value); }
};
struct ControlFree {
  void operator()(LDAPControl* control) const { ldap_control_free(control); }
};
struct ControlsFree {
  void operator()(LDAPControl** controls) const { ldap_controls_free(controls); }
};
struct BerArrayFree {
  void operator()(berval* values) const { ber_memfree(values); }
};
struct MemFree {
  void operator()(char* text) const { ldap_memfree(text); }
};
struct StringsFree {
  void operator()(char** strings) const { ldap_memvfree(reinterpret_cast<void**>(strings)); }
};

using LdapHandle = std::unique_ptr<LDAP, LdapUnbind>;
using MessageHandle = std::unique_ptr<LDAPMessage, MessageFree>;
using BerHandle = std::unique_ptr<BerElement, BerFree>;
using ValuesHandle = std::unique_ptr<berval*, ValuesFree>;
using BerArrayHandle = std::unique_ptr<berval, BerArrayFree>;  // a BerVarray
using BervalHandle = std::unique_ptr<berval, BervalFree>;
using ControlHandle = std::unique_ptr<LDAPControl, ControlFree>;
using ControlsHandle = std::unique_ptr<LDAPControl*, ControlsFree>;
using LdapText = std::unique_ptr<char, MemFree>;
using LdapStrings = std::unique_ptr<char*, StringsFree>;

// A berval's bytes as a string (binary safe).
inline std::string to_string(const berval& value) {
  return value.bv_val == nullptr ? std::string() : std::string(value.bv_val, value.bv_len);
}

inline timeval to_timeval(std::chrono::milliseconds duration) {
  const auto ms = duration.count();
  return timeval{static_cast<time_t>(ms / 1000), static_cast<suseconds_t>((ms % 1000) * 1000)};
}

}  // namespace rosterd::ldap
