#include "connectors/ldap/user_reader.h"

#include "connectors/ldap/account_expires.h"
#include "connectors/ldap/account_status.h"
#include "connectors/ldap/ascii.h"
#include "connectors/ldap/default_settings.h"
#include "connectors/ldap/entry_values.h"
#include "connectors/ldap/utf8.h"

namespace rosterd::ldap {

void add_attribute(std::vector<std::string>& list, const std::string& attribute) {
  if (attribute.empty()) return;
  for (const std::string& a : list)
    if (equal_ignoring_ascii_case(a, attribute)) return;
  list.push_back(attribute);
}

UserReader::UserReader(const DirectorySettings& settings, Timestamp now)
    : dialect_(settings.dialect), membership_(settings.membership), status_(settings.status),
      anchor_(anchor_attribute(settings)), mapped_(effective_attributes(settings)), now_(now) {
  if (const auto found = mapped_.find("userName"); found != mapped_.end()) {
    user_name_ = found->second;
    mapped_.erase(found);
  }
  add_attribute(attributes_, anchor_);
  add_attribute(attributes_, user_name_);
  for (const auto& [name, attribute] : mapped_) add_attribute(attributes_, attribute);
  if (dialect_ == Dialect::ActiveDirectory) {
    add_attribute(attributes_, "userAccountControl");
    add_attribute(attributes_, "accountExpires");
  } else {
    add_attribute(attributes_, status_.locked_attribute);
    add_attribute(attributes_, status_.attribute);
  }
  if (membership_ == Membership::MemberOf) add_attribute(attributes_, "memberOf");
  if (dialect_ == Dialect::OpenLdap) add_attribute(attributes_, "modifyTimestamp");  // operational
}

std::optional<UserRead> UserReader::read(const EntryView& entry, std::vector<std::string>& problems,
                                         std::vector<std::string>* skipped_anchors) const {
  UserRead out;
  DirectoryUser& user = out.user;
  user.dn = entry.dn();
  if (!is_valid_utf8(user.dn)) {
    problems.push_back("skipped a user whose DN is not valid UTF-8 " + quoted_value(user.dn));
    return std::nullopt;
  }
  const auto skip = [&](const std::string& why) {
    problems.push_back("skipped user '" + user.dn + "': " + why);
    if (skipped_anchors != nullptr && !user.anchor.empty()) skipped_anchors->push_back(user.anchor);
    return std::nullopt;
  };
  std::string why;
  auto anchor = read_anchor(entry, anchor_, why);
  if (!anchor) return skip(why);
  user.anchor = std::move(*anchor);
  if (user_name_.empty()) return skip("no attribute is mapped to userName");
  auto names = read_text(entry, user_name_, why);
  if (!names) return skip(why + " (userName)");
  if (names->empty() || names->front().empty()) return skip("no " + user_name_ + " (userName)");
  user.user_name = std::move(names->front());
  for (const auto& [name, attribute] : mapped_) {  // std::map: sorted by name
    auto values = read_text(entry, attribute, why);
    if (!values) return skip(why + " (" + name + ")");
    std::erase(*values, std::string());
    if (!values->empty()) user.attributes.push_back(MappedAttribute{name, std::move(*values)});
  }
  user.active = active(entry, user.dn, problems);
  if (dialect_ == Dialect::OpenLdap)
    if (auto modified = entry.values("modifyTimestamp"); !modified.empty()) user.modified = std::move(modified.front());
  if (membership_ == Membership::MemberOf) {
    DnValues groups = read_dns(entry, user.dn, "memberOf", problems);
    user.member_of = std::move(groups.values);
    out.more_member_of_from = groups.more_from;
  }
  return out;
}

// A value that cannot be read leaves the user active, with a problem: disabling people
// because of an unreadable flag would be worse than keeping them for one more poll.
bool UserReader::active(const EntryView& entry, const std::string& dn,
                        std::vector<std::string>& problems) const {
  if (dialect_ != Dialect::ActiveDirectory) {
    const auto values_of = [&entry](const std::string& attribute) {
      return attribute.empty() ? std::vector<std::string>{} : entry.values(attribute);
    };
    return !disabled_by_rule(status_, values_of(status_.locked_attribute), values_of(status_.attribute));
  }
  bool active = true;
  for (const std::string& value : entry.values("userAccountControl")) {
    if (const auto disabled = uac_disabled(value))
      active = active && !*disabled;
    else
      problems.push_back("user '" + dn + "': " + disabled.error().message + "; taken as enabled");
  }
  for (const std::string& value : entry.values("accountExpires")) {
    if (const auto expires = parse_account_expires(value))
      active = active && !account_expired(*expires, now_);
    else
      problems.push_back("user '" + dn + "': " + expires.error().message + "; taken as never");
  }
  return active;
}

}  // namespace rosterd::ldap
