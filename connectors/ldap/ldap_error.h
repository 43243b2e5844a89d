// Turning libldap's result codes into the words an administrator reads: the code's text
// and, when the server or libldap said more, the diagnostic message in parentheses.
#pragma once

#include <ldap.h>

#include <string>

namespace rosterd::ldap {

// The handle's diagnostic message (LDAP_OPT_DIAGNOSTIC_MESSAGE), or "".
std::string diagnostic_message(LDAP* ld);

// "Invalid credentials", or "Can't contact LDAP server (connection refused)".
std::string describe_result(int code, const std::string& diagnostic);

// describe_result() with the handle's own diagnostic message.
std::string describe_result(LDAP* ld, int code);

// Codes that mean the connection is gone or never was, as opposed to a server's answer.
bool is_connection_failure(int code);

}  // namespace rosterd::ldap
