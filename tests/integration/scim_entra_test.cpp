// Microsoft Entra ID provisioning replayed over a real socket against `rosterd serve`, with
// the requests of Microsoft's "Develop and plan provisioning for a SCIM endpoint" tutorial
// and "Known issues and resolutions with SCIM 2.0 compliance": Test Connection, the
// enterprise extension, capitalised ops, "False"/"True" strings, the multi-attribute replace
// with and without Entra's compliance flag (path-less with dotted and URN-qualified keys),
// Add on a filtered email path, manager as a bare id,
// member removal through a value list, excludedAttributes=members, disable and DELETE.
// Each test runs on SQLite and on PostgreSQL (its parameter: tests/integration/test_store.h).
#include <gtest/gtest.h>

#include "tests/integration/scim_server_fixture.h"

namespace rosterd::testing {
namespace {

constexpr const char* kPatchOp = R"("schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"])";

std::string patch(const std::string& operations) {
  return std::string("{") + kPatchOp + R"(,"Operations":)" + operations + "}";
}

// The tutorial's "Create User" request, with the enterprise extension Entra adds when those
// attributes are mapped. `manager` empty: no manager.
std::string entra_user(const std::string& user_name, const std::string& email, const std::string& manager = "") {
  std::string body = R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:User",)"
                     R"("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],)"
                     R"("externalId":"0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef","userName":")" + user_name +
                     R"(","active":true,)";
  if (!email.empty()) body += R"("emails":[{"primary":true,"type":"work","value":")" + email + R"("}],)";
  body += R"("meta":{"resourceType":"User"},"name":{"formatted":"givenName familyName",)"
          R"("familyName":"familyName","givenName":"givenName"},"roles":[],)"
          R"("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"employeeNumber":"701984",)"
          R"("department":"Tour Operations")";
  if (!manager.empty()) body += R"(,"manager":{"value":")" + manager + R"("})";
  return body + "}}";
}

class Entra : public ScimStoreTest {
 protected:
  boost::json::value get(const std::string& path, int status = 200) {
    const auto r = call("GET", path, "", kEntraToken);
    EXPECT_EQ(r.status, status) << path << "\n" << r.body;
    return json_of(r);
  }
  std::string post(const std::string& path, const std::string& body) {
    const auto r = call("POST", path, body, kEntraToken);
    EXPECT_EQ(r.status, 201) << body << "\n" << r.body;
    return str(json_of(r), "id");
  }
  // Answers 200 with the resource or 204; either way the result is read back by GET.
  boost::json::value patch_and_get(const std::string& path, const std::string& operations) {
    const auto r = call("PATCH", path, patch(operations), kEntraToken);
    EXPECT_TRUE(r.status == 200 || r.status == 204) << operations << "\n" << r.status << " " << r.body;
    return get(path);
  }
  static const boost::json::value& enterprise(const boost::json::value& user) {
    return user.at(kEnterpriseSchema);
  }
};

TEST_P(Entra, TestConnectionWithAPlusEncodedFilterIsAnEmptyListResponse) {
  const auto list = get("/Users?filter=userName+eq+%227c2b6b8e-1d2f-4c55-9f0a-3f5f3c8f2e11%22");
  EXPECT_EQ(list.at("schemas").as_array().at(0).as_string(), kListResponse);
  EXPECT_EQ(list.at("totalResults").as_int64(), 0);
  // The same filter finds the user once it exists: the '+' really was a space.
  const std::string id = post("/Users", entra_user("7c2b6b8e-1d2f-4c55-9f0a-3f5f3c8f2e11", ""));
  EXPECT_EQ(ids_of(get("/Users?filter=userName+eq+%227c2b6b8e-1d2f-4c55-9f0a-3f5f3c8f2e11%22")),
            std::vector<std::string>{id});
}

TEST_P(Entra, CreateKeepsTheEnterpriseExtensionAndItsManager) {
  const std::string boss = post("/Users", entra_user("Boss_User@testuser.com", "boss@testuser.com"));
  const std::string id = post("/Users", entra_user("Test_User_ab6490ee-1e48-479e-a20b-2d77186b5dd1",
                                                   "Test_User_fd0ea19b@testuser.com", boss));
  const auto user = get("/Users/" + id);
  const auto& schemas = user.at("schemas").as_array();
  EXPECT_NE(std::find(schemas.begin(), schemas.end(), boost::json::value(kEnterpriseSchema)), schemas.end()) << user;
  EXPECT_EQ(str(enterprise(user), "employeeNumber"), "701984");
  EXPECT_EQ(str(enterprise(user), "department"), "Tour Operations");
  EXPECT_EQ(str(enterprise(user).at("manager"), "value"), boss);
  EXPECT_EQ(str(user, "externalId"), "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef");
  EXPECT_EQ(str(user.at("emails").at(0), "type"), "work");
  // Entra's lookup by the tutorial's filter finds it.
  EXPECT_EQ(ids_of(get("/Users?filter=userName+eq+%22Test_User_ab6490ee-1e48-479e-a20b-2d77186b5dd1%22")),
            std::vector<std::string>{id});
}

TEST_P(Entra, CapitalisedReplaceWithStringBooleansDisablesAndEnables) {
  const std::string id = post("/Users", entra_user("u1@testuser.com", "u1@testuser.com"));
  auto user = patch_and_get("/Users/" + id, R"([{"op":"Replace","path":"active","value":"False"}])");
  EXPECT_FALSE(user.at("active").as_bool()) << user;
  user = patch_and_get("/Users/" + id, R"([{"op":"Replace","path":"active","value":"True"}])");
  EXPECT_TRUE(user.at("active").as_bool()) << user;
  // The tutorial's "Disable User" with a real boolean.
  user = patch_and_get("/Users/" + id, R"([{"op":"Replace","path":"active","value":false}])");
  EXPECT_FALSE(user.at("active").as_bool()) << user;
  EXPECT_EQ(str(user, "userName"), "u1@testuser.com");
}

TEST_P(Entra, TheMultiAttributeReplaceWithoutTheComplianceFlagChangesEachAttribute) {
  const std::string id = post("/Users", entra_user("u1@testuser.com", "old@testuser.com"));
  // The known-issues article, "Requests to replace multiple attributes", without feature flag.
  const auto user = patch_and_get("/Users/" + id, R"([
    {"op":"Replace","path":"displayName","value":"Pvlo"},
    {"op":"Replace","path":"emails[type eq \"work\"].value","value":"TestBcwqnm@test.microsoft.com"},
    {"op":"Replace","path":"name.givenName","value":"Gtfd"},
    {"op":"Replace","path":"name.familyName","value":"Pkqf"},
    {"op":"Replace","path":"externalId","value":"Eqpj"},
    {"op":"Replace","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber","value":"Eqpj"}])");
  EXPECT_EQ(str(user, "displayName"), "Pvlo");
  ASSERT_EQ(user.at("emails").as_array().size(), 1u) << user;
  EXPECT_EQ(str(user.at("emails").at(0), "value"), "TestBcwqnm@test.microsoft.com");
  EXPECT_EQ(str(user.at("emails").at(0), "type"), "work");
  EXPECT_EQ(str(user.at("name"), "givenName"), "Gtfd");
  EXPECT_EQ(str(user.at("name"), "familyName"), "Pkqf");
  EXPECT_EQ(str(user, "externalId"), "Eqpj");
  EXPECT_EQ(str(enterprise(user), "employeeNumber"), "Eqpj");
  EXPECT_EQ(str(enterprise(user), "department"), "Tour Operations");  // untouched
}

TEST_P(Entra, TheMultiAttributeReplaceWithTheFlagTakesDottedAndUrnQualifiedKeysWithoutAPath) {
  const std::string id = post("/Users", entra_user("u1@testuser.com", "old@testuser.com"));
  // The same article, with feature flag: one filtered path, then a path-less replace.
  const auto user = patch_and_get("/Users/" + id, R"([
    {"op":"replace","path":"emails[type eq \"work\"].value","value":"TestMhvaes@test.microsoft.com"},
    {"op":"replace","value":{"displayName":"Bjfe","name.givenName":"Kkom","name.familyName":"Unua",
      "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber":"Aklq"}}])");
  EXPECT_EQ(str(user, "displayName"), "Bjfe");
  ASSERT_EQ(user.at("emails").as_array().size(), 1u) << user;
  EXPECT_EQ(str(user.at("emails").at(0), "value"), "TestMhvaes@test.microsoft.com");
  EXPECT_EQ(str(user.at("name"), "givenName"), "Kkom");
  EXPECT_EQ(str(user.at("name"), "familyName"), "Unua");
  EXPECT_EQ(str(user.at("name"), "formatted"), "givenName familyName");  // a path-less replace merges
  EXPECT_EQ(str(enterprise(user), "employeeNumber"), "Aklq");
  EXPECT_EQ(str(enterprise(user), "department"), "Tour Operations");
  EXPECT_EQ(str(user, "externalId"), "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef");
}

TEST_P(Entra, AddOnAFilteredEmailPathCreatesTheWorkEmail) {
  const std::string id = post("/Users", entra_user("u1@testuser.com", ""));
  ASSERT_FALSE(get("/Users/" + id).as_object().contains("emails"));
  auto user = patch_and_get("/Users/" + id, R"([{"op":"Add","path":"emails[type eq \"work\"].value",)"
                                            R"("value":"updatedEmail@microsoft.com"},)"
                                            R"({"op":"Replace","path":"name.familyName","value":"updatedFamilyName"}])");
  ASSERT_TRUE(user.as_object().contains("emails")) << user;
  ASSERT_EQ(user.at("emails").as_array().size(), 1u) << user;
  EXPECT_EQ(str(user.at("emails").at(0), "type"), "work");
  EXPECT_EQ(str(user.at("emails").at(0), "value"), "updatedEmail@microsoft.com");
  EXPECT_EQ(str(user.at("name"), "familyName"), "updatedFamilyName");
  // Findable by the email filter Entra uses for matching.
  EXPECT_EQ(ids_of(get("/Users?filter=emails.value+eq+%22updatedEmail%40microsoft.com%22")),
            std::vector<std::string>{id});
  // The tutorial's "Update User [Multi-valued properties]": Replace on the same path edits it.
  user = patch_and_get("/Users/" + id, R"([{"op":"Replace","path":"emails[type eq \"work\"].value",)"
                                       R"("value":"again@microsoft.com"}])");
  ASSERT_EQ(user.at("emails").as_array().size(), 1u) << user;
  EXPECT_EQ(str(user.at("emails").at(0), "value"), "again@microsoft.com");
}

TEST_P(Entra, ManagerIsSetAsABareIdAndClearedWithAnEmptyString) {
  const std::string boss = post("/Users", entra_user("boss@testuser.com", ""));
  const std::string id = post("/Users", entra_user("u1@testuser.com", ""));
  constexpr const char* kManager = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager";
  auto user = patch_and_get("/Users/" + id, std::string(R"([{"op":"Add","path":")") + kManager +
                                                R"(","value":")" + boss + R"("}])");
  ASSERT_TRUE(enterprise(user).as_object().contains("manager")) << user;
  EXPECT_EQ(str(enterprise(user).at("manager"), "value"), boss);
  user = patch_and_get("/Users/" + id, std::string(R"([{"op":"Replace","path":")") + kManager + R"(","value":""}])");
  EXPECT_FALSE(enterprise(user).as_object().contains("manager")) << user;
  EXPECT_EQ(str(enterprise(user), "employeeNumber"), "701984");
}

TEST_P(Entra, GroupLifecycleRemovesOnlyTheNamedMemberAndHonoursExcludedAttributes) {
  const std::string a = post("/Users", entra_user("a@testuser.com", ""));
  const std::string b = post("/Users", entra_user("b@testuser.com", ""));
  const std::string c = post("/Users", entra_user("c@testuser.com", ""));
  // The tutorial's "Create Group", including Microsoft's own schema URN in `schemas`.
  const std::string gid = post("/Groups", R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group",)"
                                          R"("http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group"],)"
                                          R"("externalId":"8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159",)"
                                          R"("displayName":"displayName","meta":{"resourceType":"Group"}})");
  ASSERT_FALSE(gid.starts_with("<missing"));
  auto group = patch_and_get("/Groups/" + gid, R"([{"op":"Add","path":"members","value":[)"
                                               R"({"$ref":null,"value":")" + a + R"("},)"
                                               R"({"$ref":null,"value":")" + b + R"("},)"
                                               R"({"$ref":null,"value":")" + c + R"("}]}])");
  std::vector<std::string> all{a, b, c};
  std::sort(all.begin(), all.end());
  EXPECT_EQ(member_ids(group), all);

  group = patch_and_get("/Groups/" + gid, R"([{"op":"Remove","path":"members","value":[{"value":")" + b +
                                               R"("}]}])");
  std::vector<std::string> left{a, c};
  std::sort(left.begin(), left.end());
  EXPECT_EQ(member_ids(group), left);

  group = patch_and_get("/Groups/" + gid, R"([{"op":"Replace","path":"displayName","value":"updatedDisplayName"}])");
  EXPECT_EQ(str(group, "displayName"), "updatedDisplayName");
  EXPECT_EQ(member_ids(group), left);

  const auto one = get("/Groups/" + gid + "?excludedAttributes=members");
  EXPECT_FALSE(one.as_object().contains("members")) << one;
  EXPECT_EQ(str(one, "displayName"), "updatedDisplayName");
  const auto list = get("/Groups?excludedAttributes=members&filter=displayName+eq+%22updatedDisplayName%22");
  ASSERT_EQ(ids_of(list), std::vector<std::string>{gid});
  EXPECT_FALSE(list.at("Resources").at(0).as_object().contains("members"));
}

TEST_P(Entra, DeleteAnswers204AndTheUserIsThenA404WithAScimError) {
  const std::string id = post("/Users", entra_user("gone@testuser.com", ""));
  const std::string gid = post("/Groups", R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],)"
                                          R"("displayName":"G","members":[{"value":")" + id + R"("}]})");
  const auto r = call("DELETE", "/Users/" + id, "", kEntraToken);
  EXPECT_EQ(r.status, 204) << r.body;
  EXPECT_TRUE(r.body.empty());
  const auto missing = call("GET", "/Users/" + id, "", kEntraToken);
  EXPECT_EQ(missing.status, 404);
  const auto error = json_of(missing);
  EXPECT_EQ(error.at("schemas").at(0).as_string(), kErrorSchema);
  EXPECT_EQ(str(error, "status"), "404");
  EXPECT_TRUE(get("/Users?filter=userName+eq+%22gone%40testuser.com%22").at("totalResults").as_int64() == 0);
  // A deleted user is no longer anyone's member.
  EXPECT_TRUE(member_ids(get("/Groups/" + gid)).empty());
  EXPECT_EQ(call("DELETE", "/Users/" + id, "", kEntraToken).status, 404);
}

INSTANTIATE_TEST_SUITE_P(Stores, Entra, kBothStores, store_test_name);

}  // namespace
}  // namespace rosterd::testing
