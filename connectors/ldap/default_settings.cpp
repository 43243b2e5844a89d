#include "connectors/ldap/default_settings.h"

namespace rosterd::ldap {
namespace {

// inetOrgPerson (RFC 2798) names; `department` has no better home there than
// departmentNumber.
const std::map<std::string, std::string>& openldap_attributes() {
  static const std::map<std::string, std::string> map{
      {"userName", "uid"},         {"email", "mail"},
      {"givenName", "givenName"},  {"familyName", "sn"},
      {"displayName", "displayName"}, {"title", "title"},
      {"department", "departmentNumber"}, {"manager", "manager"},
      {"employeeType", "employeeType"}};
  return map;
}

// sAMAccountName rather than userPrincipalName: every AD account has one, while a UPN
// is optional and old accounts often lack it (a configuration can still choose the UPN).
const std::map<std::string, std::string>& ad_attributes() {
  static const std::map<std::string, std::string> map{
      {"userName", "sAMAccountName"}, {"email", "mail"},
      {"givenName", "givenName"},     {"familyName", "sn"},
      {"displayName", "displayName"}, {"title", "title"},
      {"department", "department"},   {"manager", "manager"},
      {"employeeType", "employeeType"}};
  return map;
}

}  // namespace

std::map<std::string, std::string> effective_attributes(const DirectorySettings& settings) {
  std::map<std::string, std::string> out =
      settings.dialect == Dialect::ActiveDirectory ? ad_attributes() : openldap_attributes();
  for (const auto& [name, attribute] : settings.attributes) out[name] = attribute;
  std::erase_if(out, [](const auto& item) { return item.second.empty(); });
  return out;
}

std::string user_filter(const DirectorySettings& settings) {
  if (!settings.users.filter.empty()) return settings.users.filter;
  // objectCategory keeps computer accounts out: they are objectClass=user too.
  return settings.dialect == Dialect::ActiveDirectory
             ? "(&(objectCategory=person)(objectClass=user))"
             : "(objectClass=inetOrgPerson)";
}

std::string group_filter(const DirectorySettings& settings) {
  if (!settings.groups.filter.empty()) return settings.groups.filter;
  return settings.dialect == Dialect::ActiveDirectory
             ? "(objectClass=group)"
             : "(|(objectClass=groupOfNames)(objectClass=groupOfUniqueNames))";
}

std::string anchor_attribute(const DirectorySettings& settings) {
  if (!settings.anchor_attribute.empty()) return settings.anchor_attribute;
  return settings.dialect == Dialect::ActiveDirectory ? "objectGUID" : "entryUUID";
}

std::string member_attribute(const DirectorySettings& settings) {
  return settings.membership == Membership::UniqueMember ? "uniqueMember" : "member";
}

}  // namespace rosterd::ldap
