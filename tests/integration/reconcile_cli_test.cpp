// plan / apply / sync / explain / check-config / audit verify from the shell. Identities
// are pushed over SCIM to a daemon that has no rules yet (so it applies nothing), which
// is then stopped; the commands run with rules on the same store.
#include <gtest/gtest.h>

#include <sqlite3.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <fstream>
#include <map>

#include "tests/integration/scim_server_fixture.h"

namespace rosterd::testing {
namespace {

const std::string kSpaces = R"(spaces:
  acme:
    licences: {recruiter: 2, manager: 5, administrator: 2}
    default_owner: olga@acme.example
    max_destructive: {count: 1, percent: 100}
sources:
  - id: okta
    kind: scim
    space: acme
    tokens: ["sha256:0509b2afae9fc3afd4965386a30d12f9c5f044470321650865bfbc62e7f4ce8e"]
)";

const std::string kRules = R"(rules:
  - name: owners
    space: acme
    when: {group: "Owners"}
    grant: {role: owner, licence: administrator}
  - name: recruiters
    space: acme
    when: {group: "Recruit*"}
    grant: {role: recruiter, licence: recruiter, team: Talent}
)";

class ReconcileCli : public ::testing::Test {
 protected:
  ReconcileCli() : server_(kSpaces) {
    olga_ = user("olga");
    ann_ = user("ann");
    ben_ = user("ben");
    cat_ = user("cat");
    owners_ = group("Owners", {olga_});
    recruiting_ = group("Recruiting", {ann_, ben_, cat_});
    EXPECT_EQ(server_.stop(), 0);
    server_.write_config_body(kSpaces + kRules);
  }

  std::string user(const std::string& name) {
    const auto r = server_.call("POST", "/Users",
                                R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":")" + name +
                                    R"(@acme.example","name":{"givenName":")" + name +
                                    R"(","familyName":"Test"},"emails":[{"value":")" + name +
                                    R"(@acme.example","primary":true}],"active":true})");
    EXPECT_EQ(r.status, 201) << r.body;
    return str(json_of(r), "id");
  }
  std::string group(const std::string& name, const std::vector<std::string>& members) {
    return server_.create_group(name, members);
  }

  RunResult cli(std::vector<std::string> args) {
    args.insert(args.begin(), {ROSTERD_BINARY, "--config", server_.config()});
    return run(args);
  }
  boost::json::value json(std::vector<std::string> args, int exit_code = 0) {
    args.push_back("--json");
    const auto r = cli(args);
    EXPECT_EQ(r.exit_code, exit_code) << r.out << r.err;
    boost::system::error_code ec;
    auto v = boost::json::parse(r.out, ec);
    EXPECT_FALSE(ec) << r.out;
    return v;
  }
  std::string accounts_dump() const { return dump_tables(server_.database(), {"accounts"}); }
  std::map<std::string, std::string> states() {
    std::map<std::string, std::string> out;
    const auto list = json({"accounts", "list"});
    for (const auto& a : list.as_array())
      out[std::string(a.at("email").as_string())] =
          std::string(a.at("role").as_string()) + "/" + std::string(a.at("state").as_string());
    return out;
  }
  void remove_rules_file_rule(const std::string& replacement_rules) {
    server_.write_config_body(kSpaces + replacement_rules);
  }

  ScimServer server_;
  std::string olga_, ann_, ben_, cat_, owners_, recruiting_;
};

TEST_F(ReconcileCli, PlanChangesNothingApplyAppliesExactlyItAndReplanningIsEmpty) {
  const std::string before = accounts_dump();
  const auto plan = json({"plan"}).at("plans").at(0);
  EXPECT_EQ(accounts_dump(), before) << "plan must not change accounts";
  EXPECT_EQ(plan.at("counts").at("create").as_int64(), 3);  // olga, ann, ben; cat waits
  ASSERT_EQ(plan.at("pending").as_array().size(), 1u);
  EXPECT_EQ(plan.at("pending").at(0).at("email").as_string(), "cat@acme.example");
  EXPECT_EQ(plan.at("pending").at(0).at("reason").as_string(), "quota recruiter 2/2");
  EXPECT_TRUE(plan.at("blocks").as_array().empty());
  const std::string id(plan.at("plan_id").as_string());

  const auto applied = json({"apply", id});
  EXPECT_EQ(applied.at("outcome").at("applied").as_int64(), 3);
  const auto now = states();
  EXPECT_EQ(now.at("olga@acme.example"), "owner/invited");
  EXPECT_EQ(now.at("ann@acme.example"), "recruiter/invited");
  EXPECT_EQ(now.count("cat@acme.example"), 0u);

  const auto again = json({"plan"}).at("plans").at(0);
  EXPECT_TRUE(again.at("operations").as_array().empty()) << boost::json::serialize(again);
  EXPECT_FALSE(again.as_object().contains("plan_id")) << "an empty plan is not stored";
  // Applying the same plan twice is refused.
  EXPECT_EQ(cli({"apply", id}).exit_code, 1);
}

TEST_F(ReconcileCli, AStalePlanIsRefusedAndChangesNothing) {
  const std::string id(json({"plan"}).at("plans").at(0).at("plan_id").as_string());
  // The store moves on: an administrator creates an account by hand.
  ASSERT_EQ(cli({"accounts", "create", "--space", "acme", "--email", "zed@acme.example", "--given-name", "Zed",
                 "--family-name", "Test", "--role", "member", "--licence", "manager"})
                .exit_code,
            0);
  const std::string before = accounts_dump();
  const auto r = cli({"apply", id});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("rosterd plan"), std::string::npos) << r.err;
  EXPECT_EQ(accounts_dump(), before);
}

TEST_F(ReconcileCli, SyncAppliesThenADestructivePlanIsBlockedUntilAllowed) {
  EXPECT_EQ(cli({"sync", "--once"}).exit_code, 0);
  EXPECT_EQ(states().size(), 3u);
  // The recruiters rule goes: two deactivations (threshold: 1).
  remove_rules_file_rule(R"(rules:
  - name: owners
    space: acme
    when: {group: "Owners"}
    grant: {role: owner, licence: administrator}
)");
  const std::string before = accounts_dump();
  const auto sync = cli({"sync", "--once"});
  EXPECT_EQ(sync.exit_code, 1) << sync.out << sync.err;
  EXPECT_NE(sync.out.find("BLOCKED (destructive-threshold)"), std::string::npos) << sync.out;
  EXPECT_EQ(accounts_dump(), before) << "nothing of a blocked plan is applied";
  const auto audit = cli({"audit", "--json"});
  EXPECT_NE(audit.out.find("plan.blocked"), std::string::npos) << audit.out;

  const auto plan = json({"plan"}, 1).at("plans").at(0);
  const std::string id(plan.at("plan_id").as_string());
  EXPECT_EQ(plan.at("destructive").as_int64(), 2);
  EXPECT_EQ(cli({"apply", id}).exit_code, 1) << "blocked without --allow-destructive";
  EXPECT_EQ(accounts_dump(), before);
  const auto allowed = cli({"apply", "--allow-destructive", id});
  EXPECT_EQ(allowed.exit_code, 0) << allowed.err;
  const auto now = states();
  EXPECT_EQ(now.at("ann@acme.example"), "recruiter/deactivated");
  EXPECT_EQ(now.at("ben@acme.example"), "recruiter/deactivated");
  EXPECT_EQ(now.at("olga@acme.example"), "owner/invited");
  EXPECT_EQ(cli({"audit", "verify"}).exit_code, 0);
}

TEST_F(ReconcileCli, LosingTheLastOwnerBlocksThePlan) {
  EXPECT_EQ(cli({"sync", "--once"}).exit_code, 0);
  remove_rules_file_rule(R"(rules:
  - name: recruiters
    space: acme
    when: {group: "Recruit*"}
    grant: {role: recruiter, licence: recruiter, team: Talent}
)");
  const auto plan = json({"plan"}, 1).at("plans").at(0);
  bool last_owner = false;
  const auto blocks = plan.at("blocks");
  for (const auto& b : blocks.as_array()) last_owner |= b.at("kind").as_string() == "last-owner";
  EXPECT_TRUE(last_owner) << boost::json::serialize(plan);
}

TEST_F(ReconcileCli, ExplainShowsGroupsRulesDecisionAndNextStep) {
  const auto e = json({"explain", "ann@acme.example"});
  EXPECT_EQ(e.at("decision").at("rule").as_string(), "recruiters");
  bool owners_not_matched = false;
  const auto rules = e.at("rules");
  for (const auto& r : rules.as_array())
    if (r.at("rule").as_string() == "owners") owners_not_matched = !r.at("matched").as_bool();
  EXPECT_TRUE(owners_not_matched);
  EXPECT_EQ(e.at("groups").at(0).at("name").as_string(), "Recruiting");
  EXPECT_EQ(e.at("licence").at("status").as_string(), "granted-next-plan");
  ASSERT_EQ(e.at("next_operations").as_array().size(), 1u);
  EXPECT_EQ(e.at("next_operations").at(0).at("group").as_string(), "create");
  const auto text = cli({"explain", "cat@acme.example"});
  EXPECT_EQ(text.exit_code, 0);
  EXPECT_NE(text.out.find("pending #1"), std::string::npos) << text.out;
  EXPECT_EQ(cli({"explain", "nobody@acme.example"}).exit_code, 1);
}

TEST_F(ReconcileCli, CheckConfigReportsErrorsWithLocationsAndWarningsWithExitZero) {
  // A shadowed rule under first-match is a warning; the file is otherwise fine.
  const std::string shadowed = server_.config() + ".shadowed.yaml";
  std::ofstream(shadowed) << "store: sqlite:" << server_.database() << R"(
spaces:
  acme:
    licences: {recruiter: 2, manager: 5, administrator: 2}
    resolution: first-match
sources:
  - id: okta
    kind: scim
    space: acme
    tokens: ["sha256:0509b2afae9fc3afd4965386a30d12f9c5f044470321650865bfbc62e7f4ce8e"]
rules:
  - name: everyone
    space: acme
    when: {group: "Recruit*"}
    grant: {role: recruiter, licence: recruiter}
  - name: paris
    space: acme
    when: {all: [{group: "Recruiting"}, {attribute: {title: Boss}}]}
    grant: {role: collaborator, licence: recruiter}
)";
  const auto warn = run({ROSTERD_BINARY, "check-config", shadowed});
  EXPECT_EQ(warn.exit_code, 0) << warn.err;
  EXPECT_NE(warn.out.find(shadowed + ":16:"), std::string::npos) << warn.out;
  EXPECT_NE(warn.out.find("warning"), std::string::npos) << warn.out;
  // The known identities exceed the recruiter quota: 3 people, 2 seats.
  EXPECT_NE(warn.out.find("pending"), std::string::npos) << warn.out;

  const std::string bad = server_.config() + ".bad.yaml";
  std::ofstream(bad) << "store: sqlite:" << server_.database() << "\n"
                     << kSpaces << R"(rules:
  - name: broken
    space: acme
    when: {attribute: {title: {matches: "([unclosed"}}}
    grant: {role: recruiter, licence: recruiter, template: nobody@acme.example}
)";
  const auto error = run({ROSTERD_BINARY, "check-config", bad});
  EXPECT_EQ(error.exit_code, 1);
  EXPECT_NE(error.err.find(bad + ":15:"), std::string::npos) << error.err;

  const std::string no_template = server_.config() + ".template.yaml";
  std::ofstream(no_template) << "store: sqlite:" << server_.database() << "\n"
                             << kSpaces << R"(rules:
  - name: from-template
    space: acme
    when: {group: "Recruiting"}
    grant: {role: recruiter, licence: recruiter, template: nobody@acme.example}
)";
  const auto missing = run({ROSTERD_BINARY, "check-config", no_template});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.err.find(no_template + ":13:"), std::string::npos) << missing.err;
  EXPECT_NE(missing.err.find("nobody@acme.example"), std::string::npos) << missing.err;
}

TEST_F(ReconcileCli, ServeRefusesToStartWhenARuleNamesAMissingTemplate) {
  server_.write_config_body(kSpaces + R"(rules:
  - name: from-template
    space: acme
    when: {group: "Recruiting"}
    grant: {role: recruiter, licence: recruiter, template: nobody@acme.example}
)");
  const auto r = run({ROSTERD_BINARY, "serve", "--config", server_.config(), "--listen", "127.0.0.1:0"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find(server_.config() + ":13:"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("template account 'nobody@acme.example' does not exist"), std::string::npos) << r.err;
}

TEST_F(ReconcileCli, AuditVerifyDetectsATamperedRow) {
  EXPECT_EQ(cli({"sync", "--once"}).exit_code, 0);
  EXPECT_EQ(cli({"audit", "verify"}).exit_code, 0);
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(server_.database().c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db, "UPDATE audit SET reason = 'nothing to see' WHERE seq = 3", nullptr, nullptr, nullptr),
              SQLITE_OK);
    sqlite3_close(db);
  }
  const auto r = json({"audit", "verify"}, 1);
  EXPECT_FALSE(r.at("ok").as_bool());
  EXPECT_EQ(r.at("first_bad_seq").as_int64(), 3);
}

}  // namespace
}  // namespace rosterd::testing
