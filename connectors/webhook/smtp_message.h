// The invitation email as text (RFC 5322), built from values only: no transport here.
// Every header value is checked for line breaks: a CR or LF (which would start a header
// of its own, or the body) is refused, never passed on. Lines end in CRLF; dot-stuffing
// of body lines that start with "." is libcurl's job when it sends the message.
#pragma once

#include <string>

#include "core/error.h"
#include "core/timestamp.h"

namespace rosterd::webhook {

struct InvitationMail {
  std::string from;      // an address: rosterd@acme.example
  std::string to;        // the account's email
  std::string space;     // the space's id
  std::string role;      // the account's role
  std::string event_id;  // the account.created event: the Message-ID is derived from it
  Timestamp date{};
};

// From, To, Subject, Date (RFC 5322 form, UTC), Message-ID <invitation.EVENT@DOMAIN-OF-FROM>,
// MIME-Version, Content-Type text/plain UTF-8, then a short text naming the space and the
// role. ErrorCode::InvalidValue naming the field when a value has a CR, LF or another
// control character, or an address is not of the form local@domain.
Result<std::string> invitation_message(const InvitationMail& mail);

// The body alone: lines joined with CRLF, the message's last line ending in CRLF.
std::string invitation_text(const InvitationMail& mail);

// "Tue, 24 Nov 2026 06:02:10 +0000".
std::string rfc5322_date(Timestamp t);

// Refuses a CR, LF or another control character in a value bound for a header or the
// SMTP envelope; `what` names it in the error.
Result<void> check_header_value(std::string_view value, std::string_view what);

}  // namespace rosterd::webhook
