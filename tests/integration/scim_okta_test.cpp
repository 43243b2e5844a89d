// Okta's SCIM 2.0 provisioning, replayed over a real socket against `rosterd serve`: the
// requests are those of Okta's "SCIM 2.0 protocol reference" (user lookup by filter, create
// with password and groups, PUT echoing id/meta, deactivation by path-less PATCH, group push
// with member add/remove and rename, excludedAttributes=members).
// Each test runs on SQLite and on PostgreSQL (its parameter: tests/integration/test_store.h).
#include <gtest/gtest.h>

#include "tests/integration/scim_server_fixture.h"

namespace rosterd::testing {
namespace {

constexpr const char* kPatchOp = R"("schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"])";

std::string okta_user(const std::string& user_name, const std::string& given, const std::string& extra = "") {
  return R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":")" + user_name +
         R"(","name":{"givenName":")" + given + R"(","familyName":"User"},"emails":[{"primary":true,"value":")" +
         user_name + R"(","type":"work"}],"displayName":")" + given + R"( User","locale":"en-US",)" +
         R"("externalId":"00ujl29u0le5T6Aj10h7","groups":[],"password":"1mz050nq","active":true)" + extra + "}";
}

std::string patch(const std::string& operations) {
  return std::string("{") + kPatchOp + R"(,"Operations":)" + operations + "}";
}

class Okta : public ScimStoreTest {
 protected:
  boost::json::value get(const std::string& path, int status = 200) {
    const auto r = call("GET", path);
    EXPECT_EQ(r.status, status) << path << "\n" << r.body;
    return json_of(r);
  }
  // Okta accepts 200 with the resource or 204; rosterd answers 200 with it.
  boost::json::value patched(const std::string& path, const std::string& body) {
    const auto r = call("PATCH", path, body);
    EXPECT_EQ(r.status, 200) << body << "\n" << r.body;
    return json_of(r);
  }
  std::string lookup_path(const std::string& user_name) {
    std::string encoded;
    for (const char c : user_name) encoded += c == '@' ? std::string("%40") : std::string(1, c);
    return "/Users?filter=userName%20eq%20%22" + encoded + "%22&startIndex=1&count=100";
  }
};

TEST_P(Okta, TheExistenceCheckOfAnUnknownUserIsAnEmptyListResponseNotA404) {
  const auto list = get(lookup_path("test.user@okta.local"));
  EXPECT_EQ(list.at("schemas").as_array().at(0).as_string(), kListResponse);
  EXPECT_EQ(list.at("totalResults").as_int64(), 0);
  EXPECT_EQ(list.at("startIndex").as_int64(), 1);
  if (const auto* resources = list.as_object().if_contains("Resources")) {
    EXPECT_TRUE(resources->as_array().empty());
  }
  // Okta's "Test Connector Configuration" asks for two users of an empty directory.
  EXPECT_EQ(get("/Users?startIndex=1&count=2").at("totalResults").as_int64(), 0);
}

TEST_P(Okta, CreateAnswers201WithLocationETagAndMetaAndNeverEchoesThePassword) {
  const auto r = call("POST", "/Users", okta_user("test.user@okta.local", "Test"));
  ASSERT_EQ(r.status, 201) << r.body;
  const auto user = json_of(r);
  const std::string id = str(user, "id");
  ASSERT_FALSE(id.empty());
  const std::string location = "http://127.0.0.1:" + std::to_string(server_.port()) + "/scim/v2/Users/" + id;
  EXPECT_EQ(r.header("location"), location);
  EXPECT_EQ(r.header("content-type").rfind("application/scim+json", 0), 0u) << r.header("content-type");
  const auto& meta = user.at("meta");
  EXPECT_EQ(str(meta, "resourceType"), "User");
  EXPECT_EQ(str(meta, "location"), location);
  EXPECT_EQ(str(meta, "version"), r.header("etag"));
  EXPECT_EQ(r.header("etag").rfind("W/\"", 0), 0u) << r.header("etag");
  EXPECT_FALSE(str(meta, "created").starts_with("<missing"));
  EXPECT_FALSE(str(meta, "lastModified").starts_with("<missing"));
  EXPECT_EQ(str(user, "userName"), "test.user@okta.local");
  EXPECT_EQ(str(user, "externalId"), "00ujl29u0le5T6Aj10h7");
  EXPECT_EQ(str(user.at("name"), "givenName"), "Test");
  EXPECT_EQ(str(user.at("emails").at(0), "value"), "test.user@okta.local");
  EXPECT_TRUE(user.at("active").as_bool());
  EXPECT_FALSE(user.as_object().contains("password"));
  EXPECT_EQ(r.body.find("1mz050nq"), std::string::npos);

  // Read back by id and by Okta's existence check.
  const auto read = call("GET", "/Users/" + id);
  ASSERT_EQ(read.status, 200) << read.body;
  EXPECT_EQ(read.header("etag"), r.header("etag"));
  EXPECT_EQ(str(json_of(read), "displayName"), "Test User");
  const auto found = get(lookup_path("test.user@okta.local"));
  EXPECT_EQ(found.at("totalResults").as_int64(), 1);
  EXPECT_EQ(ids_of(found), std::vector<std::string>{id});
}

TEST_P(Okta, PutWithIdMetaGroupsAndPasswordReplacesTheProfile) {
  const auto created = json_of(call("POST", "/Users", okta_user("test.user@okta.local", "Test")));
  const std::string id = str(created, "id");
  const std::string meta = R"(,"id":")" + id + R"(","meta":{"resourceType":"User","created":")" +
                           str(created.at("meta"), "created") + R"(","lastModified":")" +
                           str(created.at("meta"), "lastModified") + R"("})";
  const auto r = call("PUT", "/Users/" + id, okta_user("test.user@okta.local", "Another", meta));
  ASSERT_EQ(r.status, 200) << r.body;
  const auto user = json_of(r);
  EXPECT_EQ(str(user, "id"), id);
  EXPECT_EQ(str(user.at("name"), "givenName"), "Another");
  EXPECT_EQ(str(user, "displayName"), "Another User");
  EXPECT_NE(str(user.at("meta"), "version"), str(created.at("meta"), "version"));
  EXPECT_FALSE(user.as_object().contains("password"));
  EXPECT_EQ(str(get("/Users/" + id), "displayName"), "Another User");
}

TEST_P(Okta, DeactivationByPathlessReplaceKeepsTheUserReadableAndFindableThenReactivates) {
  const std::string id = str(json_of(call("POST", "/Users", okta_user("test.user@okta.local", "Test"))), "id");
  const auto off = patched("/Users/" + id, patch(R"([{"op":"replace","value":{"active":false}}])"));
  EXPECT_FALSE(off.at("active").as_bool());
  EXPECT_EQ(str(off.at("name"), "givenName"), "Test");  // nothing else changed
  EXPECT_FALSE(get("/Users/" + id).at("active").as_bool());
  const auto found = get(lookup_path("test.user@okta.local"));
  ASSERT_EQ(ids_of(found), std::vector<std::string>{id});
  EXPECT_FALSE(found.at("Resources").at(0).at("active").as_bool());

  const auto on = patched("/Users/" + id, patch(R"([{"op":"replace","value":{"active":true}}])"));
  EXPECT_TRUE(on.at("active").as_bool());
  EXPECT_TRUE(get("/Users/" + id).at("active").as_bool());
}

TEST_P(Okta, GroupPushCreatesRenamesAndChangesMembers) {
  const std::string u1 = str(json_of(call("POST", "/Users", okta_user("test.user@okta.local", "Test"))), "id");
  const std::string u2 = str(json_of(call("POST", "/Users", okta_user("other.user@okta.local", "Other"))), "id");

  const auto r = call("POST", "/Groups",
                      R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"Test SCIMv2",)"
                      R"("members":[{"value":")" + u1 + R"(","display":"test.user@okta.local"}]})");
  ASSERT_EQ(r.status, 201) << r.body;
  const auto group = json_of(r);
  const std::string gid = str(group, "id");
  EXPECT_EQ(r.header("location"), "http://127.0.0.1:" + std::to_string(server_.port()) + "/scim/v2/Groups/" + gid);
  EXPECT_EQ(member_ids(group), std::vector<std::string>{u1});
  EXPECT_EQ(str(group.at("meta"), "resourceType"), "Group");

  // Okta renames with a path-less replace that repeats the group's id.
  const auto renamed = call("PATCH", "/Groups/" + gid,
                            patch(R"([{"op":"replace","value":{"id":")" + gid + R"(","displayName":"Renamed SCIMv2"}}])"));
  ASSERT_TRUE(renamed.status == 200 || renamed.status == 204) << renamed.body;
  auto now = get("/Groups/" + gid);
  EXPECT_EQ(str(now, "displayName"), "Renamed SCIMv2");
  EXPECT_EQ(str(now, "id"), gid);
  EXPECT_EQ(member_ids(now), std::vector<std::string>{u1});

  const auto added = call("PATCH", "/Groups/" + gid,
                          patch(R"([{"op":"add","path":"members","value":[{"value":")" + u2 +
                                R"(","display":"other.user@okta.local"}]}])"));
  ASSERT_TRUE(added.status == 200 || added.status == 204) << added.body;
  std::vector<std::string> both{u1, u2};
  std::sort(both.begin(), both.end());
  EXPECT_EQ(member_ids(get("/Groups/" + gid)), both);

  const auto removed = call("PATCH", "/Groups/" + gid,
                            patch(R"([{"op":"remove","path":"members[value eq \")" + u1 + R"(\"]"}])"));
  ASSERT_TRUE(removed.status == 200 || removed.status == 204) << removed.body;
  EXPECT_EQ(member_ids(get("/Groups/" + gid)), std::vector<std::string>{u2});

  // The user shows the group it is in; the removed one no longer does.
  const auto user2 = get("/Users/" + u2);
  ASSERT_TRUE(user2.as_object().contains("groups")) << user2;
  EXPECT_EQ(str(user2.at("groups").at(0), "value"), gid);
  EXPECT_FALSE(get("/Users/" + u1).as_object().contains("groups"));
}

TEST_P(Okta, ExcludedAttributesMembersLeavesTheMembersOut) {
  const std::string u1 = str(json_of(call("POST", "/Users", okta_user("test.user@okta.local", "Test"))), "id");
  const auto group = json_of(call("POST", "/Groups",
                                  R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"Sales",)"
                                  R"("members":[{"value":")" + u1 + R"("}]})"));
  const std::string gid = str(group, "id");
  const auto one = get("/Groups/" + gid + "?excludedAttributes=members");
  EXPECT_FALSE(one.as_object().contains("members")) << one;
  EXPECT_EQ(str(one, "displayName"), "Sales");
  EXPECT_EQ(str(one, "id"), gid);
  const auto list = get("/Groups?filter=displayName%20eq%20%22Sales%22&excludedAttributes=members&startIndex=1&count=100");
  ASSERT_EQ(ids_of(list), std::vector<std::string>{gid});
  EXPECT_FALSE(list.at("Resources").at(0).as_object().contains("members"));
  // Without the parameter the members are there.
  EXPECT_EQ(member_ids(get("/Groups/" + gid)), std::vector<std::string>{u1});
}

INSTANTIATE_TEST_SUITE_P(Stores, Okta, kBothStores, store_test_name);

}  // namespace
}  // namespace rosterd::testing
