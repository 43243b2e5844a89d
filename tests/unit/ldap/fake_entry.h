// An entry built in a test, read through the same EntryView the connector reads server
// entries through: attribute names match ignoring case, as libldap matches them.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "connectors/ldap/ascii.h"
#include "connectors/ldap/entry.h"

namespace rosterd::ldap::testing {

class FakeEntry final : public EntryView {
 public:
  explicit FakeEntry(std::string dn) : dn_(std::move(dn)) {}
  FakeEntry& with(std::string attribute, std::vector<std::string> values) {
    attributes_.emplace_back(std::move(attribute), std::move(values));
    return *this;
  }

  std::string dn() const override { return dn_; }
  std::vector<std::string> values(const std::string& attribute) const override {
    for (const auto& [name, values] : attributes_)
      if (equal_ignoring_ascii_case(name, attribute)) return values;
    return {};
  }
  std::vector<std::string> attribute_names() const override {
    std::vector<std::string> names;
    for (const auto& item : attributes_) names.push_back(item.first);
    return names;
  }

 private:
  std::string dn_;
  std::vector<std::pair<std::string, std::vector<std::string>>> attributes_;
};

}  // namespace rosterd::ldap::testing
