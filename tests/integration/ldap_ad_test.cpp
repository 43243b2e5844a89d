// The LDAP client's `ad` dialect against a real Active Directory domain controller: a
// private Samba AD DC (tests/support/samba_fixture.h), read through ldap::connect and
// ldap::read_directory as rosterd reads Windows. Covers a simple bind, objectGUID anchors
// (checked against the GUID strings Samba itself writes), renames and moves,
// userAccountControl, accountExpires, a group over 1,500 members read through the range
// loop, nested groups, the memberOf model, referrals from the domain root, a wrong password and the USN
// attributes the incremental reads will use. One DC serves the binary; each test writes
// under an OU of its own, with sAMAccountNames (unique in the domain) of its own.
//
// Samba's LDAP server always listens on port 389: without root, or with the port taken,
// or without the samba packages, every test is skipped with the reason.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "connectors/ldap/connection.h"
#include "connectors/ldap/group_reader.h"
#include "connectors/ldap/object_guid.h"
#include "connectors/ldap/read_directory.h"
#include "connectors/ldap/search.h"
#include "connectors/ldap/usn_changes.h"
#include "tests/support/samba_fixture.h"

namespace rosterd::ldap {
namespace {

using rosterd::testing::kSambaAdminDn;
using rosterd::testing::kSambaAdminPassword;
using rosterd::testing::kSambaDomainDn;
using rosterd::testing::SambaDc;
using ::testing::AllOf;
using ::testing::AnyOf;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::UnorderedElementsAre;
using ::testing::UnorderedElementsAreArray;

// userAccountControl values: NORMAL_ACCOUNT (0x200) | PASSWD_NOTREQD (0x20), so an account
// without a password can be enabled; with ACCOUNTDISABLE (0x2) it is disabled.
constexpr const char* kEnabled = "544";
constexpr const char* kDisabled = "546";
// LDAP_SERVER_EXTENDED_DN_OID with the string format (BER SEQUENCE { INTEGER 1 }): the
// server writes each DN as "<GUID=...>;<SID=...>;CN=...", the GUID in its own text form.
constexpr const char* kExtendedDnControl = "!1.2.840.113556.1.4.529=::MAMCAQE=";

Timestamp now() { return std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now()); }

std::string decode_base64(const std::string& text) {
  std::string out;
  unsigned buffer = 0;
  int bits = 0;
  for (const char c : text) {
    int value;
    if (c >= 'A' && c <= 'Z') value = c - 'A';
    else if (c >= 'a' && c <= 'z') value = c - 'a' + 26;
    else if (c >= '0' && c <= '9') value = c - '0' + 52;
    else if (c == '+') value = 62;
    else if (c == '/') value = 63;
    else continue;  // '=' padding
    buffer = (buffer << 6) | static_cast<unsigned>(value);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((buffer >> bits) & 0xFF));
    }
  }
  return out;
}

// The values of `attribute` in ldapsearch -LLL output (each entry's lines), base64 ones
// ("attribute:: ...") decoded.
std::vector<std::string> ldif_values(const std::string& ldif, const std::string& attribute) {
  std::vector<std::string> out;
  std::size_t at = 0;
  while (at < ldif.size()) {
    const std::size_t end = std::min(ldif.find('\n', at), ldif.size());
    const std::string line = ldif.substr(at, end - at);
    at = end + 1;
    if (line.rfind(attribute + ":: ", 0) == 0) out.push_back(decode_base64(line.substr(attribute.size() + 3)));
    else if (line.rfind(attribute + ": ", 0) == 0) out.push_back(line.substr(attribute.size() + 2));
  }
  return out;
}

// Plain DN -> the GUID Samba names it with, from a search with the extended DN control.
std::map<std::string, std::string> guids_by_dn(const std::string& ldif) {
  std::map<std::string, std::string> out;
  for (const std::string& extended : ldif_values(ldif, "dn")) {
    const auto start = extended.find("<GUID=");
    const auto close = extended.find('>', start);
    const auto last = extended.rfind(">;");
    if (start == std::string::npos || close == std::string::npos || last == std::string::npos) continue;
    out[extended.substr(last + 2)] = extended.substr(start + 6, close - start - 6);
  }
  return out;
}

std::string organizational_unit(const std::string& dn) {
  return "dn: " + dn + "\nobjectClass: organizationalUnit\nou: " + dn.substr(3, dn.find(',') - 3) + "\n\n";
}

// A user CN=<cn>,<ou> with sAMAccountName <sam>, a UPN and a mail address; `extra` is
// more LDIF lines.
std::string user(const std::string& cn, const std::string& ou, const std::string& sam,
                 const std::string& uac = kEnabled, const std::string& extra = "") {
  return "dn: CN=" + cn + "," + ou + "\nobjectClass: user\nsAMAccountName: " + sam + "\nuserPrincipalName: " + sam +
         "@example.test\nmail: " + sam + "@example.test\nuserAccountControl: " + uac + "\n" + extra + "\n";
}

std::string group(const std::string& cn, const std::string& ou, const std::vector<std::string>& members) {
  std::string ldif = "dn: CN=" + cn + "," + ou + "\nobjectClass: group\nsAMAccountName: " + cn + "\n";
  for (const std::string& m : members) ldif += "member: " + m + "\n";
  return ldif + "\n";
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

// The user or group of that name; one missing fails the test (GoogleTest reports the
// exception) rather than crashing the binary.
const DirectoryUser& user_in(const DirectorySnapshot& s, const std::string& name) {
  if (const DirectoryUser* u = user_named(s, name)) return *u;
  throw std::runtime_error("no user '" + name + "' in the snapshot");
}
const DirectoryGroup& group_in(const DirectorySnapshot& s, const std::string& name) {
  if (const DirectoryGroup* g = group_named(s, name)) return *g;
  throw std::runtime_error("no group '" + name + "' in the snapshot");
}

class LdapAdTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    ::signal(SIGPIPE, SIG_IGN);  // as the daemon does: libldap writes with write()
    skip_reason_ = SambaDc::unavailable_reason();
    if (skip_reason_.empty()) dc_ = std::make_unique<SambaDc>();
  }
  static void TearDownTestSuite() { dc_.reset(); }

  void SetUp() override {
    if (!skip_reason_.empty()) GTEST_SKIP() << "no Samba AD DC: " << skip_reason_;
    ASSERT_TRUE(dc_->error().empty()) << dc_->error();
    // An OU's name is at most 64 characters.
    const std::string name =
        std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()).substr(0, 60);
    base_ = "OU=" + name + "," + kSambaDomainDn;
    people_ = "OU=People," + base_;
    groups_ = "OU=Groups," + base_;
    add(organizational_unit(base_) + organizational_unit(people_) + organizational_unit(groups_));
  }

  SambaDc& dc() { return *dc_; }
  void add(const std::string& ldif) {
    const auto result = dc().add(ldif);
    ASSERT_EQ(result.exit_code, 0) << result.err;
  }
  void modify(const std::string& ldif) {
    const auto result = dc().modify(ldif);
    ASSERT_EQ(result.exit_code, 0) << result.err;
  }
  void tool(const std::vector<std::string>& arguments) {
    const auto result = dc().tool(arguments);
    ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  }

  DirectorySettings settings() const {
    DirectorySettings s;
    s.dialect = Dialect::ActiveDirectory;
    s.urls = {dc_->url()};
    s.bind_dn = kSambaAdminDn;
    s.users.base = people_;
    s.groups.base = groups_;
    return s;
  }

  static Connection connected(const DirectorySettings& s) {
    auto connection = connect(s, BindPassword(kSambaAdminPassword));
    if (!connection) throw std::runtime_error("cannot connect: " + connection.error().message);
    return std::move(*connection);
  }

  DirectorySnapshot read(const DirectorySettings& s, Timestamp at = now()) {
    Connection connection = connected(s);
    return read_directory(connection, s, at);
  }
  DirectorySnapshot read() { return read(settings()); }

  std::string base_, people_, groups_;
  inline static std::string skip_reason_;
  inline static std::unique_ptr<SambaDc> dc_;
};

TEST_F(LdapAdTest, SimpleBindReadsUsersAndGroupsWithTheObjectGuidsSambaShows) {
  add(user("Alice Adams", people_, "guid-alice", kEnabled,
           "givenName: Alice\nsn: Adams\ntitle: Talent Partner\ndepartment: Talent\n") +
      user("Bob Brown", people_, "guid-bob"));
  add(group("guid-team", groups_, {"CN=Alice Adams," + people_, "CN=Bob Brown," + people_}));

  const DirectorySnapshot snapshot = read();

  EXPECT_TRUE(snapshot.complete);
  EXPECT_THAT(snapshot.failures, IsEmpty());
  EXPECT_THAT(snapshot.problems, IsEmpty());
  EXPECT_THAT(names(snapshot), ElementsAre("guid-alice", "guid-bob"));
  const DirectoryUser* alice = user_named(snapshot, "guid-alice");
  ASSERT_NE(alice, nullptr);
  EXPECT_EQ(alice->dn, "CN=Alice Adams," + people_);
  EXPECT_THAT(*alice->find("email"), ElementsAre("guid-alice@example.test"));
  EXPECT_THAT(*alice->find("givenName"), ElementsAre("Alice"));
  EXPECT_THAT(*alice->find("familyName"), ElementsAre("Adams"));
  EXPECT_THAT(*alice->find("title"), ElementsAre("Talent Partner"));
  EXPECT_THAT(*alice->find("department"), ElementsAre("Talent"));

  // Samba's own text for each GUID (the extended DN control), not our conversion of it.
  const auto users_view = dc().search(people_, "(objectClass=user)", {"objectGUID"}, {"-E", kExtendedDnControl});
  ASSERT_EQ(users_view.exit_code, 0) << users_view.err;
  const auto guids = guids_by_dn(users_view.out);
  ASSERT_EQ(guids.size(), 2u) << users_view.out;
  for (const DirectoryUser& u : snapshot.users) {
    ASSERT_TRUE(guids.count(u.dn)) << u.dn;
    EXPECT_EQ(u.anchor, guids.at(u.dn)) << u.dn;
  }
  // And the 16 bytes ldapsearch shows for Alice's objectGUID convert to that same text.
  const auto alice_view = dc().search(alice->dn, "(objectClass=*)", {"objectGUID"}, {"-s", "base"});
  const auto bytes = ldif_values(alice_view.out, "objectGUID");
  ASSERT_EQ(bytes.size(), 1u) << alice_view.out;
  EXPECT_EQ(guid_to_string(bytes[0]), alice->anchor);

  ASSERT_EQ(snapshot.groups.size(), 1u);
  const DirectoryGroup& team = snapshot.groups[0];
  EXPECT_EQ(team.name, "guid-team");
  EXPECT_THAT(team.members, UnorderedElementsAre(alice->dn, "CN=Bob Brown," + people_));
  const auto group_view = dc().search(groups_, "(objectClass=group)", {"1.1"}, {"-E", kExtendedDnControl});
  EXPECT_EQ(team.anchor, guids_by_dn(group_view.out)["CN=guid-team," + groups_]);
}

TEST_F(LdapAdTest, RenamedAndMovedUsersAndARenamedGroupKeepTheirAnchors) {
  const std::string moved_ou = "OU=Moved," + people_;
  add(organizational_unit(moved_ou));
  add(user("Carol", people_, "ren-carol") + user("Dave", people_, "ren-dave"));
  add(group("ren-group", groups_, {"CN=Carol," + people_, "CN=Dave," + people_}));
  const DirectorySnapshot before = read();
  ASSERT_TRUE(before.complete) << before.failures.front();
  ASSERT_EQ(before.users.size(), 2u);

  modify("dn: CN=Carol," + people_ + "\nchangetype: modrdn\nnewrdn: CN=Carol Renamed\ndeleteoldrdn: 1\n\n" +
         "dn: CN=Dave," + people_ + "\nchangetype: modrdn\nnewrdn: CN=Dave\ndeleteoldrdn: 1\nnewsuperior: " +
         moved_ou + "\n\n" + "dn: CN=ren-group," + groups_ +
         "\nchangetype: modrdn\nnewrdn: CN=ren-group-renamed\ndeleteoldrdn: 1\n\n");
  const DirectorySnapshot after = read();

  ASSERT_TRUE(after.complete) << after.failures.front();
  ASSERT_EQ(after.users.size(), 2u);
  for (const char* name : {"ren-carol", "ren-dave"}) {
    ASSERT_NE(user_named(after, name), nullptr) << name;
    EXPECT_EQ(user_in(after, name).anchor, user_in(before, name).anchor) << name;
  }
  EXPECT_EQ(user_in(after, "ren-carol").dn, "CN=Carol Renamed," + people_);
  EXPECT_EQ(user_in(after, "ren-dave").dn, "CN=Dave," + moved_ou);
  ASSERT_EQ(after.groups.size(), 1u);
  EXPECT_EQ(after.groups[0].name, "ren-group-renamed");
  EXPECT_EQ(after.groups[0].anchor, before.groups[0].anchor);
  // AD keeps linked attributes up to date: the group lists its members' new DNs.
  EXPECT_THAT(after.groups[0].members, UnorderedElementsAre("CN=Carol Renamed," + people_, "CN=Dave," + moved_ou));
}

TEST_F(LdapAdTest, UserAccountControlDisabledBitMakesAUserInactive) {
  add(user("Erin", people_, "uac-erin") + user("Frank", people_, "uac-frank") +
      user("Gina", people_, "uac-gina", kDisabled));
  const DirectorySnapshot before = read();
  ASSERT_EQ(before.users.size(), 3u);
  EXPECT_TRUE(user_in(before, "uac-frank").active);

  tool({"user", "disable", "uac-frank"});
  const DirectorySnapshot disabled = read();
  EXPECT_TRUE(disabled.complete);
  EXPECT_THAT(disabled.problems, IsEmpty());
  EXPECT_TRUE(user_in(disabled, "uac-erin").active);
  EXPECT_FALSE(user_in(disabled, "uac-frank").active);
  EXPECT_FALSE(user_in(disabled, "uac-gina").active);

  tool({"user", "enable", "uac-frank"});
  const DirectorySnapshot enabled = read();
  EXPECT_TRUE(user_in(enabled, "uac-frank").active);
}

TEST_F(LdapAdTest, AccountExpiresInThePastMakesAUserInactiveAndZeroOrMaxMeanNever) {
  // 2020-01-01T00:00:00Z as a FILETIME: (1577836800 + 11644473600) * 10^7.
  add(user("Past", people_, "exp-past", kEnabled, "accountExpires: 132223104000000000\n") +
      user("Zero", people_, "exp-zero", kEnabled, "accountExpires: 0\n") +
      user("Never", people_, "exp-never", kEnabled, "accountExpires: 9223372036854775807\n") +
      user("Soon", people_, "exp-soon"));
  tool({"user", "setexpiry", "exp-soon", "--days=2"});  // Samba writes the FILETIME itself
  const auto view = dc().search("CN=Soon," + people_, "(objectClass=*)", {"accountExpires"}, {"-s", "base"});
  ASSERT_THAT(ldif_values(view.out, "accountExpires"), ElementsAre(Not(AnyOf("0", "9223372036854775807"))));

  const Timestamp today = now();
  const DirectorySnapshot snapshot = read(settings(), today);
  EXPECT_TRUE(snapshot.complete);
  EXPECT_THAT(snapshot.problems, IsEmpty());
  ASSERT_EQ(snapshot.users.size(), 4u);
  EXPECT_FALSE(user_in(snapshot, "exp-past").active);
  EXPECT_TRUE(user_in(snapshot, "exp-zero").active);
  EXPECT_TRUE(user_in(snapshot, "exp-never").active);
  EXPECT_TRUE(user_in(snapshot, "exp-soon").active);

  // Three days on, the account samba-tool gave two days has expired; "never" has not.
  const DirectorySnapshot later = read(settings(), today + std::chrono::days(3));
  EXPECT_FALSE(user_in(later, "exp-soon").active);
  EXPECT_TRUE(user_in(later, "exp-zero").active);
  EXPECT_TRUE(user_in(later, "exp-never").active);
  // One day on, it has not.
  const DirectorySnapshot tomorrow = read(settings(), today + std::chrono::days(1));
  EXPECT_TRUE(user_in(tomorrow, "exp-soon").active);
}

// Three ranges of members: the first in the group search (0-1499), then 1500-2999 and
// 3000-*, each a follow-up search.
TEST_F(LdapAdTest, AGroupOfMoreThan1500MembersIsReadWholeThroughRanges) {
  constexpr int kMembers = 3100;
  std::string users;
  std::string members = "dn: CN=big-group," + groups_ + "\nchangetype: modify\nadd: member\n";
  std::vector<std::string> expected;
  for (int i = 0; i < kMembers; ++i) {
    const std::string sam = "big" + std::to_string(10000 + i);
    users += user(sam, people_, sam);
    expected.push_back("CN=" + sam + "," + people_);
    members += "member: " + expected.back() + "\n";
  }
  add(users);
  add(group("big-group", groups_, {}));
  modify(members + "\n");
  DirectorySettings s = settings();
  s.page_size = 500;  // the users come in pages too
  // What the group search asks for answers with fewer values than the group has: the
  // rest can only come from the range loop's follow-up searches.
  std::string first_range;
  const GroupReader reader(s);
  for (const std::string& attribute : reader.attributes())
    if (attribute.rfind("member;range=", 0) == 0) first_range = attribute;
  ASSERT_FALSE(first_range.empty());
  const auto first_answer = dc().search("CN=big-group," + groups_, "(objectClass=*)", {first_range}, {"-s", "base"});
  ASSERT_EQ(ldif_values(first_answer.out, "member;range=0-1499").size(), 1500u) << first_range;

  const DirectorySnapshot snapshot = read(s);

  EXPECT_TRUE(snapshot.complete) << (snapshot.failures.empty() ? "" : snapshot.failures.front());
  EXPECT_EQ(snapshot.users.size(), static_cast<std::size_t>(kMembers));
  ASSERT_EQ(snapshot.groups.size(), 1u);
  EXPECT_EQ(snapshot.groups[0].members.size(), static_cast<std::size_t>(kMembers));
  EXPECT_THAT(snapshot.groups[0].members, UnorderedElementsAreArray(expected));
}

TEST_F(LdapAdTest, NestedGroupsComeBackWithTheirMemberGroups) {
  add(user("n1", people_, "nest-1") + user("n2", people_, "nest-2") + user("n3", people_, "nest-3"));
  add(group("nest-low", groups_, {"CN=n3," + people_}));
  add(group("nest-mid", groups_, {"CN=n2," + people_, "CN=nest-low," + groups_}));
  add(group("nest-top", groups_, {"CN=n1," + people_, "CN=nest-mid," + groups_}));

  const DirectorySnapshot snapshot = read();

  EXPECT_TRUE(snapshot.complete);
  ASSERT_EQ(snapshot.groups.size(), 3u);
  EXPECT_THAT(group_in(snapshot, "nest-top").members,
              UnorderedElementsAre("CN=n1," + people_, "CN=nest-mid," + groups_));
  EXPECT_THAT(group_in(snapshot, "nest-mid").members,
              UnorderedElementsAre("CN=n2," + people_, "CN=nest-low," + groups_));
  EXPECT_THAT(group_in(snapshot, "nest-low").members, ElementsAre("CN=n3," + people_));
}

// AD keeps memberOf as a back-link of member, on users and on groups alike.
TEST_F(LdapAdTest, MemberOfModelReadsTheBackLinksSambaKeeps) {
  add(user("m1", people_, "mof-1") + user("m2", people_, "mof-2"));
  add(group("mof-inner", groups_, {"CN=m2," + people_}));
  add(group("mof-outer", groups_, {"CN=m1," + people_, "CN=mof-inner," + groups_}));
  DirectorySettings s = settings();
  s.membership = Membership::MemberOf;

  const DirectorySnapshot snapshot = read(s);

  EXPECT_TRUE(snapshot.complete);
  EXPECT_THAT(snapshot.problems, IsEmpty());
  EXPECT_THAT(user_in(snapshot, "mof-1").member_of, ElementsAre("CN=mof-outer," + groups_));
  EXPECT_THAT(user_in(snapshot, "mof-2").member_of, ElementsAre("CN=mof-inner," + groups_));
  EXPECT_THAT(group_in(snapshot, "mof-inner").member_of, ElementsAre("CN=mof-outer," + groups_));
  EXPECT_THAT(group_in(snapshot, "mof-outer").member_of, IsEmpty());
  EXPECT_THAT(group_in(snapshot, "mof-outer").members, IsEmpty());  // not read in this model
}

TEST_F(LdapAdTest, ASearchFromTheDomainRootSkipsReferralsAndStaysComplete) {
  add(user("Root One", people_, "root-one") + user("Root Two", people_, "root-two"));
  add(group("root-group", groups_, {"CN=Root One," + people_}));
  DirectorySettings s = settings();
  s.users.base = kSambaDomainDn;
  s.users.filter = "(&(objectCategory=person)(objectClass=user)(sAMAccountName=root-*))";
  s.groups.base = kSambaDomainDn;
  s.groups.filter = "(&(objectClass=group)(sAMAccountName=root-*))";

  const DirectorySnapshot snapshot = read(s);

  EXPECT_TRUE(snapshot.complete) << (snapshot.failures.empty() ? "" : snapshot.failures.front());
  EXPECT_THAT(snapshot.failures, IsEmpty());
  EXPECT_THAT(names(snapshot), ElementsAre("root-one", "root-two"));
  ASSERT_EQ(snapshot.groups.size(), 1u);
  // The references (to the configuration partition, on a server named example.test) were
  // seen, reported and not followed.
  EXPECT_THAT(snapshot.problems, Contains(AllOf(HasSubstr("search for users under '" + std::string(kSambaDomainDn)),
                                                HasSubstr("not followed"))));
  EXPECT_THAT(snapshot.problems, Contains(AllOf(HasSubstr("groups"), HasSubstr("not followed"))));
}

TEST_F(LdapAdTest, WrongPasswordIsUnauthorizedAndDoesNotShowThePassword) {
  const auto connection = connect(settings(), BindPassword("not-the-Password-42"));
  ASSERT_FALSE(connection);
  EXPECT_EQ(connection.error().code, ErrorCode::Unauthorized);
  EXPECT_THAT(connection.error().message, AllOf(HasSubstr(kSambaAdminDn), HasSubstr(dc().url()),
                                                Not(HasSubstr("not-the-Password-42"))));
}

// What the incremental AD read will use: highestCommittedUSN and the DC's invocationId
// (on its NTDS Settings object) from the rootDSE, and each entry's uSNChanged.
TEST_F(LdapAdTest, UsnAttributesAndTheInvocationIdCanBeRead) {
  add(user("Usn", people_, "usn-user"));
  Connection connection = connected(settings());
  const auto read_one = [&connection](const std::string& base, const std::vector<std::string>& attributes) {
    SearchRequest request;
    request.base = base;
    request.scope = SearchScope::Base;
    request.attributes = attributes;
    std::map<std::string, std::vector<std::string>> values;
    SearchHandlers handlers;
    handlers.on_entry = [&](const Entry& entry) {
      for (const std::string& a : attributes) values[a] = entry.values(a);
      return true;
    };
    const auto done = search(connection, request, handlers);
    if (!done || !done->success()) throw std::runtime_error("search of '" + base + "' failed");
    return values;
  };
  const auto usn_of_user = [&] {
    const auto v = read_one("CN=Usn," + people_, {"uSNChanged"})["uSNChanged"];
    return v.size() == 1 ? std::stoull(v[0]) : 0;
  };

  auto root = read_one("", {"highestCommittedUSN", "dsServiceName"});
  ASSERT_EQ(root["highestCommittedUSN"].size(), 1u);
  ASSERT_EQ(root["dsServiceName"].size(), 1u);
  const auto invocation = read_one(root["dsServiceName"][0], {"invocationId"})["invocationId"];
  ASSERT_EQ(invocation.size(), 1u);
  EXPECT_TRUE(guid_to_string(invocation[0]).has_value());  // 16 bytes
  const unsigned long long first = usn_of_user();
  ASSERT_GT(first, 0u);
  EXPECT_LE(first, std::stoull(root["highestCommittedUSN"][0]));

  modify("dn: CN=Usn," + people_ + "\nchangetype: modify\nreplace: title\ntitle: Changed\n\n");
  const unsigned long long second = usn_of_user();
  EXPECT_GT(second, first);
  EXPECT_LE(second, std::stoull(read_one("", {"highestCommittedUSN"})["highestCommittedUSN"][0]));
}

// The incremental read of AD: what changed on this DC since its highestCommittedUSN, a
// member added to a group included (it moves the group's uSNChanged).
TEST_F(LdapAdTest, ChangesSinceAUsnAreTheUsersAndGroupsChangedSinceOnThatDc) {
  add(user("Ann", people_, "usn-ann") + user("Bob", people_, "usn-bob") +
      group("Usn Team", groups_, {"CN=Ann," + people_}));
  Connection connection = connected(settings());
  const auto cursor = current_usn_cursor(connection);
  ASSERT_TRUE(cursor) << cursor.error().message;
  EXPECT_EQ(cursor->invocation_id.size(), 36u);
  EXPECT_GT(cursor->usn, 0u);

  const DirectoryChanges nothing = read_changes_since_usn(connection, settings(), *cursor, now());
  EXPECT_TRUE(nothing.complete);
  EXPECT_TRUE(nothing.users.empty());
  EXPECT_TRUE(nothing.groups.empty());

  modify("dn: CN=Bob," + people_ + "\nchangetype: modify\nreplace: title\ntitle: Lead\n\n"
         "dn: CN=Usn Team," + groups_ + "\nchangetype: modify\nadd: member\nmember: CN=Bob," + people_ + "\n\n");
  const DirectoryChanges changes = read_changes_since_usn(connection, settings(), *cursor, now());
  ASSERT_TRUE(changes.complete) << (changes.failures.empty() ? "" : changes.failures[0]);
  ASSERT_EQ(changes.users.size(), 1u);
  EXPECT_EQ(changes.users[0].user_name, "usn-bob");  // sAMAccountName, the ad default
  ASSERT_EQ(changes.groups.size(), 1u);
  EXPECT_THAT(changes.groups[0].members, UnorderedElementsAre("CN=Ann," + people_, "CN=Bob," + people_));

  const auto later = current_usn_cursor(connection);
  ASSERT_TRUE(later);
  EXPECT_EQ(later->invocation_id, cursor->invocation_id);  // the same DC
  EXPECT_GT(later->usn, cursor->usn);
  EXPECT_TRUE(read_changes_since_usn(connection, settings(), *later, now()).users.empty());
}

}  // namespace
}  // namespace rosterd::ldap
