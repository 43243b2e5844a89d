#include "connectors/ldap/connection.h"

#include <optional>
#include <vector>

#include "connectors/ldap/ldap_error.h"
#include "connectors/ldap/ldap_handles.h"

namespace rosterd::ldap {

void Connection::Unbind::operator()(::ldap* handle) const { ldap_unbind_ext_s(handle, nullptr, nullptr); }

namespace {

bool is_ldaps(const std::string& url) { return url.rfind("ldaps://", 0) == 0; }

std::string trusted_ca(const DirectorySettings& settings) {
  return settings.ca_file.empty() ? std::string("a CA the system trusts") : "the CA in " + settings.ca_file;
}

// A failure to reach or bind one URL, with the code the caller folds into its own.
struct Attempt {
  ErrorCode code;
  std::string message;
};

// The options of every handle: LDAPv3 (libldap defaults to v2 for historical reasons),
// bounded connect and synchronous-call times, referrals chased only when asked.
std::optional<Attempt> set_common_options(LDAP* ld, const DirectorySettings& settings,
                                          const std::string& url) {
  const int version = LDAP_VERSION3;
  const timeval network = to_timeval(settings.network_timeout);
  const bool ok =
      ldap_set_option(ld, LDAP_OPT_PROTOCOL_VERSION, &version) == LDAP_OPT_SUCCESS &&
      (settings.network_timeout.count() <= 0 ||
       (ldap_set_option(ld, LDAP_OPT_NETWORK_TIMEOUT, &network) == LDAP_OPT_SUCCESS &&
        ldap_set_option(ld, LDAP_OPT_TIMEOUT, &network) == LDAP_OPT_SUCCESS)) &&
      ldap_set_option(ld, LDAP_OPT_REFERRALS,
                      settings.follow_referrals ? LDAP_OPT_ON : LDAP_OPT_OFF) == LDAP_OPT_SUCCESS &&
      ldap_set_option(ld, LDAP_OPT_RESTART, LDAP_OPT_ON) == LDAP_OPT_SUCCESS;
  if (ok) return std::nullopt;
  return Attempt{ErrorCode::Internal, "cannot set the connection options for " + url};
}

// Per-handle TLS settings take effect only in a context created after them
// (LDAP_OPT_X_TLS_NEWCTX); without one libldap would use the process-wide defaults from
// ldap.conf. The certificate is always verified: an unverified TLS connection would hand
// the bind password to whoever answers.
std::optional<Attempt> set_tls_options(LDAP* ld, const DirectorySettings& settings,
                                       const std::string& url) {
  const auto set_text = [ld](int option, const std::string& value) {
    return value.empty() || ldap_set_option(ld, option, value.c_str()) == LDAP_OPT_SUCCESS;
  };
  const int demand = LDAP_OPT_X_TLS_DEMAND;
  if (!set_text(LDAP_OPT_X_TLS_CACERTFILE, settings.ca_file) ||
      !set_text(LDAP_OPT_X_TLS_CERTFILE, settings.client_cert) ||
      !set_text(LDAP_OPT_X_TLS_KEYFILE, settings.client_key) ||
      ldap_set_option(ld, LDAP_OPT_X_TLS_REQUIRE_CERT, &demand) != LDAP_OPT_SUCCESS)
    return Attempt{ErrorCode::Config, "cannot set the TLS options for " + url};
  const int client = 0;
  if (const int rc = ldap_set_option(ld, LDAP_OPT_X_TLS_NEWCTX, &client); rc != LDAP_OPT_SUCCESS) {
    std::string files = settings.ca_file.empty() ? "" : " (CA file " + settings.ca_file;
    if (!settings.client_cert.empty())
      files += (files.empty() ? " (" : ", ") + std::string("client certificate ") + settings.client_cert;
    if (!files.empty()) files += ")";
    return Attempt{ErrorCode::Config,
                   "cannot set up TLS for " + url + files + ": " + describe_result(ld, rc)};
  }
  return std::nullopt;
}

std::optional<Attempt> establish(LDAP* ld, const DirectorySettings& settings, const std::string& url) {
  if (const int rc = ldap_connect(ld); rc != LDAP_SUCCESS) {
    std::string message = "cannot connect to " + url + ": " + describe_result(ld, rc);
    if (is_ldaps(url))
      message += "; if the server is up, its certificate must be signed by " + trusted_ca(settings) +
                 " and name the URL's host";
    return Attempt{ErrorCode::Unavailable, message};
  }
  if (!settings.start_tls) return std::nullopt;
  if (const int rc = ldap_start_tls_s(ld, nullptr, nullptr); rc != LDAP_SUCCESS) {
    std::string message = "StartTLS failed at " + url + ": " + describe_result(ld, rc);
    // libldap rarely says why a handshake failed; the usual cause is the certificate.
    if (rc == LDAP_CONNECT_ERROR)
      message += "; the server's certificate must be signed by " + trusted_ca(settings) + " and name the URL's host";
    return Attempt{ErrorCode::Unavailable, message};
  }
  return std::nullopt;
}

// libldap reads each message with two read() calls after a poll() (its header, then the
// rest): some 300,000 system calls for 100,000 entries, a third of a full read's time.
// liblber's read-ahead layer, put under the protocol (and under TLS, whose records it
// then buffers), reads up to 64 KiB at a time, and libldap skips the poll while it holds
// data. liblber links the layer in before setting it up, so a layer that could not be set
// up (no memory) would be read through: that connection is given up.
std::optional<Attempt> read_ahead(LDAP* ld, const std::string& url) {
  Sockbuf* sb = nullptr;
  if (ldap_get_option(ld, LDAP_OPT_SOCKBUF, &sb) != LDAP_OPT_SUCCESS || sb == nullptr) return std::nullopt;
  if (ber_sockbuf_ctrl(sb, LBER_SB_OPT_HAS_IO, &ber_sockbuf_io_readahead) == 1) return std::nullopt;
  int size = 64 * 1024;
  if (ber_sockbuf_add_io(sb, &ber_sockbuf_io_readahead, LBER_SBIOD_LEVEL_PROVIDER, &size) != 0)
    return Attempt{ErrorCode::Internal, "cannot set up reading from " + url + " (out of memory)"};
  return std::nullopt;
}

std::optional<Attempt> bind(LDAP* ld, const DirectorySettings& settings,
                            const BindPassword& password, const std::string& url) {
  int rc = LDAP_SUCCESS;
  std::string who;
  if (settings.bind_method == BindMethod::SaslExternal) {
    // EXTERNAL's only message is an empty authorization identity (the identity is the
    // TLS client certificate), so no SASL library is needed. The pointer must not be null:
    // libldap sends a null one as "no credentials", which Cyrus SASL in slapd answers with
    // a challenge (saslBindInProgress) rather than a result.
    char empty[] = "";
    berval authzid{0, empty};
    rc = ldap_sasl_bind_s(ld, nullptr, "EXTERNAL", &authzid, nullptr, nullptr, nullptr);
    who = "SASL EXTERNAL (" +
          (settings.client_cert.empty() ? std::string("no client certificate")
                                        : "client certificate " + settings.client_cert) +
          ")";
  } else {
    berval credentials{password.reveal().size(), const_cast<char*>(password.reveal().data())};
    const char* dn = settings.bind_dn.empty() ? nullptr : settings.bind_dn.c_str();
    rc = ldap_sasl_bind_s(ld, dn, LDAP_SASL_SIMPLE, &credentials, nullptr, nullptr, nullptr);
    who = settings.bind_dn.empty() ? std::string("anonymous") : settings.bind_dn;
  }
  if (rc == LDAP_SUCCESS) return std::nullopt;
  if (is_connection_failure(rc))
    return Attempt{ErrorCode::Unavailable,
                   "bind as " + who + " at " + url + " got no answer: " + describe_result(ld, rc)};
  return Attempt{ErrorCode::Unauthorized,
                 "bind failed as " + who + " at " + url + ": " + describe_result(ld, rc)};
}

}  // namespace

class ConnectionFactory {
 public:
  static Result<Connection> open(const DirectorySettings& settings, const BindPassword& password,
                                 const std::string& url, std::vector<Attempt>& failures) {
    LDAP* raw = nullptr;
    const int rc = ldap_initialize(&raw, url.c_str());
    std::unique_ptr<::ldap, Connection::Unbind> handle(raw);
    std::optional<Attempt> failed;
    if (rc != LDAP_SUCCESS)
      failed = Attempt{ErrorCode::Config, "cannot use LDAP URL " + url + ": " + ldap_err2string(rc)};
    else if (settings.start_tls && is_ldaps(url))
      failed = Attempt{ErrorCode::Config, "start_tls is for ldap:// URLs, " + url + " is TLS already"};
    if (!failed) failed = set_common_options(raw, settings, url);
    if (!failed && (settings.start_tls || is_ldaps(url))) failed = set_tls_options(raw, settings, url);
    if (!failed) failed = establish(raw, settings, url);
    if (!failed) failed = read_ahead(raw, url);
    if (!failed) failed = bind(raw, settings, password, url);
    if (failed) {
      failures.push_back(std::move(*failed));
      return fail(failures.back().code, failures.back().message);
    }
    return Connection(std::move(handle), url, settings.search_timeout, settings.follow_referrals);
  }
};

Result<Connection> connect(const DirectorySettings& settings, const BindPassword& password) {
  if (settings.urls.empty()) return fail(ErrorCode::Config, "no LDAP URL to connect to");
  // A DN with an empty password is an "unauthenticated bind" (RFC 4513 5.1.2), which
  // some servers accept as anonymous: refuse it rather than read as nobody.
  if (settings.bind_method == BindMethod::Simple && !settings.bind_dn.empty() && password.empty())
    return fail(ErrorCode::Config, "no bind password for " + settings.bind_dn);
  std::vector<Attempt> failures;
  for (const std::string& url : settings.urls)
    if (auto connection = ConnectionFactory::open(settings, password, url, failures)) return connection;
  if (failures.size() == 1) return fail(failures.front().code, failures.front().message);
  std::string message = "no LDAP server of " + std::to_string(failures.size()) + " could be used: ";
  ErrorCode code = failures.front().code;
  for (std::size_t i = 0; i < failures.size(); ++i) {
    if (failures[i].code != code) code = ErrorCode::Unavailable;
    message += (i == 0 ? "" : "; ") + failures[i].message;
  }
  return fail(code, message);
}

}  // namespace rosterd::ldap
