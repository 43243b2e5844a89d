// SIGHUP: a good configuration replaces the SCIM sources and tokens (and the rules) without
// dropping a connection; a bad one is refused whole, with the reason logged, and the one
// in force stays. Both are bracketed by RELOADING=1 … READY=1.
#include <gtest/gtest.h>

#include "tests/integration/service_fixture.h"

namespace rosterd::testing {
namespace {

class Reload : public ::testing::Test {
 protected:
  void SetUp() override {
    service_.start();
    ASSERT_TRUE(service_.wait_ready()) << service_.log();
    port_ = service_.logged_port();
    ASSERT_NE(port_, 0);
  }

  // SIGHUP, then waits for the reload to be over (RELOADING=1, then READY=1); the status
  // sent with READY=1 is kept in ready_status_.
  void reload() {
    service_.child().signal(SIGHUP);
    ASSERT_TRUE(service_.notify().until("RELOADING=1")) << service_.log();
    const auto ready = service_.notify().until("READY=1");
    ASSERT_TRUE(ready) << service_.log();
    ready_status_ = NotifyListener::value(*ready, "STATUS");
  }

  ServiceProcess service_;
  std::uint16_t port_ = 0;
  std::string ready_status_;
};

TEST_F(Reload, AGoodConfigSwapsTokensAndSourcesAndKeepsOpenConnections) {
  // A keep-alive connection, used before and after the reload.
  HttpClient kept(port_);
  ASSERT_TRUE(kept.connected());
  kept.send(ServiceProcess::keep_alive_request("/Users", kOktaToken));
  auto before = kept.read_reply();
  ASSERT_TRUE(before);
  EXPECT_EQ(before->status, 200);
  EXPECT_EQ(service_.get_status(port_, "/Users", kEntraToken), 200);

  const auto [token, digest] = new_token(service_.config(), "okta");
  EXPECT_EQ(service_.get_status(port_, "/Users", token), 401) << "not configured yet";
  // okta gets a second token; entra is removed.
  service_.write_config({kOktaDigest, digest}, "", false);
  reload();

  kept.send(ServiceProcess::keep_alive_request("/Users", token));
  const auto after = kept.read_reply();
  ASSERT_TRUE(after) << "the connection opened before the reload was dropped\n" << service_.log();
  EXPECT_EQ(after->status, 200) << after->body;
  EXPECT_EQ(service_.get_status(port_, "/Users", kOktaToken), 200);
  EXPECT_EQ(service_.get_status(port_, "/Users", kEntraToken), 401) << "entra was removed";
  EXPECT_EQ(ready_status_, "serving as leader; 1 source");
  const std::string log = service_.log();
  EXPECT_NE(log.find(R"("event":"reloaded")"), std::string::npos) << log;
  EXPECT_EQ(log.find(R"("event":"reload_refused")"), std::string::npos) << log;
}

TEST_F(Reload, ARuleNamingAMissingTemplateIsRefusedWholeAndTheOldConfigStays) {
  const auto [token, digest] = new_token(service_.config(), "okta");
  // A new token (would be valid) and a rule whose template account does not exist: the
  // whole file is refused, so the token must not start working.
  service_.write_config({kOktaDigest, digest}, R"(rules:
  - name: recruiters
    space: acme
    when: {group: "Recruiting"}
    grant: {role: recruiter, licence: recruiter, template: nobody@acme.example}
)", false);
  reload();

  EXPECT_EQ(service_.get_status(port_, "/Users", token), 401) << "part of a refused file was applied";
  EXPECT_EQ(ready_status_.rfind("serving as leader; 2 sources; reload refused at ", 0), 0u) << ready_status_;
  EXPECT_EQ(service_.get_status(port_, "/Users", kOktaToken), 200);
  EXPECT_EQ(service_.get_status(port_, "/Users", kEntraToken), 200) << "entra is still configured";
  const std::string log = service_.log();
  std::string refused;
  std::istringstream lines(log);
  for (std::string line; std::getline(lines, line);)
    if (line.find(R"("event":"reload_refused")") != std::string::npos) refused = line;
  ASSERT_FALSE(refused.empty()) << log;
  const auto entry = boost::json::parse(refused);
  EXPECT_EQ(entry.at("level").as_string(), "error");
  EXPECT_NE(std::string(entry.at("error").as_string()).find("nobody@acme.example"), std::string::npos) << refused;
  EXPECT_EQ(log.find(R"("event":"reloaded")"), std::string::npos) << log;
}

TEST_F(Reload, AFileThatDoesNotParseIsRefusedWithItsLocationAndTheDaemonKeepsServing) {
  service_.write_raw_config("store: [unclosed\n");
  reload();
  EXPECT_EQ(service_.get_status(port_, "/Users", kOktaToken), 200);
  EXPECT_EQ(service_.get_status(port_, "/Users", kEntraToken), 200);
  ASSERT_TRUE(service_.wait_for_log(R"("event":"reload_refused")")) << service_.log();
  // The reason names the file (and where in it).
  const std::string log = service_.log();
  const auto at = log.find(R"("event":"reload_refused")");
  const std::string line = log.substr(log.rfind('\n', at) + 1, log.find('\n', at) - log.rfind('\n', at) - 1);
  EXPECT_NE(line.find("rosterd.yaml:"), std::string::npos) << line;

  // A good file afterwards is taken: a refusal leaves nothing behind that blocks the next.
  service_.write_config({kOktaDigest}, "", false);
  reload();
  EXPECT_EQ(service_.get_status(port_, "/Users", kEntraToken), 401) << service_.log();
  EXPECT_EQ(service_.get_status(port_, "/Users", kOktaToken), 200);
  EXPECT_EQ(ready_status_, "serving as leader; 1 source") << "a good reload clears the refusal";
}

TEST_F(Reload, ADirectorySourceWhosePasswordFileCannotBeReadIsRefused) {
  service_.write_config({kOktaDigest}, R"y(  - id: corp
    kind: ldap
    space: acme
    dialect: openldap
    urls: ["ldap://127.0.0.1:1"]
    bind_dn: "cn=reader,dc=example,dc=test"
    bind_password_file: )y" + service_.dir().file("missing.password") + R"y(
    users: {base: "ou=people,dc=example,dc=test", filter: "(objectClass=inetOrgPerson)"}
    groups: {base: "ou=groups,dc=example,dc=test"}
    attributes: {userName: uid, email: mail, givenName: givenName, familyName: sn}
    interval: 1h
)y", false);
  reload();
  ASSERT_TRUE(service_.wait_for_log(R"("event":"reload_refused")")) << service_.log();
  EXPECT_NE(service_.log().find("cannot read the bind password file"), std::string::npos) << service_.log();
  EXPECT_EQ(service_.get_status(port_, "/Users", kEntraToken), 200) << "entra is still configured";
  EXPECT_EQ(service_.log().find(R"("event":"source_read)"), std::string::npos) << "the refused source was polled";
}

}  // namespace
}  // namespace rosterd::testing
