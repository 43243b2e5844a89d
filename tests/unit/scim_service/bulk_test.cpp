// POST /Bulk: bulkId references in either order, circular references, failOnErrors,
// limits, and operations that fail on their own.
#include <string>
#include <vector>

#include "tests/unit/scim_service/scim_service_fixture.h"

namespace rosterd::scim_service_test {
namespace {

class BulkTest : public ScimServiceTest {
 protected:
  static std::string bulk(std::string_view operations, std::string_view more = {}) {
    std::string body = R"({"schemas":[")" + std::string(kBulkRequestSchema) + R"("],)";
    if (!more.empty()) body += std::string(more) + ",";
    return body + R"("Operations":[)" + std::string(operations) + "]}";
  }
  static std::string post_user(std::string_view bulk_id, std::string_view user_name) {
    return R"({"method":"POST","path":"/Users","bulkId":")" + std::string(bulk_id) + R"(","data":)" +
           user_body(user_name) + "}";
  }
  static std::string post_group(std::string_view bulk_id, std::string_view name, std::string_view member_ref) {
    return R"({"method":"POST","path":"/Groups","bulkId":")" + std::string(bulk_id) + R"(","data":)" +
           group_body(name, R"("members":[{"type":"User","value":")" + std::string(member_ref) + R"("}])") + "}";
  }

  // The Operations of a BulkResponse, checked for shape (status always a string).
  static std::vector<json::object> operations(const Reply& r) {
    EXPECT_EQ(r.status, 200) << r.body;
    std::vector<json::object> out;
    const json::value* ops = r.object().if_contains("Operations");
    if (!ops || !ops->is_array()) {
      ADD_FAILURE() << "no Operations: " << r.body;
      return out;
    }
    for (const auto& op : ops->as_array()) {
      const json::value* status = op.as_object().if_contains("status");
      EXPECT_TRUE(status && status->is_string()) << "status must be a string: " << json::serialize(op);
      out.push_back(op.as_object());
    }
    return out;
  }
  static std::string status(const json::object& op) {
    const json::value* s = op.if_contains("status");
    return s && s->is_string() ? std::string(s->get_string()) : "";
  }
  static std::string id_from_location(const json::object& op) {
    const std::string location = std::string(op.at("location").as_string());
    return location.substr(location.rfind('/') + 1);
  }
  std::vector<std::string> members_of(const std::string& group_id) {
    std::vector<std::string> out;
    const Reply g = get("/Groups/" + group_id);
    if (const json::value* m = g.object().if_contains("members"))
      for (const auto& e : m->as_array()) out.push_back(text_of(e, "value"));
    return out;
  }
};

TEST_F(BulkTest, AGroupMayNameAUserOfTheSameRequestByBulkId) {
  const Reply r = post("/Bulk", bulk(post_user("u1", "ada") + "," + post_group("g1", "admins", "bulkId:u1")));
  const auto ops = operations(r);
  ASSERT_EQ(ops.size(), 2u);
  EXPECT_EQ(status(ops[0]), "201");
  EXPECT_EQ(status(ops[1]), "201");
  EXPECT_EQ(ops[0].at("bulkId"), "u1");
  EXPECT_EQ(ops[0].at("method"), "POST");
  EXPECT_EQ(ops[0].at("version"), R"(W/"1")");
  const std::string user = id_from_location(ops[0]);
  EXPECT_EQ(ops[0].at("location"), json::value(json::string("http://scim.example:8443/scim/v2/Users/" + user)));
  EXPECT_EQ(members_of(id_from_location(ops[1])), std::vector<std::string>{user});
}

TEST_F(BulkTest, AForwardReferenceIsResolvedByRunningItsTargetFirst) {
  const Reply r = post("/Bulk", bulk(post_group("g1", "admins", "bulkId:u1") + "," + post_user("u1", "ada")));
  const auto ops = operations(r);
  ASSERT_EQ(ops.size(), 2u);
  // Answered in the request's order.
  EXPECT_EQ(ops[0].at("bulkId"), "g1");
  EXPECT_EQ(ops[1].at("bulkId"), "u1");
  EXPECT_EQ(status(ops[0]), "201") << json::serialize(ops[0]);
  EXPECT_EQ(status(ops[1]), "201");
  EXPECT_EQ(members_of(id_from_location(ops[0])), std::vector<std::string>{id_from_location(ops[1])});
}

TEST_F(BulkTest, ABulkIdInAPathNamesTheCreatedResource) {
  const std::string patch_op = R"({"method":"PATCH","path":"/Users/bulkId:u1","data":)" +
                               patch_body(R"({"op":"replace","path":"title","value":"Countess"})") + "}";
  const auto ops = operations(post("/Bulk", bulk(post_user("u1", "ada") + "," + patch_op)));
  ASSERT_EQ(ops.size(), 2u);
  EXPECT_EQ(status(ops[1]), "200");
  EXPECT_EQ(ops[1].at("version"), R"(W/"2")");
  EXPECT_EQ(get("/Users/" + id_from_location(ops[0])).text("title"), "Countess");
}

TEST_F(BulkTest, ABulkIdInAPathWithoutALeadingSlashIsResolvedToo) {
  const std::string patch_op = R"({"method":"PATCH","path":"Users/bulkId:u1","data":)" +
                               patch_body(R"({"op":"replace","path":"title","value":"Countess"})") + "}";
  // The PATCH comes first: it can only run once u1 exists.
  const auto ops = operations(post("/Bulk", bulk(patch_op + "," + post_user("u1", "ada"))));
  ASSERT_EQ(ops.size(), 2u);
  EXPECT_EQ(status(ops[0]), "200") << json::serialize(ops[0]);
  EXPECT_EQ(status(ops[1]), "201");
  EXPECT_EQ(get("/Users/" + id_from_location(ops[1])).text("title"), "Countess");
}

TEST_F(BulkTest, AnUnknownBulkIdInAPathFailsThatOperationOnly) {
  const std::string delete_op = R"({"method":"DELETE","path":"/Users/bulkId:nobody"})";
  const auto ops = operations(post("/Bulk", bulk(delete_op + "," + post_user("u1", "ada"))));
  ASSERT_EQ(ops.size(), 2u);
  EXPECT_EQ(status(ops[0]), "409");
  EXPECT_EQ(status(ops[1]), "201");
}

TEST_F(BulkTest, ACircularReferenceFailsWith409AndCreatesNothing) {
  const Reply r = post("/Bulk", bulk(post_group("g1", "one", "bulkId:g2") + "," + post_group("g2", "two", "bulkId:g1")));
  const auto ops = operations(r);
  ASSERT_EQ(ops.size(), 2u);
  for (const auto& op : ops) {
    EXPECT_EQ(status(op), "409") << json::serialize(op);
    const json::object& response = op.at("response").as_object();
    EXPECT_EQ(response.at("status"), "409");
    EXPECT_EQ(response.at("schemas").as_array()[0], json::value(json::string(kErrorSchema)));
  }
  EXPECT_EQ(get("/Groups").total(), 0);
}

TEST_F(BulkTest, FailOnErrorsStopsAfterThatManyErrors) {
  const std::string bad = R"({"method":"POST","path":"/Users","bulkId":"bad","data":)" + user_body("x", R"("active":3)") + "}";
  const Reply r = post("/Bulk", bulk(post_user("u1", "ada") + "," + bad + "," + post_user("u2", "bob"), R"("failOnErrors":1)"));
  const auto ops = operations(r);
  ASSERT_EQ(ops.size(), 2u) << r.body;
  EXPECT_EQ(status(ops[0]), "201");
  EXPECT_EQ(status(ops[1]), "400");
  EXPECT_EQ(ops[1].at("response").as_object().at("scimType"), "invalidValue");
  EXPECT_EQ(values_of(get("/Users"), "userName"), std::vector<std::string>{"ada"});
}

TEST_F(BulkTest, WithoutFailOnErrorsEveryOperationRuns) {
  const std::string bad = R"({"method":"POST","path":"/Users","bulkId":"bad","data":)" + user_body("x", R"("active":3)") + "}";
  const auto ops = operations(post("/Bulk", bulk(post_user("u1", "ada") + "," + bad + "," + post_user("u2", "bob"))));
  ASSERT_EQ(ops.size(), 3u);
  EXPECT_EQ(status(ops[1]), "400");
  EXPECT_EQ(status(ops[2]), "201");
}

TEST_F(BulkTest, MoreOperationsThanMaxOperationsIs413AndRunsNone) {
  std::string many;
  for (int i = 0; i < 6; ++i) many += (i ? "," : "") + post_user("u" + std::to_string(i), "user" + std::to_string(i));
  expect_error(post("/Bulk", bulk(many)), 413);
  EXPECT_EQ(get("/Users").total(), 0);
}

TEST_F(BulkTest, ABodyOverMaxPayloadSizeIs413) {
  const std::string big = R"({"method":"POST","path":"/Users","bulkId":"u1","data":)" +
                          user_body("ada", R"("title":")" + std::string(70 * 1024, 'x') + "\"") + "}";
  expect_error(post("/Bulk", bulk(big)), 413);
  EXPECT_EQ(get("/Users").total(), 0);
}

TEST_F(BulkTest, AnOperationWithABadMethodOrPathFailsAloneWith400) {
  const std::string bad_method = R"({"method":"GET","path":"/Users","bulkId":"x"})";
  const std::string bad_path = R"({"method":"POST","path":"/Widgets","bulkId":"w","data":{"name":"x"}})";
  const std::string post_with_id = R"({"method":"POST","path":"/Users/abc","bulkId":"p","data":)" + user_body("carol") + "}";
  const Reply r = post("/Bulk", bulk(post_user("u1", "ada") + "," + bad_method + "," + bad_path + "," + post_with_id +
                                     "," + post_user("u2", "bob")));
  const auto ops = operations(r);
  ASSERT_EQ(ops.size(), 5u);
  EXPECT_EQ(status(ops[0]), "201");
  for (std::size_t i = 1; i <= 3; ++i) {
    EXPECT_EQ(status(ops[i]), "400") << json::serialize(ops[i]);
    const json::object& response = ops[i].at("response").as_object();
    EXPECT_EQ(response.at("status"), "400");
    EXPECT_NE(response.if_contains("scimType"), nullptr);
  }
  EXPECT_EQ(status(ops[4]), "201");
  EXPECT_EQ(get("/Users").total(), 2);
}

TEST_F(BulkTest, PutPatchAndDeleteOfExistingResources) {
  const std::string ada = create_user("ada");
  const std::string bob = create_user("bob");
  const std::string ops_text =
      R"({"method":"PUT","path":"/Users/)" + ada + R"(","version":"W/\"1\"","data":)" + user_body("ada", R"("title":"t")") + "}," +
      R"({"method":"DELETE","path":"/Users/)" + bob + R"("},)" +
      R"({"method":"DELETE","path":"/Users/)" + ada + R"(","version":"W/\"1\""})";
  const auto ops = operations(post("/Bulk", bulk(ops_text)));
  ASSERT_EQ(ops.size(), 3u);
  EXPECT_EQ(status(ops[0]), "200");
  EXPECT_EQ(status(ops[1]), "204");
  EXPECT_EQ(status(ops[2]), "412");  // ada is at version 2 by then
  EXPECT_EQ(get("/Users/" + ada).text("title"), "t");
  expect_error(get("/Users/" + bob), 404);
}

TEST_F(BulkTest, ARequestThatIsNotABulkRequestIs400) {
  expect_error(post("/Bulk", R"({"Operations":[]})"), 400, "invalidSyntax");
  expect_error(post("/Bulk", "[1]"), 400, "invalidSyntax");
  expect_error(post("/Bulk", bulk(post_user("u1", "a") + "," + post_user("u1", "b"))), 400, "uniqueness");
  EXPECT_EQ(get("/Users").total(), 0);
}

}  // namespace
}  // namespace rosterd::scim_service_test
