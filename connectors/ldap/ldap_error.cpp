#include "connectors/ldap/ldap_error.h"

#include "connectors/ldap/ldap_handles.h"

namespace rosterd::ldap {

std::string diagnostic_message(LDAP* ld) {
  char* raw = nullptr;
  if (ld == nullptr || ldap_get_option(ld, LDAP_OPT_DIAGNOSTIC_MESSAGE, &raw) != LDAP_OPT_SUCCESS)
    return {};
  const LdapText text(raw);
  return text ? std::string(text.get()) : std::string();
}

std::string describe_result(int code, const std::string& diagnostic) {
  std::string out = ldap_err2string(code);
  // libldap's placeholder when TLS failed without saying why adds nothing.
  if (diagnostic.empty() || diagnostic == out || diagnostic == "(unknown error code)") return out;
  return out + " (" + diagnostic + ")";
}

std::string describe_result(LDAP* ld, int code) {
  return describe_result(code, diagnostic_message(ld));
}

bool is_connection_failure(int code) {
  return code == LDAP_SERVER_DOWN || code == LDAP_CONNECT_ERROR || code == LDAP_TIMEOUT ||
         code == LDAP_UNAVAILABLE;
}

}  // namespace rosterd::ldap
