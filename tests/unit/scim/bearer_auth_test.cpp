// Bearer tokens (RFC 6750) checked against SHA-256 digests of the configuration.
#include <gtest/gtest.h>

#include <cctype>
#include <string>
#include <vector>

#include "scim/bearer_auth.h"

namespace rosterd::scim {
namespace {

std::string digest(const std::string& token) { return "sha256:" + to_hex(sha256(token)); }

TEST(BearerAuthTest, Sha256MatchesAKnownVector) {
  EXPECT_EQ(to_hex(sha256("abc")), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(to_hex(sha256("")), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(BearerAuthTest, ParsesDigestsInAnyCaseAndRefusesOthers) {
  const std::string good = digest("t");
  auto lower = parse_token_digest(good);
  ASSERT_TRUE(lower.has_value());
  std::string upper = good;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  auto parsed_upper = parse_token_digest(upper);
  ASSERT_TRUE(parsed_upper.has_value());
  EXPECT_EQ(*lower, *parsed_upper);
  EXPECT_EQ(*lower, sha256("t"));
  for (const std::string& bad : {std::string("t"), good.substr(0, good.size() - 1), good + "0",
                                 "sha1:" + good.substr(7), good.substr(0, good.size() - 1) + "g"}) {
    SCOPED_TRACE(bad);
    auto r = parse_token_digest(bad);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, ErrorCode::Config);
  }
}

TEST(BearerAuthTest, NamesTheSourceWhoseTokenIsPresented) {
  auto auth = BearerAuth::create({{"okta", "acme", {digest("a1"), digest("a2")}}, {"entra", "globex", {digest("b")}}});
  ASSERT_TRUE(auth.has_value()) << auth.error().message;
  EXPECT_EQ(auth->authenticate("Bearer a1"), 0);
  EXPECT_EQ(auth->authenticate("Bearer a2"), 0);
  EXPECT_EQ(auth->authenticate("Bearer b"), 1);
  EXPECT_EQ(auth->authenticate("bearer b"), 1);
  EXPECT_EQ(auth->authenticate("BEARER   b  "), 1);
}

TEST(BearerAuthTest, RefusesWrongAndMalformedHeaders) {
  auto auth = BearerAuth::create({{"okta", "acme", {digest("a1")}}});
  ASSERT_TRUE(auth.has_value());
  for (const char* header : {"", "a1", "Basic a1", "Bearer", "Bearer ", "Bearer    ", "Bearer a", "Bearer a1x",
                             "Bearera1", "Token a1", "Bearer A1"}) {
    SCOPED_TRACE(header);
    EXPECT_EQ(auth->authenticate(header), -1);
  }
}

TEST(BearerAuthTest, ADigestSharedByTwoSourcesIsRefused) {
  auto shared = BearerAuth::create({{"okta", "acme", {digest("x")}}, {"entra", "globex", {digest("y"), digest("x")}}});
  ASSERT_FALSE(shared.has_value());
  EXPECT_EQ(shared.error().code, ErrorCode::Config);
  EXPECT_NE(shared.error().message.find("okta"), std::string::npos);
  EXPECT_NE(shared.error().message.find("entra"), std::string::npos);
  // Repeated within one source: harmless.
  EXPECT_TRUE(BearerAuth::create({{"okta", "acme", {digest("x"), digest("x")}}}).has_value());
}

TEST(BearerAuthTest, AMalformedDigestNamesItsSource) {
  auto bad = BearerAuth::create({{"okta", "acme", {digest("x")}}, {"entra", "globex", {"sha256:xyz"}}});
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().code, ErrorCode::Config);
  EXPECT_NE(bad.error().message.find("entra"), std::string::npos);
}

}  // namespace
}  // namespace rosterd::scim
