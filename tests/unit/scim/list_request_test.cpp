// What a list or search asks for, from a query string or a SearchRequest body.
#include <gtest/gtest.h>

#include <string>

#include <boost/json/parse.hpp>

#include "scim/list_request.h"

namespace rosterd::scim {
namespace {

Result<ListRequest> from_query(const std::string& query, const ListLimits& limits = {}) {
  auto target = parse_request_target("/scim/v2/Users?" + query);
  EXPECT_TRUE(target.has_value());
  return list_request_from_query(*target, limits);
}

Result<ListRequest> from_body(const std::string& members, const ListLimits& limits = {}) {
  std::string body = R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:SearchRequest"])";
  if (!members.empty()) body += "," + members;
  return list_request_from_body(boost::json::parse(body + "}"), limits);
}

TEST(ListRequestTest, DefaultsWithoutParameters) {
  ListLimits limits;
  limits.default_count = 25;
  auto r = from_query("", limits);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->filter, nullptr);
  EXPECT_EQ(r->start_index, 1u);
  EXPECT_EQ(r->count, 25u);
  EXPECT_FALSE(r->descending);
  EXPECT_EQ(r->sort_by, "");
}

TEST(ListRequestTest, ReadsEveryQueryParameter) {
  auto r = from_query("filter=userName%20pr&startIndex=3&count=7&sortBy=name.familyName&sortOrder=Descending"
                      "&attributes=userName,emails&excludedAttributes=meta");
  ASSERT_TRUE(r.has_value()) << r.error().message;
  ASSERT_NE(r->filter, nullptr);
  EXPECT_EQ(r->start_index, 3u);
  EXPECT_EQ(r->count, 7u);
  EXPECT_EQ(r->sort_by, "name.familyName");
  EXPECT_TRUE(r->descending);
  EXPECT_EQ(r->attributes, "userName,emails");
  EXPECT_EQ(r->excluded_attributes, "meta");
}

TEST(ListRequestTest, PagingIsClampedNotRefused) {
  ListLimits limits;
  limits.max_count = 50;
  auto r = from_query("startIndex=0&count=5000", limits);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->start_index, 1u);
  EXPECT_EQ(r->count, 50u);
  auto negative = from_query("startIndex=-9&count=-1", limits);
  ASSERT_TRUE(negative.has_value());
  EXPECT_EQ(negative->start_index, 1u);
  EXPECT_EQ(negative->count, 0u);
}

TEST(ListRequestTest, ANumberThatIsNotAnIntegerIsInvalidValue) {
  for (const char* q : {"count=abc", "count=", "count=1.5", "count=5x", "startIndex=one", "count=99999999999999999999"}) {
    SCOPED_TRACE(q);
    auto r = from_query(q);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, ErrorCode::InvalidValue);
  }
}

TEST(ListRequestTest, BadFilterAndSortOrderAreRefused) {
  auto filter = from_query("filter=userName%20equals%20%22a%22");
  ASSERT_FALSE(filter.has_value());
  EXPECT_EQ(filter.error().code, ErrorCode::InvalidFilter);
  ListLimits tight;
  tight.filter.max_length = 10;
  auto long_filter = from_query("filter=userName%20eq%20%22abcdef%22", tight);
  ASSERT_FALSE(long_filter.has_value());
  EXPECT_EQ(long_filter.error().code, ErrorCode::InvalidFilter);
  auto order = from_query("sortOrder=up");
  ASSERT_FALSE(order.has_value());
  EXPECT_EQ(order.error().code, ErrorCode::InvalidValue);
}

TEST(ListRequestTest, ReadsASearchRequestBody) {
  auto r = from_body(R"("filter":"userName pr","startIndex":2,"count":3,"sortBy":"userName",)"
                     R"("sortOrder":"descending","attributes":["userName","emails"],"excludedAttributes":"meta")");
  ASSERT_TRUE(r.has_value()) << r.error().message;
  ASSERT_NE(r->filter, nullptr);
  EXPECT_EQ(r->start_index, 2u);
  EXPECT_EQ(r->count, 3u);
  EXPECT_EQ(r->sort_by, "userName");
  EXPECT_TRUE(r->descending);
  EXPECT_EQ(r->attributes, "userName,emails");
  EXPECT_EQ(r->excluded_attributes, "meta");
}

TEST(ListRequestTest, ASearchRequestBodyIsCheckedForShape) {
  auto no_schema = list_request_from_body(boost::json::parse(R"({"filter":"userName pr"})"), {});
  ASSERT_FALSE(no_schema.has_value());
  EXPECT_EQ(no_schema.error().code, ErrorCode::InvalidSyntax);
  auto not_object = list_request_from_body(boost::json::parse("[]"), {});
  ASSERT_FALSE(not_object.has_value());
  EXPECT_EQ(not_object.error().code, ErrorCode::InvalidSyntax);
  auto unknown = from_body(R"("colour":"red")");
  ASSERT_FALSE(unknown.has_value());
  EXPECT_EQ(unknown.error().code, ErrorCode::InvalidSyntax);
  auto count_text = from_body(R"("count":"5")");
  ASSERT_FALSE(count_text.has_value());
  EXPECT_EQ(count_text.error().code, ErrorCode::InvalidValue);
  auto filter_number = from_body(R"("filter":5)");
  ASSERT_FALSE(filter_number.has_value());
  EXPECT_EQ(filter_number.error().code, ErrorCode::InvalidFilter);
  auto attributes_number = from_body(R"("attributes":[1])");
  ASSERT_FALSE(attributes_number.has_value());
  EXPECT_EQ(attributes_number.error().code, ErrorCode::InvalidValue);
}

TEST(ListRequestTest, ASearchRequestBodyIsClampedLikeAQuery) {
  ListLimits limits;
  limits.max_count = 10;
  auto r = from_body(R"("count":18446744073709551615,"startIndex":-4)", limits);
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_EQ(r->count, 10u);
  EXPECT_EQ(r->start_index, 1u);
}

}  // namespace
}  // namespace rosterd::scim
