// Lists, searches and discovery over a real socket: POST /Users/.search and /.search with a
// SearchRequest, pages by startIndex/count that together cover every user exactly once,
// sortBy userName in both orders, and the three discovery endpoints.
// Each test runs on SQLite and on PostgreSQL (its parameter: tests/integration/test_store.h).
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "tests/integration/scim_server_fixture.h"

namespace rosterd::testing {
namespace {

class Search : public ScimStoreTest {
 protected:
  void SetUp() override {
    ScimStoreTest::SetUp();
    if (IsSkipped()) return;
    // Created out of name order, so that creation order and name order differ.
    for (const char* name : {"delta", "alpha", "echo", "charlie", "bravo", "golf", "foxtrot"})
      ids_[name] = create_user(std::string(name) + "@acme.example");
    const auto g = call("POST", "/Groups",
                        R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"alpha team"})");
    ASSERT_EQ(g.status, 201);
    group_ = str(json_of(g), "id");
  }
  std::vector<std::string> user_names(const boost::json::value& list) {
    std::vector<std::string> out;
    for (const auto& r : list.at("Resources").as_array()) out.push_back(str(r, "userName"));
    return out;
  }
  std::map<std::string, std::string> ids_;
  std::string group_;
};

TEST_P(Search, UsersSearchTakesASearchRequestBody) {
  const auto r = call("POST", "/Users/.search",
                      R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],)"
                      R"("attributes":["userName"],"filter":"userName sw \"b\" or userName sw \"c\"",)"
                      R"("sortBy":"userName","startIndex":1,"count":10})");
  ASSERT_EQ(r.status, 200) << r.body;
  const auto list = json_of(r);
  EXPECT_EQ(list.at("schemas").at(0).as_string(), kListResponse);
  EXPECT_EQ(list.at("totalResults").as_int64(), 2);
  EXPECT_EQ(user_names(list), (std::vector<std::string>{"bravo@acme.example", "charlie@acme.example"}));
  // attributes=userName: id and userName, no name.
  EXPECT_FALSE(list.at("Resources").at(0).as_object().contains("name"));
  EXPECT_EQ(str(list.at("Resources").at(0), "id"), ids_["bravo"]);
}

TEST_P(Search, TheRootSearchCoversUsersAndGroups) {
  const auto r = call("POST", "/.search",
                      R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],)"
                      R"("filter":"userName sw \"alpha\" or displayName sw \"alpha\"","count":100})");
  ASSERT_EQ(r.status, 200) << r.body;
  const auto list = json_of(r);
  std::set<std::string> found;
  for (const auto& id : ids_of(list)) found.insert(id);
  EXPECT_EQ(found, (std::set<std::string>{ids_["alpha"], group_}));
  EXPECT_EQ(list.at("totalResults").as_int64(), 2);
  // A Group has no userName: `not (userName eq ...)` holds for it.
  const auto negated = json_of(call("POST", "/.search",
                                    R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],)"
                                    R"j("filter":"not (userName eq \"alpha@acme.example\")","count":100})j"));
  EXPECT_EQ(negated.at("totalResults").as_int64(), 7) << negated;  // six users and the group
  // Only Users have userName: an equality on it finds no Group.
  const auto users_only = json_of(call("POST", "/.search",
                                       R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],)"
                                       R"("filter":"userName sw \"a\""})"));
  EXPECT_EQ(ids_of(users_only), std::vector<std::string>{ids_["alpha"]});
  // An attribute no resource type defines is still an invalid filter.
  EXPECT_EQ(call("POST", "/.search", R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],)"
                                     R"("filter":"shoeSize eq 44 or displayName pr"})")
                .status,
            400);
}

TEST_P(Search, PagesCoverEveryUserOnceInAStableOrder) {
  std::vector<std::string> paged;
  for (int start = 1; start <= 7; start += 3) {
    const auto page = json_of(call("GET", "/Users?startIndex=" + std::to_string(start) + "&count=3"));
    EXPECT_EQ(page.at("totalResults").as_int64(), 7);
    EXPECT_EQ(page.at("startIndex").as_int64(), start);
    const auto ids = ids_of(page);
    EXPECT_EQ(page.at("itemsPerPage").as_int64(), static_cast<std::int64_t>(ids.size()));
    EXPECT_EQ(ids.size(), start == 7 ? 1u : 3u);
    paged.insert(paged.end(), ids.begin(), ids.end());
  }
  const auto all = ids_of(json_of(call("GET", "/Users?count=1000")));
  EXPECT_EQ(paged, all);  // the same order page by page as in one list
  EXPECT_EQ(std::set<std::string>(paged.begin(), paged.end()).size(), 7u);
  // Past the end: an empty page that still counts everyone.
  const auto past = json_of(call("GET", "/Users?startIndex=50&count=3"));
  EXPECT_EQ(past.at("totalResults").as_int64(), 7);
  EXPECT_TRUE(ids_of(past).empty());
  // count=0: only the total.
  const auto none = json_of(call("GET", "/Users?count=0"));
  EXPECT_EQ(none.at("totalResults").as_int64(), 7);
  EXPECT_TRUE(ids_of(none).empty());
}

TEST_P(Search, SortByUserNameOrdersPagesAscendingAndDescending) {
  const std::vector<std::string> ascending{"alpha@acme.example", "bravo@acme.example", "charlie@acme.example",
                                           "delta@acme.example", "echo@acme.example", "foxtrot@acme.example",
                                           "golf@acme.example"};
  std::vector<std::string> paged;
  for (int start = 1; start <= 7; start += 2) {
    const auto page = json_of(call("GET", "/Users?sortBy=userName&startIndex=" + std::to_string(start) + "&count=2"));
    const auto names = user_names(page);
    paged.insert(paged.end(), names.begin(), names.end());
  }
  EXPECT_EQ(paged, ascending);
  const auto down = json_of(call("GET", "/Users?sortBy=userName&sortOrder=descending&count=3"));
  EXPECT_EQ(user_names(down), (std::vector<std::string>{"golf@acme.example", "foxtrot@acme.example", "echo@acme.example"}));
}

TEST_P(Search, DiscoveryDescribesPatchBulkFilterAndETagSupport) {
  const auto config = json_of(call("GET", "/ServiceProviderConfig"));
  EXPECT_EQ(config.at("schemas").at(0).as_string(), "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig");
  EXPECT_TRUE(config.at("patch").at("supported").as_bool());
  EXPECT_TRUE(config.at("bulk").at("supported").as_bool());
  EXPECT_GT(config.at("bulk").at("maxOperations").to_number<std::int64_t>(), 0);
  EXPECT_GT(config.at("bulk").at("maxPayloadSize").to_number<std::int64_t>(), 0);
  EXPECT_TRUE(config.at("filter").at("supported").as_bool());
  EXPECT_TRUE(config.at("etag").at("supported").as_bool());
  EXPECT_TRUE(config.at("sort").at("supported").as_bool());
  EXPECT_FALSE(config.at("changePassword").at("supported").as_bool());
  bool bearer = false;
  for (const auto& scheme : config.at("authenticationSchemes").as_array())
    bearer = bearer || str(scheme, "type") == "oauthbearertoken";
  EXPECT_TRUE(bearer) << config;

  const auto types = json_of(call("GET", "/ResourceTypes"));
  std::set<std::string> endpoints;
  for (const auto& t : types.at("Resources").as_array()) endpoints.insert(str(t, "endpoint"));
  EXPECT_EQ(endpoints, (std::set<std::string>{"/Users", "/Groups"}));
  const auto user_type = json_of(call("GET", "/ResourceTypes/User"));
  EXPECT_EQ(str(user_type, "schema"), kUserSchema);
  EXPECT_EQ(str(user_type.at("schemaExtensions").at(0), "schema"), kEnterpriseSchema);

  const auto schemas = json_of(call("GET", "/Schemas"));
  std::set<std::string> ids;
  for (const auto& s : schemas.at("Resources").as_array()) ids.insert(str(s, "id"));
  EXPECT_TRUE(ids.count(kUserSchema) && ids.count(kGroupSchema) && ids.count(kEnterpriseSchema)) << schemas;
  const auto user_schema = json_of(call("GET", std::string("/Schemas/") + kUserSchema));
  bool user_name = false;
  for (const auto& a : user_schema.at("attributes").as_array())
    if (str(a, "name") == "userName") user_name = str(a, "uniqueness") == "server";
  EXPECT_TRUE(user_name) << user_schema;
  EXPECT_EQ(call("GET", "/Schemas/urn:example:nothing").status, 404);
}

INSTANTIATE_TEST_SUITE_P(Stores, Search, kBothStores, store_test_name);

}  // namespace
}  // namespace rosterd::testing
