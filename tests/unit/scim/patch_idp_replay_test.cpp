// PATCH bodies exactly as Microsoft Entra ID and Okta send them (their SCIM provisioning
// documentation and Entra's "Known issues ... SCIM 2.0 protocol compliance"), each of
// which must do what the administrator meant.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/unit/scim/patch_fixture.h"

namespace rosterd::scim {
namespace {

using testing::json;

constexpr const char* kUser = R"({
  "userName": "Test_User_dfeef4c5@testuser.com",
  "externalId": "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef",
  "name": {"formatted": "Daisy Jones", "familyName": "Jones", "givenName": "Daisy"},
  "active": true,
  "emails": [{"type": "home", "value": "daisy@example.org"}],
  "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"department": "Sales"}
})";

constexpr const char* kGroup = R"({"displayName": "Test SCIMv2", "externalId": "8aa1a0c0"})";

boost::json::value user_after(std::string_view request) {
  return testing::patched(ResourceType::User, kUser, request);
}

boost::json::value user_with(const std::function<void(boost::json::object&)>& change) {
  boost::json::value v = json(kUser);
  change(v.as_object());
  return v;
}

boost::json::object& enterprise(boost::json::object& user) {
  return user[testing::kEnterprise].as_object();
}

Result<PatchTarget> group_patch(std::string_view request) {
  return testing::patch(ResourceType::Group, kGroup, request, []() -> Result<std::vector<MemberRef>> {
    ADD_FAILURE() << "load_members() was called";
    return std::vector<MemberRef>{};
  });
}

TEST(PatchEntra, UpdatesTheWorkEmailAndTheFamilyNameWithCapitalisedOps) {
  EXPECT_EQ(user_after(R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
    "Operations":[{"op":"Add","path":"emails[type eq \"work\"].value","value":"updatedEmail@microsoft.com"},
                  {"op":"Replace","path":"name.familyName","value":"updatedFamilyName"}]})"),
            user_with([](auto& u) {
              u["emails"].as_array().push_back(
                  json(R"({"type":"work","value":"updatedEmail@microsoft.com"})"));
              u["name"].as_object()["familyName"] = "updatedFamilyName";
            }));
}

TEST(PatchEntra, CreatesPhoneAndAddressElementsFromTheFilterOfAnAdd) {
  EXPECT_EQ(user_after(R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
    "Operations":[{"op":"Add","path":"phoneNumbers[type eq \"mobile\"].value","value":"+1 555 0100"},
                  {"op":"Add","path":"addresses[type eq \"work\"].locality","value":"Redmond"},
                  {"op":"Add","path":"addresses[type eq \"work\"].postalCode","value":"98052"}]})"),
            user_with([](auto& u) {
              u["phoneNumbers"] = json(R"([{"type":"mobile","value":"+1 555 0100"}])");
              u["addresses"] = json(R"([{"type":"work","locality":"Redmond","postalCode":"98052"}])");
            }));
}

TEST(PatchEntra, DisablesAUserWithABooleanSentAsAString) {
  const auto disabled = user_with([](auto& u) { u["active"] = false; });
  EXPECT_EQ(user_after(R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
    "Operations":[{"op":"Replace","path":"active","value":"False"}]})"), disabled);
  EXPECT_EQ(user_after(R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
    "Operations":[{"op":"Replace","path":"active","value":false}]})"), disabled);
  EXPECT_EQ(user_after(R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
    "Operations":[{"op":"replace","value":{"active":"False"}}]})"), disabled);
}

TEST(PatchEntra, ReadsDottedAndSchemaQualifiedKeysOfAPathlessReplace) {
  EXPECT_EQ(user_after(R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
    "Operations":[{"op":"replace","value":{
      "displayName":"Daisy J","name.givenName":"Margaret","name.familyName":"Jones-Smith",
      "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber":"42",
      "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager":"e5a4c2"}}]})"),
            user_with([](auto& u) {
              u["displayName"] = "Daisy J";
              u["name"].as_object()["givenName"] = "Margaret";
              u["name"].as_object()["familyName"] = "Jones-Smith";
              enterprise(u)["employeeNumber"] = "42";
              enterprise(u)["manager"] = json(R"({"value":"e5a4c2"})");
            }));
}

TEST(PatchEntra, SetsTheManagerFromABareIdOrAnObjectAndClearsIt) {
  const auto managed_by = [](const char* id) {
    return user_with([id](auto& u) { enterprise(u)["manager"] = {{"value", id}}; });
  };
  EXPECT_EQ(user_after(R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
    "Operations":[{"op":"Add",
      "path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager",
      "value":"2819c223-7f76-453a-919d-413861904646"}]})"),
            managed_by("2819c223-7f76-453a-919d-413861904646"));
  EXPECT_EQ(user_after(R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
    "Operations":[{"op":"replace",
      "path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager",
      "value":{"value":"m2"}}]})"),
            managed_by("m2"));
  for (const char* cleared : {R"("")", "null", R"({"value":""})"}) {
    EXPECT_EQ(user_after(std::string(R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
      "Operations":[{"op":"Add",
        "path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager",
        "value":"m1"},{"op":"Replace",
        "path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager",
        "value":)") + cleared + "}]}"),
              json(kUser))
        << cleared;
  }
}

TEST(PatchEntra, AddsAndRemovesExactlyTheMembersNamed) {
  auto added = group_patch(R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
    "Operations":[{"op":"Add","path":"members","value":[{"$ref":null,"value":"f648f8d5ea4e4cd38e9c"}]}]})");
  ASSERT_TRUE(added) << added.error().message;
  EXPECT_EQ(testing::steps(added->member_steps), "add f648f8d5ea4e4cd38e9c");
  auto removed = group_patch(R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
    "Operations":[{"op":"Remove","path":"members","value":[{"$ref":null,"value":"a2c8b2ef6f9e4d9e"}]}]})");
  ASSERT_TRUE(removed) << removed.error().message;
  EXPECT_EQ(testing::steps(removed->member_steps), "remove a2c8b2ef6f9e4d9e");
  EXPECT_EQ(removed->resource, json(kGroup).as_object());
}

TEST(PatchEntra, RenamesAGroup) {
  EXPECT_EQ(testing::patched(ResourceType::Group, kGroup,
                             R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
    "Operations":[{"op":"Replace","path":"displayName","value":"1879db59updatedDisplayName"}]})"),
            json(R"({"displayName":"1879db59updatedDisplayName","externalId":"8aa1a0c0"})"));
}

TEST(PatchOkta, DeactivatesAUserWithAPathlessReplace) {
  EXPECT_EQ(user_after(R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
    "Operations":[{"op":"replace","value":{"active":false}}]})"),
            user_with([](auto& u) { u["active"] = false; }));
}

TEST(PatchOkta, RenamesAGroupIgnoringTheIdSentAlong) {
  auto renamed = group_patch(R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
    "Operations":[{"op":"replace","value":{"id":"abf4dd94-a4c0-4f67-89c9-76b03340cb9b",
                                           "displayName":"Test SCIMv2 renamed"}}]})");
  ASSERT_TRUE(renamed) << renamed.error().message;
  EXPECT_EQ(renamed->resource, json(R"({"displayName":"Test SCIMv2 renamed","externalId":"8aa1a0c0"})"));
  EXPECT_TRUE(renamed->member_steps.empty());
}

TEST(PatchOkta, AddsRemovesAndReplacesMembersWithoutLoadingThem) {
  auto changed = group_patch(R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
    "Operations":[
      {"op":"remove","path":"members[value eq \"89bb1940-b905-4575-9e7f-6f887cfb368e\"]"},
      {"op":"add","path":"members","value":[
         {"value":"23a35c27-23d3-4c03-b4c5-6443c09e7173","display":"test.user@okta.local"}]}]})");
  ASSERT_TRUE(changed) << changed.error().message;
  EXPECT_EQ(testing::steps(changed->member_steps),
            "remove 89bb1940-b905-4575-9e7f-6f887cfb368e; add 23a35c27-23d3-4c03-b4c5-6443c09e7173");
  auto replaced = group_patch(R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
    "Operations":[{"op":"replace","path":"members","value":[
      {"value":"23a35c27-23d3-4c03-b4c5-6443c09e7173","display":"test.user@okta.local"}]}]})");
  ASSERT_TRUE(replaced) << replaced.error().message;
  EXPECT_EQ(testing::steps(replaced->member_steps), "clear; add 23a35c27-23d3-4c03-b4c5-6443c09e7173");
}

}  // namespace
}  // namespace rosterd::scim
