// spaces.*.invitations.smtp: smtp:// with STARTTLS by default or smtps://, plain SMTP only to
// a loopback host when allowed, located errors. The password file is not read here
// (config loading has no side effects): `rosterd serve` and check-config read it.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config_test_support.h"

namespace rosterd {
namespace {

using testing::accepted;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::error_lines;
using testing::yaml_lines;

std::string space_with(std::string_view smtp) {
  return yaml_lines({"spaces:", "  acme:", "    licences: {recruiter: 1}", "    invitations:"}) +
         "      smtp: " + std::string(smtp) + "\n";
}

TEST(InvitationsConfig, SmtpDefaultsToStarttlsWithoutCredentials) {
  const auto config = accepted(space_with("{url: \"smtp://mail.acme.example:587\", from: rosterd@acme.example}"));
  ASSERT_TRUE(config.spaces[0].invitation_smtp.has_value());
  const SmtpConfig& s = *config.spaces[0].invitation_smtp;
  EXPECT_EQ(s.url, "smtp://mail.acme.example:587");
  EXPECT_TRUE(s.starttls);
  EXPECT_FALSE(s.allow_plain_loopback);
  EXPECT_EQ(s.from, "rosterd@acme.example");
  EXPECT_TRUE(s.username.empty());
  EXPECT_TRUE(s.password_file.empty());
  EXPECT_FALSE(config.spaces[0].webhook.has_value());
}

TEST(InvitationsConfig, ReadsCredentialsAndSmtpsWithoutStarttls) {
  const auto config = accepted(space_with(
      "{url: \"smtps://mail.acme.example:465\", starttls: false, from: rosterd@acme.example,"
      " username: rosterd, password_file: /etc/rosterd/smtp-password, timeout: 10s, connect_timeout: 500ms}"));
  const SmtpConfig& s = *config.spaces[0].invitation_smtp;
  EXPECT_FALSE(s.starttls);
  EXPECT_EQ(s.username, "rosterd");
  EXPECT_EQ(s.password_file, "/etc/rosterd/smtp-password");
  EXPECT_EQ(s.timeout, std::chrono::seconds(10));
  EXPECT_EQ(s.connect_timeout, std::chrono::milliseconds(500));
}

TEST(InvitationsConfig, PlainSmtpWithoutStarttlsIsRefusedUnlessAllowedForALoopbackHost) {
  EXPECT_THAT(error_lines(space_with("{url: \"smtp://127.0.0.1:2525\", starttls: false, from: r@acme.example}")),
              ElementsAre(HasSubstr("rosterd.yaml:5:19: spaces.acme.invitations.smtp.url: smtp:// without "
                                    "STARTTLS is refused")));
  EXPECT_THAT(error_lines(space_with("{url: \"smtp://mail.acme.example:25\", starttls: false, "
                                     "allow_plain_loopback: true, from: r@acme.example}")),
              ElementsAre(HasSubstr("only to 127.0.0.1, ::1 or localhost, not 'mail.acme.example'")));
  // The same strict host check as the webhook's: user-info or a look-alike name is not loopback.
  EXPECT_THAT(error_lines(space_with("{url: \"smtp://127.0.0.1@evil.example:25\", starttls: false, "
                                     "allow_plain_loopback: true, from: r@acme.example}")),
              ElementsAre(HasSubstr("not 'evil.example'")));
  EXPECT_THAT(error_lines(space_with("{url: \"smtp://127.0.0.1.evil.example:25\", starttls: false, "
                                     "allow_plain_loopback: true, from: r@acme.example}")),
              ElementsAre(HasSubstr("not '127.0.0.1.evil.example'")));
  for (const char* ok : {"smtp://127.0.0.1:2525", "smtp://localhost:25", "smtp://[::1]:25"})
    EXPECT_FALSE(accepted(space_with(std::string("{url: \"") + ok +
                                     "\", starttls: false, allow_plain_loopback: true, from: r@acme.example}"))
                     .spaces[0]
                     .invitation_smtp->starttls)
        << ok;
}

TEST(InvitationsConfig, RefusesOtherSchemesUnknownKeysAndAMissingFromAllAtOnce) {
  EXPECT_THAT(error_lines(space_with("{url: \"https://mail.acme.example\", sender: x}")),
              ElementsAre(HasSubstr("rosterd.yaml:5:7: spaces.acme.invitations.smtp.from: is required"),
                          HasSubstr("rosterd.yaml:5:19: spaces.acme.invitations.smtp.url: expected an smtp:// or "
                                    "smtps:// URL, got 'https://mail.acme.example'"),
                          HasSubstr("spaces.acme.invitations.smtp.sender: unknown key 'sender'")));
}

TEST(InvitationsConfig, RefusesALineBreakInTheSenderAndAPasswordFileWithoutAUsername) {
  EXPECT_THAT(error_lines(space_with("{url: \"smtp://mail.acme.example\", from: \"r@acme.example\\r\\nBcc: x@evil.example\"}")),
              ::testing::Contains(HasSubstr("spaces.acme.invitations.smtp.from")));
  EXPECT_THAT(error_lines(space_with("{url: \"smtp://mail.acme.example\", from: r@acme.example, password_file: /p}")),
              ElementsAre(HasSubstr("password_file is given without a username")));
}

TEST(InvitationsConfig, OnlyTheSmtpKeyIsKnownUnderInvitations) {
  const std::string yaml = yaml_lines({"spaces:", "  acme:", "    licences: {recruiter: 1}",
                                       "    invitations: {smpt: {url: \"smtp://m.example\"}}"});
  EXPECT_THAT(error_lines(yaml), ElementsAre(HasSubstr("rosterd.yaml:4:")));
}

}  // namespace
}  // namespace rosterd
