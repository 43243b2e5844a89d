#include "connectors/ldap/entry.h"

#include "connectors/ldap/control_conversion.h"
#include "connectors/ldap/ldap_handles.h"

namespace rosterd::ldap {

std::string Entry::dn() const {
  const LdapText dn(ldap_get_dn(handle_, message_));
  return dn ? std::string(dn.get()) : std::string();
}

std::vector<std::string> Entry::values(const std::string& attribute) const {
  std::vector<std::string> out;
  const ValuesHandle values(ldap_get_values_len(handle_, message_, attribute.c_str()));
  if (!values) return out;
  out.reserve(static_cast<std::size_t>(ldap_count_values_len(values.get())));
  for (berval** v = values.get(); *v != nullptr; ++v) out.push_back(to_string(**v));
  return out;
}

std::optional<std::string> Entry::first(const std::string& attribute) const {
  const ValuesHandle values(ldap_get_values_len(handle_, message_, attribute.c_str()));
  if (!values || *values.get() == nullptr) return std::nullopt;
  return to_string(**values.get());
}

bool Entry::has(const std::string& attribute) const {
  const ValuesHandle values(ldap_get_values_len(handle_, message_, attribute.c_str()));
  return values && *values.get() != nullptr;
}

std::vector<std::string> Entry::attribute_names() const {
  std::vector<std::string> out;
  BerElement* raw_ber = nullptr;
  LdapText name(ldap_first_attribute(handle_, message_, &raw_ber));
  const BerHandle ber(raw_ber);
  while (name) {
    out.emplace_back(name.get());
    name.reset(ldap_next_attribute(handle_, message_, ber.get()));
  }
  return out;
}

std::vector<Control> Entry::controls() const {
  LDAPControl** raw = nullptr;
  if (ldap_get_entry_controls(handle_, message_, &raw) != LDAP_SUCCESS) return {};
  const ControlsHandle controls(raw);
  return to_controls(controls.get());
}

}  // namespace rosterd::ldap
