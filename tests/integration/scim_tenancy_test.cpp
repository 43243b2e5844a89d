// Two customers on one daemon: the okta source (space acme) and the entra source (space
// globex) each see and change only their own Users and Groups, whatever id, filter or
// member reference they send; the same userName may exist in both.
#include <gtest/gtest.h>

#include "tests/integration/scim_server_fixture.h"

namespace rosterd::testing {
namespace {

class Tenancy : public ScimTest {
 protected:
  void SetUp() override {
    a_user_ = create_user("shared.name@example.com", kOktaToken);
    b_user_ = create_user("shared.name@example.com", kEntraToken);  // the same userName: allowed
    b_other_ = create_user("only.b@example.com", kEntraToken);
    const auto g = call("POST", "/Groups",
                        R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"B team",)"
                        R"("members":[{"value":")" + b_user_ + R"("}]})",
                        kEntraToken);
    ASSERT_EQ(g.status, 201) << g.body;
    b_group_ = str(json_of(g), "id");
    const auto ga = call("POST", "/Groups",
                         R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"A team"})");
    ASSERT_EQ(ga.status, 201) << ga.body;
    a_group_ = str(json_of(ga), "id");
  }

  std::string a_user_, b_user_, b_other_, b_group_, a_group_;
};

TEST_F(Tenancy, TheSameUserNameInTwoSourcesIsTwoUsers) {
  EXPECT_NE(a_user_, b_user_);
  const auto a = json_of(call("GET", "/Users?filter=userName%20eq%20%22shared.name%40example.com%22"));
  const auto b = json_of(call("GET", "/Users?filter=userName%20eq%20%22shared.name%40example.com%22", "", kEntraToken));
  EXPECT_EQ(ids_of(a), std::vector<std::string>{a_user_});
  EXPECT_EQ(ids_of(b), std::vector<std::string>{b_user_});
}

TEST_F(Tenancy, AnotherSourcesResourcesAreNotFoundByIdListOrFilter) {
  for (const auto& path : {"/Users/" + b_user_, "/Users/" + b_other_, "/Groups/" + b_group_}) {
    const auto r = call("GET", path);
    EXPECT_EQ(r.status, 404) << path << " " << r.body;
    EXPECT_EQ(r.body.find("only.b"), std::string::npos);
  }
  const auto users = json_of(call("GET", "/Users?count=1000"));
  EXPECT_EQ(ids_of(users), std::vector<std::string>{a_user_});
  EXPECT_EQ(users.at("totalResults").as_int64(), 1);
  EXPECT_TRUE(ids_of(json_of(call("GET", "/Users?filter=userName%20eq%20%22only.b%40example.com%22"))).empty());
  EXPECT_TRUE(ids_of(json_of(call("GET", "/Users?filter=id%20eq%20%22" + b_other_ + "%22"))).empty());
  EXPECT_EQ(ids_of(json_of(call("GET", "/Groups?count=1000"))), std::vector<std::string>{a_group_});
  EXPECT_TRUE(ids_of(json_of(call("GET", "/Groups?filter=displayName%20eq%20%22B%20team%22"))).empty());
  const auto search = json_of(call("POST", "/.search",
                                   R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],"count":1000})"));
  std::vector<std::string> found = ids_of(search);
  std::sort(found.begin(), found.end());
  std::vector<std::string> mine{a_user_, a_group_};
  std::sort(mine.begin(), mine.end());
  EXPECT_EQ(found, mine);
}

TEST_F(Tenancy, AnotherSourcesResourcesCannotBeChangedOrDeleted) {
  const std::string before = server_.dump();
  const std::string deactivate = R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],)"
                                 R"("Operations":[{"op":"replace","value":{"active":false}}]})";
  EXPECT_EQ(call("PATCH", "/Users/" + b_user_, deactivate).status, 404);
  EXPECT_EQ(call("PUT", "/Users/" + b_other_,
                 R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"only.b@example.com","active":false})")
                .status,
            404);
  EXPECT_EQ(call("DELETE", "/Users/" + b_other_).status, 404);
  EXPECT_EQ(call("DELETE", "/Groups/" + b_group_).status, 404);
  EXPECT_EQ(call("PATCH", "/Groups/" + b_group_,
                 R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],)"
                 R"("Operations":[{"op":"remove","path":"members"}]})")
                .status,
            404);
  EXPECT_EQ(server_.dump(), before);
  // B's view is intact.
  const auto b_user = json_of(call("GET", "/Users/" + b_user_, "", kEntraToken));
  EXPECT_TRUE(b_user.at("active").as_bool());
  EXPECT_EQ(member_ids(json_of(call("GET", "/Groups/" + b_group_, "", kEntraToken))), std::vector<std::string>{b_user_});
}

TEST_F(Tenancy, AnotherSourcesUserCannotBecomeAMemberOfMyGroup) {
  const std::string before = server_.dump();
  const auto patch = call("PATCH", "/Groups/" + a_group_,
                          R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],)"
                          R"("Operations":[{"op":"add","path":"members","value":[{"value":")" + b_other_ + R"("}]}]})");
  EXPECT_EQ(patch.status, 400) << patch.body;
  const auto post = call("POST", "/Groups",
                         R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"Mixed",)"
                         R"("members":[{"value":")" + a_user_ + R"("},{"value":")" + b_other_ + R"("}]})");
  EXPECT_EQ(post.status, 400) << post.body;
  const auto put = call("PUT", "/Groups/" + a_group_,
                        R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"A team",)"
                        R"("members":[{"value":")" + b_group_ + R"(","type":"Group"}]})");
  EXPECT_EQ(put.status, 400) << put.body;
  EXPECT_EQ(server_.dump(), before);
  EXPECT_TRUE(member_ids(json_of(call("GET", "/Groups/" + a_group_))).empty());
}

TEST_F(Tenancy, ATokenAlwaysActsAsItsOwnSourceWhateverTheBodySays) {
  // An entra-token create that carries the okta user's id and userName lands in globex only.
  const auto r = call("POST", "/Users",
                      R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"id":")" + a_user_ +
                          R"(","userName":"fresh@example.com"})",
                      kEntraToken);
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_NE(str(json_of(r), "id"), a_user_);
  EXPECT_EQ(call("GET", "/Users/" + str(json_of(r), "id")).status, 404);
  EXPECT_EQ(json_of(call("GET", "/Users?count=1000")).at("totalResults").as_int64(), 1);
}

}  // namespace
}  // namespace rosterd::testing
