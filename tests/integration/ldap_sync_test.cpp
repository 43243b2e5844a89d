// `rosterd sync --once` against a real slapd: a directory read into the store, mapped by
// the rules and applied; renames, moves and edits as updates of the same account; people
// disabled, deleted or taken out of a group as leavers; and a server that cannot be read
// (down, wrong password, a size limit) changing nothing. The suite LdapSync runs on SQLite
// and on PostgreSQL (its parameter: tests/integration/test_store.h); the others on SQLite.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <chrono>
#include <fstream>
#include <functional>
#include <map>
#include <thread>

#include "tests/integration/test_store.h"
#include "tests/support/slapd_fixture.h"
#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"

namespace rosterd::testing {
namespace {

const std::string kSuffix = "dc=example,dc=test";

std::string person(const std::string& uid, const std::string& ou, const std::string& title = "Recruiter") {
  return "dn: uid=" + uid + ",ou=" + ou + ",ou=people," + kSuffix +
         "\nobjectClass: inetOrgPerson\nuid: " + uid + "\ncn: " + uid + " Test\nsn: Test\ngivenName: " + uid +
         "\nmail: " + uid + "@acme.test\ntitle: " + title + "\n\n";
}

std::string group(const std::string& cn, const std::vector<std::string>& member_dns) {
  std::string out = "dn: cn=" + cn + ",ou=groups," + kSuffix + "\nobjectClass: groupOfNames\ncn: " + cn + "\n";
  for (const auto& m : member_dns) out += "member: " + m + "\n";
  return out + "\n";
}

std::string user_dn(const std::string& uid, const std::string& ou) {
  return "uid=" + uid + ",ou=" + ou + ",ou=people," + kSuffix;
}
std::string group_dn(const std::string& cn) { return "cn=" + cn + ",ou=groups," + kSuffix; }

// People in ou=paris and ou=london; groups nested three levels (recruiting > paris >
// interns) and a cycle (loop-a <-> loop-b) that must not hang anything.
std::string directory() {
  std::string ldif;
  for (const char* ou : {"people", "groups"})
    ldif += "dn: ou=" + std::string(ou) + "," + kSuffix + "\nobjectClass: organizationalUnit\nou: " + ou + "\n\n";
  for (const char* ou : {"paris", "london"})
    ldif += "dn: ou=" + std::string(ou) + ",ou=people," + kSuffix +
            "\nobjectClass: organizationalUnit\nou: " + ou + "\n\n";
  ldif += person("olga", "london", "Head of Talent") + person("ada", "paris") + person("bob", "paris") +
          person("cy", "paris") + person("dan", "paris", "Intern") + person("eve", "london", "Engineer");
  ldif += group("owners", {user_dn("olga", "london")});
  ldif += group("interns", {user_dn("dan", "paris")});
  ldif += group("recruiting-paris", {user_dn("cy", "paris"), group_dn("interns")});
  ldif += group("recruiting", {user_dn("ada", "paris"), user_dn("bob", "paris"), group_dn("recruiting-paris")});
  ldif += group("loop-a", {user_dn("eve", "london")});
  ldif += group("loop-b", {group_dn("loop-a")});
  ldif += "dn: " + group_dn("loop-a") + "\nchangetype: modify\nadd: member\nmember: " + group_dn("loop-b") + "\n\n";
  return ldif;
}

class LdapSyncTest : public ::testing::Test {
 protected:
  explicit LdapSyncTest(SlapdOptions options = {}, StoreKind store = StoreKind::Sqlite)
      : slapd_(std::move(options)), store_(store, dir_) {}

  void SetUp() override {
    if (!Slapd::available()) GTEST_SKIP() << "slapd or ldap-utils is not installed (scripts/deps.sh installs them)";
    if (!store_.available()) GTEST_SKIP() << store_.why_unavailable();
    ASSERT_EQ(slapd_.error(), "");
    const RunResult added = slapd_.add(directory(), {"-c"});
    ASSERT_EQ(added.exit_code, 0) << added.err;
    write_password(kReaderPassword);
    write_config(slapd_.url());
  }

  void write_password(const std::string& password) { std::ofstream(dir_.file("password")) << password << "\n"; }
  // `source_settings`: more lines for the source (indented by four spaces).
  void write_config(const std::string& url, const std::string& source_settings = "") {
    std::ofstream(dir_.file("rosterd.yaml")) << store_.yaml() << R"y(spaces:
  acme:
    licences: {recruiter: 10, manager: 10, administrator: 2}
    default_owner: olga@acme.test
    max_destructive: {count: 10, percent: 100}
sources:
  - id: corp
    kind: ldap
    space: acme
    dialect: openldap
    urls: [")y" << url << R"y("]
    bind_dn: ")y" << slapd_.reader_dn() << R"y("
    bind_password_file: )y" << dir_.file("password") << R"y(
    users: {base: "ou=people,)y" << kSuffix << R"y(", filter: "(objectClass=inetOrgPerson)"}
    groups: {base: "ou=groups,)y" << kSuffix << R"y("}
    attributes: {userName: uid, email: mail, givenName: givenName, familyName: sn, title: title}
    status: {locked_attribute: pwdAccountLockedTime}
    interval: 1s
)y" << source_settings << R"y(rules:
  - name: owners
    space: acme
    when: {group: "owners"}
    grant: {role: owner, licence: administrator}
  - name: recruiters
    space: acme
    when: {group: "CN=Recruiting,OU=Groups,DC=example,DC=test"}
    grant: {role: recruiter, licence: recruiter, team: Talent}
  - name: loopers
    space: acme
    when: {group: "loop-b"}
    grant: {role: collaborator, licence: manager}
)y";
  }

  RunResult cli(std::vector<std::string> args) {
    args.insert(args.begin(), {ROSTERD_BINARY, "--config", dir_.file("rosterd.yaml")});
    return run(args);
  }
  // sync --once --json: the report of source corp.
  boost::json::object sync(int expected_exit = 0, const std::vector<std::string>& extra = {}) {
    std::vector<std::string> args{"sync", "--once", "--json"};
    args.insert(args.end(), extra.begin(), extra.end());
    const RunResult r = cli(args);
    EXPECT_EQ(r.exit_code, expected_exit) << r.out << r.err;
    last_err_ = r.err;
    boost::system::error_code ec;
    const auto v = boost::json::parse(r.out, ec);
    EXPECT_FALSE(ec) << r.out << r.err;
    if (ec || !v.is_object() || v.at("sources").as_array().empty()) return {};
    return v.at("sources").as_array()[0].as_object();
  }
  // email -> "id role/state"
  std::map<std::string, std::string> accounts() {
    const RunResult r = cli({"accounts", "list", "--json"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    std::map<std::string, std::string> out;
    const boost::json::value list = boost::json::parse(r.out);
    for (const auto& a : list.as_array())
      out[std::string(a.at("email").as_string())] = std::string(a.at("id").as_string()) + " " +
                                                     std::string(a.at("role").as_string()) + "/" +
                                                     std::string(a.at("state").as_string());
    return out;
  }
  static std::string role_state(const std::string& id_role_state) {
    return id_role_state.substr(id_role_state.find(' ') + 1);
  }
  static std::string id(const std::string& id_role_state) { return id_role_state.substr(0, id_role_state.find(' ')); }
  std::int64_t count(const boost::json::object& report, const char* key) { return report.at(key).as_int64(); }

  std::string log() const {
    std::ifstream in(dir_.file("serve.log"));
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  }

  Slapd slapd_;
  TempDir dir_;
  TestStore store_;
  std::string last_err_;
};

// The tests where the store matters (what a sync writes, and reads back the next time), on both.
class LdapSync : public LdapSyncTest, public ::testing::WithParamInterface<StoreKind> {
 protected:
  LdapSync() : LdapSyncTest({}, GetParam()) {}
};
INSTANTIATE_TEST_SUITE_P(Stores, LdapSync, kBothStores, store_test_name);

TEST_P(LdapSync, FirstSyncCreatesTheAccountsThroughNestedGroupsAndACycle) {
  const auto report = sync();
  EXPECT_EQ(report.at("status").as_string(), "ok");
  EXPECT_EQ(count(report, "users"), 6);
  EXPECT_EQ(count(report, "groups"), 6);
  EXPECT_EQ(count(report, "created"), 12);
  const auto a = accounts();
  ASSERT_EQ(a.size(), 6u);
  EXPECT_EQ(role_state(a.at("olga@acme.test")), "owner/invited");
  for (const char* who : {"ada", "bob", "cy", "dan"})  // dan: interns < recruiting-paris < recruiting
    EXPECT_EQ(role_state(a.at(std::string(who) + "@acme.test")), "recruiter/invited") << who;
  EXPECT_EQ(role_state(a.at("eve@acme.test")), "collaborator/invited");  // through the cycle
}

TEST_P(LdapSync, ASecondSyncWithNothingChangedWritesNothing) {
  sync();
  const auto audit_before = cli({"audit", "--json"}).out;
  const auto report = sync();
  EXPECT_EQ(report.at("status").as_string(), "ok");
  for (const char* key : {"created", "updated", "removed", "membership_changes"}) EXPECT_EQ(count(report, key), 0) << key;
  EXPECT_EQ(cli({"audit", "--json"}).out, audit_before);
}

// A full read remembers its digests; the next scheduled full read that finds the same is
// not compared with the store (only its state is written), which a change made behind
// rosterd's back shows, and which `--full` (always compared) puts right. A read that
// changes something, full or incremental, moves the digests on or forgets them, and the
// full read after an incremental one compares again.
TEST_P(LdapSync, AScheduledFullReadThatFindsWhatTheLastFoundIsNotComparedAgain) {
  write_config(slapd_.url(), "    full_every: 1s\n");
  const auto digest = [this] {
    const std::string rows = store_.dump({"sync_state"});
    const auto at = rows.find("sha256:");
    return at == std::string::npos ? std::string() : rows.substr(at, 2 * (7 + 64) + 1);  // records, memberships
  };
  const auto tamper = [this] {
    ASSERT_EQ(store_.execute("UPDATE identities SET display_name = 'changed behind rosterd' WHERE user_name = 'ada'"),
              "");
  };
  const auto tampered = [this] { return store_.dump({"identities"}).find("changed behind rosterd") != std::string::npos; };
  // Sleeps so that the next read is a scheduled full one (full_every: 1s); nothing is timed.
  const auto after_full_every = [] { std::this_thread::sleep_for(std::chrono::milliseconds(1100)); };
  sync();
  const std::string first = digest();
  ASSERT_EQ(first.size(), 143u) << store_.dump({"sync_state"});

  tamper();
  after_full_every();
  auto report = sync();
  EXPECT_EQ(report.at("read").as_string(), "full");
  for (const char* key : {"created", "updated", "removed", "membership_changes"}) EXPECT_EQ(count(report, key), 0) << key;
  EXPECT_EQ(digest(), first);
  EXPECT_TRUE(tampered());
  report = sync(0, {"--full"});  // compared whatever the digests say
  EXPECT_EQ(count(report, "updated"), 1);
  EXPECT_FALSE(tampered());

  ASSERT_EQ(slapd_.modify("dn: " + user_dn("cy", "paris") + "\nchangetype: modify\nreplace: title\ntitle: Sourcer\n\n")
                .exit_code,
            0);
  tamper();
  after_full_every();
  report = sync();  // the records differ: compared, cy's title and ada put right on the way
  EXPECT_EQ(report.at("read").as_string(), "full");
  EXPECT_EQ(count(report, "updated"), 2);
  EXPECT_FALSE(tampered());
  const std::string second = digest();
  EXPECT_EQ(second.size(), 143u);
  EXPECT_NE(second, first);

  ASSERT_EQ(slapd_.modify("dn: " + user_dn("cy", "paris") + "\nchangetype: modify\nreplace: title\ntitle: Recruiter\n\n")
                .exit_code,
            0);
  report = sync();
  EXPECT_EQ(report.at("read").as_string(), "changes");
  EXPECT_EQ(count(report, "updated"), 1);
  EXPECT_EQ(digest(), "");

  tamper();
  after_full_every();
  report = sync();  // no digest to go by: compared, and what was changed behind rosterd put right
  EXPECT_EQ(report.at("read").as_string(), "full");
  EXPECT_EQ(count(report, "updated"), 1);
  EXPECT_FALSE(tampered());
  EXPECT_EQ(digest(), first);
}

TEST_P(LdapSync, RenameMoveAndEditAreUpdatesOfTheSameAccount) {
  sync();
  const auto before = accounts();
  ASSERT_EQ(slapd_.modify("dn: " + user_dn("bob", "paris") +
                          "\nchangetype: modrdn\nnewrdn: uid=robert\ndeleteoldrdn: 1\n\n"
                          "dn: " + user_dn("ada", "paris") + "\nchangetype: modrdn\nnewrdn: uid=ada\n"
                          "deleteoldrdn: 1\nnewsuperior: ou=london,ou=people," + kSuffix + "\n\n"
                          "dn: " + user_dn("cy", "paris") + "\nchangetype: modify\nreplace: title\n"
                          "title: Lead Recruiter\n\n")
                .exit_code,
            0);
  // The groups follow the renamed entries by DN (slapd has no refint overlay here): point
  // them at the new DNs, as a directory with referential integrity would.
  ASSERT_EQ(slapd_.modify("dn: " + group_dn("recruiting") + "\nchangetype: modify\nreplace: member\nmember: " +
                          user_dn("ada", "london") + "\nmember: uid=robert,ou=paris,ou=people," + kSuffix +
                          "\nmember: " + group_dn("recruiting-paris") + "\n\n")
                .exit_code,
            0);
  const auto report = sync();
  EXPECT_EQ(count(report, "created"), 0);
  EXPECT_EQ(count(report, "removed"), 0);
  EXPECT_EQ(count(report, "updated"), 3);
  const auto after = accounts();
  ASSERT_EQ(after.size(), before.size());
  for (const auto& [email, value] : before) {
    EXPECT_EQ(id(after.at(email)), id(value)) << email;  // the same accounts
    EXPECT_EQ(role_state(after.at(email)), role_state(value)) << email;
  }
  const RunResult cy = cli({"accounts", "show", "cy@acme.test", "--json"});
  EXPECT_NE(cy.out.find("Lead Recruiter"), std::string::npos) << cy.out;
}

TEST_P(LdapSync, DisabledDeletedAndUngroupedPeopleAreLeavers) {
  sync();
  ASSERT_EQ(slapd_.modify("dn: " + user_dn("dan", "paris") +
                          "\nchangetype: modify\nadd: pwdAccountLockedTime\npwdAccountLockedTime: 000001010000Z\n\n"
                          "dn: " + group_dn("recruiting") + "\nchangetype: modify\ndelete: member\nmember: " +
                          user_dn("bob", "paris") + "\n\n")
                .exit_code,
            0);
  ASSERT_EQ(slapd_.modify("dn: " + user_dn("cy", "paris") + "\nchangetype: delete\n\n").exit_code, 0);
  const auto report = sync();
  EXPECT_EQ(report.at("status").as_string(), "ok");
  EXPECT_EQ(report.at("read").as_string(), "changes");  // incremental, from the first read's cookies
  EXPECT_EQ(count(report, "removed"), 1);  // cy: this slapd keeps no session log, so a present phase
  EXPECT_EQ(count(report, "deleted"), 0);
  // A full read now finds the same: nothing to change. cy's DN stays in recruiting-paris
  // (no refint overlay here): reported, not fatal.
  const auto full = sync(0, {"--full"});
  EXPECT_EQ(full.at("read").as_string(), "full");
  for (const char* key : {"created", "updated", "removed", "membership_changes"}) EXPECT_EQ(count(full, key), 0) << key;
  bool dangling = false;
  for (const auto& p : full.at("problems").as_array())
    dangling |= std::string(p.as_string()).find("uid=cy,ou=paris") != std::string::npos;
  EXPECT_TRUE(dangling) << boost::json::serialize(full);
  const auto a = accounts();
  EXPECT_EQ(role_state(a.at("dan@acme.test")), "recruiter/deactivated");  // locked in the directory
  EXPECT_EQ(role_state(a.at("cy@acme.test")), "recruiter/deactivated");   // deleted
  EXPECT_EQ(role_state(a.at("bob@acme.test")), "recruiter/deactivated");  // no longer in a group
  EXPECT_EQ(role_state(a.at("ada@acme.test")), "recruiter/invited");
}

TEST_F(LdapSyncTest, AServerThatIsDownDeprovisionsNobodyAndTheNextSyncRecovers) {
  sync();
  const auto before = accounts();
  slapd_.kill();
  const auto report = sync(1);
  EXPECT_EQ(report.at("status").as_string(), "failed");
  EXPECT_NE(last_err_.find("source corp: failed"), std::string::npos) << last_err_;
  EXPECT_NE(last_err_.find(slapd_.url().substr(0, slapd_.url().size() - 1)), std::string::npos) << last_err_;
  EXPECT_EQ(accounts(), before);
  const auto recoveries = [&] {
    const RunResult audit = cli({"audit", "--json"});
    EXPECT_EQ(audit.exit_code, 0) << audit.err;
    std::size_t n = 0;
    const boost::json::value rows = boost::json::parse(audit.out);
    for (const auto& row : rows.as_array())
      n += row.at("event").as_string() == "source.recovered";
    return n;
  };
  EXPECT_EQ(recoveries(), 0u);
  ASSERT_TRUE(slapd_.start());
  const auto again = sync();
  EXPECT_EQ(again.at("status").as_string(), "ok");
  EXPECT_EQ(accounts(), before);
  // The first good read after the failure says so, and has the space planned (in serve,
  // plans made meanwhile were blocked or left the source's accounts alone).
  const auto counted = recoveries();
  EXPECT_EQ(counted, 1u);
  sync();
  EXPECT_EQ(recoveries(), counted) << "only the read after a failure is a recovery";
}

TEST_F(LdapSyncTest, AWrongPasswordIsABindFailureThatNeverShowsThePassword) {
  write_password("not-the-reader-secret");
  const RunResult r = cli({"sync", "--once"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("source corp: failed"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(slapd_.reader_dn()), std::string::npos) << r.err;
  EXPECT_EQ((r.out + r.err).find("not-the-reader-secret"), std::string::npos);
  EXPECT_TRUE(accounts().empty());
}

// `rosterd serve` polls the source on its interval and the reconciler applies what changed:
// a person added to the directory gets an account without anyone running a command.
TEST_P(LdapSync, ServeReadsTheSourceOnItsIntervalAndAppliesWhatChanged) {
  Child serve({ROSTERD_BINARY, "serve", "--config", dir_.file("rosterd.yaml"), "--listen", "127.0.0.1:0"}, {},
              dir_.file("serve.log"));
  // Bounded waits for what the daemon does by itself (no timing is asserted).
  const auto wait_for = [&](const std::function<bool()>& done) {
    for (int i = 0; i < 300; ++i) {
      if (done()) return true;
      ::poll(nullptr, 0, 100);
    }
    return false;
  };
  ASSERT_TRUE(wait_for([&] { return accounts().size() == 6; })) << log();
  ASSERT_EQ(slapd_.add(person("fay", "paris")).exit_code, 0);
  ASSERT_EQ(slapd_.modify("dn: " + group_dn("recruiting") + "\nchangetype: modify\nadd: member\nmember: " +
                          user_dn("fay", "paris") + "\n\n")
                .exit_code,
            0);
  ASSERT_TRUE(wait_for([&] {
    const auto a = accounts();
    return a.contains("fay@acme.test") && role_state(a.at("fay@acme.test")) == "recruiter/invited";
  })) << log();
  serve.signal(SIGTERM);
  EXPECT_EQ(serve.wait(), 0);
  EXPECT_NE(log().find(R"("event":"source_read")"), std::string::npos) << log();
  // Each read says what kind it was and where its time went.
  EXPECT_NE(log().find(R"("read":"full")"), std::string::npos) << log();
  EXPECT_NE(log().find(R"("read":"changes")"), std::string::npos) << log();
  EXPECT_NE(log().find(R"("store_ms":")"), std::string::npos) << log();
}

TEST_F(LdapSyncTest, CheckConfigRefusesABindDnWithoutAPasswordSettingAtTheSource) {
  std::ifstream in(dir_.file("rosterd.yaml"));
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto at = text.find("    bind_password_file:");
  text.erase(at, text.find('\n', at) + 1 - at);
  std::ofstream(dir_.file("rosterd.yaml")) << text;
  const RunResult r = cli({"check-config", dir_.file("rosterd.yaml")});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE((r.out + r.err).find(dir_.file("rosterd.yaml") + ":8:5"), std::string::npos) << r.out << r.err;
  EXPECT_NE((r.out + r.err).find("source corp: bind_dn needs bind_password_file or bind_password_env"),
            std::string::npos)
      << r.out << r.err;
}

class LdapSyncWithASessionLog : public LdapSyncTest {
 protected:
  LdapSyncWithASessionLog()
      : LdapSyncTest(SlapdOptions{kSuffix, {"limits * size=unlimited size.prtotal=unlimited"}, false, 100}) {}
};

// The two ways slapd reports deletions to an incremental read: listed (delete phase, from
// its session log), or by omission (present phase, when the log does not reach back to the
// cookie — after a restart). Both end with the same identities as a full read.
TEST_F(LdapSyncWithASessionLog, AModifiedEntryKeepsItsGroupsThoughSlapdAlsoListsItAsDeleted) {
  sync();
  ASSERT_EQ(slapd_.modify("dn: " + user_dn("ada", "paris") + "\nchangetype: modify\nreplace: title\ntitle: Lead\n\n")
                .exit_code,
            0);
  const auto changed = sync();
  EXPECT_EQ(changed.at("read").as_string(), "changes");
  EXPECT_EQ(count(changed, "updated"), 1);
  EXPECT_EQ(count(changed, "removed"), 0);
  EXPECT_EQ(count(changed, "deleted"), 0);
  EXPECT_EQ(count(changed, "membership_changes"), 0);
  EXPECT_EQ(role_state(accounts().at("ada@acme.test")), "recruiter/invited");
}

TEST_F(LdapSyncWithASessionLog, DeletionsAreFoundListedAndAfterARestartByOmission) {
  sync();
  ASSERT_EQ(slapd_.modify("dn: " + user_dn("eve", "london") + "\nchangetype: delete\n\n").exit_code, 0);
  const auto listed = sync();
  EXPECT_EQ(listed.at("read").as_string(), "changes");
  EXPECT_EQ(count(listed, "deleted"), 1);
  EXPECT_EQ(count(listed, "removed"), 1);
  EXPECT_EQ(role_state(accounts().at("eve@acme.test")), "collaborator/deactivated");

  ASSERT_EQ(slapd_.add(person("fay", "paris")).exit_code, 0);
  ASSERT_EQ(slapd_.modify("dn: " + user_dn("ada", "paris") + "\nchangetype: delete\n\n").exit_code, 0);
  ASSERT_TRUE(slapd_.restart()) << slapd_.error();
  const auto omitted = sync();
  EXPECT_EQ(omitted.at("status").as_string(), "ok");
  EXPECT_EQ(omitted.at("read").as_string(), "changes");
  EXPECT_EQ(count(omitted, "deleted"), 0);
  EXPECT_EQ(count(omitted, "removed"), 1);  // ada, absent from the present phase
  EXPECT_EQ(count(omitted, "created"), 1);  // fay
  EXPECT_EQ(role_state(accounts().at("ada@acme.test")), "recruiter/deactivated");
  // Nothing left for a full read to correct.
  const auto full = sync(0, {"--full"});
  for (const char* key : {"created", "updated", "removed", "membership_changes"}) EXPECT_EQ(count(full, key), 0) << key;
}

class LdapSyncWithASizeLimit : public LdapSyncTest {
 protected:
  LdapSyncWithASizeLimit()
      : LdapSyncTest(SlapdOptions{kSuffix,
                              {"limits dn.exact=\"cn=reader," + kSuffix + "\" size=3 size.prtotal=3",
                               "limits * size=unlimited size.prtotal=unlimited"},
                              false}) {}
};

TEST_F(LdapSyncWithASizeLimit, AnIncompleteReadWritesNoIdentityAndNoAccount) {
  const auto report = sync(1);
  EXPECT_EQ(report.at("status").as_string(), "incomplete");
  EXPECT_NE(last_err_.find("source corp: incomplete"), std::string::npos) << last_err_;
  EXPECT_EQ(count(report, "created"), 0);
  EXPECT_TRUE(accounts().empty());
}

// An account whose plain searches stop at 3 entries while its paged ones may read
// everything: a sync search cannot be paged, so an incremental read with more changed
// entries than that fails, and the poll falls back to a full paged read at once.
class LdapSyncWithAPlainSearchLimit : public LdapSyncTest {
 protected:
  LdapSyncWithAPlainSearchLimit()
      : LdapSyncTest(SlapdOptions{kSuffix,
                              {"limits dn.exact=\"cn=reader," + kSuffix +
                                   "\" size.soft=3 size.hard=3 size.pr=unlimited size.prtotal=unlimited",
                               "limits * size=unlimited size.prtotal=unlimited"},
                              false}) {}
};

TEST_F(LdapSyncWithAPlainSearchLimit, AnIncrementalReadThatCannotFinishFallsBackToAFullOne) {
  sync();
  std::string ldif;  // four changed entries: more than the three a plain search may return
  for (const char* who : {"ada", "bob", "cy", "dan"})
    ldif += "dn: " + user_dn(who, "paris") + "\nchangetype: modify\nreplace: title\ntitle: Lead\n\n";
  ASSERT_EQ(slapd_.modify(ldif).exit_code, 0);
  const auto report = sync();
  EXPECT_EQ(report.at("status").as_string(), "ok");
  EXPECT_EQ(report.at("read").as_string(), "full");
  EXPECT_EQ(count(report, "updated"), 4);
  bool said = false;
  for (const auto& p : report.at("problems").as_array())
    said |= std::string(p.as_string()).find("incremental read abandoned, reading in full") != std::string::npos;
  EXPECT_TRUE(said) << boost::json::serialize(report);
}

// A server without content synchronisation: incremental reads follow the entries'
// modifyTimestamp (the server's clock); deletions wait for a full read.
class LdapSyncWithoutSyncprov : public LdapSyncTest {
 protected:
  LdapSyncWithoutSyncprov()
      : LdapSyncTest(SlapdOptions{kSuffix, {"limits * size=unlimited size.prtotal=unlimited"}, false, 0, false}) {}
};

TEST_F(LdapSyncWithoutSyncprov, IncrementalReadsFollowModifyTimestampAndAFullReadFindsDeletions) {
  const auto first = sync();
  EXPECT_EQ(first.at("read").as_string(), "full");
  bool said = false;
  for (const auto& p : first.at("problems").as_array())
    said |= std::string(p.as_string()).find("no content synchronisation") != std::string::npos;
  EXPECT_TRUE(said) << boost::json::serialize(first);

  ASSERT_EQ(slapd_.modify("dn: " + user_dn("ada", "paris") + "\nchangetype: modify\nreplace: title\ntitle: Lead\n\n"
                          "dn: " + group_dn("recruiting") + "\nchangetype: modify\ndelete: member\nmember: " +
                          user_dn("bob", "paris") + "\n\n" + "dn: " + user_dn("cy", "paris") + "\nchangetype: delete\n\n")
                .exit_code,
            0);
  const auto changes = sync();
  EXPECT_EQ(changes.at("read").as_string(), "changes");
  EXPECT_EQ(count(changes, "updated"), 1);  // ada (and recruiting's members, below)
  EXPECT_EQ(count(changes, "removed"), 0);  // cy's deletion is not visible this way
  EXPECT_EQ(count(changes, "membership_changes"), 1);
  auto a = accounts();
  EXPECT_EQ(role_state(a.at("bob@acme.test")), "recruiter/deactivated");
  EXPECT_EQ(role_state(a.at("cy@acme.test")), "recruiter/invited");

  const auto full = sync(0, {"--full"});
  EXPECT_EQ(count(full, "removed"), 1);
  EXPECT_EQ(role_state(accounts().at("cy@acme.test")), "recruiter/deactivated");
}

}  // namespace
}  // namespace rosterd::testing
