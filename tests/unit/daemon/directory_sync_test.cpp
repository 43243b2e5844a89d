// A directory read turned into identity records (DNs to anchors) and written as the
// difference with what the store holds: nothing when nothing changed, renames that swap
// user names, member-only changes that bump the group's version.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "core/resource_schema.h"
#include "daemon/sources/directory_changes_write.h"
#include "daemon/sources/directory_poll.h"
#include "store/sqlite/open_sqlite_identity_store.h"
#include "store/sqlite/open_sqlite_store.h"
#include "tests/support/temp_dir.h"

namespace rosterd {
namespace {

using ldap::DirectoryGroup;
using ldap::DirectorySnapshot;
using ldap::DirectoryUser;
using ldap::DirectoryChanges;
using ldap::MappedAttribute;

DirectoryUser user(std::string anchor, std::string uid, std::vector<MappedAttribute> attributes = {}) {
  DirectoryUser u;
  u.anchor = std::move(anchor);
  u.dn = "uid=" + uid + ",ou=People,dc=example,dc=test";
  u.user_name = uid;
  u.attributes = std::move(attributes);
  return u;
}

DirectoryGroup group(std::string anchor, std::string cn, std::vector<std::string> members) {
  return DirectoryGroup{std::move(anchor), "cn=" + cn + ",ou=Groups,dc=example,dc=test", cn, std::move(members), {}, {}};
}

DirectorySnapshot snapshot(std::vector<DirectoryUser> users, std::vector<DirectoryGroup> groups) {
  DirectorySnapshot s;
  s.users = std::move(users);
  s.groups = std::move(groups);
  s.complete = true;
  return s;
}

TEST(DirectoryRecords, DnsBecomeAnchorsWhateverTheirSpellingAndStrayOnesAreReported) {
  const auto s = snapshot(
      {user("a1", "ada",
            {{"email", {"ada@acme.test", "ada.l@acme.test"}},
             {"employeeType", {"Contractor"}},
             {"manager", {"UID=olga, OU=people,DC=Example,DC=test"}},
             {"title", {"Sourcer"}}}),
       user("o1", "olga", {{"manager", {"uid=nobody,ou=people,dc=example,dc=test"}}})},
      {group("g1", "recruiting", {"uid=ada,ou=people,dc=example,dc=test", "CN=Paris,OU=Groups,DC=example,DC=test",
                                  "uid=ghost,ou=people,dc=example,dc=test"}),
       group("g2", "paris", {"cn=paris,ou=groups,dc=example,dc=test"})});
  const DirectoryRecords r = directory_records("corp", s);
  ASSERT_EQ(r.contents.users.size(), 2u);
  const ResourceRecord& ada = r.contents.users[0];
  EXPECT_EQ(ada.id, "a1");
  EXPECT_EQ(ada.user_name, "ada");
  EXPECT_EQ(ada.emails, (std::vector<std::string>{"ada@acme.test", "ada.l@acme.test"}));
  const auto json = boost::json::parse(ada.attributes).as_object();
  EXPECT_EQ(json.at("title").as_string(), "Sourcer");
  EXPECT_EQ(json.at("emails").as_array()[0].at("primary").as_bool(), true);
  EXPECT_EQ(json.at(kEnterpriseUserUrn).at("manager").at("value").as_string(), "o1");
  EXPECT_EQ(json.at(kDirectoryUserUrn).at("employeeType").as_string(), "Contractor");
  EXPECT_EQ(json.at(kDirectoryUserUrn).at("dn").as_string(), "uid=ada,ou=People,dc=example,dc=test");
  EXPECT_EQ(r.contents.memberships,
            (std::vector<Membership>{{"g1", "a1", ResourceType::User}, {"g1", "g2", ResourceType::Group}}));
  ASSERT_EQ(r.problems.size(), 3u);
  EXPECT_NE(r.problems[0].find("uid=nobody"), std::string::npos) << r.problems[0];  // olga's manager
  EXPECT_NE(r.problems[1].find("uid=ghost"), std::string::npos) << r.problems[1];
  EXPECT_NE(r.problems[2].find("contains itself"), std::string::npos) << r.problems[2];
}

// Records are written as JSON text directly; what earlier versions stored came from
// serialising a Boost.JSON tree. The two must be the same bytes, or every stored record
// would look changed after an upgrade.
TEST(DirectoryRecords, RecordTextIsWhatSerialisingItsJsonGives) {
  const auto s = snapshot(
      {user("a1", "ada",
            {{"costCenter", {"C-1"}},
             {"department", {"R&D \"north\""}},
             {"displayName", {"Ada \\ Lovelace"}},
             {"email", {"ada@acme.test", "ada.l@acme.test"}},
             {"employeeType", {"Contractor", "Intern\n\x01"}},
             {"familyName", {"Lovelace"}},
             {"givenName", {"Ad\xC3\xA1"}},
             {"manager", {"uid=olga,ou=people,dc=example,dc=test"}},
             {"title", {"Sourcer\t/"}}}),
       user("o1", "olga"), user("p1", "paul", {{"dn", {"mapped", "twice"}}, {"familyName", {"Ng"}}})},
      {group("g1", "r\"d", {})});
  const DirectoryRecords r = directory_records("corp", s);
  ASSERT_EQ(r.contents.users.size(), 3u);
  for (const ResourceRecord& rec : r.contents.users)
    EXPECT_EQ(boost::json::serialize(boost::json::parse(rec.attributes)), rec.attributes);
  EXPECT_EQ(boost::json::serialize(boost::json::parse(r.contents.groups[0].attributes)), r.contents.groups[0].attributes);
  EXPECT_EQ(r.contents.groups[0].attributes,
            R"({"displayName":"r\"d","dn":"cn=r\"d,ou=Groups,dc=example,dc=test"})");
  EXPECT_EQ(r.contents.users[1].attributes,
            std::string(R"({"userName":"olga","active":true,")") + std::string(kDirectoryUserUrn) +
                R"(":{"dn":"uid=olga,ou=People,dc=example,dc=test"}})");
  const std::string ada = r.contents.users[0].attributes;
  EXPECT_EQ(ada.substr(0, ada.find(kEnterpriseUserUrn)),
            "{\"userName\":\"ada\",\"name\":{\"givenName\":\"Ad\xC3\xA1\",\"familyName\":\"Lovelace\"},"
            "\"displayName\":\"Ada \\\\ Lovelace\",\"emails\":[{\"value\":\"ada@acme.test\",\"primary\":true},"
            "{\"value\":\"ada.l@acme.test\"}],\"title\":\"Sourcer\\t/\",\"active\":true,\"");
  const auto json = boost::json::parse(ada).as_object();
  EXPECT_EQ(boost::json::serialize(json.at(kEnterpriseUserUrn)),
            R"({"department":"R&D \"north\"","costCenter":"C-1","manager":{"value":"o1"}})");
  EXPECT_EQ(boost::json::serialize(json.at(kDirectoryUserUrn)),
            R"({"dn":"uid=ada,ou=People,dc=example,dc=test","employeeType":["Contractor","Intern\n\u0001"]})");
  // An attribute mapped to "dn" takes the DN's place, as it did in a JSON object.
  EXPECT_EQ(boost::json::serialize(boost::json::parse(r.contents.users[2].attributes).at(kDirectoryUserUrn)),
            R"({"dn":["mapped","twice"]})");
}

// Rows in group order (a full read's) have only each group's members sorted; rows in any
// other order are sorted whole. Either way the result is the store's order, each row once.
TEST(DirectoryRecords, MembershipsAreSortedByGroupThenMemberEachOnce) {
  const std::vector<Membership> expected{{"g1", "a", ResourceType::User},
                                         {"g1", "b", ResourceType::Group},
                                         {"g1", "c", ResourceType::User},
                                         {"g2", "a", ResourceType::User},
                                         {"g3", "b", ResourceType::User}};
  std::vector<Membership> grouped{{"g1", "c", ResourceType::User}, {"g1", "a", ResourceType::User},
                                  {"g1", "b", ResourceType::Group}, {"g1", "a", ResourceType::User},
                                  {"g2", "a", ResourceType::User},  {"g3", "b", ResourceType::User}};
  sort_memberships(grouped);
  EXPECT_EQ(grouped, expected);
  std::vector<Membership> scattered{{"g3", "b", ResourceType::User}, {"g1", "c", ResourceType::User},
                                    {"g2", "a", ResourceType::User}, {"g1", "b", ResourceType::Group},
                                    {"g1", "a", ResourceType::User}, {"g3", "b", ResourceType::User}};
  sort_memberships(scattered);
  EXPECT_EQ(scattered, expected);
}

class SourceWrites : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string path = dir_.file("rosterd.db");
    auto accounts = open_sqlite_store(path, StoreOptions{});  // migrates
    ASSERT_TRUE(accounts.has_value()) << accounts.error().message;
    auto identities = open_sqlite_identity_store(path, StoreOptions{});
    ASSERT_TRUE(identities.has_value()) << identities.error().message;
    store_ = std::move(*identities);
  }

  // Reads the snapshot into the store as a poll does; returns what was written.
  WriteSummary sync(const DirectorySnapshot& s, Timestamp now) {
    SourceState state;
    state.source = "corp";
    state.status = "ok";
    WriteSummary summary;
    auto done = store_->write([&](IdentityWriter& w) -> Result<void> {
      auto written = store_directory_read(w, "corp", "acme", directory_records("corp", s), state, now);
      if (!written) return tl::unexpected(written.error());
      summary = *written;
      return {};
    });
    EXPECT_TRUE(done.has_value()) << done.error().message;
    return summary;
  }
  WriteSummary write_changes(const DirectoryChanges& changes, ldap::Membership model) {
    SourceState state;
    state.source = "corp";
    state.status = "ok";
    WriteSummary summary;
    std::vector<std::string> problems;
    auto done = store_->write([&](IdentityWriter& w) -> Result<void> {
      auto written = store_directory_changes(w, "corp", "acme", changes, model, state, t2, problems);
      if (!written) return tl::unexpected(written.error());
      summary = *written;
      return {};
    });
    EXPECT_TRUE(done.has_value()) << done.error().message;
    return summary;
  }
  SourceContents contents() {
    SourceContents out;
    EXPECT_TRUE(store_->read([&](IdentityReader& r) -> Result<void> {
      auto c = r.contents("corp");
      if (!c) return tl::unexpected(c.error());
      out = std::move(*c);
      return {};
    }));
    return out;
  }

  testing::TempDir dir_;
  std::unique_ptr<IdentityStore> store_;
  const Timestamp t1 = Timestamp(std::chrono::seconds(1000)), t2 = Timestamp(std::chrono::seconds(2000));
};

TEST_F(SourceWrites, TheSameReadTwiceWritesNothingTheSecondTime) {
  const auto s = snapshot({user("a1", "ada"), user("b1", "bob")}, {group("g1", "recruiting", {"uid=ada,ou=people,dc=example,dc=test"})});
  const WriteSummary first = sync(s, t1);
  EXPECT_EQ(first.inserted, 3u);
  EXPECT_EQ(first.membership_changes, 1u);
  const WriteSummary second = sync(s, t2);
  EXPECT_EQ(second.inserted + second.updated + second.removed + second.membership_changes, 0u);
  for (const ResourceRecord& r : contents().users) EXPECT_EQ(r.version, 1) << r.id;
}

TEST_F(SourceWrites, TwoUsersSwappingUserNamesInOneReadAreTwoUpdates) {
  sync(snapshot({user("a1", "ada"), user("b1", "bob")}, {}), t1);
  const WriteSummary w = sync(snapshot({user("a1", "bob"), user("b1", "ada")}, {}), t2);
  EXPECT_EQ(w.updated, 2u);
  EXPECT_EQ(w.inserted + w.removed, 0u);
  const auto c = contents();
  ASSERT_EQ(c.users.size(), 2u);
  EXPECT_EQ(c.users[0].user_name, "bob");
  EXPECT_EQ(c.users[0].version, 2);
  EXPECT_EQ(c.users[1].user_name, "ada");
}

TEST_F(SourceWrites, AMemberOnlyChangeBumpsTheGroupAndARemovedMemberLeavesNoRow) {
  const std::string ada = "uid=ada,ou=people,dc=example,dc=test", bob = "uid=bob,ou=people,dc=example,dc=test";
  sync(snapshot({user("a1", "ada"), user("b1", "bob")}, {group("g1", "recruiting", {ada, bob})}), t1);
  const WriteSummary w = sync(snapshot({user("a1", "ada")}, {group("g1", "recruiting", {ada})}), t2);
  EXPECT_EQ(w.removed, 1u);
  const auto c = contents();
  ASSERT_EQ(c.groups.size(), 1u);
  EXPECT_EQ(c.groups[0].version, 2);  // touched: its members changed
  EXPECT_EQ(c.memberships, (std::vector<Membership>{{"g1", "a1", ResourceType::User}}));
}

TEST_F(SourceWrites, AnEntryTheReadSkippedKeepsItsIdentityAndItsGroups) {
  const std::string ada = "uid=ada,ou=people,dc=example,dc=test";
  sync(snapshot({user("a1", "ada"), user("b1", "bob")}, {group("g1", "recruiting", {ada})}), t1);
  // ada's entry lost its userName: skipped by the read, but still in the directory.
  auto later = snapshot({user("b1", "bob")}, {group("g1", "recruiting", {ada})});
  later.skipped_anchors = {"a1"};
  const WriteSummary w = sync(later, t2);
  EXPECT_EQ(w.removed, 0u);
  EXPECT_EQ(w.membership_changes, 0u);
  const auto c = contents();
  ASSERT_EQ(c.users.size(), 2u);
  EXPECT_EQ(c.memberships, (std::vector<Membership>{{"g1", "a1", ResourceType::User}}));
}

TEST_F(SourceWrites, ChangesWrittenIncrementallyLeaveWhatAFullReadWould) {
  const std::string ada = "uid=ada,ou=people,dc=example,dc=test", bob = "uid=bob,ou=people,dc=example,dc=test",
                    cy = "uid=cy,ou=people,dc=example,dc=test";
  sync(snapshot({user("a1", "ada"), user("b1", "bob"), user("c1", "cy")},
                {group("g1", "recruiting", {ada, bob}), group("g2", "sales", {cy})}),
       t1);
  // bob renamed robert (same anchor), g1 loses ada and gains robert by his new DN, cy gone.
  DirectoryChanges changes;
  DirectoryUser robert = user("b1", "robert");
  changes.users = {robert};
  changes.groups = {group("g1", "recruiting", {robert.dn})};
  changes.deleted = {"c1", "unknown-anchor"};
  changes.complete = true;
  const WriteSummary w = write_changes(changes, ldap::Membership::Member);
  EXPECT_EQ(w.updated, 1u);  // robert; g1's record is the same (its version moves: below)
  EXPECT_EQ(w.removed, 1u);
  const SourceContents after = contents();
  const DirectoryRecords full = directory_records(
      "corp", snapshot({user("a1", "ada"), robert}, {group("g1", "recruiting", {robert.dn}), group("g2", "sales", {})}));
  ASSERT_EQ(after.users.size(), full.contents.users.size());
  for (std::size_t i = 0; i < full.contents.users.size(); ++i) {
    EXPECT_EQ(after.users[i].id, full.contents.users[i].id);
    EXPECT_EQ(after.users[i].attributes, full.contents.users[i].attributes);
  }
  EXPECT_EQ(after.memberships, full.contents.memberships);
  EXPECT_EQ(after.memberships, (std::vector<Membership>{{"g1", "b1", ResourceType::User}}));
  for (const ResourceRecord& g : after.groups) EXPECT_EQ(g.version, 2) << g.id;  // g1 regrouped, g2 lost cy
}

TEST_F(SourceWrites, APresentPhaseRemovesWhatItDoesNotNameButKeepsSkippedEntries) {
  sync(snapshot({user("a1", "ada"), user("b1", "bob"), user("c1", "cy")}, {}), t1);
  DirectoryChanges changes;
  changes.present_users = std::vector<std::string>{"a1"};
  changes.skipped_anchors = {"c1"};  // cy's entry exists but could not be read
  changes.complete = true;
  const WriteSummary w = write_changes(changes, ldap::Membership::Member);
  EXPECT_EQ(w.removed, 1u);
  const auto after = contents();
  ASSERT_EQ(after.users.size(), 2u);
  EXPECT_EQ(after.users[0].id, "a1");
  EXPECT_EQ(after.users[1].id, "c1");
}

TEST_F(SourceWrites, InTheMemberOfModelAChangedUserStatesItsGroups) {
  DirectoryUser ada = user("a1", "ada");
  ada.member_of = {"cn=recruiting,ou=groups,dc=example,dc=test"};
  DirectoryUser bob = user("b1", "bob");
  bob.member_of = {"cn=recruiting,ou=groups,dc=example,dc=test"};
  sync(snapshot({ada, bob}, {group("g1", "recruiting", {}), group("g2", "sales", {})}), t1);
  ada.member_of = {"cn=sales,ou=groups,dc=example,dc=test"};
  DirectoryChanges changes;
  changes.users = {ada};
  changes.complete = true;
  write_changes(changes, ldap::Membership::MemberOf);
  EXPECT_EQ(contents().memberships,
            (std::vector<Membership>{{"g1", "b1", ResourceType::User}, {"g2", "a1", ResourceType::User}}));
}

TEST_F(SourceWrites, NothingChangedWritesNothingButTheState) {
  const auto s = snapshot({user("a1", "ada")}, {group("g1", "recruiting", {"uid=ada,ou=people,dc=example,dc=test"})});
  sync(s, t1);
  DirectoryChanges changes;  // the same entries sent again
  changes.users = s.users;
  changes.groups = s.groups;
  changes.complete = true;
  const WriteSummary w = write_changes(changes, ldap::Membership::Member);
  EXPECT_EQ(w.inserted + w.updated + w.removed + w.membership_changes, 0u);
}

}  // namespace
}  // namespace rosterd
