// IdentityStore::find_user and find_user_by_name: a user with its groups and account in
// a read of its own (GET /Users/{id}, `filter=userName eq`). On PostgreSQL look-ups that
// arrive together are combined into one read (store/sql/user_read_combiner.h); each
// caller must still get its own answer. Lists of ids travel as one parameter whose
// spelling differs per database (id_list): ids with the characters that spelling quotes
// must come back whole.
#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "tests/unit/store/identity_backends.h"
#include "tests/unit/store/identity_store_fixture.h"

namespace rosterd::identity_test {
namespace {

using Ids = std::vector<std::string>;

class IdentityUserLookupTest : public IdentityStoreTest {
 protected:
  void add(const std::string& source, const std::string& group_id, const Ids& user_ids) {
    must_write([&](IdentityWriter& w) -> Result<void> {
      std::vector<MemberRef> refs;
      for (const auto& id : user_ids) refs.push_back(MemberRef{id, ResourceType::User, {}});
      if (auto n = w.add_members(source, group_id, refs); !n) return tl::unexpected(n.error());
      return {};
    });
  }
};

TEST_P(IdentityUserLookupTest, FindUserByIdOrNameGivesTheUserWithItsGroups) {
  must_insert({user("okta", "u1", "Ada.Lovelace@Acme.example", {"ada@acme.example"}, "Ada"),
               user("okta", "u2", "grace@acme.example"), group("okta", "g1", "Eng"), group("okta", "g2", "Ops"),
               user("entra", "u1", "someone-else@acme.example")});
  add("okta", "g1", {"u1", "u2"});
  add("okta", "g2", {"u1"});

  const auto by_id = store_->find_user("okta", "u1");
  ASSERT_TRUE(by_id.has_value()) << by_id.error().message;
  ASSERT_TRUE(by_id->has_value());
  EXPECT_EQ((*by_id)->record.user_name, "Ada.Lovelace@Acme.example");
  EXPECT_EQ((*by_id)->record.display_name, "Ada");
  ASSERT_EQ((*by_id)->related.groups.size(), 2u);
  EXPECT_EQ((*by_id)->related.groups[0].id, "g1");
  EXPECT_EQ((*by_id)->related.groups[0].display, "Eng");
  EXPECT_EQ((*by_id)->related.groups[1].display, "Ops");
  EXPECT_FALSE((*by_id)->related.account.has_value());

  // userName compares ASCII case-insensitively, as the filter does.
  for (const char* name : {"Ada.Lovelace@Acme.example", "ada.lovelace@acme.example", "ADA.LOVELACE@ACME.EXAMPLE"}) {
    const auto by_name = store_->find_user_by_name("okta", name);
    ASSERT_TRUE(by_name.has_value()) << by_name.error().message;
    ASSERT_TRUE(by_name->has_value()) << name;
    EXPECT_EQ((*by_name)->record.id, "u1");
    EXPECT_EQ(ids_of((*by_name)->related.groups), (Ids{"g1", "g2"}));
  }
  const auto grace = store_->find_user_by_name("okta", "grace@acme.example");
  ASSERT_TRUE(grace.has_value() && grace->has_value());
  EXPECT_EQ((*grace)->record.id, "u2");
  EXPECT_EQ(ids_of((*grace)->related.groups), Ids{"g1"});

  // Neither another source's user, nor a name that is only a prefix, nor a group's id.
  for (const char* name : {"someone-else@acme.example", "grace@acme", "Eng"}) {
    const auto none = store_->find_user_by_name("okta", name);
    ASSERT_TRUE(none.has_value()) << none.error().message;
    EXPECT_FALSE(none->has_value()) << name;
  }
  for (const auto& [source, id] : {std::pair{"okta", "g1"}, std::pair{"nobody", "u1"}, std::pair{"okta", "u3"}}) {
    const auto none = store_->find_user(source, id);
    ASSERT_TRUE(none.has_value()) << none.error().message;
    EXPECT_FALSE(none->has_value()) << source << " " << id;
  }
  const auto entra = store_->find_user("entra", "u1");
  ASSERT_TRUE(entra.has_value() && entra->has_value());
  EXPECT_EQ((*entra)->record.user_name, "someone-else@acme.example");
  EXPECT_TRUE((*entra)->related.groups.empty());
}

// Many threads at once, each asking for a different user by id or by name, from two
// sources: on PostgreSQL their look-ups share reads; every answer must be the one asked.
TEST_P(IdentityUserLookupTest, LookUpsMadeAtTheSameTimeEachGetTheirOwnAnswer) {
  constexpr int kUsers = 40;
  std::vector<ResourceRecord> records;
  for (const char* source : {"a", "b"})
    for (int i = 0; i < kUsers; ++i)
      records.push_back(user(source, "u" + std::to_string(i), std::string(source) + "-name" + std::to_string(i)));
  records.push_back(group("a", "even", "Even"));
  must_insert(records);
  Ids even;
  for (int i = 0; i < kUsers; i += 2) even.push_back("u" + std::to_string(i));
  add("a", "even", even);

  std::atomic<int> wrong{0};
  std::atomic<int> failed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < 25; ++round) {
        const int i = (t * 7 + round * 3) % kUsers;
        const std::string source = (t + round) % 2 ? "a" : "b";
        const bool by_name = (t + round) % 3 == 0;
        const std::string id = "u" + std::to_string(i);
        auto found = by_name ? store_->find_user_by_name(source, source + "-NAME" + std::to_string(i))
                             : store_->find_user(source, id);
        if (!found) {
          ++failed;
          continue;
        }
        const bool in_even = source == "a" && i % 2 == 0;
        if (!found->has_value() || (*found)->record.id != id || (*found)->record.source != source ||
            (*found)->related.groups.size() != (in_even ? 1u : 0u))
          ++wrong;
        // A name that no user has, in the same reads.
        auto missing = store_->find_user_by_name(source, "missing" + std::to_string(i));
        if (!missing) ++failed;
        else if (missing->has_value()) ++wrong;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failed.load(), 0);
  EXPECT_EQ(wrong.load(), 0);
}

// Ids are the source's to choose for directory entries and the tests': the list that
// carries them to the database must not cut or merge any.
TEST_P(IdentityUserLookupTest, IdsWithQuotesCommasBracesAndBackslashesTravelWhole) {
  const Ids odd{R"(a"b)", R"(c\d)", "e,f", "{g}", "NULL", " h ", R"(\")", ""};
  std::vector<ResourceRecord> records;
  for (std::size_t i = 0; i < odd.size(); ++i) {
    if (odd[i].empty()) continue;
    records.push_back(user("okta", odd[i], "user" + std::to_string(i)));
  }
  records.push_back(group("okta", "g", "G"));
  must_insert(records);
  add("okta", "g", {R"(a"b)", "e,f", R"(\")"});

  const auto found = must_read<std::vector<MemberRef>>([&](IdentityReader& r) { return r.existing("okta", odd); });
  EXPECT_EQ(ids_of(found), (Ids{R"(a"b)", R"(c\d)", "e,f", "{g}", "NULL", " h ", R"(\")"}));
  const auto related =
      must_read<std::vector<RelatedToUser>>([&](IdentityReader& r) { return r.related_users("okta", odd); });
  ASSERT_EQ(related.size(), odd.size());
  EXPECT_EQ(ids_of(related[0].groups), Ids{"g"});
  EXPECT_TRUE(related[1].groups.empty());
  EXPECT_EQ(ids_of(related[2].groups), Ids{"g"});
  EXPECT_EQ(ids_of(related[6].groups), Ids{"g"});
  for (const auto& id : odd) {
    if (id.empty()) continue;
    const auto one = store_->find_user("okta", id);
    ASSERT_TRUE(one.has_value()) << one.error().message;
    ASSERT_TRUE(one->has_value()) << id;
    EXPECT_EQ((*one)->record.id, id);
  }
  // An unfiltered page reads its users back by the same kind of list.
  ResourceQuery all;
  all.source = "okta";
  const auto page = search(all);
  ASSERT_TRUE(page.has_value()) << page.error().message;
  EXPECT_EQ(page->resources.size(), 7u);
}

INSTANTIATE_TEST_SUITE_P(Backends, IdentityUserLookupTest, identity_backends(), backend_name);

}  // namespace
}  // namespace rosterd::identity_test
