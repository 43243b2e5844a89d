#include "connectors/ldap/entry_values.h"

#include "connectors/ldap/ascii.h"
#include "connectors/ldap/object_guid.h"
#include "connectors/ldap/range_retrieval.h"
#include "connectors/ldap/utf8.h"

namespace rosterd::ldap {

std::optional<std::string> read_anchor(const EntryView& entry, const std::string& attribute,
                                       std::string& why_not) {
  const std::vector<std::string> values = entry.values(attribute);
  if (values.empty() || values.front().empty()) {
    why_not = "no " + attribute + " (the anchor)";
    return std::nullopt;
  }
  if (equal_ignoring_ascii_case(attribute, "objectGUID")) {
    auto text = guid_to_string(values.front());
    if (!text)
      why_not = "objectGUID is " + std::to_string(values.front().size()) + " bytes, not 16";
    return text;
  }
  if (!is_valid_utf8(values.front())) {
    why_not = attribute + " (the anchor) is not valid UTF-8";
    return std::nullopt;
  }
  return values.front();
}

std::optional<std::vector<std::string>> read_text(const EntryView& entry, const std::string& attribute,
                                                  std::string& why_not) {
  std::vector<std::string> values = entry.values(attribute);
  for (const std::string& value : values)
    if (!is_valid_utf8(value)) {
      why_not = attribute + " has a value that is not valid UTF-8 " + quoted_value(value);
      return std::nullopt;
    }
  return values;
}

DnValues read_dns(const EntryView& entry, const std::string& dn, const std::string& attribute,
                  std::vector<std::string>& problems) {
  RangedValues ranged = ranged_values(entry, attribute);
  DnValues out{std::move(ranged.values), ranged.next_low};
  std::erase_if(out.values, [&](const std::string& value) {
    if (is_valid_utf8(value)) return false;
    problems.push_back("dropped a " + attribute + " value of '" + dn + "': not valid UTF-8 " +
                       quoted_value(value));
    return true;
  });
  return out;
}

}  // namespace rosterd::ldap
