#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "config/config_sections.h"
#include "config/load_config.h"
#include "config_test_support.h"

namespace rosterd {
namespace {

const std::string kSourceDir = ROSTERD_SOURCE_DIR;

TEST(ExampleConfigs, ReferenceConfigLoadsWithEverySection) {
  const auto config = load_config(kSourceDir + "/examples/rosterd.yaml");
  ASSERT_TRUE(config.has_value()) << config.error().message;
  EXPECT_EQ(config->store, "sqlite:/var/lib/rosterd/rosterd.db");
  EXPECT_EQ(config->listen.scim, "127.0.0.1:8080");
  EXPECT_EQ(config->listen.admin, "127.0.0.1:9090");
  EXPECT_EQ(config->listen.tls_cert, "/etc/rosterd/tls.crt");
  EXPECT_EQ(config->listen.tls_key, "/etc/rosterd/tls.key");
  EXPECT_EQ(config->admin_token_file, "/etc/rosterd/admin.token");

  ASSERT_EQ(config->spaces.size(), 2u);
  const SpaceConfig* acme = config->find_space("acme");
  ASSERT_NE(acme, nullptr);
  EXPECT_EQ(acme->space.licences.at("recruiter"), 25);
  EXPECT_EQ(acme->space.licences.at("manager"), 40);
  EXPECT_EQ(acme->space.licences.at("administrator"), 3);
  EXPECT_EQ(acme->space.default_owner, "alice@acme.example");
  EXPECT_EQ(acme->on_leave.action, "deactivate");
  EXPECT_EQ(acme->on_leave.delete_after_days, 90);
  EXPECT_EQ(acme->max_destructive.count, 50);
  EXPECT_EQ(acme->max_destructive.percent, 10);
  ASSERT_TRUE(acme->webhook.has_value());
  EXPECT_EQ(acme->webhook->secret_file, "/etc/rosterd/acme.secret");
  EXPECT_EQ(config->find_space("globex")->resolution, "first-match");
  EXPECT_EQ(config->find_space("globex")->on_leave.action, "suspend");

  EXPECT_TRUE(config->roles.find("recruiter")->may_hold("administrator"));
  ASSERT_NE(config->roles.find("sourcer"), nullptr);
  EXPECT_EQ(config->roles.find("sourcer")->rank, 45);

  ASSERT_EQ(config->sources.size(), 2u);
  EXPECT_EQ(config->sources[0].kind, "scim");
  EXPECT_EQ(config->sources[0].tokens.size(), 1u);
  const auto& ldap = config->sources[1].settings;
  EXPECT_EQ(ldap.at("urls"), "ldaps://dc1.corp.example ldaps://dc2.corp.example");
  EXPECT_EQ(ldap.at("users.base"), "OU=People,DC=corp,DC=example");
  EXPECT_EQ(ldap.at("attributes.email"), "mail");
  EXPECT_EQ(ldap.at("status.disabled_values"), "514\n546\n66050");
  EXPECT_EQ(ldap.at("interval"), "5m");
  EXPECT_EQ(ldap.at("follow_referrals"), "false");
  EXPECT_EQ(ldap.count("bind_password"), 0u);

  EXPECT_EQ(acme->correlate_by, "email");
  EXPECT_EQ(acme->source_precedence, (std::vector<std::string>{"corp-ad", "okta"}));
  EXPECT_TRUE(config->find_space("globex")->source_precedence.empty());

  ASSERT_EQ(config->rules.size(), 6u);
  EXPECT_EQ(config->rules[0].when.kind, Condition::Kind::Group);
  EXPECT_EQ(config->rules[1].grant_team, "from:department");
  EXPECT_EQ(config->rules[1].grant_template, "recruiting");
  EXPECT_TRUE(config->rules[1].when.glob);
  EXPECT_EQ(config->rules[2].when.test, Condition::Test::Matches);
  EXPECT_EQ(config->rules[3].grant_handover, "alice@acme.example");
  EXPECT_TRUE(config->rules[5].deny);
}

TEST(ExampleConfigs, ReferenceConfigShowsSourceAnyAndNotConditions) {
  const auto config = load_config(kSourceDir + "/examples/rosterd.yaml");
  ASSERT_TRUE(config.has_value()) << config.error().message;
  ASSERT_EQ(config->rules.size(), 6u);
  const RuleConfig& interviewers = config->rules[4];
  EXPECT_EQ(interviewers.name, "interviewers");
  const Condition& when = interviewers.when;
  ASSERT_EQ(when.kind, Condition::Kind::All);
  ASSERT_EQ(when.children.size(), 3u);
  EXPECT_EQ(when.children[0].kind, Condition::Kind::Source);
  EXPECT_EQ(when.children[0].sources, (std::vector<std::string>{"okta"}));
  const Condition& any = when.children[1];
  ASSERT_EQ(any.kind, Condition::Kind::Any);
  ASSERT_EQ(any.children.size(), 2u);
  EXPECT_EQ(any.children[0].kind, Condition::Kind::Any);  // the list of groups
  ASSERT_EQ(any.children[1].kind, Condition::Kind::All);  // two attributes
  EXPECT_EQ(any.children[1].children[0].attribute,
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department");
  EXPECT_EQ(any.children[1].children[0].test, Condition::Test::In);
  const Condition& negation = when.children[2];
  ASSERT_EQ(negation.kind, Condition::Kind::Not);
  ASSERT_EQ(negation.children.size(), 1u);
  EXPECT_EQ(negation.children[0].values, (std::vector<std::string>{"(?i)\\bintern\\b"}));
  // Each node points into the file, below the rule it belongs to.
  EXPECT_GT(any.location.line, interviewers.location.line);
  EXPECT_GT(negation.location.line, any.children[1].location.line);
}

TEST(ExampleConfigs, LocationsPointAtTheEntriesInTheReferenceFile) {
  const std::string path = kSourceDir + "/examples/rosterd.yaml";
  const auto config = load_config(path);
  ASSERT_TRUE(config.has_value()) << config.error().message;
  // Every entity knows where it came from, and the line really holds it.
  EXPECT_EQ(config->spaces[0].location.file, path);
  EXPECT_GT(config->spaces[0].location.line, 1);
  EXPECT_EQ(config->spaces[0].location.column, 3);   // "  acme:"
  EXPECT_EQ(config->sources[0].location.column, 5);  // "  - id: okta"
  EXPECT_EQ(config->rules[0].location.column, 5);
  EXPECT_LT(config->sources[0].location.line, config->sources[1].location.line);
  EXPECT_LT(config->sources[1].location.line, config->rules[0].location.line);
}

TEST(ExampleConfigs, ReferenceConfigShowsEveryLdapSetting) {
  std::ifstream in(kSourceDir + "/examples/rosterd.yaml");
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  ASSERT_FALSE(text.empty());
  for (const std::string_view key : config_detail::ldap_source_keys()) {
    if (key == "bind_password") continue;  // refused: the reference must not show it
    EXPECT_NE(text.find(std::string(key) + ":"), std::string::npos) << key;
  }
  EXPECT_EQ(text.find("bind_password:"), std::string::npos);
}

TEST(ExampleConfigs, DemoConfigLoadsWithItsDatabaseUnderTheRepository) {
  const auto config = load_config(kSourceDir + "/examples/demo.yaml");
  ASSERT_TRUE(config.has_value()) << config.error().message;
  const auto expected = (std::filesystem::path(kSourceDir) / "var/demo.db").lexically_normal();
  EXPECT_EQ(config->store, "sqlite:" + expected.string());
  ASSERT_EQ(config->spaces.size(), 1u);
  const auto& acme = config->spaces[0].space;
  EXPECT_EQ(acme.id, "acme");
  EXPECT_EQ(acme.licences.at("recruiter"), 5);
  EXPECT_EQ(acme.licences.at("manager"), 10);
  EXPECT_EQ(acme.licences.at("administrator"), 2);
  EXPECT_EQ(acme.default_owner, "alice@acme.example");
  EXPECT_EQ(config->rules.size(), 2u);
}

TEST(LoadConfig, MissingFileNamesThePathAndTheReason) {
  const auto config = load_config("/nonexistent/rosterd.yaml");
  ASSERT_FALSE(config.has_value());
  EXPECT_EQ(config.error().code, ErrorCode::Config);
  EXPECT_EQ(
      config.error().message,
      "cannot read configuration file '/nonexistent/rosterd.yaml': No such file or directory");
}

TEST(LoadConfig, DirectoryInsteadOfFileIsRefusedWithTheReason) {
  const auto config = load_config(kSourceDir + "/examples");
  ASSERT_FALSE(config.has_value());
  EXPECT_EQ(config.error().message,
            "cannot read configuration file '" + kSourceDir + "/examples': Is a directory");
}

}  // namespace
}  // namespace rosterd
