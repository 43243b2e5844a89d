// sources: common keys, scim tokens and ldap settings.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config_test_support.h"

namespace rosterd {
namespace {

using testing::accepted;
using ::testing::ElementsAre;
using testing::error_lines;
using testing::errors_of;
using ::testing::HasSubstr;
using ::testing::Not;
using testing::yaml_lines;

constexpr std::string_view kHash =
    "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

std::string with_source(std::initializer_list<std::string_view> source_lines) {
  std::string out = yaml_lines({"spaces: {acme: {licences: {recruiter: 1}}}", "sources:"});  // 1, 2
  for (const auto line : source_lines) out += std::string(line) + "\n";                      // 3...
  return out;
}

TEST(Sources, ScimSourceIsReadWithItsTokensAndLocation) {
  const auto config = accepted(with_source({
      "  - id: okta",
      "    kind: scim",
      "    space: acme",
      "    tokens: [\"" + std::string(kHash) + "\"]",
  }));
  ASSERT_EQ(config.sources.size(), 1u);
  EXPECT_EQ(config.sources[0].id, "okta");
  EXPECT_EQ(config.sources[0].kind, "scim");
  EXPECT_EQ(config.sources[0].space, "acme");
  EXPECT_THAT(config.sources[0].tokens, ElementsAre(std::string(kHash)));
  EXPECT_EQ(config.sources[0].location.to_string(), "rosterd.yaml:3:5");
}

TEST(Sources, TokensMustBeSha256DigestsAndAreNeverEchoed) {
  const std::string yaml = with_source({
      "  - id: okta",                                                                     // 3
      "    kind: scim",                                                                   // 4
      "    space: acme",                                                                  // 5
      "    tokens:",                                                                      // 6
      "      - my-secret-bearer-token",                                                   // 7
      "      - sha256:9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08",  // 8
      "      - sha256:9f86d0",                                                            // 9
  });
  const std::string expected =
      ": expected 'sha256:' and 64 lower-case hex digits, the SHA-256 digest of the token "
      "(never the token itself)";
  EXPECT_THAT(error_lines(yaml), ElementsAre("rosterd.yaml:7:9: sources[0].tokens[0]" + expected,
                                             "rosterd.yaml:8:9: sources[0].tokens[1]" + expected,
                                             "rosterd.yaml:9:9: sources[0].tokens[2]" + expected));
  EXPECT_THAT(errors_of(yaml), Not(HasSubstr("my-secret-bearer-token")));
}

TEST(Sources, ScimSourceNeedsTokens) {
  EXPECT_EQ(errors_of(with_source({"  - {id: okta, kind: scim, space: acme}"})),
            "rosterd.yaml:3:5: sources[0].tokens: is required");
  EXPECT_EQ(errors_of(with_source({"  - {id: okta, kind: scim, space: acme, tokens: []}"})),
            "rosterd.yaml:3:49: sources[0].tokens: expected at least one token digest");
}

TEST(Sources, CommonKeysAreRequiredAndChecked) {
  const std::string yaml = with_source({
      "  - {kind: scom, space: acme}",                                                     // 3
      "  - {id: Okta, kind: scim, space: acm, tokens: [\"" + std::string(kHash) + "\"]}",  // 4
      "  - {id: a, kind: ldap, space: nowhere, urls: [ldap://x], users: {base: o=x}}",     // 5
  });
  EXPECT_THAT(
      error_lines(yaml),
      ElementsAre(
          "rosterd.yaml:3:5: sources[0].id: is required",
          "rosterd.yaml:3:12: sources[0].kind: expected one of scim, ldap, got 'scom'; did you "
          "mean 'scim'?",
          "rosterd.yaml:4:10: sources[1].id: source id 'Okta' must start with a lower-case letter "
          "or a digit and contain only a-z, 0-9, '_' and '-'",
          "rosterd.yaml:4:35: sources[1].space: space 'acm' is not defined under 'spaces'; did "
          "you mean 'acme'?",
          "rosterd.yaml:5:32: sources[2].space: space 'nowhere' is not defined under 'spaces' "
          "(defined: acme)"));
}

TEST(Sources, DuplicateIdIsRefused) {
  const std::string yaml = with_source({
      "  - {id: okta, kind: scim, space: acme, tokens: [\"" + std::string(kHash) + "\"]}",  // 3
      "  - {id: okta, kind: scim, space: acme, tokens: [\"" + std::string(kHash) + "\"]}",  // 4
  });
  EXPECT_EQ(errors_of(yaml),
            "rosterd.yaml:4:10: sources[1].id: source id 'okta' is already used at line 3");
}

TEST(Sources, LdapSettingsAreFlattenedByKeyPath) {
  const auto config = accepted(with_source({
      "  - id: corp",
      "    kind: ldap",
      "    space: acme",
      "    dialect: openldap",
      "    urls: [ldap://a.example, ldaps://b.example]",
      "    start_tls: true",
      "    bind_dn: cn=rosterd,dc=example",
      "    bind_password_env: CORP_PASSWORD",
      "    users: {base: \"ou=people,dc=example\", filter: (objectClass=person), scope: one}",
      "    groups: {base: \"ou=groups,dc=example\"}",
      "    attributes: {email: mail, userName: uid}",
      "    membership: memberOf",
      "    status: {attribute: pwdAccountLockedTime, disabled_values: [a, b]}",
      "    interval: 1h30m",
      "    search_timeout: 30s",
      "    follow_referrals: False",
      "    page_size: 200",
  }));
  ASSERT_EQ(config.sources.size(), 1u);
  const auto& s = config.sources[0].settings;
  EXPECT_EQ(s.at("dialect"), "openldap");
  EXPECT_EQ(s.at("urls"), "ldap://a.example ldaps://b.example");
  EXPECT_EQ(s.at("start_tls"), "true");
  EXPECT_EQ(s.at("bind_password_env"), "CORP_PASSWORD");
  EXPECT_EQ(s.at("users.base"), "ou=people,dc=example");
  EXPECT_EQ(s.at("users.filter"), "(objectClass=person)");
  EXPECT_EQ(s.at("users.scope"), "one");
  EXPECT_EQ(s.at("groups.base"), "ou=groups,dc=example");
  EXPECT_EQ(s.at("attributes.email"), "mail");
  EXPECT_EQ(s.at("attributes.userName"), "uid");
  EXPECT_EQ(s.at("membership"), "memberOf");
  EXPECT_EQ(s.at("status.attribute"), "pwdAccountLockedTime");
  EXPECT_EQ(s.at("status.disabled_values"), "a\nb");
  EXPECT_EQ(s.at("interval"), "1h30m");
  EXPECT_EQ(s.at("search_timeout"), "30s");
  EXPECT_EQ(s.at("follow_referrals"), "false");
  EXPECT_EQ(s.at("page_size"), "200");
  EXPECT_EQ(s.size(), 18u);
  EXPECT_TRUE(config.sources[0].tokens.empty());
}

TEST(Sources, InlineBindPasswordIsRefusedPointingAtTheFileOrEnvironment) {
  const std::string yaml = with_source({
      "  - id: corp",                    // 3
      "    kind: ldap",                  // 4
      "    space: acme",                 // 5
      "    urls: [ldaps://dc.example]",  // 6
      "    users: {base: dc=example}",   // 7
      "    bind_password: hunter2",      // 8
  });
  const std::string message = errors_of(yaml);
  EXPECT_THAT(message,
              ::testing::StartsWith("rosterd.yaml:8:5: sources[0].bind_password: a password is "
                                    "not accepted in the configuration file"));
  EXPECT_THAT(message, HasSubstr("bind_password_file"));
  EXPECT_THAT(message, HasSubstr("bind_password_env"));
  EXPECT_THAT(message, Not(HasSubstr("hunter2")));
  EXPECT_EQ(message.find('\n'), std::string::npos);
}

TEST(Sources, LdapValuesAreCheckedForShape) {
  const std::string yaml = with_source({
      "  - id: corp",                                  // 3
      "    kind: ldap",                                // 4
      "    space: acme",                               // 5
      "    dialect: active-directory",                 // 6
      "    urls: [https://dc.example]",                // 7
      "    users: {filter: (uid=*), scope: subtree}",  // 8
      "    interval: 5 minutes",                       // 9
      "    start_tls: yes",                            // 10
      "    page_size: -1",                             // 11
      "    bind_password_file: /p",                    // 12
      "    bind_password_env: P",                      // 13
  });
  EXPECT_THAT(
      error_lines(yaml),
      ElementsAre(
          "rosterd.yaml:6:14: sources[0].dialect: expected one of ad, openldap, got "
          "'active-directory'",
          "rosterd.yaml:7:11: sources[0].urls: expected URLs starting with ldap://, ldaps:// or "
          "ldapi://, "
          "got 'https://dc.example'",
          "rosterd.yaml:8:5: sources[0].users.base: is required",
          "rosterd.yaml:8:37: sources[0].users.scope: expected one of base, one, sub, got "
          "'subtree'",
          "rosterd.yaml:9:15: sources[0].interval: expected a duration such as 30s, 5m, 6h or 1d, "
          "got "
          "'5 minutes'",
          "rosterd.yaml:10:16: sources[0].start_tls: expected true or false, got 'yes'",
          "rosterd.yaml:11:16: sources[0].page_size: expected a whole number >= 0, got '-1'",
          "rosterd.yaml:13:5: sources[0].bind_password_env: give either bind_password_file or "
          "bind_password_env, not both"));
}

TEST(Sources, LdapSourceNeedsUrlsAndUsers) {
  EXPECT_THAT(error_lines(with_source({"  - {id: corp, kind: ldap, space: acme}"})),
              ElementsAre("rosterd.yaml:3:5: sources[0].urls: is required",
                          "rosterd.yaml:3:5: sources[0].users: is required"));
}

TEST(Sources, KeyOfTheOtherKindIsNamedAsSuch) {
  const std::string yaml = with_source({
      "  - id: okta",                                  // 3
      "    kind: scim",                                // 4
      "    space: acme",                               // 5
      "    tokens: [\"" + std::string(kHash) + "\"]",  // 6
      "    urls: [ldaps://dc.example]",                // 7
      "    token: x",                                  // 8
  });
  EXPECT_THAT(
      error_lines(yaml),
      ElementsAre(
          "rosterd.yaml:7:5: sources[0].urls: 'urls' does not apply to a source of kind "
          "'scim' (it is a setting of kind 'ldap')",
          "rosterd.yaml:8:5: sources[0].token: unknown key 'token'; did you mean 'tokens'?"));
}

TEST(Sources, SourcesMustBeAListOfMaps) {
  EXPECT_EQ(errors_of("sources: {okta: {kind: scim}}\n"),
            "rosterd.yaml:1:10: sources: expected a list, got a map");
  EXPECT_EQ(errors_of("sources: [okta]\n"),
            "rosterd.yaml:1:11: sources[0]: expected a map, got 'okta'");
}

}  // namespace
}  // namespace rosterd
