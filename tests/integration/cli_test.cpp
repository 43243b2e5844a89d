// The admin CLI end to end: the real binary, a real configuration file and SQLite store
// in a temporary directory; exit codes, output, and a store left unchanged by bad input.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <fstream>
#include <string>

#include "tests/support/sqlite_dump.h"
#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"

namespace rosterd {
namespace {

using testing::RunResult;
using testing::TempDir;

// Every row of every table, in a stable order: equal dumps mean an unchanged store.
std::string dump(const std::string& db) {
  return testing::dump_tables(db, {"spaces", "licence_pools", "accounts", "audit", "outbox", "schema_version"});
}

class Cli : public ::testing::Test {
 protected:
  void SetUp() override {
    config_ = dir_.file("rosterd.yaml");
    std::ofstream(config_) << "store: sqlite:" << dir_.file("store.db") << R"(
spaces:
  acme:
    licences: {recruiter: 2, manager: 5, administrator: 3}
    default_owner: alice@acme.example
  globex:
    licences: {recruiter: 1, administrator: 1}
)";
    ASSERT_EQ(ok({"accounts", "create", "--space", "acme", "--email", "alice@acme.example",
                  "--given-name", "Alice", "--family-name", "Martin", "--role", "owner",
                  "--licence", "administrator"}).exit_code, 0);
    ok({"accounts", "activate", "alice@acme.example"});
    ok({"accounts", "create", "--space", "acme", "--email", "bob@acme.example", "--given-name",
        "Bob", "--family-name", "Durand", "--role", "administrator", "--licence", "administrator"});
  }

  RunResult rosterd(std::vector<std::string> args) {
    args.insert(args.begin(), {ROSTERD_BINARY, "--config", config_});
    return testing::run(args);
  }
  RunResult ok(std::vector<std::string> args) {
    auto r = rosterd(std::move(args));
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r;
  }
  boost::json::value json(std::vector<std::string> args) {
    args.push_back("--json");
    const auto r = ok(std::move(args));
    return boost::json::parse(r.out);
  }
  std::string db() const { return dir_.file("store.db"); }

  // Runs a command that must fail with `exit_code`, and checks the store did not change.
  RunResult refused(std::vector<std::string> args, int exit_code) {
    const std::string before = dump(db());
    auto r = rosterd(std::move(args));
    EXPECT_EQ(r.exit_code, exit_code) << r.out << r.err;
    EXPECT_FALSE(r.err.empty());
    EXPECT_EQ(dump(db()), before) << "the store changed";
    return r;
  }

  TempDir dir_;
  std::string config_;
};

std::vector<std::string> create(const std::string& email, const std::string& role,
                                const std::string& licence, const std::string& space = "acme") {
  return {"accounts", "create", "--space", space, "--email", email, "--given-name", "Given",
          "--family-name", "Family", "--role", role, "--licence", licence};
}

TEST_F(Cli, CreateThenListShowsTheInvitedAccountAsJson) {
  ok(create("chloe@acme.example", "recruiter", "recruiter"));
  const auto list = json({"accounts", "list", "--space", "acme", "--role", "recruiter"});
  ASSERT_EQ(list.as_array().size(), 1u);
  const auto& a = list.as_array()[0].as_object();
  EXPECT_EQ(a.at("email").as_string(), "chloe@acme.example");
  EXPECT_EQ(a.at("state").as_string(), "invited");
  EXPECT_EQ(a.at("licence").as_string(), "recruiter");
  EXPECT_EQ(a.at("managed_by").as_string(), "manual");
  EXPECT_EQ(a.at("space").as_string(), "acme");
}

TEST_F(Cli, BadInputIsRefusedWithItsExitCodeAndChangesNothing) {
  EXPECT_NE(refused(create("not-an-email", "recruiter", "recruiter"), 2).err.find("not-an-email"), std::string::npos);
  EXPECT_NE(refused(create("x@acme.example", "wizard", "recruiter"), 2).err.find("unknown role"), std::string::npos);
  EXPECT_NE(refused(create("x@acme.example", "recruiter", "platinum"), 2).err.find("platinum"), std::string::npos);
  EXPECT_NE(refused(create("x@acme.example", "recruiter", "administrator"), 1).err.find("may not hold"), std::string::npos);
  EXPECT_NE(refused(create("BOB@acme.example", "recruiter", "recruiter"), 1).err.find("already exists"), std::string::npos);
  EXPECT_NE(refused(create("x@acme.example", "recruiter", "recruiter", "nowhere"), 2).err.find("unknown space"), std::string::npos);
  refused({"accounts", "create", "--space", "acme", "--email", "x@acme.example", "--role", "recruiter",
           "--licence", "recruiter", "--family-name", "F"}, 2);  // no --given-name
  EXPECT_NE(refused({"accounts", "list", "--rol", "owner"}, 2).err.find("did you mean --role"), std::string::npos);
  refused({"accounts", "frobnicate", "bob@acme.example"}, 2);
  refused({"accounts", "delete", "bob@acme.example", "--successor", "ghost@acme.example"}, 1);
  refused({"accounts", "show", "ghost@acme.example"}, 1);
}

TEST_F(Cli, AConfigurationTypoIsAUsageErrorNamingTheLine) {
  std::ofstream(config_) << "store: sqlite:" << db() << "\nspaces:\n  acme:\n    licenses: {recruiter: 1}\n";
  const auto r = rosterd({"accounts", "list"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find(":4:"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("licences"), std::string::npos) << r.err;
}

TEST_F(Cli, QuotaExhaustionIsRefusedAndDeactivationFreesTheSeat) {
  ok(create("r1@acme.example", "recruiter", "recruiter"));
  ok(create("r2@acme.example", "recruiter", "recruiter"));
  const auto r = refused(create("r3@acme.example", "recruiter", "recruiter"), 1);
  EXPECT_NE(r.err.find("2/2"), std::string::npos) << r.err;
  ok({"accounts", "deactivate", "r1@acme.example"});
  ok(create("r3@acme.example", "recruiter", "recruiter"));
  EXPECT_NE(refused({"accounts", "reactivate", "r1@acme.example"}, 1).err.find("licence"), std::string::npos);
  const auto usage = json({"licences", "--space", "acme"});
  bool seen = false;
  for (const auto& u : usage.as_array())
    if (u.at("licence").as_string() == "recruiter") {
      seen = true;
      EXPECT_EQ(u.at("used").as_int64(), 2);
      EXPECT_EQ(u.at("total").as_int64(), 2);
    }
  EXPECT_TRUE(seen);
}

TEST_F(Cli, ALicenceTypeRemovedFromTheConfigurationGivesNoNewSeats) {
  ok(create("m1@acme.example", "assessor", "manager"));
  std::ofstream(config_) << "store: sqlite:" << db() << R"(
spaces:
  acme:
    licences: {recruiter: 2, administrator: 3}
    default_owner: alice@acme.example
)";
  ok({"licences"});  // opening the store applies the new quotas
  refused(create("m2@acme.example", "assessor", "manager"), 1);
  bool kept = false;
  const auto usage = json({"licences", "--space", "acme"});
  for (const auto& u : usage.as_array()) {
    if (u.at("licence").as_string() != "manager") continue;
    kept = true;  // still held by m1: shown as 1 used of 0
    EXPECT_EQ(u.at("used").as_int64(), 1);
    EXPECT_EQ(u.at("total").as_int64(), 0);
  }
  EXPECT_TRUE(kept);
  ok({"accounts", "deactivate", "m1@acme.example"});
  const auto after = json({"licences", "--space", "acme"});
  for (const auto& u : after.as_array()) EXPECT_NE(u.at("licence").as_string(), "manager");
}

TEST_F(Cli, TheLastActiveOwnerCannotBeDeactivatedSuspendedDeletedOrDemoted) {
  const auto r = refused({"accounts", "deactivate", "alice@acme.example", "--json"}, 1);
  EXPECT_EQ(boost::json::parse(r.out).at("error").at("invariant").as_string(), "last-owner");
  refused({"accounts", "suspend", "alice@acme.example"}, 1);
  refused({"accounts", "delete", "alice@acme.example", "--successor", "bob@acme.example"}, 1);
  refused({"accounts", "update", "alice@acme.example", "--role", "administrator"}, 1);
  // With a second owner, the first may go.
  ok({"accounts", "update", "bob@acme.example", "--role", "owner"});
  ok({"accounts", "suspend", "alice@acme.example"});
}

TEST_F(Cli, AnAdministratorActingAsItselfCannotChangeAnOwner) {
  ok({"accounts", "create", "--space", "acme", "--email", "carol@acme.example", "--given-name", "Carol",
      "--family-name", "Owner", "--role", "owner", "--licence", "administrator"});
  const auto r = refused({"accounts", "suspend", "carol@acme.example", "--as", "bob@acme.example", "--json"}, 1);
  EXPECT_EQ(boost::json::parse(r.out).at("error").at("invariant").as_string(), "administrator-acts-on-owner");
  ok({"accounts", "suspend", "carol@acme.example", "--as", "alice@acme.example"});
}

TEST_F(Cli, ACopyOfATemplateTakesItsRoleTeamAndLicenceButNoOtherLicence) {
  ok({"accounts", "create", "--space", "acme", "--email", "tpl@acme.example", "--given-name", "T",
      "--family-name", "P", "--role", "collaborator", "--licence", "manager", "--team", "Sales"});
  const auto made = json({"accounts", "create", "--space", "acme", "--email", "copy@acme.example",
                          "--given-name", "C", "--family-name", "Y", "--from-template", "tpl@acme.example"});
  const auto& a = made.at("account").as_object();
  EXPECT_EQ(a.at("role").as_string(), "collaborator");
  EXPECT_EQ(a.at("licence").as_string(), "manager");
  EXPECT_EQ(a.at("team").as_string(), "Sales");
  const auto r = refused({"accounts", "create", "--space", "acme", "--email", "copy2@acme.example",
                          "--given-name", "C", "--family-name", "Y", "--from-template",
                          "tpl@acme.example", "--licence", "recruiter", "--json"}, 1);
  EXPECT_EQ(boost::json::parse(r.out).at("error").at("invariant").as_string(), "template-licence");
}

TEST_F(Cli, ReassignKeepsTheSeatAndRecordsBothPeople) {
  ok(create("leaver@acme.example", "recruiter", "recruiter"));
  ok(create("other@acme.example", "recruiter", "recruiter"));  // the pool is now full
  const auto r = json({"accounts", "reassign", "leaver@acme.example", "--to-email", "joiner@acme.example",
                       "--to-given-name", "Jo", "--to-family-name", "Iner", "--effective", "2024-12-01"});
  EXPECT_EQ(r.at("operation").as_string(), "reassign");
  const auto joiner = json({"accounts", "show", "joiner@acme.example"});
  EXPECT_EQ(joiner.at("role").as_string(), "recruiter");
  EXPECT_EQ(joiner.at("state").as_string(), "invited");
  const auto leaver = json({"accounts", "list", "--state", "deactivated"});
  ASSERT_EQ(leaver.as_array().size(), 1u);
  EXPECT_EQ(leaver.as_array()[0].at("successor").as_string(), joiner.at("id").as_string());
  const auto audit = json({"audit", "--account", "joiner@acme.example"});
  ASSERT_EQ(audit.as_array().size(), 1u);
  const auto& details = audit.as_array()[0].at("details");
  EXPECT_EQ(details.at("from_email").as_string(), "leaver@acme.example");
  EXPECT_EQ(details.at("to_email").as_string(), "joiner@acme.example");
  EXPECT_EQ(details.at("effective").as_string(), "2024-12-01");
  const auto usage = json({"licences", "--space", "acme"});
  for (const auto& u : usage.as_array()) {
    if (u.at("licence").as_string() == "recruiter") {
      EXPECT_EQ(u.at("used").as_int64(), 2);
    }
  }
}

TEST_F(Cli, AReassignmentDatedInTheFutureIsRefused) {
  ok(create("leaver@acme.example", "recruiter", "recruiter"));
  const auto r = refused({"accounts", "reassign", "leaver@acme.example", "--to-email", "j@acme.example",
                          "--to-given-name", "Jo", "--to-family-name", "Iner", "--effective", "2999-01-01"}, 2);
  EXPECT_NE(r.err.find("in the future"), std::string::npos) << r.err;
  refused({"accounts", "reassign", "leaver@acme.example", "--to-email", "j@acme.example",
           "--to-given-name", "Jo", "--to-family-name", "Iner", "--effective", "2025-02-30"}, 2);
}

TEST_F(Cli, DeleteHandsOverToTheDefaultOwnerAndFreesTheSeat) {
  ok(create("gone@acme.example", "recruiter", "recruiter"));
  const auto r = json({"accounts", "delete", "gone@acme.example"});
  ASSERT_EQ(r.at("events").as_array().size(), 2u);
  EXPECT_EQ(r.at("events").as_array()[0].at("type").as_string(), "account.handover");
  EXPECT_EQ(r.at("events").as_array()[0].at("details").at("to_email").as_string(), "alice@acme.example");
  EXPECT_TRUE(json({"accounts", "list", "--search", "gone"}).as_array().empty());
  EXPECT_EQ(json({"accounts", "list", "--state", "deleted"}).as_array().size(), 1u);
  // The email can be used again once the account is deleted.
  ok(create("gone@acme.example", "recruiter", "recruiter"));
}

TEST_F(Cli, ADeactivatedSuccessorIsRefused) {
  ok(create("gone@acme.example", "recruiter", "recruiter"));
  ok(create("heir@acme.example", "assessor", "manager"));
  ok({"accounts", "deactivate", "heir@acme.example"});
  const auto r = refused({"accounts", "delete", "gone@acme.example", "--successor", "heir@acme.example", "--json"}, 1);
  EXPECT_EQ(boost::json::parse(r.out).at("error").at("invariant").as_string(), "delete-needs-successor");
}

TEST_F(Cli, AnEmailInTwoSpacesNeedsTheSpace) {
  ok(create("bob@acme.example", "administrator", "administrator", "globex"));
  refused({"accounts", "suspend", "bob@acme.example"}, 2);
  ok({"accounts", "suspend", "bob@acme.example", "--space", "globex"});
  EXPECT_EQ(json({"accounts", "show", "bob@acme.example", "--space", "globex"}).at("state").as_string(), "suspended");
  EXPECT_EQ(json({"accounts", "show", "bob@acme.example", "--space", "acme"}).at("state").as_string(), "invited");
}

TEST_F(Cli, EveryOperationIsInTheAuditLogInOrder) {
  ok(create("x@acme.example", "assessor", "manager"));
  ok({"accounts", "suspend", "x@acme.example"});
  ok({"accounts", "resume", "x@acme.example"});
  ok({"accounts", "lock", "x@acme.example"});
  ok({"accounts", "unlock", "x@acme.example"});
  ok({"accounts", "update", "x@acme.example", "--team", "Ops", "--title", "Assessor"});
  const auto audit = json({"audit", "--account", "x@acme.example"});
  std::vector<std::string> events;
  for (const auto& e : audit.as_array()) events.emplace_back(e.at("event").as_string());
  EXPECT_EQ(events, (std::vector<std::string>{"account.created", "account.suspended", "account.resumed",
                                              "account.locked", "account.unlocked", "account.updated"}));
  EXPECT_EQ(json({"audit", "--since", "1h", "--limit", "2"}).as_array().size(), 2u);
  refused({"audit", "--since", "yesterday"}, 2);
}

}  // namespace
}  // namespace rosterd
