// Refused requests: each answers the SCIM Error message with the right status and
// scimType, and leaves every resource of every source exactly as it was.
#include <string>
#include <vector>

#include "tests/unit/scim_service/scim_service_fixture.h"

namespace rosterd::scim_service_test {
namespace {

struct BadCase {
  std::string name;
  std::string method;
  std::string path;  // under /scim/v2; "{ada}", "{bob}", "{admins}" become those ids
  std::string body;
  int status = 400;
  std::string scim_type;
  std::string detail_mentions;  // a word the detail must contain, or empty
};

std::string repeat(std::string_view piece, int n, std::string_view separator = {}) {
  std::string out;
  for (int i = 0; i < n; ++i) {
    if (i > 0) out += separator;
    out += piece;
  }
  return out;
}

std::vector<BadCase> bad_cases() {
  const std::string user = std::string(kUserSchema);
  auto schemas = [&](std::string extra) { return R"({"schemas":[")" + user + R"("],)" + extra + "}"; };
  return {
      {"MalformedJson", "POST", "/Users", R"({"schemas":[")" + user + R"("],"userName":)", 400, "invalidSyntax", ""},
      {"EmptyBody", "POST", "/Users", "", 400, "invalidSyntax", ""},
      {"ArrayBodyOnPost", "POST", "/Users", "[1,2]", 400, "invalidSyntax", ""},
      {"StringBodyOnPut", "PUT", "/Users/{ada}", R"("userName")", 400, "invalidSyntax", ""},
      {"NumberBodyOnPatch", "PATCH", "/Users/{ada}", "42", 400, "invalidSyntax", ""},
      {"ActiveAsNumber", "POST", "/Users", user_body("carol", R"("active":3)"), 400, "invalidValue", "active"},
      {"EmailsAsString", "POST", "/Users", user_body("carol", R"("emails":"x")"), 400, "invalidValue", "emails"},
      {"ActiveAsNumberOnPut", "PUT", "/Users/{ada}", user_body("ada@acme.example", R"("active":3)"), 400,
       "invalidValue", "active"},
      {"UnknownAttribute", "POST", "/Users", user_body("carol", R"("shoeSize":42)"), 400, "invalidValue",
       "shoeSize"},
      {"UnknownSchemaInSchemas", "POST", "/Users",
       R"({"schemas":[")" + user + R"(","urn:example:params:scim:schemas:Shoes"],"userName":"carol"})", 400,
       "invalidValue", "urn:example:params:scim:schemas:Shoes"},
      {"UnknownSchemaAsKey", "POST", "/Users", user_body("carol", R"("urn:example:ext:1.0:User:size":1)"), 400,
       "invalidValue", "urn:example:ext"},
      {"MissingUserName", "POST", "/Users", schemas(R"("displayName":"Carol")"), 400, "invalidValue", "userName"},
      {"MissingCoreSchema", "POST", "/Users", R"({"userName":"carol"})", 400, "invalidValue", "schemas"},
      {"UserNameTakenInAnotherCase", "POST", "/Users", user_body("ADA@Acme.Example"), 409, "uniqueness", ""},
      {"PutTakesAnotherUsersName", "PUT", "/Users/{bob}", user_body("ada@ACME.example"), 409, "uniqueness", ""},
      {"FilterOverLength", "GET",
       "/Users?filter=" + url_encode("userName eq \"" + std::string(9000, 'a') + "\""), "", 400,
       "invalidFilter", ""},
      {"FilterOverDepth", "GET",
       "/Users?filter=" + url_encode(repeat("(", 40) + "userName pr" + repeat(")", 40)), "", 400,
       "invalidFilter", ""},
      {"FilterOverTerms", "GET", "/Users?filter=" + url_encode(repeat(R"(userName eq "a")", 201, " or ")), "", 400,
       "invalidFilter", ""},
      {"FilterSyntax", "GET", "/Users?filter=" + url_encode(R"(userName equals "a")"), "", 400, "invalidFilter", ""},
      {"FilterUnknownAttribute", "GET", "/Users?filter=" + url_encode("shoeSize eq 42"), "", 400,
       "invalidFilter", ""},
      {"SearchFilterUnknownAttribute", "POST", "/Users/.search",
       R"({"schemas":[")" + std::string(kSearchSchema) + R"("],"filter":"shoeSize eq 42"})", 400, "invalidFilter",
       ""},
      {"CountNotANumber", "GET", "/Users?count=abc", "", 400, "invalidValue", "count"},
      {"StartIndexNotANumber", "GET", "/Users?startIndex=1x", "", 400, "invalidValue", "startIndex"},
      {"BadSortOrder", "GET", "/Users?sortOrder=upwards", "", 400, "invalidValue", "sortOrder"},
      {"NonUtf8InQuery", "GET", "/Users?filter=userName%20eq%20%22%FF%22", "", 400, "invalidSyntax", "UTF-8"},
      {"BrokenPercentEscapeInQuery", "GET", "/Users?filter=userName%2", "", 400, "invalidSyntax", ""},
      {"NonUtf8InBody", "POST", "/Users", user_body("car\xffol"), 400, "invalidSyntax", ""},
      {"NonUtf8InPatchBody", "PATCH", "/Users/{ada}",
       patch_body(R"({"op":"replace","path":"displayName","value":"A)" "\xc3\x28" R"("})"), 400, "invalidSyntax",
       ""},
      {"PatchBadPath", "PATCH", "/Users/{ada}", patch_body(R"({"op":"replace","path":"emails[type eq","value":"x"})"),
       400, "invalidPath", ""},
      {"PatchUnknownAttributePath", "PATCH", "/Users/{ada}",
       patch_body(R"({"op":"replace","path":"shoeSize","value":"x"})"), 400, "invalidPath", ""},
      {"PatchRemoveUserName", "PATCH", "/Users/{ada}", patch_body(R"({"op":"remove","path":"userName"})"), 400,
       "mutability", ""},
      {"PatchReplaceIdByPath", "PATCH", "/Users/{ada}", patch_body(R"({"op":"replace","path":"id","value":"x"})"),
       400, "mutability", ""},
      {"PatchReplaceFilterMatchingNothing", "PATCH", "/Users/{ada}",
       patch_body(R"({"op":"replace","path":"emails[value eq \"nobody@acme.example\"].type","value":"home"})"), 400,
       "noTarget", ""},
      {"PatchSecondOperationFails", "PATCH", "/Users/{ada}",
       patch_body(R"({"op":"replace","path":"displayName","value":"Changed"},{"op":"remove","path":"userName"})"),
       400, "mutability", "Operations[1]"},
      {"PatchWithoutPatchOpSchema", "PATCH", "/Users/{ada}",
       R"({"Operations":[{"op":"replace","path":"displayName","value":"x"}]})", 400, "invalidSyntax", ""},
      {"PatchGroupWithUnknownMember", "PATCH", "/Groups/{admins}",
       patch_body(R"({"op":"replace","path":"displayName","value":"Renamed"},)"
                  R"({"op":"add","path":"members","value":[{"value":"no-such-id"}]})"),
       400, "invalidValue", "no-such-id"},
      {"GroupWithUnknownMember", "POST", "/Groups",
       group_body("ops", R"("members":[{"value":"no-such-id"}])"), 400, "invalidValue", "no-such-id"},
      {"GroupMemberOfAnotherSource", "POST", "/Groups",
       group_body("ops", R"("members":[{"value":"{entra-user}"}])"), 400, "invalidValue", ""},
      {"GroupWithoutDisplayName", "POST", "/Groups", R"({"schemas":[")" + std::string(kGroupSchema) + R"("]})", 400,
       "invalidValue", "displayName"},
      {"StaleIfMatchOnPut", "PUT", "/Users/{ada}", user_body("ada@acme.example", R"("displayName":"New")"), 412, "",
       ""},
      {"PatchMissingUser", "PATCH", "/Users/no-such-id",
       patch_body(R"({"op":"replace","path":"displayName","value":"x"})"), 404, "", "no-such-id"},
      {"DeleteMissingGroup", "DELETE", "/Groups/no-such-id", "", 404, "", "no-such-id"},
  };
}

class BadInputTest : public ScimServiceTest, public ::testing::WithParamInterface<BadCase> {
 protected:
  void SetUp() override {
    ScimServiceTest::SetUp();
    ada_ = create_user("ada@acme.example",
                       R"("displayName":"Ada","emails":[{"value":"ada@acme.example","type":"work","primary":true}])");
    bob_ = create_user("bob@acme.example");
    admins_ = create_group("admins", R"("members":[{"value":")" + ada_ + R"("}])");
    entra_user_ = create_user("eve@globex.example", {}, kEntraToken);
  }

  std::string expand(std::string text) const {
    for (const auto& [from, to] : {std::pair<std::string, std::string>{"{ada}", ada_},
                                   {"{bob}", bob_},
                                   {"{admins}", admins_},
                                   {"{entra-user}", entra_user_}}) {
      for (auto at = text.find(from); at != std::string::npos; at = text.find(from))
        text.replace(at, from.size(), to);
    }
    return text;
  }

  std::string ada_, bob_, admins_, entra_user_;
};

TEST_P(BadInputTest, IsRefusedWithAScimErrorAndChangesNothing) {
  const BadCase& c = GetParam();
  const std::string before = snapshot();
  Headers headers;
  if (c.status == 412) headers.emplace_back("If-Match", R"(W/"7")");
  const Reply r = call(c.method, "/scim/v2" + expand(c.path), expand(c.body), headers);
  expect_error(r, c.status, c.scim_type);
  if (!c.detail_mentions.empty()) {
    EXPECT_NE(detail(r).find(c.detail_mentions), std::string::npos)
        << "the detail should name '" << c.detail_mentions << "': " << detail(r);
  }
  EXPECT_EQ(snapshot(), before);
}

INSTANTIATE_TEST_SUITE_P(Requests, BadInputTest, ::testing::ValuesIn(bad_cases()),
                         [](const ::testing::TestParamInfo<BadCase>& p) { return p.param.name; });

TEST_F(ScimServiceTest, APatchWhoseSecondOperationFailsKeepsTheFirstOperationsValueAndVersion) {
  const std::string id = create_user("ada@acme.example", R"("displayName":"Ada")");
  const Reply r = patch("/Users/" + id, patch_body(R"({"op":"replace","path":"displayName","value":"Changed"},)"
                                                   R"({"op":"replace","path":"active","value":"maybe"})"));
  expect_error(r, 400, "invalidValue");
  const Reply after = get("/Users/" + id);
  EXPECT_EQ(after.text("displayName"), "Ada");
  EXPECT_EQ(after.header("ETag"), std::optional<std::string>(R"(W/"1")"));
}

TEST_F(ScimServiceTest, ARefusedGroupCreateLeavesNoGroupBehind) {
  const Reply r = post("/Groups", group_body("ops", R"("members":[{"value":"no-such-id"}])"));
  expect_error(r, 400, "invalidValue");
  const Reply list = get("/Groups?filter=" + url_encode(R"(displayName eq "ops")"));
  EXPECT_EQ(list.total(), 0);
}

}  // namespace
}  // namespace rosterd::scim_service_test
