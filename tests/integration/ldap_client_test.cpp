// The LDAP client layer against a real slapd (tests/support/slapd_fixture.h): connecting
// (URL fail-over, wrong password, StartTLS), paged reads under server limits, a server
// that dies mid-read, and full reads of users and groups with their anchors, mapped
// attributes, memberships, status and bad entries. One slapd serves the suite, each test
// writes under an OU of its own; tests that stop, kill or reconfigure a server start
// their own.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <ldap.h>
#include <signal.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "connectors/ldap/connection.h"
#include "connectors/ldap/filter_escape.h"
#include "connectors/ldap/paged_search.h"
#include "connectors/ldap/read_directory.h"
#include "connectors/ldap/search.h"
#include "tests/support/slapd_fixture.h"

namespace rosterd::ldap {
namespace {

using rosterd::testing::kReaderPassword;
using rosterd::testing::Slapd;
using rosterd::testing::SlapdOptions;
using ::testing::AllOf;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::UnorderedElementsAre;

constexpr const char* kSuffix = "dc=example,dc=test";
constexpr const char* kSmallPagesDn = "cn=small-pages,dc=example,dc=test";
constexpr const char* kSizeLimitedDn = "cn=size-limited,dc=example,dc=test";
const Timestamp kNow = *parse_timestamp("2026-03-01T12:00:00Z");

std::string person(const std::string& uid, const std::string& ou, const std::string& extra = "") {
  return "dn: uid=" + uid + "," + ou + "\nobjectClass: inetOrgPerson\nuid: " + uid + "\ncn: " + uid +
         "\nsn: " + uid + "\nmail: " + uid + "@example.test\n" + extra + "\n";
}

std::string group(const std::string& cn, const std::string& ou, const std::vector<std::string>& members) {
  std::string ldif = "dn: cn=" + cn + "," + ou + "\nobjectClass: groupOfNames\ncn: " + cn + "\n";
  for (const std::string& m : members) ldif += "member: " + m + "\n";
  return ldif + "\n";
}

std::string organizational_unit(const std::string& dn) {
  return "dn: " + dn + "\nobjectClass: organizationalUnit\nou: " + dn.substr(3, dn.find(',') - 3) + "\n\n";
}

std::string account(const std::string& dn, const std::string& password) {
  return "dn: " + dn + "\nobjectClass: simpleSecurityObject\nobjectClass: organizationalRole\ncn: " +
         dn.substr(3, dn.find(',') - 3) + "\nuserPassword: " + password + "\n\n";
}

// The value of `attribute` in ldapsearch -LLL output for one entry.
std::string attribute_of(const std::string& ldif, const std::string& attribute) {
  const std::string key = "\n" + attribute + ": ";
  const auto at = ("\n" + ldif).find(key);
  if (at == std::string::npos) return "";
  const auto start = at + key.size() - 1;
  return ldif.substr(start, ldif.find('\n', start) - start);
}

std::vector<std::string> names(const DirectorySnapshot& s) {
  std::vector<std::string> out;
  for (const auto& u : s.users) out.push_back(u.user_name);
  std::sort(out.begin(), out.end());
  return out;
}

const DirectoryUser* user_named(const DirectorySnapshot& s, const std::string& name) {
  for (const auto& u : s.users)
    if (u.user_name == name) return &u;
  return nullptr;
}

const DirectoryGroup* group_named(const DirectorySnapshot& s, const std::string& name) {
  for (const auto& g : s.groups)
    if (g.name == name) return &g;
  return nullptr;
}

std::string dead_url() { return "ldap://127.0.0.1:" + std::to_string(Slapd::free_port()) + "/"; }

class LdapClientTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    // libldap writes to its socket with write(): a server that went away would raise
    // SIGPIPE. The daemon ignores it for the same reason.
    ::signal(SIGPIPE, SIG_IGN);
    if (!Slapd::available()) return;
    SlapdOptions options;
    options.limits = {
        std::string("limits dn.exact=\"") + kSmallPagesDn + "\" size=unlimited size.pr=50 size.prtotal=unlimited",
        std::string("limits dn.exact=\"") + kSizeLimitedDn + "\" size=20",
        "limits * size=unlimited size.prtotal=unlimited"};
    shared_ = std::make_unique<Slapd>(options);
    if (shared_->error().empty())
      shared_->add(account(kSmallPagesDn, kReaderPassword) + account(kSizeLimitedDn, kReaderPassword));
  }
  static void TearDownTestSuite() { shared_.reset(); }

  void SetUp() override {
    if (!Slapd::available()) GTEST_SKIP() << "slapd or ldap-utils is not installed (scripts/deps.sh installs them)";
    ASSERT_TRUE(shared_->error().empty()) << shared_->error();
    const std::string name = ::testing::UnitTest::GetInstance()->current_test_info()->name();
    base_ = "ou=" + name + "," + kSuffix;
    people_ = "ou=people," + base_;
    groups_ = "ou=groups," + base_;
    add(organizational_unit(base_) + organizational_unit(people_) + organizational_unit(groups_));
  }

  Slapd& slapd() { return *shared_; }
  void add(const std::string& ldif) { add_to(slapd(), ldif); }
  static void add_to(Slapd& server, const std::string& ldif) {
    const auto result = server.add(ldif);
    ASSERT_EQ(result.exit_code, 0) << result.err;
  }

  DirectorySettings settings_for(const Slapd& server) const {
    DirectorySettings s;
    s.urls = {server.url()};
    s.bind_dn = server.reader_dn();
    s.users.base = people_;
    s.groups.base = groups_;
    return s;
  }
  DirectorySettings settings() const { return settings_for(*shared_); }

  // A test that cannot connect ends here: GoogleTest reports the exception as its failure.
  static Connection connected(const DirectorySettings& s, const std::string& password = kReaderPassword) {
    auto connection = connect(s, BindPassword(password));
    if (!connection) throw std::runtime_error("cannot connect: " + connection.error().message);
    return std::move(*connection);
  }

  std::string base_, people_, groups_;
  inline static std::unique_ptr<Slapd> shared_;
};

TEST_F(LdapClientTest, FirstFullReadHasUsersGroupsMappedAttributesAndEntryUuidAnchors) {
  add(person("alice", people_,
             "givenName: Alice\ntitle: Talent Partner\ndepartmentNumber: Talent\nmanager: uid=bob," + people_ + "\n") +
      person("bob", people_, "givenName: Bob\n") + person("carol", people_));
  // Nested three levels: recruiting > managers > leads.
  add(group("leads", groups_, {"uid=carol," + people_}) +
      group("managers", groups_, {"uid=bob," + people_, "cn=leads," + groups_}) +
      group("recruiting", groups_, {"uid=alice," + people_, "cn=managers," + groups_}));

  Connection connection = connected(settings());
  const DirectorySnapshot snapshot = read_directory(connection, settings(), kNow);

  EXPECT_TRUE(snapshot.complete);
  EXPECT_TRUE(snapshot.failures.empty());
  EXPECT_TRUE(snapshot.problems.empty()) << snapshot.problems.front();
  EXPECT_THAT(names(snapshot), ElementsAre("alice", "bob", "carol"));
  const DirectoryUser* alice = user_named(snapshot, "alice");
  ASSERT_NE(alice, nullptr);
  const auto server_view = slapd().search("uid=alice," + people_, "(objectClass=*)", {"entryUUID"});
  EXPECT_EQ(alice->anchor, attribute_of(server_view.out, "entryUUID"));
  EXPECT_EQ(alice->anchor.size(), 36u);
  EXPECT_EQ(alice->dn, "uid=alice," + people_);
  EXPECT_TRUE(alice->active);
  EXPECT_THAT(*alice->find("email"), ElementsAre("alice@example.test"));
  EXPECT_THAT(*alice->find("givenName"), ElementsAre("Alice"));
  EXPECT_THAT(*alice->find("familyName"), ElementsAre("alice"));
  EXPECT_THAT(*alice->find("title"), ElementsAre("Talent Partner"));
  EXPECT_THAT(*alice->find("department"), ElementsAre("Talent"));
  EXPECT_THAT(*alice->find("manager"), ElementsAre("uid=bob," + people_));
  EXPECT_TRUE(std::is_sorted(snapshot.users.begin(), snapshot.users.end(),
                             [](const auto& a, const auto& b) { return a.anchor < b.anchor; }));

  ASSERT_EQ(snapshot.groups.size(), 3u);
  const DirectoryGroup* recruiting = group_named(snapshot, "recruiting");
  ASSERT_NE(recruiting, nullptr);
  EXPECT_EQ(recruiting->dn, "cn=recruiting," + groups_);
  EXPECT_THAT(recruiting->members, UnorderedElementsAre("uid=alice," + people_, "cn=managers," + groups_));
  EXPECT_THAT(group_named(snapshot, "managers")->members, Contains("cn=leads," + groups_));
  EXPECT_THAT(group_named(snapshot, "leads")->members, ElementsAre("uid=carol," + people_));
  const auto group_view = slapd().search("cn=leads," + groups_, "(objectClass=*)", {"entryUUID"});
  EXPECT_EQ(group_named(snapshot, "leads")->anchor, attribute_of(group_view.out, "entryUUID"));
}

TEST_F(LdapClientTest, MemberOfModelReadsMembershipsFromTheUsers) {
  add(person("dora", people_) + person("ed", people_));
  add(group("inner", groups_, {"uid=ed," + people_}) +
      group("outer", groups_, {"uid=dora," + people_, "cn=inner," + groups_}));
  DirectorySettings s = settings();
  s.membership = Membership::MemberOf;

  Connection connection = connected(s);
  const DirectorySnapshot snapshot = read_directory(connection, s, kNow);

  ASSERT_TRUE(snapshot.complete) << snapshot.failures.front();
  EXPECT_THAT(user_named(snapshot, "dora")->member_of, ElementsAre("cn=outer," + groups_));
  EXPECT_THAT(user_named(snapshot, "ed")->member_of, ElementsAre("cn=inner," + groups_));
  EXPECT_THAT(group_named(snapshot, "inner")->member_of, ElementsAre("cn=outer," + groups_));
  EXPECT_TRUE(group_named(snapshot, "outer")->members.empty());  // not read in this model
}

TEST_F(LdapClientTest, SmallServerPagesStillReadEverything) {
  std::string ldif;
  for (int i = 0; i < 260; ++i) ldif += person("p" + std::to_string(i), people_);
  add(ldif);
  DirectorySettings s = settings();
  s.bind_dn = kSmallPagesDn;  // size.pr=50: pages of 50 entries at most

  Connection connection = connected(s);
  SearchRequest request;
  request.base = people_;
  request.filter = "(objectClass=inetOrgPerson)";
  request.attributes = {"uid"};
  std::size_t seen = 0;
  const auto count = [&seen](const Entry&) {
    ++seen;
    return true;
  };
  const PagedOutcome fifty = paged_search(connection, request, 50, count);
  EXPECT_TRUE(fifty.complete()) << fifty.reason;
  EXPECT_EQ(fifty.entries, 260u);
  EXPECT_EQ(seen, 260u);
  EXPECT_EQ(fifty.pages, 6);  // 5 pages of 50 and one of 10

  // slapd refuses a page larger than size.pr outright (adminLimitExceeded): the first
  // page is asked again, smaller, until it is accepted.
  seen = 0;
  const PagedOutcome shrunk = paged_search(connection, request, 500, count);
  EXPECT_TRUE(shrunk.complete()) << shrunk.reason;
  EXPECT_EQ(seen, 260u);
  EXPECT_LE(shrunk.page_size, 50);

  // read_directory with the default page size of 500.
  const DirectorySnapshot snapshot = read_directory(connection, s, kNow);
  EXPECT_TRUE(snapshot.complete);
  EXPECT_EQ(snapshot.users.size(), 260u);
}

TEST_F(LdapClientTest, ASizeLimitIsAnIncompleteReadNeverAComplete) {
  std::string ldif;
  for (int i = 0; i < 60; ++i) ldif += person("s" + std::to_string(i), people_);
  add(ldif);
  DirectorySettings s = settings();
  s.bind_dn = kSizeLimitedDn;  // size=20, and paging does not lift it

  Connection connection = connected(s);
  const DirectorySnapshot snapshot = read_directory(connection, s, kNow);

  EXPECT_FALSE(snapshot.complete);
  ASSERT_EQ(snapshot.failures.size(), 1u);
  EXPECT_THAT(snapshot.failures[0], AllOf(HasSubstr("Size limit exceeded"), HasSubstr(slapd().url()),
                                          HasSubstr("users"), HasSubstr(people_)));
  EXPECT_LE(snapshot.users.size(), 20u);

  SearchRequest request;
  request.base = people_;
  const PagedOutcome outcome = paged_search(connection, request, 10, [](const Entry&) { return true; });
  EXPECT_EQ(outcome.status, ReadStatus::Incomplete);
}

TEST_F(LdapClientTest, WrongPasswordIsABindErrorThatDoesNotShowThePassword) {
  const auto connection = connect(settings(), BindPassword("not-the-Password-42"));
  ASSERT_FALSE(connection);
  EXPECT_EQ(connection.error().code, ErrorCode::Unauthorized);
  EXPECT_THAT(connection.error().message,
              AllOf(HasSubstr("bind failed as " + slapd().reader_dn() + " at " + slapd().url()),
                    HasSubstr("Invalid credentials"), Not(HasSubstr("not-the-Password-42"))));
}

TEST_F(LdapClientTest, ABindDnWithoutPasswordIsRefusedBeforeAnyBind) {
  const auto connection = connect(settings(), BindPassword(""));
  ASSERT_FALSE(connection);
  EXPECT_EQ(connection.error().code, ErrorCode::Config);
  EXPECT_THAT(connection.error().message, HasSubstr("no bind password"));
}

TEST_F(LdapClientTest, ADeadFirstUrlFallsThroughToTheNextOne) {
  DirectorySettings s = settings();
  const std::string dead = dead_url();
  s.urls = {dead, slapd().url()};
  Connection connection = connected(s);
  EXPECT_EQ(connection.url(), slapd().url());
  EXPECT_TRUE(read_directory(connection, s, kNow).complete);
}

TEST_F(LdapClientTest, WhenEveryUrlIsDeadTheErrorNamesEachOne) {
  DirectorySettings s = settings();
  const std::string first = dead_url(), second = "ldap://127.0.0.1:1/";
  s.urls = {first, second};
  const auto connection = connect(s, BindPassword(kReaderPassword));
  ASSERT_FALSE(connection);
  EXPECT_EQ(connection.error().code, ErrorCode::Unavailable);
  EXPECT_THAT(connection.error().message,
              AllOf(HasSubstr("cannot connect to " + first), HasSubstr("cannot connect to " + second),
                    HasSubstr("Can't contact LDAP server")));
}

TEST_F(LdapClientTest, AnEntryWithoutUserNameIsSkippedWithItsDnAndTheRestIsRead) {
  add(person("fay", people_) + person("gus", people_) +
      "dn: cn=No Uid," + people_ + "\nobjectClass: inetOrgPerson\ncn: No Uid\nsn: Uid\nmail: nouid@example.test\n\n");
  Connection connection = connected(settings());
  const DirectorySnapshot snapshot = read_directory(connection, settings(), kNow);
  EXPECT_TRUE(snapshot.complete);
  EXPECT_THAT(names(snapshot), ElementsAre("fay", "gus"));
  ASSERT_EQ(snapshot.problems.size(), 1u);
  EXPECT_THAT(snapshot.problems[0], AllOf(HasSubstr("cn=No Uid," + people_), HasSubstr("userName")));
  // Skipped but present: its anchor is listed so it is never taken for a deleted user.
  const auto server_view = slapd().search("cn=No Uid," + people_, "(objectClass=*)", {"entryUUID"});
  EXPECT_THAT(snapshot.skipped_anchors, ElementsAre(attribute_of(server_view.out, "entryUUID")));
}

TEST_F(LdapClientTest, ADuplicateUserNameKeepsOneEntryAndReportsBoth) {
  const std::string contractors = "ou=contractors," + people_;
  add(organizational_unit(contractors) + person("dup", people_) + person("dup", contractors) +
      person("solo", people_));
  Connection connection = connected(settings());
  const DirectorySnapshot snapshot = read_directory(connection, settings(), kNow);
  EXPECT_TRUE(snapshot.complete);
  EXPECT_THAT(names(snapshot), ElementsAre("dup", "solo"));
  ASSERT_EQ(snapshot.problems.size(), 1u);
  EXPECT_THAT(snapshot.problems[0], AllOf(HasSubstr("uid=dup," + people_), HasSubstr("uid=dup," + contractors)));
}

TEST_F(LdapClientTest, StatusRulesMakeLockedOrFlaggedUsersInactive) {
  add(person("hal", people_) + person("ivy", people_, "employeeType: Left\n") + person("jon", people_));
  const auto locked = slapd().modify("dn: uid=hal," + people_ +
                                     "\nchangetype: modify\nadd: pwdAccountLockedTime\npwdAccountLockedTime: 000001010000Z\n");
  ASSERT_EQ(locked.exit_code, 0) << locked.err;

  DirectorySettings s = settings();
  s.status.locked_attribute = "pwdAccountLockedTime";  // operational: asked for by name
  Connection connection = connected(s);
  DirectorySnapshot snapshot = read_directory(connection, s, kNow);
  EXPECT_FALSE(user_named(snapshot, "hal")->active);
  EXPECT_TRUE(user_named(snapshot, "ivy")->active);
  EXPECT_TRUE(user_named(snapshot, "jon")->active);

  s.status = StatusRule{"", "employeeType", {"left"}};
  snapshot = read_directory(connection, s, kNow);
  EXPECT_TRUE(user_named(snapshot, "hal")->active);
  EXPECT_FALSE(user_named(snapshot, "ivy")->active);
  EXPECT_TRUE(user_named(snapshot, "jon")->active);
}

TEST_F(LdapClientTest, AnEscapedValueMatchesOnlyItselfInAFilter) {
  add(person("kim", people_, "description: a*(b)\\c\n") + person("lee", people_, "description: a-anything-b\n"));
  Connection connection = connected(settings());
  std::vector<std::string> found;
  SearchRequest request;
  request.base = people_;
  request.filter = "(description=" + escape_filter_value("a*(b)\\c") + ")";
  request.attributes = {"uid"};
  const PagedOutcome outcome = paged_search(connection, request, 0, [&found](const Entry& e) {
    found.push_back(e.values("uid").at(0));
    return true;
  });
  EXPECT_TRUE(outcome.complete()) << outcome.reason;
  EXPECT_THAT(found, ElementsAre("kim"));
}

TEST_F(LdapClientTest, SearchReferencesAreSkippedAndCountedNotFollowed) {
  add(person("max", people_));
  const auto referral = slapd().add("dn: ou=elsewhere," + people_ +
                                        "\nobjectClass: referral\nobjectClass: extensibleObject\nou: elsewhere\n"
                                        "ref: ldap://127.0.0.1:1/ou=elsewhere,dc=other\n\n",
                                    {"-M"});
  ASSERT_EQ(referral.exit_code, 0) << referral.err;
  Connection connection = connected(settings());
  SearchRequest request;
  request.base = people_;
  request.filter = "(objectClass=inetOrgPerson)";
  const PagedOutcome outcome = paged_search(connection, request, 0, [](const Entry&) { return true; });
  EXPECT_TRUE(outcome.complete()) << outcome.reason;
  EXPECT_EQ(outcome.entries, 1u);
  EXPECT_EQ(outcome.references_skipped, 1u);
  const DirectorySnapshot snapshot = read_directory(connection, settings(), kNow);
  EXPECT_THAT(names(snapshot), ElementsAre("max"));
  EXPECT_THAT(snapshot.problems, Contains(HasSubstr("not followed")));
}

// The primitive the RFC 4533 work builds on: a control sent with the request, the
// controls on each entry and on the final result come back as values.
TEST_F(LdapClientTest, SearchCarriesRequestEntryAndResultControls) {
  add(person("nia", people_));
  Connection connection = connected(settings());
  SearchRequest request;
  request.base = people_;
  request.filter = "(uid=nia)";
  // Sync Request Control, mode refreshOnly: SEQUENCE { ENUMERATED 1 }.
  request.controls.push_back(Control{"1.3.6.1.4.1.4203.1.9.1.1", std::string("\x30\x03\x0a\x01\x01", 5), true});
  std::vector<std::string> entry_control_oids;
  SearchHandlers handlers;
  handlers.on_entry = [&entry_control_oids](const Entry& e) {
    for (const Control& c : e.controls()) entry_control_oids.push_back(c.oid);
    return true;
  };
  const auto done = search(connection, request, handlers);
  ASSERT_TRUE(done) << done.error().message;
  EXPECT_TRUE(done->success()) << done->message;
  EXPECT_EQ(done->entries, 1u);
  EXPECT_THAT(entry_control_oids, ElementsAre("1.3.6.1.4.1.4203.1.9.1.2"));   // Sync State
  const Control* sync_done = find_control(done->controls, "1.3.6.1.4.1.4203.1.9.1.3");  // Sync Done
  ASSERT_NE(sync_done, nullptr);
  EXPECT_TRUE(sync_done->value.has_value());  // carries the cookie
}

TEST_F(LdapClientTest, AGroupOfFiveThousandMembersLoadedOfflineIsReadWhole) {
  Slapd server;
  ASSERT_TRUE(server.error().empty()) << server.error();
  server.stop();
  const std::string people = "ou=people," + std::string(kSuffix), groups = "ou=groups," + std::string(kSuffix);
  std::string ldif = organizational_unit(people) + organizational_unit(groups);
  std::vector<std::string> members;
  for (int i = 0; i < 5000; ++i) {
    const std::string uid = "m" + std::to_string(i);
    // slapadd runs no overlay: memberOf is written here as the memberof overlay would.
    ldif += person(uid, people, "memberOf: cn=everyone," + groups + "\n");
    members.push_back("uid=" + uid + "," + people);
  }
  ldif += group("everyone", groups, members);
  const auto loaded = server.slapadd(ldif);
  ASSERT_EQ(loaded.exit_code, 0) << loaded.err;
  ASSERT_TRUE(server.start()) << server.error();

  DirectorySettings s = settings_for(server);
  s.users.base = people;
  s.groups.base = groups;
  Connection connection = connected(s);
  DirectorySnapshot snapshot = read_directory(connection, s, kNow);
  ASSERT_TRUE(snapshot.complete) << snapshot.failures.front();
  EXPECT_EQ(snapshot.users.size(), 5000u);
  ASSERT_EQ(snapshot.groups.size(), 1u);
  EXPECT_EQ(snapshot.groups[0].members.size(), 5000u);
  EXPECT_THAT(snapshot.groups[0].members, Contains("uid=m4999," + people));

  s.membership = Membership::MemberOf;
  snapshot = read_directory(connection, s, kNow);
  ASSERT_TRUE(snapshot.complete);
  EXPECT_EQ(std::count_if(snapshot.users.begin(), snapshot.users.end(),
                          [&](const DirectoryUser& u) {
                            return u.member_of == std::vector<std::string>{"cn=everyone," + groups};
                          }),
            5000);
}

TEST_F(LdapClientTest, AServerKilledMidReadGivesAFailedReadAndTheDataIsBackAfterARestart) {
  Slapd server;
  ASSERT_TRUE(server.error().empty()) << server.error();
  const std::string people = "ou=people," + std::string(kSuffix);
  std::string ldif = organizational_unit(people);
  for (int i = 0; i < 100; ++i) ldif += person("k" + std::to_string(i), people);
  add_to(server, ldif);
  DirectorySettings s = settings_for(server);
  s.users.base = people;
  s.groups.base.clear();

  Connection connection = connected(s);
  SearchRequest request;
  request.base = people;
  request.filter = "(objectClass=inetOrgPerson)";
  const PagedOutcome outcome = paged_search(connection, request, 10, [&server](const Entry&) {
    server.kill();  // no-op after the first entry
    return true;
  });
  EXPECT_EQ(outcome.status, ReadStatus::Failed);
  EXPECT_LT(outcome.entries, 100u);
  EXPECT_THAT(outcome.reason, HasSubstr(server.url()));

  // A read over a connection whose server went away is incomplete, and says where.
  const DirectorySnapshot lost = read_directory(connection, s, kNow);
  EXPECT_FALSE(lost.complete);
  ASSERT_FALSE(lost.failures.empty());
  EXPECT_THAT(lost.failures[0], AllOf(HasSubstr(server.url()), HasSubstr("users")));

  ASSERT_TRUE(server.start()) << server.error();  // same port, same data
  Connection again = connected(s);
  const DirectorySnapshot snapshot = read_directory(again, s, kNow);
  EXPECT_TRUE(snapshot.complete);
  EXPECT_EQ(snapshot.users.size(), 100u);

  // A clean restart between two reads: the old connection is dead, a new one reads all.
  ASSERT_TRUE(server.restart()) << server.error();
  EXPECT_FALSE(read_directory(again, s, kNow).complete);
  Connection third = connected(s);
  EXPECT_EQ(read_directory(third, s, kNow).users.size(), 100u);
}

TEST_F(LdapClientTest, AServerThatStopsAnsweringTimesOutInsteadOfHanging) {
  Slapd server;
  ASSERT_TRUE(server.error().empty()) << server.error();
  DirectorySettings s = settings_for(server);
  s.users.base = server.suffix();
  s.groups.base.clear();
  s.network_timeout = std::chrono::milliseconds(200);
  s.search_timeout = std::chrono::milliseconds(200);
  Connection connection = connected(s);

  server.freeze();
  const DirectorySnapshot snapshot = read_directory(connection, s, kNow);
  EXPECT_FALSE(snapshot.complete);
  ASSERT_EQ(snapshot.failures.size(), 1u);
  EXPECT_THAT(snapshot.failures[0], AllOf(HasSubstr(server.url()), HasSubstr("no answer within 200 ms")));

  const auto bind = connect(s, BindPassword(kReaderPassword));
  ASSERT_FALSE(bind);
  EXPECT_EQ(bind.error().code, ErrorCode::Unavailable);
  EXPECT_THAT(bind.error().message, AllOf(HasSubstr("at " + server.url()), HasSubstr("got no answer")));
  server.thaw();
}

TEST_F(LdapClientTest, StartTlsWorksWithTheRightCaAndFailsWithAnother) {
  SlapdOptions options;
  options.tls = true;
  Slapd server(options);
  ASSERT_TRUE(server.error().empty()) << server.error();
  const std::string people = "ou=people," + std::string(kSuffix);
  add_to(server, organizational_unit(people) + person("tls", people));
  DirectorySettings s = settings_for(server);
  s.users.base = people;
  s.groups.base.clear();
  s.start_tls = true;
  s.ca_file = server.ca_file();

  Connection connection = connected(s);
  EXPECT_THAT(names(read_directory(connection, s, kNow)), ElementsAre("tls"));

  s.ca_file = server.other_ca_file();
  const auto refused = connect(s, BindPassword(kReaderPassword));
  ASSERT_FALSE(refused);
  EXPECT_THAT(refused.error().message,
              AllOf(HasSubstr("StartTLS failed at " + server.url()), HasSubstr(server.other_ca_file())));

  s.ca_file = "/nonexistent/rosterd-ca.pem";
  const auto unreadable = connect(s, BindPassword(kReaderPassword));
  ASSERT_FALSE(unreadable);
  EXPECT_EQ(unreadable.error().code, ErrorCode::Config);
  EXPECT_THAT(unreadable.error().message, HasSubstr("CA file /nonexistent/rosterd-ca.pem"));
}

// Connections read ahead (liblber's layer under the protocol, and under TLS): many
// entries in several pages still arrive whole and in full, in the clear and over TLS.
TEST_F(LdapClientTest, ConnectionsReadAheadAndStillReadEveryEntryInTheClearAndOverTls) {
  SlapdOptions options;
  options.tls = true;
  Slapd server(options);
  ASSERT_TRUE(server.error().empty()) << server.error();
  const std::string people = "ou=people," + std::string(kSuffix);
  std::string ldif = organizational_unit(people);
  std::vector<std::string> expected;
  for (int i = 0; i < 1500; ++i) {
    expected.push_back("reader" + std::to_string(i));
    ldif += person(expected.back(), people);
  }
  add_to(server, ldif);
  std::sort(expected.begin(), expected.end());
  for (const bool tls : {false, true}) {
    SCOPED_TRACE(tls ? "StartTLS" : "in the clear");
    DirectorySettings s = settings_for(server);
    s.users.base = people;
    s.groups.base.clear();
    s.page_size = 200;
    s.start_tls = tls;
    s.ca_file = tls ? server.ca_file() : "";
    Connection connection = connected(s);
    Sockbuf* sb = nullptr;
    ASSERT_EQ(ldap_get_option(connection.native(), LDAP_OPT_SOCKBUF, &sb), LDAP_OPT_SUCCESS);
    EXPECT_EQ(ber_sockbuf_ctrl(sb, LBER_SB_OPT_HAS_IO, &ber_sockbuf_io_readahead), 1);
    const DirectorySnapshot read = read_directory(connection, s, kNow);
    EXPECT_TRUE(read.complete) << (read.failures.empty() ? "" : read.failures.front());
    EXPECT_EQ(names(read), expected);
  }
}

TEST_F(LdapClientTest, SaslExternalBindsWithTheClientCertificate) {
  SlapdOptions options;
  options.tls = true;
  Slapd server(options);
  ASSERT_TRUE(server.error().empty()) << server.error();
  const std::string people = "ou=people," + std::string(kSuffix);
  add_to(server, organizational_unit(people) + person("ext", people));
  DirectorySettings s = settings_for(server);
  s.users.base = people;
  s.groups.base.clear();
  s.start_tls = true;
  s.ca_file = server.ca_file();
  s.bind_method = BindMethod::SaslExternal;
  s.bind_dn.clear();
  s.client_cert = server.client_cert_file();
  s.client_key = server.client_key_file();

  Connection connection = connected(s, "");
  EXPECT_THAT(names(read_directory(connection, s, kNow)), ElementsAre("ext"));

  s.client_cert.clear();  // nothing to authenticate with
  s.client_key.clear();
  const auto refused = connect(s, BindPassword());
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::Unauthorized);
  EXPECT_THAT(refused.error().message, HasSubstr("bind failed as SASL EXTERNAL (no client certificate)"));
}

TEST_F(LdapClientTest, LdapsWorksWithTheRightCaAndFailsWithAnother) {
  SlapdOptions options;
  options.tls = true;
  Slapd server(options);
  ASSERT_TRUE(server.error().empty()) << server.error();
  const std::string people = "ou=people," + std::string(kSuffix);
  add_to(server, organizational_unit(people) + person("tls", people));
  DirectorySettings s = settings_for(server);
  s.urls = {server.ldaps_url()};
  s.users.base = people;
  s.groups.base.clear();
  s.ca_file = server.ca_file();

  Connection connection = connected(s);
  EXPECT_EQ(connection.url(), server.ldaps_url());
  EXPECT_THAT(names(read_directory(connection, s, kNow)), ElementsAre("tls"));

  s.ca_file = server.other_ca_file();
  const auto refused = connect(s, BindPassword(kReaderPassword));
  ASSERT_FALSE(refused);
  EXPECT_THAT(refused.error().message, HasSubstr("cannot connect to " + server.ldaps_url()));

  s.start_tls = true;  // StartTLS inside TLS makes no sense: refused before connecting
  const auto contradictory = connect(s, BindPassword(kReaderPassword));
  ASSERT_FALSE(contradictory);
  EXPECT_EQ(contradictory.error().code, ErrorCode::Config);
}

}  // namespace
}  // namespace rosterd::ldap
