#include "connectors/ldap/entry.h"

#include "connectors/ldap/ascii.h"
#include "connectors/ldap/control_conversion.h"
#include "connectors/ldap/ldap_handles.h"

namespace rosterd::ldap {

namespace {

std::string_view view(const berval& v) {
  return v.bv_val == nullptr ? std::string_view() : std::string_view(v.bv_val, v.bv_len);
}

}  // namespace

Entry::~Entry() {
  for (berval* values : value_arrays_) ber_memfree(values);
  if (ber_ != nullptr) ber_free(ber_, 0);  // 0: the buffer is the message's
}

const std::vector<Entry::Attribute>* Entry::attributes() const {
  if (parsed_) return parse_failed_ ? nullptr : &attributes_;
  parsed_ = true;
  BerElement* ber = nullptr;
  berval dn{};
  if (ldap_get_dn_ber(handle_, message_, &ber, &dn) != LDAP_SUCCESS || ber == nullptr) {
    if (ber != nullptr) ber_free(ber, 0);
    parse_failed_ = true;
    return nullptr;
  }
  ber_ = ber;
  dn_ = view(dn);
  for (;;) {
    berval name{};
    berval* values = nullptr;
    if (ldap_get_attribute_ber(handle_, message_, ber, &name, &values) != LDAP_SUCCESS) {
      if (values != nullptr) ber_memfree(values);
      parse_failed_ = true;  // libldap's own lookups below decide, as before
      return nullptr;
    }
    if (name.bv_val == nullptr) break;  // no more attributes
    Attribute a{view(name), {}};
    if (values != nullptr) {
      value_arrays_.push_back(values);
      for (const berval* v = values; v->bv_val != nullptr; ++v) a.values.push_back(view(*v));
    }
    attributes_.push_back(std::move(a));
  }
  return &attributes_;
}

std::string Entry::dn() const {
  if (attributes()) return std::string(dn_);
  const LdapText dn(ldap_get_dn(handle_, message_));
  return dn ? std::string(dn.get()) : std::string();
}

std::vector<std::string> Entry::values(const std::string& attribute) const {
  std::vector<std::string> out;
  if (const auto* all = attributes()) {
    for (const Attribute& a : *all)
      if (equal_ignoring_ascii_case(a.name, attribute)) {
        out.reserve(a.values.size());
        for (std::string_view v : a.values) out.emplace_back(v);
        return out;
      }
    return out;
  }
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
