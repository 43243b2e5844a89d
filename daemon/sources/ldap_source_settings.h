// An ldap source's configuration turned into what the LDAP connector and the poller need:
// the connector's DirectorySettings, the poll and full-read intervals, and where the bind
// password is kept. The password itself is read at each connection (read_bind_password),
// so that a rotated password file is picked up without a reload, and is never logged.
#pragma once

#include <chrono>
#include <string>

#include "config/config.h"
#include "connectors/ldap/bind_password.h"
#include "connectors/ldap/directory_settings.h"
#include "core/error.h"

namespace rosterd {

struct LdapSourceSettings {
  std::string id;
  std::string space;
  ldap::DirectorySettings directory;
  std::chrono::seconds interval{std::chrono::minutes(5)};  // between polls
  std::chrono::seconds full_every{std::chrono::hours(6)};  // between full reads
  std::string password_file;  // bind_password_file, or
  std::string password_env;   // bind_password_env; neither: no password
};

// The configuration has already checked each setting's shape (config/read_ldap_settings);
// this gives them meaning. ErrorCode::Config naming the source for what only makes sense
// here (a bind DN without any password setting, StartTLS with an ldaps:// URL).
Result<LdapSourceSettings> ldap_source_settings(const SourceConfig& source);

// The password from the file (its first line, without the line end) or the environment
// variable. ErrorCode::Config naming the file or the variable (never the content) when it
// cannot be read or is empty.
Result<ldap::BindPassword> read_bind_password(const LdapSourceSettings& source);

}  // namespace rosterd
