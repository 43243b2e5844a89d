// Memberships: one row per member, so changing a 50,000-member group costs what changes;
// members with their display, the groups of a member, and the accounts derived from users.
#include <gtest/gtest.h>

#include <string>

#include "core/operation.h"
#include "tests/unit/store/identity_store_fixture.h"
#include "tests/unit/store/identity_backends.h"

namespace rosterd::identity_test {
namespace {

using Ids = std::vector<std::string>;

std::vector<MemberRef> users_named(std::size_t from, std::size_t to) {
  std::vector<MemberRef> out;
  for (std::size_t i = from; i < to; ++i) out.push_back(MemberRef{"u" + std::to_string(i), ResourceType::User, {}});
  return out;
}

class IdentityMembersTest : public IdentityStoreTest {
 protected:
  std::size_t add(const std::string& group_id, std::vector<MemberRef> refs) {
    std::size_t added = 0;
    must_write([&](IdentityWriter& w) -> Result<void> {
      auto n = w.add_members("okta", group_id, refs);
      if (!n) return tl::unexpected(n.error());
      added = *n;
      return {};
    });
    return added;
  }
  std::int64_t member_rows(const std::string& group_id) {
    return scalar("SELECT COUNT(*) FROM group_members WHERE source = 'okta' AND group_id = $1",
                  {std::string_view(group_id)});
  }
};

TEST_P(IdentityMembersTest, MembersCarryTheirDisplayAndComeOrderedById) {
  must_insert({user("okta", "u2", "grace", {}, "Grace Hopper"), user("okta", "u1", "ada"),
               group("okta", "g0", "Admins"), group("okta", "g1", "Eng")});
  EXPECT_EQ(add("g1", {{"u2", ResourceType::User, {}}, {"u1", ResourceType::User, {}},
                       {"g0", ResourceType::Group, {}}}),
            3u);
  const auto m = members("okta", "g1");
  ASSERT_EQ(m.size(), 3u);
  EXPECT_EQ(m[0].id, "g0");
  EXPECT_EQ(m[0].type, ResourceType::Group);
  EXPECT_EQ(m[0].display, "Admins");
  EXPECT_EQ(m[1].display, "ada");  // no displayName: the userName
  EXPECT_EQ(m[2].display, "Grace Hopper");
  const auto of = groups_of("okta", "g0");
  ASSERT_EQ(of.size(), 1u);
  EXPECT_EQ(of[0].id, "g1");
  EXPECT_EQ(of[0].display, "Eng");
}

TEST_P(IdentityMembersTest, AddingAnExistingMemberAddsNothing) {
  must_insert({group("okta", "g1", "Eng")});
  EXPECT_EQ(add("g1", users_named(0, 3)), 3u);
  EXPECT_EQ(add("g1", users_named(2, 4)), 1u);
  EXPECT_EQ(member_rows("g1"), 4);
}

// The group is never rewritten: adding one member adds one row, removing one removes one.
// Members are written several rows to a statement: a list longer than one statement,
// with a member given twice and members already there, adds each new one once and
// counts only those.
TEST_P(IdentityMembersTest, ALongListAddsEachNewMemberOnceAcrossStatements) {
  must_insert({group("okta", "g1", "Eng")});
  EXPECT_EQ(add("g1", users_named(100, 110)), 10u);
  auto refs = users_named(0, 150);  // 100..109 are there already
  refs.push_back(MemberRef{"u7", ResourceType::User, {}});  // twice in the list
  refs.push_back(MemberRef{"g9", ResourceType::Group, {}});
  EXPECT_EQ(add("g1", refs), 141u);
  EXPECT_EQ(member_rows("g1"), 151);
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM group_members WHERE group_id = 'g1' AND member_id = 'g9'"
                   " AND member_type = 'Group'", {}),
            1);
}

TEST_P(IdentityMembersTest, ALargeGroupChangesByTheMembersChanged) {
  constexpr std::size_t kMembers = 50'000;
  must_insert({group("okta", "big", "Everyone"), group("okta", "other", "Other")});
  EXPECT_EQ(add("big", users_named(0, kMembers)), kMembers);
  EXPECT_EQ(add("other", users_named(0, 1)), 1u);
  EXPECT_EQ(add("big", users_named(kMembers, kMembers + 1)), 1u);
  EXPECT_EQ(member_rows("big"), static_cast<std::int64_t>(kMembers + 1));

  std::size_t removed = 0, cleared = 0;
  must_write([&](IdentityWriter& w) -> Result<void> {
    const Ids gone{"u0", "not-a-member"};
    auto n = w.remove_members("okta", "big", gone);
    if (!n) return tl::unexpected(n.error());
    removed = *n;
    return {};
  });
  EXPECT_EQ(removed, 1u);
  EXPECT_EQ(member_rows("big"), static_cast<std::int64_t>(kMembers));
  EXPECT_EQ(ids_of(groups_of("okta", "u0")), Ids{"other"});  // still in "other"

  must_write([&](IdentityWriter& w) -> Result<void> {
    auto n = w.clear_members("okta", "big");
    if (!n) return tl::unexpected(n.error());
    cleared = *n;
    return {};
  });
  EXPECT_EQ(cleared, kMembers);
  EXPECT_EQ(member_rows("big"), 0);
  EXPECT_EQ(member_rows("other"), 1);
}

TEST_P(IdentityMembersTest, ExistingKeepsTheOrderAskedAndLeavesUnknownIdsOut) {
  must_insert({user("okta", "u1", "ada"), group("okta", "g1", "Eng")});
  const Ids asked{"g1", "nope", "u1"};
  const auto found = must_read<std::vector<MemberRef>>([&](IdentityReader& r) { return r.existing("okta", asked); });
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].id, "g1");
  EXPECT_EQ(found[0].type, ResourceType::Group);
  EXPECT_EQ(found[1].id, "u1");
  EXPECT_EQ(found[1].type, ResourceType::User);
}

// What SCIM adds members with: only ids of this source that exist are added, typed as
// existing() types them, and the answer says which were found and how many were new.
TEST_P(IdentityMembersTest, AddExistingMembersAddsOnlyWhatExistsInTheSourceAndCountsTheNewOnes) {
  must_insert({group("okta", "g1", "Eng"), group("okta", "g2", "Ops"), user("okta", "u1", "ada"),
               user("okta", "u2", "grace"), user("okta", "twin", "twin"), group("okta", "twin", "Twin"),
               user("entra", "u9", "elsewhere")});
  EXPECT_EQ(add("g1", {MemberRef{"u1", ResourceType::User, {}}}), 1u);
  IdentityWriter::AddedMembers added;
  must_write([&](IdentityWriter& w) -> Result<void> {
    const Ids ids{"g2", "nope", "twin", "u1", "u2", "u9"};
    auto r = w.add_existing_members("okta", "g1", ids);
    if (!r) return tl::unexpected(r.error());
    added = std::move(*r);
    return {};
  });
  ASSERT_EQ(added.found.size(), 4u);
  EXPECT_EQ(added.found[0].id, "g2");
  EXPECT_EQ(added.found[0].type, ResourceType::Group);
  EXPECT_EQ(added.found[1].id, "twin");
  EXPECT_EQ(added.found[1].type, ResourceType::User);  // a user before a group of the same id
  EXPECT_EQ(added.found[2].id, "u1");
  EXPECT_EQ(added.found[3].id, "u2");
  EXPECT_EQ(added.added, 3u);  // u1 was a member already
  EXPECT_EQ(member_rows("g1"), 4);
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM group_members WHERE group_id = 'g1' AND member_id = 'twin'"
                   " AND member_type = 'User'"),
            1);
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM group_members WHERE member_id IN ('nope', 'u9')"), 0);
}

// The caller refuses an unknown id by failing its job: the members found are not kept.
TEST_P(IdentityMembersTest, AJobThatRefusesAnUnknownMemberKeepsNoneOfItsAdditions) {
  must_insert({group("okta", "g1", "Eng"), user("okta", "u1", "ada")});
  auto r = store_->write([](IdentityWriter& w) -> Result<void> {
    const Ids ids{"nope", "u1"};
    auto added = w.add_existing_members("okta", "g1", ids);
    if (!added) return tl::unexpected(added.error());
    EXPECT_EQ(added->added, 1u);
    return fail(ErrorCode::InvalidValue, "members: no User or Group has the id 'nope'");
  });
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(member_rows("g1"), 0);
}

TEST_P(IdentityMembersTest, RelatedUsersGivesGroupsAndTheLiveAccountDerivedFromEachUser) {
  must_insert({user("okta", "u1", "ada"), user("okta", "u2", "grace"), user("okta", "u3", "hal"),
               group("okta", "g1", "Eng"), group("okta", "g2", "Ops")});
  add("g1", users_named(1, 3));
  add("g2", users_named(1, 2));

  auto accounts = GetParam().open_accounts(dir_.path(), StoreOptions{});
  ASSERT_TRUE(accounts.has_value()) << accounts.error().message;
  const std::vector<Space> spaces{Space{"acme", {{"recruiter", 5}}, ""}};
  ASSERT_TRUE((*accounts)->configure_spaces(spaces).has_value());
  const auto create = [&](const std::string& email, const std::string& anchor, const std::string& source) {
    CreateOp op;
    op.space = "acme";
    op.email = email;
    op.given_name = "G";
    op.family_name = "F";
    op.role = "recruiter";
    op.licence = "recruiter";
    op.source_anchor = anchor;
    auto t = (*accounts)->apply(op, Actor::source(source), "test");
    EXPECT_TRUE(t.has_value()) << (t ? "" : t.error().message);
    return t && !t->transition.accounts.empty() ? t->transition.accounts.front().id : std::string();
  };
  const std::string ada = create("ada@acme.example", "u1", "okta");
  create("imposter@acme.example", "u2", "entra");  // same anchor, another source
  const std::string grace = create("grace@acme.example", "u2", "okta");
  auto conn = connect();  // deleted as a handover would leave it
  ASSERT_TRUE(conn->execute("UPDATE accounts SET state = 'deleted' WHERE id = $1", {std::string_view(grace)}));

  const Ids asked{"u2", "u1", "u3", "u1"};
  const auto related =
      must_read<std::vector<RelatedToUser>>([&](IdentityReader& r) { return r.related_users("okta", asked); });
  ASSERT_EQ(related.size(), 4u);
  EXPECT_EQ(ids_of(related[0].groups), Ids{"g1"});
  EXPECT_FALSE(related[0].account.has_value());  // deleted; the entra one is not okta's
  EXPECT_EQ(ids_of(related[1].groups), (Ids{"g1", "g2"}));
  ASSERT_TRUE(related[1].account.has_value());
  EXPECT_EQ(related[1].account->id, ada);
  EXPECT_TRUE(related[2].groups.empty());
  EXPECT_FALSE(related[2].account.has_value());
  EXPECT_EQ(ids_of(related[3].groups), (Ids{"g1", "g2"}));
  EXPECT_EQ(related[3].account->id, ada);
}

INSTANTIATE_TEST_SUITE_P(Backends, IdentityMembersTest, identity_backends(), backend_name);

}  // namespace
}  // namespace rosterd::identity_test
