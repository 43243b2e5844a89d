// GET by id, lists with filters, paging, sorting and projections, and POST .search.
#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "tests/unit/scim_service/scim_service_fixture.h"

namespace rosterd::scim_service_test {
namespace {

using std::chrono::seconds;

class ReadsTest : public ScimServiceTest {
 protected:
  void SetUp() override {
    ScimServiceTest::SetUp();
    ada_ = create_user("ada@acme.example",
                       R"("name":{"givenName":"Ada","familyName":"Lovelace"},"displayName":"Ada Lovelace",)"
                       R"("title":"Countess","emails":[{"value":"ada@x.example","type":"work","primary":true}],)"
                       R"(")" + std::string(kEnterpriseSchema) + R"(":{"employeeNumber":"1","department":"R&D"})");
    clock_.advance(seconds(10));
    bob_ = create_user("bob@acme.example",
                       R"("active":false,"emails":[{"value":"bob@y.example","type":"work"},)"
                       R"({"value":"bob@x.example","type":"home"}])");
    clock_.advance(seconds(10));
    carol_ = create_user("Carol@Acme.example", R"("displayName":"Carol")");
  }

  // The userNames a filter finds, sorted by userName.
  std::vector<std::string> found(std::string_view filter) {
    const Reply r = get("/Users?sortBy=userName&filter=" + url_encode(filter));
    EXPECT_EQ(r.status, 200) << filter << ": " << r.body;
    EXPECT_EQ(r.total(), static_cast<std::int64_t>(r.resources().size())) << filter;
    return values_of(r, "userName");
  }

  std::string ada_, bob_, carol_;
};

TEST_F(ReadsTest, GetByIdCarriesMetaAndAnETagEqualToMetaVersion) {
  const Reply r = get("/Users/" + ada_);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.text("id"), ada_);
  EXPECT_EQ(r.text("userName"), "ada@acme.example");
  const json::object& meta = r.object().at("meta").as_object();
  EXPECT_EQ(meta.at("resourceType"), "User");
  EXPECT_EQ(meta.at("created"), json::value(json::string(format_timestamp(kT0))));
  EXPECT_EQ(meta.at("lastModified"), json::value(json::string(format_timestamp(kT0))));
  EXPECT_EQ(meta.at("location"), json::value(json::string("http://scim.example:8443/scim/v2/Users/" + ada_)));
  EXPECT_EQ(meta.at("version"), R"(W/"1")");
  EXPECT_EQ(r.header("ETag"), std::optional<std::string>(R"(W/"1")"));
  EXPECT_EQ(r.object().at("name").as_object().at("givenName"), "Ada");
  EXPECT_EQ(r.object().at(kEnterpriseSchema).as_object().at("department"), "R&D");
}

TEST_F(ReadsTest, GetOfAMissingIdIs404WithAnErrorBody) {
  const Reply r = get("/Users/no-such-id");
  expect_error(r, 404);
  EXPECT_NE(detail(r).find("no-such-id"), std::string::npos);
  expect_error(get("/Groups/" + ada_), 404);  // a User's id is not a Group's
}

TEST_F(ReadsTest, IfNoneMatchWithTheCurrentVersionAnswers304WithoutABody) {
  const Reply same = get("/Users/" + ada_, {{"If-None-Match", R"(W/"1")"}});
  EXPECT_EQ(same.status, 304);
  EXPECT_TRUE(same.body.empty());
  EXPECT_EQ(same.header("ETag"), std::optional<std::string>(R"(W/"1")"));
  const Reply other = get("/Users/" + ada_, {{"If-None-Match", R"(W/"2")"}});
  EXPECT_EQ(other.status, 200);
  EXPECT_EQ(other.text("id"), ada_);
}

TEST_F(ReadsTest, FiltersSelectExactlyTheMatchingUsers) {
  using V = std::vector<std::string>;
  EXPECT_EQ(found(R"(userName eq "bob@acme.example")"), V{"bob@acme.example"});
  EXPECT_EQ(found(R"(userName eq "BOB@ACME.EXAMPLE")"), V{"bob@acme.example"});
  EXPECT_EQ(found(R"(USERNAME Eq "carol@acme.example")"), V{"Carol@Acme.example"});
  EXPECT_EQ(found(R"(userName co "ACME")"), (V{"ada@acme.example", "bob@acme.example", "Carol@Acme.example"}));
  EXPECT_EQ(found(R"(userName sw "ca")"), V{"Carol@Acme.example"});
  EXPECT_EQ(found("emails pr"), (V{"ada@acme.example", "bob@acme.example"}));
  EXPECT_EQ(found("title pr"), V{"ada@acme.example"});
  EXPECT_EQ(found(R"(emails pr and not (userName sw "bob"))"), V{"ada@acme.example"});
  EXPECT_EQ(found(R"(userName eq "ada@acme.example" or displayName eq "Carol")"),
            (V{"ada@acme.example", "Carol@Acme.example"}));
  // Both comparisons must hold for the same element: bob's @x address is his home one.
  EXPECT_EQ(found(R"(emails[type eq "work" and value co "@x"])"), V{"ada@acme.example"});
  EXPECT_EQ(found(R"(emails[type eq "home"])"), V{"bob@acme.example"});
  EXPECT_EQ(found(R"(name.familyName eq "Lovelace")"), V{"ada@acme.example"});
  EXPECT_EQ(found(R"(meta.lastModified gt ")" + format_timestamp(kT0 + seconds(5)) + "\""),
            (V{"bob@acme.example", "Carol@Acme.example"}));
  EXPECT_EQ(found(R"(urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber eq "1")"),
            V{"ada@acme.example"});
}

TEST_F(ReadsTest, MoreOperatorsAndAttributesInFilters) {
  using V = std::vector<std::string>;
  ASSERT_EQ(patch("/Users/" + carol_, patch_body(R"({"op":"add","path":"externalId","value":"ext-9"})")).status, 200);
  EXPECT_EQ(found(R"(externalId eq "ext-9")"), V{"Carol@Acme.example"});
  EXPECT_EQ(found(R"(id eq ")" + bob_ + "\""), V{"bob@acme.example"});
  EXPECT_EQ(found(R"(userName ew "ACME.EXAMPLE")"), (V{"ada@acme.example", "bob@acme.example", "Carol@Acme.example"}));
  EXPECT_EQ(found(R"(userName ne "bob@acme.example")"), (V{"ada@acme.example", "Carol@Acme.example"}));
  EXPECT_EQ(found(R"(meta.created ge ")" + format_timestamp(kT0 + seconds(10)) + "\""),
            (V{"bob@acme.example", "Carol@Acme.example"}));
  EXPECT_EQ(found(R"(meta.created lt ")" + format_timestamp(kT0 + seconds(10)) + "\""), V{"ada@acme.example"});
  EXPECT_EQ(found(R"(emails.value eq "bob@x.example")"), V{"bob@acme.example"});
  EXPECT_EQ(found(R"(not (active eq true) or title eq "Countess")"), (V{"ada@acme.example", "bob@acme.example"}));
}

TEST_F(ReadsTest, GroupsAreFoundByDisplayNameAndByMember) {
  const std::string admins = create_group("admins", R"("members":[{"value":")" + ada_ + R"("}])");
  const std::string staff = create_group("staff", R"("members":[{"value":")" + bob_ + R"("}])");
  EXPECT_EQ(ids_of(get("/Groups?filter=" + url_encode(R"(displayName eq "ADMINS")"))), std::vector<std::string>{admins});
  const Reply by_member = get("/Groups?filter=" + url_encode(R"(members[value eq ")" + bob_ + R"("])"));
  ASSERT_EQ(by_member.status, 200) << by_member.body;
  EXPECT_EQ(ids_of(by_member), std::vector<std::string>{staff});
  const Reply by_value = get("/Groups?filter=" + url_encode(R"(members.value eq ")" + ada_ + "\""));
  ASSERT_EQ(by_value.status, 200) << by_value.body;
  EXPECT_EQ(ids_of(by_value), std::vector<std::string>{admins});
}

TEST_F(ReadsTest, SortByAnAttributeSomeLackPutsThemLastAscending) {
  // displayName: ada "Ada Lovelace", carol "Carol", bob none.
  EXPECT_EQ(ids_of(get("/Users?sortBy=displayName")), (std::vector<std::string>{ada_, carol_, bob_}));
  EXPECT_EQ(ids_of(get("/Users?sortBy=meta.lastModified&sortOrder=descending")),
            (std::vector<std::string>{carol_, bob_, ada_}));
  expect_error(get("/Users?sortBy=shoeSize"), 400, "invalidValue");
}

TEST_F(ReadsTest, DateTimeComparisonsCompareInstantsNotText) {
  using V = std::vector<std::string>;
  // bob was last modified at exactly 09:00:10.000Z.
  EXPECT_EQ(found(R"(meta.lastModified eq "2026-11-23T09:00:10Z")"), V{"bob@acme.example"});
  EXPECT_EQ(found(R"(meta.lastModified ge "2026-11-23T09:00:10Z")"), (V{"bob@acme.example", "Carol@Acme.example"}));
  EXPECT_EQ(found(R"(meta.lastModified le "2026-11-23T09:00:10Z")"), (V{"ada@acme.example", "bob@acme.example"}));
  EXPECT_EQ(found(R"(meta.lastModified gt "2026-11-23T10:00:05+01:00")"), (V{"bob@acme.example", "Carol@Acme.example"}));
}

TEST_F(ReadsTest, ADeactivatedUserIsStillFoundByFilter) {
  EXPECT_EQ(found(R"(userName eq "bob@acme.example")"), std::vector<std::string>{"bob@acme.example"});
  EXPECT_EQ(found("active eq false"), std::vector<std::string>{"bob@acme.example"});
}

TEST_F(ReadsTest, AFilterMatchingNothingIs200WithTotalResultsZero) {
  const Reply r = get("/Users?filter=" + url_encode(R"(userName eq "nobody@acme.example")"));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.object().at("schemas").as_array().at(0), json::value(json::string(kListSchema)));
  EXPECT_EQ(r.total(), 0);
  EXPECT_TRUE(r.resources().empty());
}

// `userName eq` on /Users is answered as a look-up (IdentityStore::find_user_by_name),
// not as a search: it must answer exactly what the search answers (the same list with a
// sortBy goes the search's way), paging and projections included.
TEST_F(ReadsTest, AUserNameLookUpAnswersWhatTheSearchAnswers) {
  create_group("Eng", R"("members":[{"value":")" + ada_ + R"("}])");
  const std::string filters[] = {R"(userName eq "ada@acme.example")", R"(userName eq "CAROL@acme.EXAMPLE")",
                                 R"(urn:ietf:params:scim:schemas:core:2.0:User:userName eq "bob@acme.example")",
                                 R"(userName eq "nobody@acme.example")", R"(userName eq "ada@acme")"};
  const std::string extras[] = {"", "&startIndex=2", "&count=0", "&attributes=userName,groups",
                                "&excludedAttributes=groups,emails", "&startIndex=1&count=1"};
  for (const auto& filter : filters) {
    for (const auto& extra : extras) {
      const std::string query = "/Users?filter=" + url_encode(filter) + extra;
      const Reply looked_up = get(query);
      const Reply searched = get(query + "&sortBy=userName");
      ASSERT_EQ(looked_up.status, 200) << query << ": " << looked_up.body;
      EXPECT_EQ(looked_up.body, searched.body) << query;
    }
  }
  const Reply ada = get("/Users?filter=" + url_encode(R"(userName eq "ADA@acme.example")"));
  EXPECT_EQ(ids_of(ada), std::vector<std::string>{ada_});
  EXPECT_EQ(ada.total(), 1);
  ASSERT_EQ(ada.resources().size(), 1u);
  EXPECT_EQ(ada.resources().at(0).as_object().at("groups").as_array().size(), 1u);
  const Reply later = get("/Users?startIndex=2&filter=" + url_encode(R"(userName eq "ada@acme.example")"));
  EXPECT_EQ(later.total(), 1);
  EXPECT_TRUE(later.resources().empty());
}

TEST_F(ReadsTest, PlusAndPercent20BothMeanASpaceInTheQuery) {
  const Reply plus = get("/Users?filter=userName+eq+%22bob%40acme.example%22");
  const Reply pct = get("/Users?filter=userName%20eq%20%22bob%40acme.example%22");
  EXPECT_EQ(ids_of(plus), std::vector<std::string>{bob_});
  EXPECT_EQ(ids_of(pct), std::vector<std::string>{bob_});
}

TEST_F(ReadsTest, SortByUserNameAscendingAndDescendingIgnoresCase) {
  const Reply up = get("/Users?sortBy=userName&sortOrder=ascending");
  EXPECT_EQ(ids_of(up), (std::vector<std::string>{ada_, bob_, carol_}));
  const Reply down = get("/Users?sortBy=userName&sortOrder=descending");
  EXPECT_EQ(ids_of(down), (std::vector<std::string>{carol_, bob_, ada_}));
}

TEST_F(ReadsTest, CountZeroAnswersOnlyTheTotal) {
  const Reply r = get("/Users?count=0");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.total(), 3);
  EXPECT_TRUE(r.resources().empty());
}

TEST_F(ReadsTest, AttributesReturnsOnlyThoseAndIdAndSchemas) {
  const Reply r = get("/Users/" + ada_ + "?attributes=userName");
  ASSERT_EQ(r.status, 200) << r.body;
  std::set<std::string> keys;
  for (const auto& m : r.object()) keys.insert(std::string(m.key()));
  EXPECT_EQ(keys, (std::set<std::string>{"schemas", "id", "userName"}));

  const Reply sub = get("/Users/" + ada_ + "?attributes=name.givenName");
  const json::object& name = sub.object().at("name").as_object();
  EXPECT_EQ(name.size(), 1u);
  EXPECT_EQ(name.at("givenName"), "Ada");
  EXPECT_EQ(sub.object().if_contains("userName"), nullptr);
  EXPECT_EQ(sub.text("id"), ada_);

  const Reply urn = get("/Users?filter=" + url_encode(R"(userName eq "ada@acme.example")") +
                        "&attributes=urn:ietf:params:scim:schemas:core:2.0:User:displayName," +
                        std::string(kEnterpriseSchema) + ":employeeNumber");
  ASSERT_EQ(urn.resources().size(), 1u) << urn.body;
  const json::object& one = urn.resources()[0].as_object();
  EXPECT_EQ(one.at("displayName"), "Ada Lovelace");
  EXPECT_EQ(one.if_contains("userName"), nullptr);
  EXPECT_EQ(one.if_contains("meta"), nullptr);
  EXPECT_EQ(one.at(kEnterpriseSchema).as_object().size(), 1u);
  EXPECT_EQ(one.at(kEnterpriseSchema).as_object().at("employeeNumber"), "1");
}

TEST_F(ReadsTest, ExcludedAttributesDropsThemButNeverTheId) {
  const Reply r = get("/Users/" + ada_ + "?excludedAttributes=emails,name.familyName,id");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.object().if_contains("emails"), nullptr);
  EXPECT_EQ(r.text("id"), ada_);
  EXPECT_EQ(r.text("userName"), "ada@acme.example");
  EXPECT_NE(r.object().if_contains("meta"), nullptr);
  const json::object& name = r.object().at("name").as_object();
  EXPECT_EQ(name.if_contains("familyName"), nullptr);
  EXPECT_EQ(name.at("givenName"), "Ada");
}

TEST_F(ReadsTest, ExcludedMembersLeavesGroupsWithoutMembers) {
  const std::string g = create_group("admins", R"("members":[{"value":")" + ada_ + R"("}])");
  const Reply full = get("/Groups/" + g);
  ASSERT_EQ(full.object().at("members").as_array().size(), 1u) << full.body;
  EXPECT_EQ(full.object().at("members").as_array()[0].as_object().at("value"), json::value(json::string(ada_)));
  const Reply one = get("/Groups/" + g + "?excludedAttributes=members");
  EXPECT_EQ(one.object().if_contains("members"), nullptr) << one.body;
  EXPECT_EQ(one.text("displayName"), "admins");
  const Reply list = get("/Groups?excludedAttributes=members");
  ASSERT_EQ(list.resources().size(), 1u);
  EXPECT_EQ(list.resources()[0].as_object().if_contains("members"), nullptr);
  EXPECT_EQ(text_of(list.resources()[0], "id"), g);
}

TEST_F(ReadsTest, SearchOnUsersGroupsAndTheRoot) {
  const std::string g1 = create_group("admins");
  const std::string g2 = create_group("staff");
  const std::string search = R"({"schemas":[")" + std::string(kSearchSchema) + R"("])";

  const Reply users = post("/Users/.search", search + R"(,"filter":"userName sw \"b\"","attributes":["userName"]})");
  ASSERT_EQ(users.status, 200) << users.body;
  EXPECT_EQ(ids_of(users), std::vector<std::string>{bob_});
  EXPECT_EQ(users.resources()[0].as_object().if_contains("emails"), nullptr);

  const Reply groups = post("/Groups/.search", search + R"(,"filter":"displayName eq \"staff\""})");
  EXPECT_EQ(ids_of(groups), std::vector<std::string>{g2});

  const Reply root = post("/.search", search + R"(,"filter":"displayName pr"})");
  ASSERT_EQ(root.status, 200) << root.body;
  EXPECT_EQ(root.total(), 4);  // ada and carol, then both groups
  EXPECT_EQ(ids_of(root), (std::vector<std::string>{ada_, carol_, g1, g2}));

  // A page that straddles the two types.
  const Reply page = post("/.search", search + R"(,"filter":"displayName pr","startIndex":2,"count":2})");
  EXPECT_EQ(page.total(), 4);
  EXPECT_EQ(ids_of(page), (std::vector<std::string>{carol_, g1}));
  const Reply last = post("/.search", search + R"(,"filter":"displayName pr","startIndex":4,"count":2})");
  EXPECT_EQ(ids_of(last), std::vector<std::string>{g2});

  // A filter only Users can answer finds Users at the root.
  const Reply only_users = post("/.search", search + R"(,"filter":"userName eq \"bob@acme.example\""})");
  ASSERT_EQ(only_users.status, 200) << only_users.body;
  EXPECT_EQ(ids_of(only_users), std::vector<std::string>{bob_});
}

TEST_F(ReadsTest, ASearchWithoutTheSearchRequestSchemaIsRefused) {
  expect_error(post("/Users/.search", R"({"filter":"userName pr"})"), 400, "invalidSyntax");
  expect_error(post("/.search", R"({"schemas":[")" + std::string(kSearchSchema) + R"("],"color":"red"})"), 400,
               "invalidSyntax");
}

class PagingTest : public ScimServiceTest {};

TEST_F(PagingTest, PagesCoverEveryUserOnceWhateverTheOrder) {
  std::vector<std::string> all;
  for (int i = 0; i < 23; ++i) {
    // userNames in an order unlike creation order.
    all.push_back(create_user("user" + std::to_string((i * 7) % 23) + "@acme.example"));
    clock_.advance(seconds(1));
  }
  const std::vector<std::string> orders{"", "&sortBy=userName", "&sortBy=userName&sortOrder=descending"};
  for (const std::string& order : orders) {
    SCOPED_TRACE(order);
    std::vector<std::string> seen;
    for (int start = 1; start <= 23; start += 5) {
      const Reply r = get("/Users?startIndex=" + std::to_string(start) + "&count=5" + order);
      ASSERT_EQ(r.status, 200) << r.body;
      EXPECT_EQ(r.total(), 23);
      EXPECT_EQ(r.object().at("startIndex"), start);
      EXPECT_EQ(r.object().at("itemsPerPage"), static_cast<std::int64_t>(r.resources().size()));
      EXPECT_EQ(r.resources().size(), start == 21 ? 3u : 5u);
      for (const std::string& id : ids_of(r)) seen.push_back(id);
    }
    std::vector<std::string> unique = seen;
    std::sort(unique.begin(), unique.end());
    EXPECT_EQ(std::adjacent_find(unique.begin(), unique.end()), unique.end()) << "a user on two pages";
    std::vector<std::string> expected = all;
    std::sort(expected.begin(), expected.end());
    EXPECT_EQ(unique, expected);
    if (order.empty()) {
      EXPECT_EQ(seen, all);  // by creation
    }
  }
  const Reply past = get("/Users?startIndex=40&count=5");
  EXPECT_EQ(past.total(), 23);
  EXPECT_TRUE(past.resources().empty());
}

TEST_F(PagingTest, ACountOverTheMaximumIsLowered) {
  auto o = options();
  o.limits.list.max_count = 3;
  restart_service(o);
  for (int i = 0; i < 5; ++i) create_user("u" + std::to_string(i));
  const Reply r = get("/Users?count=10");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.total(), 5);
  EXPECT_EQ(r.resources().size(), 3u);
  EXPECT_EQ(r.object().at("itemsPerPage"), 3);
}

TEST_F(PagingTest, ANegativeCountAndAStartIndexBelowOneAreReadAsZeroAndOne) {
  for (int i = 0; i < 3; ++i) create_user("u" + std::to_string(i));
  const Reply none = get("/Users?count=-4");
  EXPECT_EQ(none.total(), 3);
  EXPECT_TRUE(none.resources().empty());
  const Reply first = get("/Users?startIndex=-3&count=1");
  EXPECT_EQ(first.object().at("startIndex"), 1);
  EXPECT_EQ(values_of(first, "userName"), std::vector<std::string>{"u0"});
}

}  // namespace
}  // namespace rosterd::scim_service_test
