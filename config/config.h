// The typed, validated configuration (DESIGN.md section 6). Produced by load_config();
// every value here has been checked, so the rest of rosterd never re-validates it.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "config/rule_condition.h"
#include "config/source_location.h"
#include "core/role_catalogue.h"
#include "core/space.h"

namespace rosterd {

struct ListenConfig {
  std::string scim;   // host:port, may be empty (no SCIM listener)
  std::string admin;  // host:port, may be empty
  std::string tls_cert, tls_key;  // both or neither
};

struct LeavePolicy {
  std::string action = "deactivate";  // deactivate | suspend | delete
  int delete_after_days = 0;          // 0 = never delete automatically
};

struct DestructiveLimit {
  std::int64_t count = 50;
  int percent = 10;
};

// A space's webhook to the platform (connectors/webhook). The secret file is read by the
// daemon at start and at reload, never here: loading a file stays free of side effects.
struct WebhookConfig {
  std::string url;          // https://, or http:// to a loopback host with allow_http_loopback
  std::string secret_file;  // the HMAC key, first line of the file
  bool allow_http_loopback = false;
  std::string ca_file;      // optional CA bundle for the receiver's certificate
  std::chrono::milliseconds timeout{std::chrono::seconds(15)};  // one request, all in
  std::chrono::milliseconds connect_timeout{std::chrono::seconds(5)};
  std::chrono::milliseconds retry_initial{std::chrono::seconds(1)};  // backoff after a failure
  std::chrono::milliseconds retry_max{std::chrono::hours(1)};        // longest wait
  int max_attempts = 25;  // then dead
};

// A space that asks rosterd to email the invitations itself (connectors/webhook's
// invitation sender) instead of the platform. The password file is read by the daemon.
struct SmtpConfig {
  std::string url;            // smtp://host[:port] or smtps://host[:port]
  bool starttls = true;       // smtp:// only: STARTTLS required before anything is sent
  std::string from;           // the envelope sender and From: address
  std::string username;       // optional; with password_file
  std::string password_file;  // optional; its first line
  bool allow_plain_loopback = false;  // smtp:// without STARTTLS, to a loopback host only
  std::chrono::milliseconds timeout{std::chrono::seconds(30)};  // one email, all in
  std::chrono::milliseconds connect_timeout{std::chrono::seconds(10)};
};

struct SpaceConfig {
  Space space;  // id, licences, default_owner
  std::string resolution = "highest-rank";  // or first-match
  LeavePolicy on_leave;
  DestructiveLimit max_destructive;
  std::optional<WebhookConfig> webhook;
  std::optional<SmtpConfig> invitation_smtp;  // invitations: {smtp: ...}
  // How one person seen by several sources of the space is recognised: the attribute
  // compared (case-insensitively) and which source wins when they disagree, first
  // first. Sources of the space not listed come after, in file order.
  std::string correlate_by = "email";
  std::vector<std::string> source_precedence;
  SourceLocation location;
};

// Sources and rules are read and checked for shape here; the SCIM, LDAP and mapping
// issues give them their full meaning.
struct SourceConfig {
  std::string id;
  std::string kind;   // scim | ldap
  std::string space;
  std::vector<std::string> tokens;  // scim: "sha256:<hex>"
  // ldap and other scalar settings, by key path, only for keys the file gives:
  //   "dialect" (ad|openldap), "urls" (joined by one space), "start_tls" and
  //   "follow_referrals" ("true"|"false"), "ca_file", "bind_dn", "bind_password_file",
  //   "bind_password_env", "sasl_mech", "client_cert", "client_key",
  //   "users.base", "users.filter", "users.scope" (base|one|sub), the same for "groups.*",
  //   "attributes.<name>" (any name), "membership" (member|uniqueMember|memberOf),
  //   "status.attribute", "status.disabled_values" (joined by '\n'), "status.locked_attribute",
  //   "interval", "full_every", "network_timeout", "search_timeout" (durations as written,
  //   already checked by parse_duration in config/duration.h), "page_size" (decimal).
  std::map<std::string, std::string> settings;
  SourceLocation location;
};

struct RuleConfig {
  std::string name;
  std::string space;
  bool deny = false;
  Condition when;          // see config/rule_condition.h
  // grant_team is the team name, or "from:<attribute>" when the team comes from an attribute.
  std::string grant_role, grant_licence, grant_team;
  std::string grant_template;  // optional: email or id of the account new accounts copy
  std::string grant_handover;  // optional: email of who takes over a leaver's work
  SourceLocation location;
};

struct Config {
  std::string file;
  // "sqlite:<absolute path>" or a postgresql:// (postgres://) URL as written, never with a
  // password in it (the configuration refuses one); libpq's query options (sslmode,
  // sslrootcert, connect_timeout, ...) are passed through untouched.
  std::string store = "sqlite:/var/lib/rosterd/rosterd.db";
  // PostgreSQL only, optional: the file holding the database password (its first line),
  // absolute (a relative one is resolved like a sqlite path). Read by the daemon at start
  // and at each reload, never here. Without it libpq's PGPASSWORD / PGPASSFILE apply.
  std::string store_password_file;
  SourceLocation store_location;  // the store: key (file:0:0 when the file has none)
  ListenConfig listen;
  std::string admin_token_file;
  std::vector<SpaceConfig> spaces;  // in file order
  RoleCatalogue roles = RoleCatalogue::built_in();
  std::vector<SourceConfig> sources;
  std::vector<RuleConfig> rules;

  const SpaceConfig* find_space(std::string_view id) const;
};

}  // namespace rosterd
