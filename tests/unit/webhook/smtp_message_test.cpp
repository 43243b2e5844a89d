// The invitation email as text: its headers, CR/LF in any header value refused, the body
// naming the space and the role, CRLF line ends.
#include <gtest/gtest.h>

#include "connectors/webhook/smtp_message.h"

namespace rosterd::webhook {
namespace {

InvitationMail mail() {
  InvitationMail m;
  m.from = "rosterd@acme.example";
  m.to = "alice@acme.example";
  m.space = "acme";
  m.role = "recruiter";
  m.event_id = "ev-0123abcd";
  m.date = parse_timestamp("2026-11-24T06:02:10.500Z").value();
  return m;
}

std::string header_block(const std::string& message) { return message.substr(0, message.find("\r\n\r\n") + 2); }

TEST(SmtpMessage, HasFromToSubjectDateAndAMessageIdDerivedFromTheEventId) {
  const auto m = invitation_message(mail());
  ASSERT_TRUE(m.has_value()) << m.error().message;
  const std::string headers = header_block(*m);
  EXPECT_NE(headers.find("From: rosterd@acme.example\r\n"), std::string::npos) << headers;
  EXPECT_NE(headers.find("To: alice@acme.example\r\n"), std::string::npos);
  EXPECT_NE(headers.find("Subject: Your invitation to acme\r\n"), std::string::npos);
  EXPECT_NE(headers.find("Date: Tue, 24 Nov 2026 06:02:10 +0000\r\n"), std::string::npos);
  EXPECT_NE(headers.find("Message-ID: <invitation.ev-0123abcd@acme.example>\r\n"), std::string::npos);
  EXPECT_NE(headers.find("Content-Type: text/plain; charset=utf-8\r\n"), std::string::npos);
  // The same event gives the same Message-ID (a resend after a crash is recognisable).
  EXPECT_EQ(header_block(*invitation_message(mail())), headers);
}

TEST(SmtpMessage, BodyNamesTheSpaceAndTheRoleWithCrlfLineEndsOnly) {
  const auto m = invitation_message(mail());
  ASSERT_TRUE(m.has_value());
  const std::string body = m->substr(m->find("\r\n\r\n") + 4);
  EXPECT_NE(body.find("\"acme\""), std::string::npos) << body;
  EXPECT_NE(body.find("\"recruiter\""), std::string::npos) << body;
  EXPECT_TRUE(m->ends_with("\r\n"));
  for (std::size_t i = 0; i < m->size(); ++i) {
    if ((*m)[i] == '\n') {
      ASSERT_TRUE(i > 0 && (*m)[i - 1] == '\r') << "bare LF at " << i;
    }
  }
}

TEST(SmtpMessage, RefusesCrOrLfInAnyValueBoundForAHeader) {
  for (auto field : {&InvitationMail::from, &InvitationMail::to, &InvitationMail::space, &InvitationMail::role,
                     &InvitationMail::event_id}) {
    for (const char* injected : {"\r\nBcc: eve@evil.example", "\nBcc: eve@evil.example", "\rX: y"}) {
      InvitationMail m = mail();
      m.*field += injected;
      const auto r = invitation_message(m);
      ASSERT_FALSE(r.has_value()) << m.*field;
      EXPECT_EQ(r.error().code, ErrorCode::InvalidValue);
      EXPECT_NE(r.error().message.find("line break"), std::string::npos) << r.error().message;
    }
  }
}

TEST(SmtpMessage, RefusesAnAddressThatCouldAddARecipient) {
  for (const char* to : {"alice@acme.example, eve@evil.example", "<eve@evil.example>", "no-at-sign", "a@", "@b"}) {
    InvitationMail m = mail();
    m.to = to;
    EXPECT_FALSE(invitation_message(m).has_value()) << to;
  }
}

TEST(SmtpMessage, FormatsTheDateInRfc5322FormInUtc) {
  EXPECT_EQ(rfc5322_date(parse_timestamp("2027-01-03T23:59:59Z").value()), "Sun, 03 Jan 2027 23:59:59 +0000");
  EXPECT_EQ(rfc5322_date(parse_timestamp("2024-02-29T00:00:00Z").value()), "Thu, 29 Feb 2024 00:00:00 +0000");
}

}  // namespace
}  // namespace rosterd::webhook
