#include "connectors/ldap/group_reader.h"

#include "connectors/ldap/default_settings.h"
#include "connectors/ldap/entry_values.h"
#include "connectors/ldap/ranged_attribute.h"
#include "connectors/ldap/unique_member.h"
#include "connectors/ldap/user_reader.h"
#include "connectors/ldap/utf8.h"

namespace rosterd::ldap {

GroupReader::GroupReader(const DirectorySettings& settings)
    : membership_(settings.membership),
      anchor_(anchor_attribute(settings)),
      dn_attribute_(settings.membership == Membership::MemberOf ? "memberOf" : member_attribute(settings)),
      modified_(settings.dialect == Dialect::OpenLdap) {
  add_attribute(attributes_, anchor_);
  add_attribute(attributes_, "cn");
  add_attribute(attributes_, "displayName");
  // Samba and Windows both honour an explicit, bounded range request; Windows would send
  // ranges anyway, Samba only when asked for a bounded one (to "0-*" it sends every
  // value), which keeps the range loop exercised on Samba too.
  add_attribute(attributes_, settings.dialect == Dialect::ActiveDirectory ? range_request(dn_attribute_, 0)
                                                                           : dn_attribute_);
  if (modified_) add_attribute(attributes_, "modifyTimestamp");  // operational
}

std::optional<GroupRead> GroupReader::read(const EntryView& entry, std::vector<std::string>& problems,
                                           std::vector<std::string>* skipped_anchors) const {
  GroupRead out;
  DirectoryGroup& group = out.group;
  group.dn = entry.dn();
  if (!is_valid_utf8(group.dn)) {
    problems.push_back("skipped a group whose DN is not valid UTF-8 " + quoted_value(group.dn));
    return std::nullopt;
  }
  const auto skip = [&](const std::string& why) {
    problems.push_back("skipped group '" + group.dn + "': " + why);
    if (skipped_anchors != nullptr && !group.anchor.empty()) skipped_anchors->push_back(group.anchor);
    return std::nullopt;
  };
  std::string why;
  auto anchor = read_anchor(entry, anchor_, why);
  if (!anchor) return skip(why);
  group.anchor = std::move(*anchor);
  for (const char* attribute : {"cn", "displayName"}) {
    auto names = read_text(entry, attribute, why);
    if (!names) return skip(why);
    if (!names->empty() && !names->front().empty()) {
      group.name = std::move(names->front());
      break;
    }
  }
  if (group.name.empty()) return skip("no cn or displayName");
  DnValues dns = read_dns(entry, group.dn, dn_attribute_, problems);
  if (membership_ == Membership::UniqueMember)
    for (std::string& value : dns.values) value = std::string(unique_member_dn(value));
  (membership_ == Membership::MemberOf ? group.member_of : group.members) = std::move(dns.values);
  out.more_from = dns.more_from;
  if (modified_)
    if (auto modified = entry.values("modifyTimestamp"); !modified.empty()) group.modified = std::move(modified.front());
  return out;
}

}  // namespace rosterd::ldap
