// contents() and count(): a whole source at once for the rules engine, exactly as
// stored, and nothing of the other sources.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "core/try.h"
#include "tests/unit/store/identity_store_fixture.h"
#include "tests/unit/store/identity_backends.h"

namespace rosterd::identity_test {
namespace {

using namespace std::chrono_literals;

// Field by field, so a difference names the field.
void expect_same_record(const ResourceRecord& got, const ResourceRecord& want) {
  SCOPED_TRACE(want.id);
  EXPECT_EQ(got.type, want.type);
  EXPECT_EQ(got.source, want.source);
  EXPECT_EQ(got.id, want.id);
  EXPECT_EQ(got.external_id, want.external_id);
  EXPECT_EQ(got.user_name, want.user_name);
  EXPECT_EQ(got.display_name, want.display_name);
  EXPECT_EQ(got.emails, want.emails);
  EXPECT_EQ(got.active, want.active);
  EXPECT_EQ(got.attributes, want.attributes);
  EXPECT_EQ(got.version, want.version);
  EXPECT_EQ(got.created, want.created);
  EXPECT_EQ(got.updated, want.updated);
}

class IdentityContentsTest : public IdentityStoreTest {
 protected:
  SourceContents contents(const std::string& source) {
    return must_read<SourceContents>([&](IdentityReader& r) { return r.contents(source); });
  }
  std::int64_t count(ResourceType type, const std::string& source) {
    return must_read<std::int64_t>([&](IdentityReader& r) { return r.count(type, source); });
  }
  void add(const std::string& source, const std::string& group_id, std::vector<MemberRef> members) {
    must_write([&](IdentityWriter& w) -> Result<void> {
      auto n = w.add_members(source, group_id, members);
      if (!n) return tl::unexpected(n.error());
      return {};
    });
  }
};

TEST_P(IdentityContentsTest, ReturnsEveryUserGroupAndMembershipOfTheSourceExactly) {
  ResourceRecord zoe = user("okta", "u3", "zoe", {"zoe@acme.example", "z@acme.example"}, "Zoé Z",
                            R"({"title":"Recruiter","name":{"familyName":"Z"}})");
  zoe.external_id = "ext-zoe";
  zoe.version = 4;
  zoe.updated = at_second(30);
  ResourceRecord ada = user("okta", "u1", "ada", {"ada@acme.example"}, "Ada");
  ada.active = false;
  ResourceRecord max = user("okta", "u2", "max");
  ResourceRecord paris = group("okta", "g2", "Recruiting-Paris");
  paris.attributes = R"({"dn":"CN=Recruiting-Paris,OU=Groups"})";
  ResourceRecord all = group("okta", "g1", "All recruiters");
  all.external_id = "ext-all";
  // Another source, with the same ids: none of it may show.
  must_insert({zoe, ada, max, paris, all, user("ad", "u1", "ada-ad"), group("ad", "g1", "AD group")});
  add("okta", "g2", {{"u3", ResourceType::User, {}}, {"u1", ResourceType::User, {}}});
  add("okta", "g1", {{"g2", ResourceType::Group, {}}, {"u2", ResourceType::User, {}}});
  add("ad", "g1", {{"u1", ResourceType::User, {}}});

  const SourceContents c = contents("okta");
  ASSERT_EQ(c.users.size(), 3u);
  expect_same_record(c.users[0], ada);  // ordered by id
  expect_same_record(c.users[1], max);
  expect_same_record(c.users[2], zoe);
  ASSERT_EQ(c.groups.size(), 2u);
  expect_same_record(c.groups[0], all);
  expect_same_record(c.groups[1], paris);
  EXPECT_EQ(c.memberships, (std::vector<Membership>{{"g1", "g2", ResourceType::Group},
                                                    {"g1", "u2", ResourceType::User},
                                                    {"g2", "u1", ResourceType::User},
                                                    {"g2", "u3", ResourceType::User}}));
  const SourceContents ad = contents("ad");
  EXPECT_EQ(ids_of(ad.users), std::vector<std::string>{"u1"});
  EXPECT_EQ(ad.users.at(0).user_name, "ada-ad");
  EXPECT_EQ(ids_of(ad.groups), std::vector<std::string>{"g1"});
  EXPECT_EQ(ad.memberships, (std::vector<Membership>{{"g1", "u1", ResourceType::User}}));
}

// each_record() hands over what contents() gives, one record at a time and in the same
// order (users, then groups, each by id); an error from the sink stops it and is returned.
TEST_P(IdentityContentsTest, EachRecordGivesTheContentsInOrderAndStopsAtAnError) {
  must_insert({user("okta", "u2", "max"), group("okta", "g1", "All"), user("okta", "u1", "ada"),
               user("ad", "u0", "other")});
  add("okta", "g1", {{"u2", ResourceType::User, {}}});
  std::vector<std::string> seen;
  const SourceContents whole = contents("okta");
  must_read<bool>([&](IdentityReader& r) -> Result<bool> {
    ROSTERD_TRY(r.each_record("okta", [&](ResourceRecord&& record) -> Result<void> {
      seen.push_back(std::string(record.type == ResourceType::User ? "user " : "group ") + record.id);
      return {};
    }));
    ROSTERD_ASSIGN(const auto memberships, r.memberships("okta"));
    EXPECT_EQ(memberships, whole.memberships);
    return true;
  });
  EXPECT_EQ(seen, (std::vector<std::string>{"user u1", "user u2", "group g1"}));

  std::size_t calls = 0;
  const auto stopped = must_read<bool>([&](IdentityReader& r) -> Result<bool> {
    auto each = r.each_record("okta", [&](ResourceRecord&&) -> Result<void> {
      ++calls;
      return fail(ErrorCode::Internal, "enough");
    });
    EXPECT_FALSE(each.has_value());
    if (!each) {
      EXPECT_EQ(each.error().message, "enough");
    }
    return true;
  });
  EXPECT_TRUE(stopped);
  EXPECT_EQ(calls, 1u);
}

TEST_P(IdentityContentsTest, AnUnknownSourceHasNoContents) {
  must_insert({user("okta", "u1", "ada")});
  const SourceContents c = contents("nobody");
  EXPECT_TRUE(c.users.empty());
  EXPECT_TRUE(c.groups.empty());
  EXPECT_TRUE(c.memberships.empty());
  EXPECT_EQ(count(ResourceType::User, "nobody"), 0);
}

TEST_P(IdentityContentsTest, RemovedResourcesAndTheirMembershipsAreGone) {
  must_insert({user("okta", "u1", "ada"), user("okta", "u2", "bob"), group("okta", "g1", "G")});
  add("okta", "g1", {{"u1", ResourceType::User, {}}, {"u2", ResourceType::User, {}}});
  must_write([](IdentityWriter& w) -> Result<void> {
    auto r = w.remove(ResourceType::User, "okta", "u1");
    if (!r) return tl::unexpected(r.error());
    return {};
  });
  const SourceContents c = contents("okta");
  EXPECT_EQ(ids_of(c.users), std::vector<std::string>{"u2"});
  EXPECT_EQ(c.memberships, (std::vector<Membership>{{"g1", "u2", ResourceType::User}}));
}

TEST_P(IdentityContentsTest, ReadsAThousandsOfUsersSource) {
  std::vector<ResourceRecord> users;
  for (int i = 0; i < 3000; ++i) {
    char id[16];
    std::snprintf(id, sizeof id, "u%05d", i);
    users.push_back(user("okta", id, std::string("user") + id, {std::string(id) + "@acme.example"}));
  }
  must_insert(users);
  const SourceContents c = contents("okta");
  ASSERT_EQ(c.users.size(), users.size());
  for (std::size_t i = 0; i < users.size(); i += 499) expect_same_record(c.users[i], users[i]);
  expect_same_record(c.users.back(), users.back());
}

TEST_P(IdentityContentsTest, CountCountsUsersOrGroupsOfOneSource) {
  must_insert({user("okta", "u1", "ada"), user("okta", "u2", "bob"), group("okta", "g1", "G"),
               user("ad", "u1", "ada")});
  EXPECT_EQ(count(ResourceType::User, "okta"), 2);
  EXPECT_EQ(count(ResourceType::Group, "okta"), 1);
  EXPECT_EQ(count(ResourceType::User, "ad"), 1);
  EXPECT_EQ(count(ResourceType::Group, "ad"), 0);
}

INSTANTIATE_TEST_SUITE_P(Backends, IdentityContentsTest, identity_backends(), backend_name);

}  // namespace
}  // namespace rosterd::identity_test
