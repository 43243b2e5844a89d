// IdentityReader::search: filters compiled to SQL, sorting by columns and by document
// attributes, absent values last, and pages that stay stable with an exact total.
#include <gtest/gtest.h>

#include <string>

#include "core/predicate.h"
#include "tests/unit/store/identity_store_fixture.h"
#include "tests/unit/store/identity_backends.h"

namespace rosterd::identity_test {
namespace {

using Ids = std::vector<std::string>;

PredicatePtr make(auto node) { return std::make_unique<Predicate>(Predicate{std::move(node)}); }
PredicatePtr eq(std::string attribute, std::string sub, std::string value) {
  return make(Comparison{AttributePath{{}, std::move(attribute), std::move(sub)}, CompareOp::Eq,
                         Literal::of(std::move(value))});
}

class IdentitySearchTest : public IdentityStoreTest {
 protected:
  void SetUp() override {
    IdentityStoreTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    // Created in this order, one second apart; names chosen so no two orders agree.
    must_insert({with_time(user("okta", "u3", "carol", {"c@x.example", "carol@home.example"}, "Zed",
                                R"({"name":{"familyName":"beta"},"emails":[{"value":"c@x.example"},)"
                                R"({"value":"carol@home.example"}]})"), 1),
                 with_time(user("okta", "u1", "alice", {"a@x.example"}, "",
                                R"({"name":{"familyName":"Gamma"},"emails":[{"value":"a@x.example","type":"work"}]})"),
                           2),
                 with_time(user("okta", "u2", "Bob", {}, "Ann", R"({"name":{"familyName":"alpha"}})"), 3),
                 with_time(user("okta", "u4", "dave", {"d@x.example"}, "bob", "{}"), 4),
                 with_time(user("other", "o1", "alice", {"a@x.example"}, "Ann", "{}"), 0)});
  }
  static ResourceRecord with_time(ResourceRecord r, int second) {
    r.created = r.updated = at_second(second);
    return r;
  }
  Ids ids(const std::string& sort_by, bool descending = false, const Predicate* filter = nullptr) {
    ResourceQuery q;
    q.source = "okta";
    q.sort_by = sort_by;
    q.descending = descending;
    q.filter = filter;
    auto page = search(q);
    EXPECT_TRUE(page.has_value()) << sort_by << ": " << (page ? std::string() : page.error().message);
    return page ? ids_of(page->resources) : Ids{};
  }
};

TEST_P(IdentitySearchTest, DefaultOrderIsCreationThenId) {
  EXPECT_EQ(ids(""), (Ids{"u3", "u1", "u2", "u4"}));
}

// Unfiltered pages in the default order are served from the in-memory list of row keys
// (store/sql/list_order_cache.h): every committed create and delete shows at once, and
// the pages and totals stay exact.
TEST_P(IdentitySearchTest, UnfilteredPagesFollowEveryCommittedWrite) {
  auto page = [&](std::size_t start, std::size_t count) {
    ResourceQuery q;
    q.source = "okta";
    q.start_index = start;
    q.count = count;
    auto p = search(q);
    EXPECT_TRUE(p.has_value()) << p.error().message;
    return p ? std::pair{ids_of(p->resources), p->total} : std::pair{Ids{}, std::size_t{0}};
  };
  EXPECT_EQ(page(2, 2), (std::pair{Ids{"u1", "u2"}, std::size_t{4}}));
  must_insert({with_time(user("okta", "u5", "eve", {}, "", "{}"), 5)});
  EXPECT_EQ(page(4, 10), (std::pair{Ids{"u4", "u5"}, std::size_t{5}}));
  must_write([](IdentityWriter& w) -> Result<void> {
    auto removed = w.remove(ResourceType::User, "okta", "u1");
    if (!removed) return tl::unexpected(removed.error());
    return {};
  });
  EXPECT_EQ(page(1, 10), (std::pair{Ids{"u3", "u2", "u4", "u5"}, std::size_t{4}}));
  EXPECT_EQ(page(5, 10), (std::pair{Ids{}, std::size_t{4}}));
  EXPECT_EQ(page(1, 0), (std::pair{Ids{}, std::size_t{4}}));
}

TEST_P(IdentitySearchTest, SortsByColumnsCaseInsensitivelyWithAbsentValuesLast) {
  EXPECT_EQ(ids("userName"), (Ids{"u1", "u2", "u3", "u4"}));
  EXPECT_EQ(ids("userName", true), (Ids{"u4", "u3", "u2", "u1"}));
  EXPECT_EQ(ids("displayName"), (Ids{"u2", "u4", "u3", "u1"}));  // u1 has none
  EXPECT_EQ(ids("displayName", true), (Ids{"u1", "u3", "u4", "u2"}));
  EXPECT_EQ(ids("emails.value"), (Ids{"u1", "u3", "u4", "u2"}));  // primary email; u2 has none
  EXPECT_EQ(ids("id"), (Ids{"u1", "u2", "u3", "u4"}));
  EXPECT_EQ(ids("meta.created", true), (Ids{"u4", "u2", "u1", "u3"}));
}

TEST_P(IdentitySearchTest, SortsByDocumentAttributes) {
  EXPECT_EQ(ids("name.familyName"), (Ids{"u2", "u3", "u1", "u4"}));  // u4 has none
  EXPECT_EQ(ids("emails.type"), (Ids{"u1", "u2", "u3", "u4"}));      // only u1 has one; ties by id
}

// Byte order, whatever the database's collation: in PostgreSQL's en-US collations
// "éclair" sorts before "zed" (the test server's default collation is ICU en-US).
TEST_P(IdentitySearchTest, SortsInByteOrderIgnoringTheDatabasesCollation) {
  must_insert({user("bytes", "v1", "zed", {}, "zed", R"({"title":"zed"})"),
               user("bytes", "v2", "éclair", {}, "éclair", R"({"title":"éclair"})"),
               user("bytes", "v3", "abc", {}, "abc", R"({"title":"abc"})")});
  for (const char* attribute : {"userName", "displayName", "title"}) {
    ResourceQuery q;
    q.source = "bytes";
    q.sort_by = attribute;
    auto page = search(q);
    ASSERT_TRUE(page.has_value()) << attribute << ": " << page.error().message;
    EXPECT_EQ(ids_of(page->resources), (Ids{"v3", "v1", "v2"})) << attribute;
  }
}

TEST_P(IdentitySearchTest, AnUnsortableAttributeIsAnInvalidValue) {
  for (const char* bad : {"nope", "name", "groups.value"}) {
    ResourceQuery q;
    q.source = "okta";
    q.sort_by = bad;
    auto page = search(q);
    ASSERT_FALSE(page.has_value()) << bad;
    EXPECT_EQ(page.error().code, ErrorCode::InvalidValue) << bad;
  }
}

TEST_P(IdentitySearchTest, FiltersMatchAnyEmailAndNameIgnoringCase) {
  const auto by_email = eq("emails", "value", "CAROL@home.example");
  EXPECT_EQ(ids("", false, by_email.get()), Ids{"u3"});
  const auto by_name = eq("userName", "", "BOB");
  EXPECT_EQ(ids("", false, by_name.get()), Ids{"u2"});
  const auto by_display = eq("displayName", "", "ann");
  EXPECT_EQ(ids("", false, by_display.get()), Ids{"u2"});  // not other's o1
  const auto work = make(ValuePathFilter{AttributePath{{}, "emails", {}},
                                         make(And{eq("type", "", "work"), eq("value", "", "A@X.example")})});
  EXPECT_EQ(ids("", false, work.get()), Ids{"u1"});
  const auto home = make(ValuePathFilter{AttributePath{{}, "emails", {}},
                                         make(And{eq("type", "", "work"), eq("value", "", "c@x.example")})});
  EXPECT_EQ(ids("", false, home.get()), Ids{});
}

TEST_P(IdentitySearchTest, AFilterOnAnUnknownAttributeIsAnInvalidFilter) {
  const auto bad = eq("nope", "", "x");
  ResourceQuery q;
  q.source = "okta";
  q.filter = bad.get();
  auto page = search(q);
  ASSERT_FALSE(page.has_value());
  EXPECT_EQ(page.error().code, ErrorCode::InvalidFilter);
}

TEST_P(IdentitySearchTest, PagesAreStableAndCarryTheTotal) {
  ResourceQuery q;
  q.source = "okta";
  q.sort_by = "userName";
  Ids seen;
  for (std::size_t start = 1; start <= 5; start += 2) {
    q.start_index = start;
    q.count = 2;
    auto page = search(q);
    ASSERT_TRUE(page.has_value()) << page.error().message;
    EXPECT_EQ(page->total, 4u) << "start " << start;
    for (const auto& r : page->resources) seen.push_back(r.id);
  }
  EXPECT_EQ(seen, (Ids{"u1", "u2", "u3", "u4"}));

  q.start_index = 1;
  q.count = 0;  // only the total
  auto total = search(q);
  ASSERT_TRUE(total.has_value());
  EXPECT_EQ(total->total, 4u);
  EXPECT_TRUE(total->resources.empty());
}

TEST_P(IdentitySearchTest, GroupsSortAndFilterByDisplayName) {
  must_insert({group("okta", "g1", "beta"), group("okta", "g2", "Alpha"), group("other", "g3", "alpha")});
  ResourceQuery q;
  q.type = ResourceType::Group;
  q.source = "okta";
  q.sort_by = "displayName";
  auto page = search(q);
  ASSERT_TRUE(page.has_value()) << page.error().message;
  EXPECT_EQ(ids_of(page->resources), (Ids{"g2", "g1"}));
  const auto alpha = eq("displayName", "", "ALPHA");
  q.filter = alpha.get();
  page = search(q);
  ASSERT_TRUE(page.has_value());
  EXPECT_EQ(ids_of(page->resources), Ids{"g2"});
  EXPECT_EQ(page->total, 1u);
}

INSTANTIATE_TEST_SUITE_P(Backends, IdentitySearchTest, identity_backends(), backend_name);

}  // namespace
}  // namespace rosterd::identity_test
