// POST, PUT, PATCH and DELETE of Users and Groups: statuses, Location and ETag headers,
// bodies, versions and preconditions.
#include <algorithm>
#include <future>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "tests/unit/scim_service/scim_service_fixture.h"

namespace rosterd::scim_service_test {
namespace {

using std::chrono::seconds;
using WritesTest = ScimServiceTest;

std::vector<std::string> member_ids(const Reply& group) {
  std::vector<std::string> out;
  if (const json::value* m = group.object().if_contains("members"))
    for (const auto& e : m->as_array()) out.push_back(text_of(e, "value"));
  return out;
}

TEST_F(WritesTest, PostAnswers201WithLocationETagAndTheResource) {
  const Reply r = post("/Users", user_body("ada@acme.example", R"("displayName":"Ada")"));
  ASSERT_EQ(r.status, 201) << r.body;
  const std::string id = r.text("id");
  ASSERT_FALSE(id.empty());
  EXPECT_EQ(r.header("Location"), std::optional<std::string>("http://scim.example:8443/scim/v2/Users/" + id));
  EXPECT_EQ(r.header("ETag"), std::optional<std::string>(R"(W/"1")"));
  EXPECT_EQ(r.text("userName"), "ada@acme.example");
  EXPECT_EQ(r.text("displayName"), "Ada");
  EXPECT_EQ(r.object().at("meta").as_object().at("location"), json::value(json::string(*r.header("Location"))));
  EXPECT_EQ(get("/Users/" + id).body, r.body);
}

TEST_F(WritesTest, PostOfAGroupAnswers201WithItsMembers) {
  const std::string ada = create_user("ada");
  const Reply r = post("/Groups", group_body("admins", R"("members":[{"value":")" + ada + R"("}])"));
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.header("Location"),
            std::optional<std::string>("http://scim.example:8443/scim/v2/Groups/" + r.text("id")));
  EXPECT_EQ(member_ids(r), std::vector<std::string>{ada});
  // The user now lists the group.
  const Reply user = get("/Users/" + ada);
  ASSERT_NE(user.object().if_contains("groups"), nullptr) << user.body;
  EXPECT_EQ(user.object().at("groups").as_array()[0].as_object().at("value"), json::value(json::string(r.text("id"))));
}

TEST_F(WritesTest, PutReplacesTheWholeResourceAndIgnoresReadOnlyEchoes) {
  const std::string id = create_user("ada", R"("displayName":"Ada","title":"Countess","nickName":"A")");
  clock_.advance(seconds(30));
  const std::string body = user_body("ada", R"("id":"forged","meta":{"version":"W/\"99\""},"displayName":"Ada L")");
  const Reply r = put("/Users/" + id, body);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.text("id"), id);
  EXPECT_EQ(r.text("displayName"), "Ada L");
  EXPECT_EQ(r.object().if_contains("title"), nullptr);
  EXPECT_EQ(r.object().if_contains("nickName"), nullptr);
  EXPECT_EQ(r.header("ETag"), std::optional<std::string>(R"(W/"2")"));
  EXPECT_EQ(r.header("Location"), std::nullopt);
  const json::object& meta = r.object().at("meta").as_object();
  EXPECT_EQ(meta.at("version"), R"(W/"2")");
  EXPECT_EQ(meta.at("created"), json::value(json::string(format_timestamp(kT0))));
  EXPECT_EQ(meta.at("lastModified"), json::value(json::string(format_timestamp(kT0 + seconds(30)))));
  const Reply again = get("/Users/" + id);
  EXPECT_EQ(again.object().if_contains("title"), nullptr);
  expect_error(get("/Users/forged"), 404);
}

TEST_F(WritesTest, PutOfAGroupWithoutMembersEmptiesIt) {
  const std::string ada = create_user("ada");
  const std::string g = create_group("admins", R"("members":[{"value":")" + ada + R"("}])");
  const Reply r = put("/Groups/" + g, group_body("admins"));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(member_ids(get("/Groups/" + g)).empty());
}

TEST_F(WritesTest, PatchOfAUserAnswers200WithTheUser) {
  const std::string id = create_user("ada", R"("displayName":"Ada")");
  const Reply r = patch("/Users/" + id, patch_body(R"({"op":"replace","path":"displayName","value":"Ada L"},)"
                                                   R"({"op":"add","path":"title","value":"Countess"})"));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.text("displayName"), "Ada L");
  EXPECT_EQ(r.text("title"), "Countess");
  EXPECT_EQ(r.header("ETag"), std::optional<std::string>(R"(W/"2")"));
  EXPECT_EQ(get("/Users/" + id).text("title"), "Countess");
}

TEST_F(WritesTest, PatchOfAGroupAnswers204WithAnETagUnlessAttributesAreAsked) {
  const std::string ada = create_user("ada");
  const std::string bob = create_user("bob");
  const std::string g = create_group("admins");
  const Reply r = patch("/Groups/" + g, patch_body(R"({"op":"add","path":"members","value":[{"value":")" + ada + R"("}]})"));
  EXPECT_EQ(r.status, 204) << r.body;
  EXPECT_TRUE(r.body.empty());
  EXPECT_EQ(r.header("ETag"), std::optional<std::string>(R"(W/"2")"));
  EXPECT_EQ(member_ids(get("/Groups/" + g)), std::vector<std::string>{ada});

  const Reply shown = patch("/Groups/" + g + "?attributes=members",
                            patch_body(R"({"op":"add","path":"members","value":[{"value":")" + bob + R"("}]})"));
  ASSERT_EQ(shown.status, 200) << shown.body;
  EXPECT_EQ(shown.header("ETag"), std::optional<std::string>(R"(W/"3")"));
  std::vector<std::string> expected{ada, bob};
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(member_ids(shown), expected);
  EXPECT_EQ(shown.object().if_contains("displayName"), nullptr);

  const Reply removed = patch("/Groups/" + g, patch_body(R"({"op":"remove","path":"members[value eq \")" + ada + R"(\"]"})"));
  EXPECT_EQ(removed.status, 204) << removed.body;
  EXPECT_EQ(member_ids(get("/Groups/" + g)), std::vector<std::string>{bob});
}

TEST_F(WritesTest, AGroupMayContainAGroupButNotItself) {
  const std::string inner = create_group("inner");
  const Reply outer = post("/Groups", group_body("outer", R"("members":[{"value":")" + inner + R"(","type":"Group"}])"));
  ASSERT_EQ(outer.status, 201) << outer.body;
  const json::object& m = outer.object().at("members").as_array()[0].as_object();
  EXPECT_EQ(m.at("value"), json::value(json::string(inner)));
  EXPECT_EQ(m.at("type"), "Group");
  const std::string before = snapshot();
  expect_error(patch("/Groups/" + inner,
                     patch_body(R"({"op":"add","path":"members","value":[{"value":")" + inner + R"("}]})")),
               400, "invalidValue");
  EXPECT_EQ(snapshot(), before);
}

TEST_F(WritesTest, DeleteAnswers204ThenTheResourceIs404) {
  const std::string ada = create_user("ada");
  const std::string g = create_group("admins", R"("members":[{"value":")" + ada + R"("}])");
  const Reply r = del("/Users/" + ada);
  EXPECT_EQ(r.status, 204);
  EXPECT_TRUE(r.body.empty());
  expect_error(get("/Users/" + ada), 404);
  expect_error(del("/Users/" + ada), 404);
  EXPECT_TRUE(member_ids(get("/Groups/" + g)).empty());
  EXPECT_EQ(del("/Groups/" + g).status, 204);
  expect_error(get("/Groups/" + g), 404);
}

TEST_F(WritesTest, VersionsIncrementWithEveryChange) {
  const std::string id = create_user("ada");
  for (int v = 2; v <= 4; ++v) {
    const Reply r = patch("/Users/" + id, patch_body(R"({"op":"replace","path":"title","value":"t)" +
                                                     std::to_string(v) + R"("})"));
    EXPECT_EQ(r.header("ETag"), std::optional<std::string>("W/\"" + std::to_string(v) + "\""));
  }
  EXPECT_EQ(get("/Users/" + id).object().at("meta").as_object().at("version"), R"(W/"4")");
}

TEST_F(WritesTest, IfMatchCurrentSucceedsStaleIs412AndStarMatches) {
  const std::string id = create_user("ada");
  const std::string replace = patch_body(R"({"op":"replace","path":"title","value":"x"})");
  const Reply stale = patch("/Users/" + id, replace, {{"If-Match", R"(W/"2")"}});
  expect_error(stale, 412);
  EXPECT_EQ(get("/Users/" + id).header("ETag"), std::optional<std::string>(R"(W/"1")"));

  EXPECT_EQ(patch("/Users/" + id, replace, {{"If-Match", R"(W/"1")"}}).status, 200);
  EXPECT_EQ(put("/Users/" + id, user_body("ada"), {{"If-Match", R"("2")"}}).status, 200);  // strong form too
  EXPECT_EQ(put("/Users/" + id, user_body("ada"), {{"If-Match", "*"}}).status, 200);
  expect_error(del("/Users/" + id, {{"If-Match", R"(W/"1")"}}), 412);
  EXPECT_EQ(del("/Users/" + id, {{"If-Match", R"(W/"7", W/"4")"}}).status, 204);
}

TEST_F(WritesTest, OfTwoConcurrentWritesWithTheSameIfMatchExactlyOneWins) {
  const std::string id = create_user("ada");
  std::vector<std::future<HttpResponse>> answers;
  std::vector<std::shared_ptr<std::promise<HttpResponse>>> promises;
  for (int i = 0; i < 2; ++i) {
    HttpRequest request;
    request.method = "PATCH";
    request.target = "/scim/v2/Users/" + id;
    request.headers = {{"Authorization", "Bearer " + kOktaToken}, {"If-Match", R"(W/"1")"}};
    request.body = patch_body(R"({"op":"replace","path":"title","value":"t)" + std::to_string(i) + R"("})");
    auto promise = std::make_shared<std::promise<HttpResponse>>();
    answers.push_back(promise->get_future());
    service_->handle(std::move(request), [promise](HttpResponse r) { promise->set_value(std::move(r)); });
  }
  std::multiset<int> statuses;
  for (auto& a : answers) statuses.insert(a.get().status);
  EXPECT_EQ(statuses, (std::multiset<int>{200, 412}));
  EXPECT_EQ(get("/Users/" + id).header("ETag"), std::optional<std::string>(R"(W/"2")"));
}

TEST_F(WritesTest, EntraStylePatchWithoutPathAndStringBooleans) {
  const std::string id = create_user("ada");
  const Reply r = patch("/Users/" + id, patch_body(R"({"op":"Replace","value":{"active":"False","displayName":"A"}})"));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.object().at("active"), false);
  EXPECT_EQ(r.text("displayName"), "A");
  const Reply found = get("/Users?filter=" + url_encode("active eq false"));
  EXPECT_EQ(ids_of(found), std::vector<std::string>{id});
}

TEST_F(WritesTest, DeletingANestedGroupRemovesItFromItsParent) {
  const std::string inner = create_group("inner");
  const std::string outer = create_group("outer", R"("members":[{"value":")" + inner + R"(","type":"Group"}])");
  ASSERT_EQ(member_ids(get("/Groups/" + outer)), std::vector<std::string>{inner});
  EXPECT_EQ(del("/Groups/" + inner).status, 204);
  EXPECT_TRUE(member_ids(get("/Groups/" + outer)).empty());
}

TEST_F(WritesTest, AMemberMustExistInTheSameSource) {
  const std::string eve = create_user("eve", {}, kEntraToken);
  const std::string g = create_group("admins");
  const std::string before = snapshot();
  const Reply r = patch("/Groups/" + g, patch_body(R"({"op":"add","path":"members","value":[{"value":")" + eve + R"("}]})"));
  expect_error(r, 400, "invalidValue");
  EXPECT_NE(detail(r).find(eve), std::string::npos);
  EXPECT_EQ(snapshot(), before);
  expect_error(put("/Groups/" + g, group_body("admins", R"("members":[{"value":")" + eve + R"("}])")), 400,
               "invalidValue");
  EXPECT_EQ(snapshot(), before);
}

TEST_F(WritesTest, WriteResponsesHonourAttributesAndExcludedAttributes) {
  const Reply r = post("/Users?attributes=userName", user_body("ada", R"("displayName":"Ada")"));
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_FALSE(r.text("id").empty());
  EXPECT_EQ(r.text("userName"), "ada");
  EXPECT_EQ(r.object().if_contains("displayName"), nullptr);
  const Reply g = post("/Groups?excludedAttributes=members",
                       group_body("admins", R"("members":[{"value":")" + r.text("id") + R"("}])"));
  ASSERT_EQ(g.status, 201) << g.body;
  EXPECT_EQ(g.object().if_contains("members"), nullptr);
  EXPECT_EQ(member_ids(get("/Groups/" + g.text("id"))), std::vector<std::string>{r.text("id")});
}

}  // namespace
}  // namespace rosterd::scim_service_test
