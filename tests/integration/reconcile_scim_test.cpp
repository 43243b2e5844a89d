// End to end through SCIM: an identity provider pushes users and groups over HTTP to
// `rosterd serve`; its reconciler maps them through the rules to accounts with the right
// roles, licences and teams, within quota, and follows later changes. What the test
// reads is what an administrator reads: `rosterd accounts list --json`, `licences`,
// `explain`, `audit verify`. On SQLite and on PostgreSQL (the test's parameter).
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <fstream>
#include <map>

#include "core/timestamp.h"
#include "tests/integration/scim_server_fixture.h"

namespace rosterd::testing {
namespace {

constexpr const char* kRules = R"(spaces:
  acme:
    licences: {recruiter: 2, manager: 5, administrator: 1}
    default_owner: fay@acme.example
sources:
  - id: okta
    kind: scim
    space: acme
    tokens: ["sha256:0509b2afae9fc3afd4965386a30d12f9c5f044470321650865bfbc62e7f4ce8e"]
rules:
  - name: admins
    space: acme
    when: {group: "Talent Admins"}
    grant: {role: administrator, licence: administrator, team: Talent}
  - name: recruiters
    space: acme
    when: {group: "Recruiting"}
    grant: {role: recruiter, licence: recruiter, team: {from: department}}
  - name: hiring-managers
    space: acme
    when: {attribute: {title: {matches: "Manager$"}}}
    grant: {role: hiring_manager, licence: manager}
  - name: no-contractors
    space: acme
    when: {attribute: {userType: {equals: contractor}}}
    deny: true
)";

class ScimReconcileFixture : public ::testing::TestWithParam<StoreKind> {
 protected:
  // The CLI reads a copy of the configuration, so that a test may break the daemon's.
  explicit ScimReconcileFixture(const std::string& rules) : server_(GetParam(), rules) {
    std::ofstream(cli_config()) << server_.store().yaml() << rules;
  }
  void SetUp() override {
    if (!server_.store().available()) GTEST_SKIP() << server_.store().why_unavailable();
  }
  std::string cli_config() const { return server_.config() + ".cli.yaml"; }

  std::string user(const std::string& name, const std::string& title, const std::string& department,
                   const std::string& user_type = "Employee") {
    const auto r = server_.call(
        "POST", "/Users",
        std::string(R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:User",)"
                    R"("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],"userName":")") +
            name + R"(@acme.example","name":{"givenName":")" + name + R"(","familyName":"Test"},)" +
            R"("emails":[{"value":")" + name + R"(@acme.example","type":"work","primary":true}],)" +
            R"("title":")" + title + R"(","userType":")" + user_type + R"(","active":true,)" +
            R"("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":")" + department +
            R"("}})");
    EXPECT_EQ(r.status, 201) << r.body;
    return str(json_of(r), "id");
  }

  std::string group(const std::string& name, const std::vector<std::string>& members) {
    return server_.create_group(name, members);
  }

  RunResult cli(std::vector<std::string> args) {
    args.insert(args.begin(), {ROSTERD_BINARY, "--config", cli_config()});
    return run(args);
  }

  // email -> account, from `rosterd accounts list --json`.
  std::map<std::string, boost::json::object> accounts() {
    const auto r = cli({"accounts", "list", "--json"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    std::map<std::string, boost::json::object> out;
    const auto list = boost::json::parse(r.out);
    for (const auto& a : list.as_array()) out[std::string(a.at("email").as_string())] = a.as_object();
    return out;
  }

  // Waits (up to 30 s) until the accounts satisfy `done`: the reconciler works on its own
  // schedule after each write; the test only waits for the state, never times it.
  template <class Done>
  std::map<std::string, boost::json::object> accounts_when(Done done) {
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    auto now = accounts();
    while (!done(now) && std::chrono::steady_clock::now() < give_up) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      now = accounts();
    }
    EXPECT_TRUE(done(now)) << server_.log();
    return now;
  }

  // Whether the daemon's log, after its first `from` bytes, has `text` within 30 s.
  bool logged_after(std::size_t from, const std::string& text) {
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (server_.log().find(text, from) == std::string::npos && std::chrono::steady_clock::now() < give_up)
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    return server_.log().find(text, from) != std::string::npos;
  }

  static std::string field(const std::map<std::string, boost::json::object>& accounts, const std::string& email,
                           const char* key) {
    const auto it = accounts.find(email);
    if (it == accounts.end()) return "<no account>";
    const auto* v = it->second.if_contains(key);
    return v && v->is_string() ? std::string(v->as_string()) : "<no " + std::string(key) + ">";
  }

  ScimServer server_;
};

class ReconcileThroughScim : public ScimReconcileFixture {
 protected:
  ReconcileThroughScim() : ScimReconcileFixture(kRules) {}
};

TEST_P(ReconcileThroughScim, PushedUsersAndGroupsBecomeAccountsWithRolesLicencesAndQueue) {
  const std::string ann = user("ann", "Recruiter", "Paris");
  const std::string ben = user("ben", "Recruiter", "Lyon");
  const std::string cat = user("cat", "Recruiter", "Nice");
  user("dan", "Sales Manager", "Sales");
  user("eve", "Interim Manager", "Sales", "Contractor");
  const std::string fay = user("fay", "Head of Talent", "Talent");
  // Nested: ann and ben are in Recruiting through Recruiting-Paris; cat directly.
  const std::string paris = group("Recruiting-Paris", {ann, ben});
  group("Recruiting", {paris, cat});
  group("Talent Admins", {fay});

  auto now = accounts_when([](const auto& a) { return a.size() == 4; });
  EXPECT_EQ(field(now, "ann@acme.example", "role"), "recruiter");
  EXPECT_EQ(field(now, "ann@acme.example", "licence"), "recruiter");
  EXPECT_EQ(field(now, "ann@acme.example", "team"), "Paris");
  EXPECT_EQ(field(now, "ben@acme.example", "team"), "Lyon");
  EXPECT_EQ(field(now, "dan@acme.example", "role"), "hiring_manager");
  EXPECT_EQ(field(now, "dan@acme.example", "licence"), "manager");
  EXPECT_EQ(field(now, "fay@acme.example", "role"), "administrator");
  EXPECT_EQ(field(now, "fay@acme.example", "team"), "Talent");
  EXPECT_EQ(field(now, "ann@acme.example", "managed_by"), "okta");
  EXPECT_EQ(now.count("eve@acme.example"), 0u) << "denied by no-contractors";
  EXPECT_EQ(now.count("cat@acme.example"), 0u) << "recruiter quota 2/2: cat waits";

  // cat waits first in the recruiter queue, and says why.
  const auto explain = cli({"explain", "cat@acme.example", "--json"});
  ASSERT_EQ(explain.exit_code, 0) << explain.err;
  const auto e = boost::json::parse(explain.out);
  EXPECT_EQ(e.at("licence").at("status").as_string(), "pending");
  EXPECT_EQ(e.at("licence").at("position").as_int64(), 1);
  EXPECT_EQ(e.at("licence").at("reason").as_string(), "quota recruiter 2/2");
  EXPECT_EQ(e.at("decision").at("rule").as_string(), "recruiters");
  const auto licences = cli({"licences", "--json"});
  bool seen = false;
  const auto usage = boost::json::parse(licences.out);
  for (const auto& l : usage.as_array())
    if (l.at("licence").as_string() == "recruiter") {
      seen = true;
      EXPECT_EQ(l.at("used").as_int64(), 2);
      EXPECT_EQ(l.at("pending").as_int64(), 1);
    }
  EXPECT_TRUE(seen) << licences.out;

  // ben leaves Recruiting-Paris: his account is deactivated and the freed seat goes to cat.
  const auto patch = server_.call(
      "PATCH", "/Groups/" + paris,
      R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"remove","path":"members[value eq \")" +
          ben + R"(\"]"}]})");
  ASSERT_TRUE(patch.status == 200 || patch.status == 204) << patch.body;
  now = accounts_when([](const auto& a) {
    return field(a, "ben@acme.example", "state") == "deactivated" && a.count("cat@acme.example") == 1;
  });
  EXPECT_EQ(field(now, "cat@acme.example", "licence"), "recruiter");
  EXPECT_EQ(field(now, "cat@acme.example", "team"), "Nice");

  // The audit rows say which rule caused what, and the chain verifies.
  const auto audit = cli({"audit", "--json"});
  EXPECT_NE(audit.out.find("recruiters"), std::string::npos) << audit.out;
  EXPECT_EQ(cli({"audit", "verify"}).exit_code, 0);
}

// SIGHUP reloads the rules. A file with an error is refused, logged, and the old rules
// keep working; a good file takes effect for the next reconcile.
TEST_P(ReconcileThroughScim, ReloadWithABadFileKeepsTheOldRulesAndAGoodOneReplacesThem) {
  std::string broken = kRules;
  broken.replace(broken.find("Manager$"), 8, "([Manager");  // a regex that does not compile
  server_.write_config_body(broken);
  server_.child().signal(SIGHUP);
  ASSERT_TRUE(logged_after(0, "reload_refused")) << server_.log();
  EXPECT_NE(server_.log().find("rosterd.yaml:"), std::string::npos) << "the error names the file and line";

  // The old rules still apply: a manager by title gets the manager licence.
  user("gus", "Support Manager", "Support");
  auto now = accounts_when([](const auto& a) { return a.count("gus@acme.example") == 1; });
  EXPECT_EQ(field(now, "gus@acme.example", "role"), "hiring_manager");

  // A good file: managers become collaborators on a recruiter seat from now on.
  std::string changed = kRules;
  changed.replace(changed.find("grant: {role: hiring_manager, licence: manager}"),
                  std::string("grant: {role: hiring_manager, licence: manager}").size(),
                  "grant: {role: member, licence: manager}");
  server_.write_config_body(changed);
  server_.child().signal(SIGHUP);
  now = accounts_when([](const auto& a) { return field(a, "gus@acme.example", "role") == "member"; });
  EXPECT_NE(server_.log().find(R"("event":"reloaded")"), std::string::npos) << server_.log();
}

// A run that fails is tried again without another write (the write that queued it was
// taken off the queue before the run). The plans table is renamed away to make the run
// fail, as a database that went away would, then put back.
TEST_P(ReconcileThroughScim, AFailedRunIsTriedAgainOnItsOwn) {
  const std::string fay = user("fay", "Head of Talent", "Talent");
  group("Talent Admins", {fay});
  accounts_when([](const auto& a) { return a.size() == 1; });

  ASSERT_EQ(server_.store().execute("ALTER TABLE plans RENAME TO plans_away"), "");
  const auto from = server_.log().size();
  const auto title = server_.call(
      "PATCH", "/Users/" + fay,
      R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","path":"title","value":"Talent Director"}]})");
  ASSERT_EQ(title.status, 200) << title.body;
  ASSERT_TRUE(logged_after(from, R"("why":"retry")")) << server_.log().substr(from);
  ASSERT_TRUE(logged_after(from, R"("event":"reconcile_failed")")) << server_.log().substr(from);
  EXPECT_EQ(field(accounts(), "fay@acme.example", "title"), "Head of Talent");

  ASSERT_EQ(server_.store().execute("ALTER TABLE plans_away RENAME TO plans"), "");
  accounts_when([](const auto& a) { return field(a, "fay@acme.example", "title") == "Talent Director"; });
}

INSTANTIATE_TEST_SUITE_P(Stores, ReconcileThroughScim, kBothStores, store_test_name);

// delete_after_days: a leaver's account waits deactivated, then is deleted when the days
// have passed, by `serve` on its own: no write to the space queues that plan.
class DeleteAfterDaysInServe : public ScimReconcileFixture {
 protected:
  DeleteAfterDaysInServe() : ScimReconcileFixture(with_delete_after_one_day()) {}
  static std::string with_delete_after_one_day() {
    std::string rules = kRules;
    const std::string owner = "    default_owner: fay@acme.example\n";
    rules.insert(rules.find(owner) + owner.size(), "    on_leave: {action: deactivate, delete_after_days: 1}\n");
    return rules;
  }
};

TEST_P(DeleteAfterDaysInServe, TheDeleteComesWhenItsDayHasPassedWithoutAnyWrite) {
  const std::string fay = user("fay", "Head of Talent", "Talent");
  const std::string ann = user("ann", "Recruiter", "Paris");
  group("Talent Admins", {fay});
  group("Recruiting", {ann});
  accounts_when([](const auto& a) { return a.size() == 2; });

  // ann leaves: the run that deactivates her notes when to plan the space again, a day
  // later (no write will ask for it).
  auto from = server_.log().size();
  ASSERT_EQ(server_.call("DELETE", "/Users/" + ann).status, 204);
  accounts_when([](const auto& a) { return field(a, "ann@acme.example", "state") == "deactivated"; });
  EXPECT_TRUE(logged_after(from, R"("why":"delete_after_days")")) << server_.log().substr(from);

  // Her day is made to end 20 s from now (the store's clock is the only one the test can
  // move), and a write elsewhere in the space has the space planned: that plan deletes
  // nobody yet and notes when it must be made again.
  const Timestamp ends = std::chrono::floor<std::chrono::milliseconds>(std::chrono::system_clock::now()) +
                         std::chrono::seconds(20);
  ASSERT_EQ(server_.store().execute("UPDATE accounts SET updated_at = '" +
                                    format_timestamp(ends - std::chrono::days(1)) +
                                    "' WHERE email_key = 'ann@acme.example'"),
            "");
  from = server_.log().size();
  const auto title = server_.call(
      "PATCH", "/Users/" + fay,
      R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","path":"title","value":"Talent Director"}]})");
  ASSERT_EQ(title.status, 200) << title.body;
  ASSERT_TRUE(logged_after(from, "\"at\":\"" + format_timestamp(ends) + "\"")) << server_.log().substr(from);
  EXPECT_EQ(field(accounts(), "ann@acme.example", "state"), "deactivated");

  // Nothing else is written; the delete comes when the day is over, handed over to fay.
  accounts_when([](const auto& a) {
    const std::string state = field(a, "ann@acme.example", "state");
    return state == "deleted" || state == "<no account>";
  });
  const auto audit = cli({"audit", "--json"});
  EXPECT_NE(audit.out.find("delete_after_days: 1"), std::string::npos) << audit.out;
  EXPECT_EQ(cli({"audit", "verify"}).exit_code, 0);
}

INSTANTIATE_TEST_SUITE_P(Stores, DeleteAfterDaysInServe, kBothStores, store_test_name);

}  // namespace
}  // namespace rosterd::testing
