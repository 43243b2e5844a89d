// Bearer tokens name the source, and a source sees and changes only its own resources.
#include <cctype>
#include <string>
#include <vector>

#include "tests/unit/scim_service/scim_service_fixture.h"

namespace rosterd::scim_service_test {
namespace {

using AuthTest = ScimServiceTest;
using TenancyTest = ScimServiceTest;

void expect_challenge(const Reply& r) {
  expect_error(r, 401);
  const std::optional<std::string> challenge = r.header("WWW-Authenticate");
  ASSERT_TRUE(challenge.has_value());
  EXPECT_EQ(challenge->substr(0, 7), "Bearer ") << *challenge;
}

TEST_F(AuthTest, NoTokenAWrongTokenOrAMalformedHeaderIs401WithABearerChallenge) {
  const std::string id = create_user("ada");
  const std::string before = snapshot();
  expect_challenge(get("/Users", {}, ""));
  expect_challenge(get("/Users/" + id, {}, "not-the-token"));
  expect_challenge(get("/Users", {{"Authorization", "Basic " + kOktaToken}}));
  expect_challenge(get("/Users", {{"Authorization", kOktaToken}}));
  expect_challenge(get("/Users", {{"Authorization", "Bearer"}}));
  expect_challenge(get("/Users", {{"Authorization", "Bearer    "}}));
  expect_challenge(get("/Users", {{"Authorization", "Bearer " + kOktaToken + "x"}}));
  expect_challenge(get("/ServiceProviderConfig", {}, ""));
  // Writes without a valid token change nothing.
  expect_challenge(post("/Users", user_body("mallory"), {}, "guess"));
  expect_challenge(del("/Users/" + id, {}, ""));
  expect_challenge(patch("/Users/" + id, patch_body(R"({"op":"replace","path":"title","value":"x"})"),
                         {{"Authorization", "Basic Zm9vOmJhcg=="}}));
  expect_challenge(post("/Bulk", "{}", {}, "guess"));
  EXPECT_EQ(snapshot(), before);
}

TEST_F(AuthTest, TheSchemeIsCaseInsensitive) {
  EXPECT_EQ(get("/Users", {{"Authorization", "bearer " + kOktaToken}}).status, 200);
  EXPECT_EQ(get("/Users", {{"Authorization", "BEARER " + kEntraToken}}).status, 200);
}

TEST_F(AuthTest, EverySourceTokenWorksAndNamesItsSource) {
  auto o = options();
  std::vector<scim::ScimSource> s = sources();
  s[0].tokens.push_back(digest_of("okta-second-token"));
  auto service = scim::ScimService::create(*store_, s, o);
  ASSERT_TRUE(service.has_value()) << service.error().message;
  service_ = std::move(*service);
  const std::string id = create_user("ada", {}, "okta-second-token");
  EXPECT_EQ(get("/Users/" + id).status, 200);  // the first okta token
  expect_error(get("/Users/" + id, {}, kEntraToken), 404);
}

TEST_F(AuthTest, ADigestSharedByTwoSourcesIsRefusedAtCreation) {
  std::vector<scim::ScimSource> s = sources();
  s[1].tokens.push_back(digest_of(kOktaToken));
  auto service = scim::ScimService::create(*store_, s, options());
  ASSERT_FALSE(service.has_value());
  EXPECT_EQ(service.error().code, ErrorCode::Config);
  EXPECT_NE(service.error().message.find("okta"), std::string::npos) << service.error().message;
  EXPECT_NE(service.error().message.find("entra"), std::string::npos) << service.error().message;
  // The same digest in upper case is the same digest.
  s = sources();
  std::string upper = digest_of(kOktaToken);
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  s[1].tokens.push_back(upper);
  EXPECT_FALSE(scim::ScimService::create(*store_, s, options()).has_value());
}

TEST_F(AuthTest, AMalformedDigestIsRefusedAtCreation) {
  std::vector<scim::ScimSource> s = sources();
  s[0].tokens = {"plain-token"};
  auto service = scim::ScimService::create(*store_, s, options());
  ASSERT_FALSE(service.has_value());
  EXPECT_EQ(service.error().code, ErrorCode::Config);
}

TEST_F(TenancyTest, ASourceNeverSeesOrChangesAnotherSourcesResources) {
  const std::string ada = create_user("ada@acme.example", R"("displayName":"Ada")");
  const std::string admins = create_group("admins", R"("members":[{"value":")" + ada + R"("}])");
  const std::string before = snapshot();
  const std::string& e = kEntraToken;

  expect_error(get("/Users/" + ada, {}, e), 404);
  expect_error(get("/Groups/" + admins, {}, e), 404);
  EXPECT_EQ(get("/Users", {}, e).total(), 0);
  EXPECT_EQ(get("/Groups", {}, e).total(), 0);
  EXPECT_EQ(get("/Users?filter=" + url_encode(R"(userName eq "ada@acme.example")"), {}, e).total(), 0);
  const std::string search = R"({"schemas":[")" + std::string(kSearchSchema) + R"("]})";
  EXPECT_EQ(post("/.search", search, {}, e).total(), 0);
  EXPECT_EQ(post("/Users/.search", search, {}, e).total(), 0);
  expect_error(put("/Users/" + ada, user_body("hijacked"), {}, e), 404);
  expect_error(patch("/Users/" + ada, patch_body(R"({"op":"replace","path":"displayName","value":"x"})"), {}, e),
               404);
  expect_error(patch("/Groups/" + admins, patch_body(R"({"op":"remove","path":"members"})"), {}, e), 404);
  expect_error(del("/Users/" + ada, {}, e), 404);
  expect_error(del("/Groups/" + admins, {}, e), 404);
  const Reply bulk = post("/Bulk",
                          R"({"schemas":[")" + std::string(kBulkRequestSchema) +
                              R"("],"Operations":[{"method":"DELETE","path":"/Users/)" + ada + R"("}]})",
                          {}, e);
  ASSERT_EQ(bulk.status, 200) << bulk.body;
  EXPECT_EQ(bulk.object().at("Operations").as_array()[0].as_object().at("status"), "404");
  EXPECT_EQ(snapshot(), before);
}

TEST_F(TenancyTest, TwoSourcesMayUseTheSameUserName) {
  const std::string a = create_user("ada@acme.example");
  const std::string b = create_user("ada@acme.example", {}, kEntraToken);
  EXPECT_NE(a, b);
  EXPECT_EQ(ids_of(get("/Users")), std::vector<std::string>{a});
  EXPECT_EQ(ids_of(get("/Users", {}, kEntraToken)), std::vector<std::string>{b});
  EXPECT_EQ(del("/Users/" + b, {}, kEntraToken).status, 204);
  EXPECT_EQ(get("/Users/" + a).status, 200);
}

}  // namespace
}  // namespace rosterd::scim_service_test
