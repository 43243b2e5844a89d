// The request target of a SCIM call: percent-decoding of path and query, '+' as a space
// in the query only, UTF-8 checked after decoding, parameters by name in any case.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "scim/request_target.h"

namespace rosterd::scim {
namespace {

TEST(RequestTargetTest, SplitsPathAndQueryAndDecodesBoth) {
  auto t = parse_request_target("/scim/v2/Users?filter=userName%20eq%20%22a%40b.c%22&count=5");
  ASSERT_TRUE(t.has_value()) << t.error().message;
  EXPECT_EQ(t->path, "/scim/v2/Users");
  ASSERT_EQ(t->query.size(), 2u);
  EXPECT_EQ(t->query[0].first, "filter");
  EXPECT_EQ(t->query[0].second, R"(userName eq "a@b.c")");
  EXPECT_EQ(t->query[1], (std::pair<std::string, std::string>{"count", "5"}));
}

TEST(RequestTargetTest, PlusIsASpaceInTheQueryButNotInThePath) {
  auto t = parse_request_target("/scim/v2/Users/a+b?filter=userName+eq+%22x%2By%22");
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(t->path, "/scim/v2/Users/a+b");
  EXPECT_EQ(*t->param("filter"), R"(userName eq "x+y")");
}

TEST(RequestTargetTest, ParamsAreFoundInAnyCaseFirstOneWins) {
  auto t = parse_request_target("/x?Count=1&count=2&flag&=v&&empty=");
  ASSERT_TRUE(t.has_value());
  ASSERT_NE(t->param("COUNT"), nullptr);
  EXPECT_EQ(*t->param("COUNT"), "1");
  ASSERT_NE(t->param("flag"), nullptr);
  EXPECT_EQ(*t->param("flag"), "");
  ASSERT_NE(t->param("empty"), nullptr);
  EXPECT_EQ(*t->param("empty"), "");
  EXPECT_EQ(t->param("missing"), nullptr);
}

TEST(RequestTargetTest, DecodesMultiByteUtf8) {
  auto t = parse_request_target("/x?name=Jos%C3%A9");
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(*t->param("name"), "Jos\xc3\xa9");
}

TEST(RequestTargetTest, RefusesBytesThatAreNotUtf8) {
  for (const char* target : {"/x?filter=%FF", "/x?a=%C3%28", "/x?%FE=1", "/scim/v2/Users/%FF", "/x?a=%ED%A0%80"}) {
    SCOPED_TRACE(target);
    auto t = parse_request_target(target);
    ASSERT_FALSE(t.has_value());
    EXPECT_EQ(t.error().code, ErrorCode::InvalidSyntax);
    EXPECT_NE(t.error().message.find("UTF-8"), std::string::npos) << t.error().message;
  }
}

TEST(RequestTargetTest, RefusesBrokenPercentEscapes) {
  for (const char* target : {"/x?a=%", "/x?a=%4", "/x?a=%G1", "/x?a=%4G", "/x%2", "/x?a=1%"}) {
    SCOPED_TRACE(target);
    auto t = parse_request_target(target);
    ASSERT_FALSE(t.has_value());
    EXPECT_EQ(t.error().code, ErrorCode::InvalidSyntax);
  }
  // An escape that ends exactly at the end of the text is whole.
  auto whole = parse_request_target("/x?a=%41");
  ASSERT_TRUE(whole.has_value());
  EXPECT_EQ(*whole->param("a"), "A");
}

TEST(RequestTargetTest, PathSegmentsDropEmptyOnes) {
  EXPECT_EQ(path_segments("/scim/v2/Users/42"), (std::vector<std::string_view>{"scim", "v2", "Users", "42"}));
  EXPECT_EQ(path_segments("//scim//v2/"), (std::vector<std::string_view>{"scim", "v2"}));
  EXPECT_TRUE(path_segments("/").empty());
  EXPECT_TRUE(path_segments("").empty());
  EXPECT_EQ(path_segments("Users"), (std::vector<std::string_view>{"Users"}));
}

}  // namespace
}  // namespace rosterd::scim
