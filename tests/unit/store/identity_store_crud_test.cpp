// Identities and groups as written and read back: uniqueness of userName per source,
// updates, removal with everything that hangs off a resource, and tenancy between sources.
#include <gtest/gtest.h>

#include "core/try.h"

#include "tests/unit/store/identity_store_fixture.h"

namespace rosterd::identity_test {
namespace {

using Ids = std::vector<std::string>;

TEST_P(IdentityStoreTest, InsertedUserReadsBackAsWritten) {
  ResourceRecord ada = user("okta", "u1", "Ada@Acme.example", {"ada@acme.example", "ADA@home.example"},
                            "Ada Lovelace", R"({"name":{"familyName":"Lovelace"},"title":"Dr"})");
  ada.external_id = "EXT-1";
  ada.active = false;
  ada.version = 3;
  ada.updated = at_second(5);
  must_insert({ada});

  const auto got = find(ResourceType::User, "okta", "u1");
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->source, "okta");
  EXPECT_EQ(got->external_id, std::optional<std::string>("EXT-1"));
  EXPECT_EQ(got->user_name, "Ada@Acme.example");
  EXPECT_EQ(got->display_name, "Ada Lovelace");
  EXPECT_EQ(got->emails, (Ids{"ada@acme.example", "ADA@home.example"}));
  EXPECT_FALSE(got->active);
  EXPECT_EQ(got->attributes, R"({"name":{"familyName":"Lovelace"},"title":"Dr"})");
  EXPECT_EQ(got->version, 3);
  EXPECT_EQ(got->created, kT0);
  EXPECT_EQ(got->updated, at_second(5));
  // The first email is the correlation key.
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM identities WHERE id = 'u1' AND email_key = 'ada@acme.example'"), 1);
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM identity_emails WHERE identity_id = 'u1'"), 2);
}

TEST_P(IdentityStoreTest, InsertedGroupReadsBackAsWritten) {
  ResourceRecord g = group("okta", "g1", "Engineers");
  g.attributes = R"({"displayName":"Engineers"})";
  must_insert({g});
  const auto got = find(ResourceType::Group, "okta", "g1");
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->type, ResourceType::Group);
  EXPECT_EQ(got->display_name, "Engineers");
  EXPECT_EQ(got->attributes, R"({"displayName":"Engineers"})");
  EXPECT_FALSE(got->external_id.has_value());
  EXPECT_FALSE(find(ResourceType::User, "okta", "g1").has_value());
}

TEST_P(IdentityStoreTest, UserNameIsUniquePerSourceIgnoringCaseAndTheErrorNamesIt) {
  must_insert({user("okta", "u1", "ada@acme.example")});
  auto r = store_->write([](IdentityWriter& w) { return w.insert(user("okta", "u2", "ADA@Acme.Example")); });
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::Uniqueness);
  EXPECT_NE(r.error().message.find("ADA@Acme.Example"), std::string::npos) << r.error().message;
  EXPECT_FALSE(find(ResourceType::User, "okta", "u2").has_value());
  // Another source has its own namespace.
  must_insert({user("entra", "u2", "ADA@Acme.Example")});
  EXPECT_TRUE(find(ResourceType::User, "entra", "u2").has_value());
}

TEST_P(IdentityStoreTest, ATakenIdIsRefused) {
  must_insert({user("okta", "u1", "ada")});
  auto r = store_->write([](IdentityWriter& w) { return w.insert(user("okta", "u1", "grace")); });
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::Uniqueness);
}

TEST_P(IdentityStoreTest, UpdateReplacesEverythingButIdSourceAndCreated) {
  must_insert({user("okta", "u1", "ada", {"ada@acme.example"}, "Ada")});
  ResourceRecord changed = user("okta", "u1", "Ada.L", {"lovelace@acme.example"}, "Ada L.", R"({"x":1})");
  changed.created = at_second(100);  // ignored
  changed.updated = at_second(7);
  changed.version = 2;
  must_write([&](IdentityWriter& w) { return w.update(changed); });
  const auto got = find(ResourceType::User, "okta", "u1");
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->user_name, "Ada.L");
  EXPECT_EQ(got->display_name, "Ada L.");
  EXPECT_EQ(got->emails, Ids{"lovelace@acme.example"});
  EXPECT_EQ(got->attributes, R"({"x":1})");
  EXPECT_EQ(got->version, 2);
  EXPECT_EQ(got->created, kT0);
  EXPECT_EQ(got->updated, at_second(7));
  // The old email no longer finds the user.
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM identity_emails WHERE email_key = 'ada@acme.example'"), 0);
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM identity_emails WHERE email_key = 'lovelace@acme.example'"), 1);
}

TEST_P(IdentityStoreTest, UpdateKeepingItsOwnUserNameInAnotherCaseIsAccepted) {
  must_insert({user("okta", "u1", "ada")});
  must_write([](IdentityWriter& w) { return w.update(user("okta", "u1", "ADA")); });
  EXPECT_EQ(find(ResourceType::User, "okta", "u1")->user_name, "ADA");
}

TEST_P(IdentityStoreTest, UpdateToAnotherUsersUserNameIsRefused) {
  must_insert({user("okta", "u1", "ada"), user("okta", "u2", "grace")});
  auto r = store_->write([](IdentityWriter& w) { return w.update(user("okta", "u2", "Ada")); });
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::Uniqueness);
  EXPECT_EQ(find(ResourceType::User, "okta", "u2")->user_name, "grace");
}

// What SCIM's PUT and PATCH do: read the resource, then write it back changed, in one job.
TEST_P(IdentityStoreTest, UpdateReadWritesWhatChangedAgainstTheRowTheJobRead) {
  must_insert({user("okta", "u1", "ada", {"ada@acme.example"}, "Ada"), user("okta", "u2", "grace")});
  // Only the body changes (active): the indexed values stay as they were.
  must_write([](IdentityWriter& w) -> Result<void> {
    ROSTERD_ASSIGN(auto current, w.find(ResourceType::User, "okta", "u1"));
    ResourceRecord changed = *current;
    changed.active = false;
    changed.version = 2;
    return w.update_read(*current, changed);
  });
  auto got = find(ResourceType::User, "okta", "u1");
  ASSERT_TRUE(got.has_value());
  EXPECT_FALSE(got->active);
  EXPECT_EQ(got->version, 2);
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM identity_emails WHERE email_key = 'ada@acme.example'"), 1);
  // An email changes: the email index follows.
  must_write([](IdentityWriter& w) -> Result<void> {
    ROSTERD_ASSIGN(auto current, w.find(ResourceType::User, "okta", "u1"));
    ResourceRecord changed = *current;
    changed.emails = {"lovelace@acme.example"};
    changed.version = 3;
    return w.update_read(*current, changed);
  });
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM identity_emails WHERE email_key = 'ada@acme.example'"), 0);
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM identity_emails WHERE email_key = 'lovelace@acme.example'"), 1);
  // Another user's userName is refused, and nothing of the job stays.
  auto r = store_->write([](IdentityWriter& w) -> Result<void> {
    ROSTERD_ASSIGN(auto current, w.find(ResourceType::User, "okta", "u1"));
    ResourceRecord changed = *current;
    changed.user_name = "GRACE";
    changed.version = 4;
    return w.update_read(*current, changed);
  });
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::Uniqueness);
  // Found by the check, which names the value (the unique index would name columns).
  EXPECT_NE(r.error().message.find("GRACE"), std::string::npos) << r.error().message;
  got = find(ResourceType::User, "okta", "u1");
  EXPECT_EQ(got->user_name, "ada");
  EXPECT_EQ(got->version, 3);
}

TEST_P(IdentityStoreTest, UpdateOfAMissingResourceIsNotFound) {
  for (const auto& r : {user("okta", "nope", "x"), group("okta", "nope", "x")}) {
    auto result = store_->write([&](IdentityWriter& w) { return w.update(r); });
    ASSERT_FALSE(result.has_value());
    EXPECT_EQ(result.error().code, ErrorCode::NotFound);
  }
}

TEST_P(IdentityStoreTest, RemovingAUserDropsItsMembershipsAndEmails) {
  must_insert({user("okta", "u1", "ada", {"ada@acme.example"}), user("okta", "u2", "grace"),
               group("okta", "g1", "Eng")});
  const std::vector<MemberRef> both{{"u1", ResourceType::User, {}}, {"u2", ResourceType::User, {}}};
  must_write([&](IdentityWriter& w) -> Result<void> {
    if (auto r = w.add_members("okta", "g1", both); !r) return tl::unexpected(r.error());
    return {};
  });
  bool removed = false, again = true;
  must_write([&](IdentityWriter& w) -> Result<void> {
    auto first = w.remove(ResourceType::User, "okta", "u1");
    auto second = w.remove(ResourceType::User, "okta", "u1");
    if (!first || !second) return tl::unexpected(first ? second.error() : first.error());
    removed = *first;
    again = *second;
    return {};
  });
  EXPECT_TRUE(removed);
  EXPECT_FALSE(again);
  EXPECT_EQ(ids_of(members("okta", "g1")), Ids{"u2"});
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM identity_emails"), 0);
}

TEST_P(IdentityStoreTest, RemovingAGroupDropsItsMembersAndItsOwnMemberships) {
  must_insert({user("okta", "u1", "ada"), group("okta", "parent", "All"), group("okta", "g1", "Eng")});
  must_write([&](IdentityWriter& w) -> Result<void> {
    const std::vector<MemberRef> user_member{{"u1", ResourceType::User, {}}};
    const std::vector<MemberRef> group_member{{"g1", ResourceType::Group, {}}};
    if (auto r = w.add_members("okta", "g1", user_member); !r) return tl::unexpected(r.error());
    if (auto r = w.add_members("okta", "parent", group_member); !r) return tl::unexpected(r.error());
    return {};
  });
  must_write([](IdentityWriter& w) -> Result<void> {
    auto r = w.remove(ResourceType::Group, "okta", "g1");
    if (!r) return tl::unexpected(r.error());
    return {};
  });
  EXPECT_TRUE(members("okta", "parent").empty());
  EXPECT_TRUE(groups_of("okta", "u1").empty());
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM group_members"), 0);
  EXPECT_TRUE(find(ResourceType::User, "okta", "u1").has_value());
}

TEST_P(IdentityStoreTest, TouchBumpsVersionAndUpdatedOnly) {
  must_insert({group("okta", "g1", "Eng")});
  must_write([](IdentityWriter& w) { return w.touch(ResourceType::Group, "okta", "g1", 5, at_second(9)); });
  const auto g = find(ResourceType::Group, "okta", "g1");
  ASSERT_TRUE(g.has_value());
  EXPECT_EQ(g->version, 5);
  EXPECT_EQ(g->updated, at_second(9));
  EXPECT_EQ(g->display_name, "Eng");
  auto missing = store_->write([](IdentityWriter& w) {
    return w.touch(ResourceType::Group, "okta", "nope", 2, at_second(9));
  });
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code, ErrorCode::NotFound);
}

// Two sources with the same ids: each sees only its own rows, through every read.
TEST_P(IdentityStoreTest, ASourceNeverSeesAnotherSourcesResources) {
  for (const char* source : {"a", "b"}) {
    const std::string s = source;
    must_insert({user(s, "u1", "ada", {"ada@acme.example"}, "Ada " + s), user(s, "u-" + s, "only-" + s),
                 group(s, "g1", "Eng " + s)});
    must_write([&](IdentityWriter& w) -> Result<void> {
      const std::vector<MemberRef> m{{"u1", ResourceType::User, {}}, {"u-" + s, ResourceType::User, {}}};
      if (auto r = w.add_members(s, "g1", m); !r) return tl::unexpected(r.error());
      return {};
    });
  }
  EXPECT_EQ(find(ResourceType::User, "a", "u1")->display_name, "Ada a");
  EXPECT_FALSE(find(ResourceType::User, "a", "u-b").has_value());
  EXPECT_FALSE(find(ResourceType::User, "c", "u1").has_value());

  ResourceQuery all;
  all.source = "a";
  auto page = search(all);
  ASSERT_TRUE(page.has_value());
  EXPECT_EQ(ids_of(page->resources), (Ids{"u-a", "u1"}));
  EXPECT_EQ(page->total, 2u);

  const auto m = members("a", "g1");
  EXPECT_EQ(ids_of(m), (Ids{"u-a", "u1"}));
  EXPECT_EQ(m[1].display, "Ada a");
  EXPECT_EQ(ids_of(groups_of("a", "u1")), Ids{"g1"});
  EXPECT_EQ(groups_of("a", "u1")[0].display, "Eng a");
  EXPECT_TRUE(groups_of("a", "u-b").empty());

  const Ids asked{"u-b", "u1", "g1", "u-a"};
  const auto found = must_read<std::vector<MemberRef>>([&](IdentityReader& r) { return r.existing("a", asked); });
  EXPECT_EQ(ids_of(found), (Ids{"u1", "g1", "u-a"}));
  const auto related =
      must_read<std::vector<RelatedToUser>>([&](IdentityReader& r) { return r.related_users("a", asked); });
  ASSERT_EQ(related.size(), 4u);
  EXPECT_TRUE(related[0].groups.empty());  // u-b is b's
  ASSERT_EQ(related[1].groups.size(), 1u);
  EXPECT_EQ(related[1].groups[0].display, "Eng a");
}

}  // namespace
}  // namespace rosterd::identity_test
