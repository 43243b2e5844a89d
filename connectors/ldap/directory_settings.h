// What the LDAP connector needs to know about one directory source, as plain values. The
// daemon fills it from the source's settings in the configuration (the names below mirror
// config/read_ldap_settings.cpp); the connector reads no configuration and no files. The
// bind password is not here: connect() takes it separately (bind_password.h), so a
// settings value can be copied, compared and printed without carrying a secret.
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <vector>

namespace rosterd::ldap {

enum class Dialect { OpenLdap, ActiveDirectory };  // "openldap" | "ad"

enum class SearchScope { Base, One, Sub };  // "base" | "one" | "sub"

// Where group membership is read: the groups' `member` or `uniqueMember` values, or the
// users' `memberOf` values (kept by the server: the memberof overlay, AD's back-links).
enum class Membership { Member, UniqueMember, MemberOf };

enum class BindMethod { Simple, SaslExternal };  // "sasl_mech: EXTERNAL" selects the latter

struct SearchSettings {
  std::string base;    // users: required; groups: empty means "do not read groups"
  std::string filter;  // empty: the dialect's default (default_settings.h)
  SearchScope scope = SearchScope::Sub;
};

// How an OpenLDAP user is recognised as disabled (AD uses userAccountControl and
// accountExpires instead, always). Both tests may be set; either one disables.
struct StatusRule {
  // Present with any value: disabled (e.g. pwdAccountLockedTime from the ppolicy overlay).
  std::string locked_attribute;
  // With disabled_values: disabled when one of its values equals one of them (ASCII case
  // ignored), e.g. {nsAccountLock, [TRUE]}. Without: present means disabled.
  std::string attribute;
  std::vector<std::string> disabled_values;
};

struct DirectorySettings {
  Dialect dialect = Dialect::OpenLdap;
  std::vector<std::string> urls;  // tried in order until one connects and binds
  bool start_tls = false;         // only with ldap:// URLs
  std::string ca_file;            // PEM; empty: the system's trust store
  BindMethod bind_method = BindMethod::Simple;
  std::string bind_dn;            // empty with BindMethod::Simple: an anonymous bind
  std::string client_cert;        // PEM files, for SASL EXTERNAL over TLS
  std::string client_key;
  SearchSettings users;
  SearchSettings groups;
  // Canonical name -> directory attribute: userName, email, givenName, familyName,
  // displayName, title, department, manager, employeeType and any other name. Merged over
  // the dialect's defaults (default_settings.h); an empty directory attribute unmaps one.
  std::map<std::string, std::string> attributes;
  Membership membership = Membership::Member;
  StatusRule status;  // openldap only
  // The stable anchor; empty: entryUUID (openldap) or objectGUID (ad).
  std::string anchor_attribute;
  std::chrono::milliseconds network_timeout{std::chrono::seconds(10)};  // connect, bind, StartTLS
  // The longest one search request (one page) may take, on the server (its time limit)
  // and on the client (the longest wait for the next message). Zero: no limit.
  std::chrono::milliseconds search_timeout{std::chrono::minutes(5)};
  // Off by default: a referral names another server, which would be bound to anonymously.
  bool follow_referrals = false;
  // RFC 2696 page size asked for; the server may send fewer, and one that refuses it gets
  // half. 1000 is Active Directory's default MaxPageSize.
  int page_size = 1000;
};

}  // namespace rosterd::ldap
