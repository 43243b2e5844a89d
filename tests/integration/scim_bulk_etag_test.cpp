// Versions and Bulk over a real socket: W/"n" entity tags that grow by one per write,
// If-Match (412 when stale, nothing written) and If-None-Match (304); /Bulk with bulkId
// references, an operation that fails among others that succeed, and failOnErrors.
// Each test runs on SQLite and on PostgreSQL (its parameter: tests/integration/test_store.h).
#include <gtest/gtest.h>

#include "tests/integration/scim_server_fixture.h"

namespace rosterd::testing {
namespace {

// 3 for W/"3"; -1 for anything else.
long long version_number(const std::string& etag) {
  if (etag.size() < 5 || etag.rfind("W/\"", 0) != 0 || etag.back() != '"') return -1;
  return std::stoll(etag.substr(3, etag.size() - 4));
}

constexpr const char* kDeactivate = R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],)"
                                    R"("Operations":[{"op":"replace","path":"active","value":false}]})";

class ETags : public ScimStoreTest {};

TEST_P(ETags, EveryWriteAdvancesTheVersionByOneAndMetaVersionMatchesTheHeader) {
  const auto created = call("POST", "/Users",
                            R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"e@acme.example"})");
  ASSERT_EQ(created.status, 201);
  const std::string id = str(json_of(created), "id");
  long long v = version_number(created.header("etag"));
  ASSERT_GT(v, 0) << created.header("etag");
  const auto patched = call("PATCH", "/Users/" + id, kDeactivate);
  ASSERT_EQ(patched.status, 200) << patched.body;
  EXPECT_EQ(version_number(patched.header("etag")), v + 1);
  EXPECT_EQ(str(json_of(patched).at("meta"), "version"), patched.header("etag"));
  const auto put = call("PUT", "/Users/" + id,
                        R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"e@acme.example","displayName":"E"})");
  ASSERT_EQ(put.status, 200) << put.body;
  EXPECT_EQ(version_number(put.header("etag")), v + 2);
  const auto read = call("GET", "/Users/" + id);
  EXPECT_EQ(read.header("etag"), put.header("etag"));
  EXPECT_EQ(str(json_of(read).at("meta"), "version"), put.header("etag"));
}

TEST_P(ETags, IfMatchWithTheCurrentVersionWritesAndAStaleOneIs412WithNothingWritten) {
  const std::string id = create_user("e@acme.example");
  const std::string v1 = call("GET", "/Users/" + id).header("etag");
  const auto ok = call("PATCH", "/Users/" + id, kDeactivate, kOktaToken, "If-Match: " + v1 + "\r\n");
  ASSERT_EQ(ok.status, 200) << ok.body;
  const std::string v2 = ok.header("etag");
  EXPECT_NE(v1, v2);

  const std::string before = server_.dump();
  const auto stale = call("PATCH", "/Users/" + id,
                          R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],)"
                          R"("Operations":[{"op":"replace","path":"displayName","value":"Late"}]})",
                          kOktaToken, "If-Match: " + v1 + "\r\n");
  EXPECT_EQ(stale.status, 412) << stale.body;
  EXPECT_EQ(str(json_of(stale), "status"), "412");
  const auto stale_put = call("PUT", "/Users/" + id,
                              R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"e@acme.example"})",
                              kOktaToken, "If-Match: " + v1 + "\r\n");
  EXPECT_EQ(stale_put.status, 412);
  EXPECT_EQ(call("DELETE", "/Users/" + id, "", kOktaToken, "If-Match: " + v1 + "\r\n").status, 412);
  EXPECT_EQ(server_.dump(), before);

  // The strong form of the same tag and "*" name the current version too.
  const std::string strong = v2.substr(2);
  const auto again = call("PATCH", "/Users/" + id, kDeactivate, kOktaToken, "If-Match: " + strong + "\r\n");
  EXPECT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(call("DELETE", "/Users/" + id, "", kOktaToken, "If-Match: *\r\n").status, 204);
}

TEST_P(ETags, IfNoneMatchWithTheCurrentVersionIs304AndWithAnOldOneTheResource) {
  const std::string id = create_user("e@acme.example");
  const std::string v1 = call("GET", "/Users/" + id).header("etag");
  const auto same = call("GET", "/Users/" + id, "", kOktaToken, "If-None-Match: " + v1 + "\r\n");
  EXPECT_EQ(same.status, 304);
  EXPECT_TRUE(same.body.empty());
  EXPECT_EQ(same.header("etag"), v1);
  ASSERT_EQ(call("PATCH", "/Users/" + id, kDeactivate).status, 200);
  const auto changed = call("GET", "/Users/" + id, "", kOktaToken, "If-None-Match: " + v1 + "\r\n");
  EXPECT_EQ(changed.status, 200);
  EXPECT_FALSE(json_of(changed).at("active").as_bool());
}

std::string bulk(const std::string& operations, int fail_on_errors) {
  return R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:BulkRequest"],"failOnErrors":)" +
         std::to_string(fail_on_errors) + R"(,"Operations":)" + operations + "}";
}

// The BulkResponse operation with this bulkId (or method+path position when none).
const boost::json::value* bulk_result(const boost::json::value& response, const std::string& bulk_id) {
  for (const auto& op : response.at("Operations").as_array())
    if (str(op, "bulkId") == bulk_id) return &op;
  return nullptr;
}

class Bulk : public ScimStoreTest {};

TEST_P(Bulk, AGroupNamingAUserByBulkIdGetsTheUserThatWasCreated) {
  // The group comes first: its reference to u1 must still resolve.
  const auto r = call("POST", "/Bulk", bulk(R"([
    {"method":"POST","path":"/Groups","bulkId":"g1","data":{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],
      "displayName":"Bulk group","members":[{"type":"User","value":"bulkId:u1"}]}},
    {"method":"POST","path":"/Users","bulkId":"u1","data":{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],
      "userName":"bulk.user@acme.example"}},
    {"method":"PATCH","path":"/Users/bulkId:u1","data":{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
      "Operations":[{"op":"replace","path":"displayName","value":"Bulk User"}]}}
  ])", 1));
  ASSERT_EQ(r.status, 200) << r.body;
  const auto response = json_of(r);
  EXPECT_EQ(response.at("schemas").at(0).as_string(), "urn:ietf:params:scim:api:messages:2.0:BulkResponse");
  const auto* user = bulk_result(response, "u1");
  const auto* group = bulk_result(response, "g1");
  ASSERT_TRUE(user && group) << r.body;
  EXPECT_EQ(str(*user, "status"), "201");
  EXPECT_EQ(str(*group, "status"), "201");
  const std::string user_location = str(*user, "location");
  const std::string user_id = user_location.substr(user_location.rfind('/') + 1);
  const std::string group_location = str(*group, "location");
  const std::string group_id = group_location.substr(group_location.rfind('/') + 1);
  EXPECT_EQ(user_location, "http://127.0.0.1:" + std::to_string(server_.port()) + "/scim/v2/Users/" + user_id);
  bool patched = false;
  for (const auto& op : response.at("Operations").as_array())
    if (str(op, "method") == "PATCH") patched = str(op, "status") == "200" || str(op, "status") == "204";
  EXPECT_TRUE(patched) << r.body;

  const auto read_group = json_of(call("GET", "/Groups/" + group_id));
  EXPECT_EQ(member_ids(read_group), std::vector<std::string>{user_id});
  const auto read_user = json_of(call("GET", "/Users/" + user_id));
  EXPECT_EQ(str(read_user, "userName"), "bulk.user@acme.example");
  EXPECT_EQ(str(read_user, "displayName"), "Bulk User");
}

TEST_P(Bulk, AFailingOperationIsReportedAndTheOthersStillRun) {
  create_user("taken@acme.example");
  const auto r = call("POST", "/Bulk", bulk(R"([
    {"method":"POST","path":"/Users","bulkId":"ok1","data":{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],
      "userName":"first@acme.example"}},
    {"method":"POST","path":"/Users","bulkId":"dup","data":{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],
      "userName":"TAKEN@acme.example"}},
    {"method":"POST","path":"/Users","bulkId":"ok2","data":{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],
      "userName":"second@acme.example"}}
  ])", 5));
  ASSERT_EQ(r.status, 200) << r.body;
  const auto response = json_of(r);
  const auto* dup = bulk_result(response, "dup");
  ASSERT_TRUE(dup) << r.body;
  EXPECT_EQ(str(*dup, "status"), "409");
  EXPECT_EQ(str(dup->at("response"), "scimType"), "uniqueness");
  EXPECT_EQ(str(dup->at("response"), "status"), "409");
  ASSERT_TRUE(bulk_result(response, "ok1") && bulk_result(response, "ok2")) << r.body;
  EXPECT_EQ(str(*bulk_result(response, "ok1"), "status"), "201");
  EXPECT_EQ(str(*bulk_result(response, "ok2"), "status"), "201");
  EXPECT_EQ(json_of(call("GET", "/Users?count=1000")).at("totalResults").as_int64(), 3);
}

TEST_P(Bulk, FailOnErrorsStopsAfterThatManyErrors) {
  const auto r = call("POST", "/Bulk", bulk(R"([
    {"method":"DELETE","path":"/Users/no-such-id"},
    {"method":"POST","path":"/Users","bulkId":"late","data":{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],
      "userName":"late@acme.example"}}
  ])", 1));
  ASSERT_EQ(r.status, 200) << r.body;
  const auto response = json_of(r);
  ASSERT_EQ(response.at("Operations").as_array().size(), 1u) << r.body;
  EXPECT_EQ(str(response.at("Operations").at(0), "status"), "404");
  EXPECT_EQ(json_of(call("GET", "/Users?count=1000")).at("totalResults").as_int64(), 0);
}

TEST_P(Bulk, AnUnresolvableBulkIdIsAnErrorNotAGuess) {
  const auto r = call("POST", "/Bulk", bulk(R"([
    {"method":"POST","path":"/Groups","bulkId":"g","data":{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],
      "displayName":"G","members":[{"value":"bulkId:nobody"}]}}
  ])", 1));
  ASSERT_EQ(r.status, 200) << r.body;
  const auto response = json_of(r);
  const auto* g = bulk_result(response, "g");
  ASSERT_TRUE(g) << r.body;
  EXPECT_NE(str(*g, "status"), "201");
  EXPECT_EQ(str(*g, "status")[0], '4') << r.body;
  EXPECT_EQ(json_of(call("GET", "/Groups?count=1000")).at("totalResults").as_int64(), 0);
}

INSTANTIATE_TEST_SUITE_P(Stores, ETags, kBothStores, store_test_name);
INSTANTIATE_TEST_SUITE_P(Stores, Bulk, kBothStores, store_test_name);

}  // namespace
}  // namespace rosterd::testing
