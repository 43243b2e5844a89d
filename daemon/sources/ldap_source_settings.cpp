#include "daemon/sources/ldap_source_settings.h"

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "config/duration.h"

namespace rosterd {
namespace {

using Settings = std::map<std::string, std::string>;

std::string setting(const Settings& s, const std::string& key) {
  const auto it = s.find(key);
  return it == s.end() ? std::string() : it->second;
}

std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> out;
  std::string item;
  std::istringstream in(text);
  while (std::getline(in, item, separator))
    if (!item.empty()) out.push_back(item);
  return out;
}

ldap::SearchScope scope(const std::string& text) {
  if (text == "base") return ldap::SearchScope::Base;
  if (text == "one") return ldap::SearchScope::One;
  return ldap::SearchScope::Sub;
}

ldap::SearchSettings search(const Settings& s, const std::string& section) {
  return ldap::SearchSettings{setting(s, section + ".base"), setting(s, section + ".filter"),
                              scope(setting(s, section + ".scope"))};
}

// Durations were checked when the configuration was read; a missing one keeps the default.
template <class Duration>
void duration(const Settings& s, const std::string& key, Duration& out) {
  if (const auto parsed = parse_duration(setting(s, key))) out = std::chrono::duration_cast<Duration>(*parsed);
}

}  // namespace

Result<LdapSourceSettings> ldap_source_settings(const SourceConfig& source) {
  const Settings& s = source.settings;
  LdapSourceSettings out;
  out.id = source.id;
  out.space = source.space;
  ldap::DirectorySettings& d = out.directory;
  d.dialect = setting(s, "dialect") == "ad" ? ldap::Dialect::ActiveDirectory : ldap::Dialect::OpenLdap;
  d.urls = split(setting(s, "urls"), ' ');
  d.start_tls = setting(s, "start_tls") == "true";
  d.ca_file = setting(s, "ca_file");
  d.bind_dn = setting(s, "bind_dn");
  const std::string mech = setting(s, "sasl_mech");
  d.bind_method = mech.empty() ? ldap::BindMethod::Simple : ldap::BindMethod::SaslExternal;
  d.client_cert = setting(s, "client_cert");
  d.client_key = setting(s, "client_key");
  d.users = search(s, "users");
  d.groups = search(s, "groups");
  const std::string prefix = "attributes.";
  for (auto it = s.lower_bound(prefix); it != s.end() && it->first.starts_with(prefix); ++it)
    d.attributes[it->first.substr(prefix.size())] = it->second;
  const std::string membership = setting(s, "membership");
  d.membership = membership == "memberOf"       ? ldap::Membership::MemberOf
                 : membership == "uniqueMember" ? ldap::Membership::UniqueMember
                                                : ldap::Membership::Member;
  d.status.attribute = setting(s, "status.attribute");
  d.status.disabled_values = split(setting(s, "status.disabled_values"), '\n');
  d.status.locked_attribute = setting(s, "status.locked_attribute");
  duration(s, "network_timeout", d.network_timeout);
  duration(s, "search_timeout", d.search_timeout);
  d.follow_referrals = setting(s, "follow_referrals") == "true";
  if (const std::string page = setting(s, "page_size"); !page.empty()) d.page_size = std::atoi(page.c_str());
  duration(s, "interval", out.interval);
  duration(s, "full_every", out.full_every);
  out.password_file = setting(s, "bind_password_file");
  out.password_env = setting(s, "bind_password_env");

  const std::string where = "source " + source.id + ": ";
  if (!mech.empty() && mech != "EXTERNAL")
    return fail(ErrorCode::Config, where + "sasl_mech '" + mech + "' is not supported (only EXTERNAL)");
  if (d.bind_method == ldap::BindMethod::SaslExternal && d.client_cert.empty())
    return fail(ErrorCode::Config, where + "sasl_mech EXTERNAL needs client_cert and client_key");
  if (d.bind_method == ldap::BindMethod::Simple && !d.bind_dn.empty() && out.password_file.empty() &&
      out.password_env.empty())
    return fail(ErrorCode::Config, where + "bind_dn needs bind_password_file or bind_password_env");
  if (d.start_tls)
    for (const std::string& url : d.urls)
      if (url.starts_with("ldaps://"))
        return fail(ErrorCode::Config, where + "start_tls cannot be used with " + url + " (already TLS)");
  if (d.page_size <= 0) return fail(ErrorCode::Config, where + "page_size must be at least 1");
  return out;
}

Result<ldap::BindPassword> read_bind_password(const LdapSourceSettings& source) {
  const std::string where = "source " + source.id + ": ";
  if (!source.password_env.empty()) {
    const char* value = std::getenv(source.password_env.c_str());
    if (value == nullptr || *value == '\0')
      return fail(ErrorCode::Config, where + "the environment variable " + source.password_env +
                                         " (bind_password_env) is not set or empty");
    return ldap::BindPassword(value);
  }
  if (source.password_file.empty()) return ldap::BindPassword();
  std::ifstream in(source.password_file, std::ios::binary);
  if (!in) return fail(ErrorCode::Config, where + "cannot read the bind password file " + source.password_file);
  std::string line;
  std::getline(in, line);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  ldap::BindPassword password(line);
  std::fill(line.begin(), line.end(), '\0');
  if (password.empty())
    return fail(ErrorCode::Config, where + "the bind password file " + source.password_file + " is empty");
  return password;
}

}  // namespace rosterd
