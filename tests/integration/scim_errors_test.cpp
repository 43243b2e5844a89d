// Refusals of `rosterd serve` over a real socket: each answers the documented status with a
// SCIM Error body (status as a string, scimType where RFC 7644 defines one) and leaves
// every identity table, the audit log and the reconcile queue exactly as they were.
#include <gtest/gtest.h>

#include "tests/integration/scim_server_fixture.h"

namespace rosterd::testing {
namespace {

class Errors : public ScimTest {
 protected:
  void SetUp() override {
    user_ = create_user("alice@acme.example");
    const auto g = call("POST", "/Groups",
                        R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"Staff",)"
                        R"("members":[{"value":")" + user_ + R"("}]})");
    ASSERT_EQ(g.status, 201) << g.body;
    group_ = str(json_of(g), "id");
  }

  // Sends the request, checks the status, the SCIM Error body and that the store is unchanged;
  // returns the error body.
  boost::json::value refused(const std::string& request, int status, const std::string& scim_type = "") {
    const std::string before = server_.dump();
    const auto r = server_.raw(request);
    EXPECT_EQ(r.status, status) << request.substr(0, 300) << "\n" << r.body;
    boost::json::value error = json_of(r);
    if (error.is_object()) {
      EXPECT_EQ(error.at("schemas").at(0).as_string(), kErrorSchema) << r.body;
      EXPECT_EQ(str(error, "status"), std::to_string(status)) << r.body;
      if (!scim_type.empty()) {
        EXPECT_EQ(str(error, "scimType"), scim_type) << r.body;
      }
    }
    EXPECT_EQ(server_.dump(), before) << "the store changed after " << request.substr(0, 300);
    return error;
  }
  std::string req(const std::string& method, const std::string& path, const std::string& body = "",
                  const std::string& headers = "") {
    return server_.request(method, path, body, kOktaToken, headers);
  }

  std::string user_, group_;
};

TEST_F(Errors, AMissingOrWrongTokenIs401WithABearerChallenge) {
  for (const std::string& token : {std::string(), std::string("not-a-token"), std::string(kOktaToken) + "x"}) {
    const std::string before = server_.dump();
    const auto r = call("POST", "/Users", R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"x"})",
                        token);
    EXPECT_EQ(r.status, 401) << token;
    EXPECT_EQ(r.header("www-authenticate").rfind("Bearer", 0), 0u) << r.header("www-authenticate");
    const auto error = json_of(r);
    EXPECT_EQ(str(error, "status"), "401");
    EXPECT_EQ(error.at("schemas").at(0).as_string(), kErrorSchema);
    EXPECT_EQ(server_.dump(), before);
    EXPECT_EQ(call("GET", "/Users/" + user_, "", token).status, 401);
  }
  // A Basic credential is not a bearer token.
  const auto basic = server_.raw("GET /scim/v2/Users HTTP/1.1\r\nHost: x\r\nAuthorization: Basic b2t0YTpwdw==\r\n\r\n");
  EXPECT_EQ(basic.status, 401);
}

TEST_F(Errors, MalformedJsonIs400InvalidSyntax) {
  refused(req("POST", "/Users", R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":)"), 400,
          "invalidSyntax");
  refused(req("PATCH", "/Users/" + user_, R"({"Operations":[{"op":"replace",}]})"), 400, "invalidSyntax");
  refused(req("PUT", "/Users/" + user_, "[1,2]"), 400, "invalidSyntax");
}

TEST_F(Errors, AnInvalidFilterIs400InvalidFilterNamingThePosition) {
  // "userName xx \"a\"": the operator starts at the 10th character.
  const auto e = refused(req("GET", "/Users?filter=userName%20xx%20%22a%22"), 400, "invalidFilter");
  EXPECT_NE(str(e, "detail").find("position 10"), std::string::npos) << e;
  refused(req("GET", "/Users?filter=userName%20eq%20%22unclosed"), 400, "invalidFilter");
  refused(req("GET", "/Groups?filter=(displayName%20eq%20%22a%22"), 400, "invalidFilter");
  refused(req("POST", "/Users/.search", R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],)"
                                        R"("filter":"userName eq"})"),
          400, "invalidFilter");
}

TEST_F(Errors, AUserNameTakenInAnotherCaseIs409Uniqueness) {
  refused(req("POST", "/Users", R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"ALICE@Acme.Example"})"),
          409, "uniqueness");
  const std::string bob = create_user("bob@acme.example");
  refused(req("PUT", "/Users/" + bob, R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"Alice@acme.example"})"),
          409, "uniqueness");
  refused(req("PATCH", "/Users/" + bob, R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],)"
                                         R"("Operations":[{"op":"replace","path":"userName","value":"alice@ACME.example"}]})"),
          409, "uniqueness");
}

TEST_F(Errors, AnUnknownAttributeOrSchemaIs400InvalidValue) {
  refused(req("POST", "/Users", R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"x@acme.example",)"
                                R"("shoeSize":44})"),
          400, "invalidValue");
  refused(req("POST", "/Users", R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","urn:example:unknown:2.0:User"],)"
                                R"("userName":"x@acme.example"})"),
          400, "invalidValue");
  refused(req("POST", "/Users", R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"userName":"x@acme.example"})"),
          400, "invalidValue");
  refused(req("PATCH", "/Users/" + user_, R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],)"
                                          R"("Operations":[{"op":"replace","path":"name.middleNam","value":"x"}]})"),
          400);
}

TEST_F(Errors, WritesToAMissingIdAre404) {
  const std::string patch = R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],)"
                            R"("Operations":[{"op":"replace","value":{"active":false}}]})";
  refused(req("PATCH", "/Users/00000000-0000-0000-0000-000000000000", patch), 404);
  refused(req("PATCH", "/Groups/00000000-0000-0000-0000-000000000000",
              R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],)"
              R"("Operations":[{"op":"replace","path":"displayName","value":"x"}]})"),
          404);
  refused(req("PUT", "/Users/nope", R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"n@acme.example"})"),
          404);
  refused(req("DELETE", "/Groups/nope"), 404);
  refused(req("GET", "/Users/nope"), 404);
}

TEST_F(Errors, ABodyOverOneMebibyteIs413) {
  const std::string padding(1024 * 1024 + 16, 'x');
  const std::string body = R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"big@acme.example",)"
                           R"("displayName":")" + padding + R"("})";
  // Content-Length announces it all; the daemon refuses on the header, so only the start of
  // the body is sent (a close with unread bytes could reset the connection before the reply
  // is read).
  const std::string request = req("POST", "/Users", body);
  refused(request.substr(0, request.find("\r\n\r\n") + 4 + 64 * 1024), 413);
  // The daemon is still serving.
  EXPECT_EQ(call("GET", "/Users/" + user_).status, 200);
}

TEST_F(Errors, BytesThatAreNotUtf8Are400) {
  // %FF in a filter, and a raw 0xFF byte inside a JSON string.
  refused(req("GET", "/Users?filter=userName%20eq%20%22a%FFb%22"), 400);
  refused(req("POST", "/Users", "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"],\"userName\":\"a\xff"
                                "b@acme.example\"}"),
          400);
  refused(req("PATCH", "/Users/" + user_, "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],"
                                          "\"Operations\":[{\"op\":\"replace\",\"path\":\"displayName\",\"value\":\"\xc3\x28\"}]}"),
          400);
}

TEST_F(Errors, InvalidPatchRequestsChangeNothing) {
  const std::string schemas = R"("schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],)";
  refused(req("PATCH", "/Users/" + user_, "{" + schemas + R"("Operations":[{"op":"frobnicate","path":"active","value":false}]})"),
          400);
  refused(req("PATCH", "/Users/" + user_, "{" + schemas + R"("Operations":[{"op":"replace","path":"active","value":"maybe"}]})"),
          400);
  // The second operation fails: the first is not applied either.
  refused(req("PATCH", "/Users/" + user_, "{" + schemas + R"("Operations":[{"op":"replace","path":"displayName","value":"Z"},)"
                                                          R"({"op":"remove","path":"userName"}]})"),
          400);
  refused(req("PATCH", "/Groups/" + group_, "{" + schemas + R"("Operations":[{"op":"add","path":"members",)"
                                                            R"("value":[{"value":"no-such-user"}]}]})"),
          400);
  refused(req("POST", "/Groups", R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"]})"), 400, "invalidValue");
}

}  // namespace
}  // namespace rosterd::testing
