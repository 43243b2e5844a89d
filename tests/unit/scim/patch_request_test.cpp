// parse_patch_request() reads a PatchOp body (RFC 7644 section 3.5.2) as Okta and Entra ID
// write it and refuses malformed bodies with the scimType a client can act on.
#include <gtest/gtest.h>

#include <string>

#include "tests/unit/scim/patch_fixture.h"

namespace rosterd::scim {
namespace {

using testing::body;
using testing::json;
using Op = PatchOperation::Op;

Error parse_error(std::string_view text) {
  auto result = parse_patch_request(json(text));
  if (result) {
    ADD_FAILURE() << "parsed: " << text;
    return {};
  }
  return result.error();
}

TEST(PatchRequest, ReadsOpNamesInAnyCaseAsEntraCapitalisesThem) {
  auto ops = parse_patch_request(json(body(R"([
    {"op":"Add","path":"name.givenName","value":"Bar"},
    {"op":"Replace","path":"name.familyName","value":"Foo2"},
    {"op":"REMOVE","path":"nickName"},
    {"op":"add","value":{"nickName":"Babs"}}])")));
  ASSERT_TRUE(ops) << ops.error().message;
  ASSERT_EQ(ops->size(), 4u);
  EXPECT_EQ((*ops)[0].op, Op::Add);
  EXPECT_EQ((*ops)[1].op, Op::Replace);
  EXPECT_EQ((*ops)[2].op, Op::Remove);
  EXPECT_TRUE((*ops)[2].value.is_null());
  EXPECT_EQ((*ops)[0].path->attribute.attribute, "name");
  EXPECT_EQ((*ops)[0].path->attribute.sub_attribute, "givenName");
  EXPECT_EQ((*ops)[0].value, json(R"("Bar")"));
  EXPECT_FALSE((*ops)[3].path.has_value());
  EXPECT_EQ((*ops)[3].value, json(R"({"nickName":"Babs"})"));
}

TEST(PatchRequest, ReadsMessageKeysInAnyCaseAndANullPathAsNoPath) {
  auto ops = parse_patch_request(json(R"({
    "SCHEMAS":["URN:ietf:params:scim:api:messages:2.0:PatchOp"],
    "operations":[{"OP":"replace","Path":null,"Value":{"active":false}}]})"));
  ASSERT_TRUE(ops) << ops.error().message;
  ASSERT_EQ(ops->size(), 1u);
  EXPECT_FALSE((*ops)[0].path.has_value());
  EXPECT_EQ((*ops)[0].value, json(R"({"active":false})"));
}

TEST(PatchRequest, KeepsANullValueOfReplaceForTheEngineToReadAsRemove) {
  auto ops = parse_patch_request(json(body(R"([{"op":"replace","path":"nickName","value":null}])")));
  ASSERT_TRUE(ops) << ops.error().message;
  EXPECT_TRUE((*ops)[0].value.is_null());
}

TEST(PatchRequest, RefusesWhatIsNotAPatchOpWithInvalidSyntax) {
  const std::string ok_ops = R"([{"op":"add","path":"nickName","value":"x"}])";
  for (const std::string& text : {
           std::string(R"([])"),
           std::string(R"("PatchOp")"),
           R"({"Operations":)" + ok_ops + "}",
           R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"Operations":)" + ok_ops + "}",
           R"({"schemas":"urn:ietf:params:scim:api:messages:2.0:PatchOp","Operations":)" + ok_ops + "}",
           R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Ops":)" + ok_ops + "}",
           body(R"({"op":"add"})"),
           body("[]"),
           body(R"(["add"])"),
           body(R"([{"path":"nickName","value":"x"}])"),
           body(R"([{"op":"merge","path":"nickName","value":"x"}])"),
           body(R"([{"op":1,"path":"nickName","value":"x"}])"),
           body(R"([{"op":"add","path":7,"value":"x"}])"),
       }) {
    EXPECT_EQ(parse_error(text).code, ErrorCode::InvalidSyntax) << text;
  }
}

TEST(PatchRequest, NamesTheFailingOperationByItsIndex) {
  const Error e = parse_error(body(R"([{"op":"add","path":"nickName","value":"x"},
                                       {"op":"upsert","path":"nickName","value":"x"}])"));
  EXPECT_EQ(e.message, R"(Operations[1]: unknown op "upsert" (expected add, replace or remove))");
}

TEST(PatchRequest, RefusesAPathThatDoesNotParseWithInvalidPath) {
  const Error e = parse_error(body(R"([{"op":"remove","path":"emails[type eq \"work\""}])"));
  EXPECT_EQ(e.code, ErrorCode::InvalidPath);
  EXPECT_TRUE(e.message.starts_with("Operations[0]: invalid path at position")) << e.message;
  EXPECT_EQ(parse_error(body(R"([{"op":"remove","path":""}])")).code, ErrorCode::InvalidPath);
}

TEST(PatchRequest, RefusesAddOrReplaceWithoutValueWithInvalidValue) {
  EXPECT_EQ(parse_error(body(R"([{"op":"add","path":"nickName"}])")).code, ErrorCode::InvalidValue);
  const Error e = parse_error(body(R"([{"op":"Replace","path":"active"}])"));
  EXPECT_EQ(e.code, ErrorCode::InvalidValue);
  EXPECT_EQ(e.message, R"(Operations[0]: a "value" is required for replace)");
}

TEST(PatchRequest, RefusesRemoveWithoutPathWithNoTarget) {
  EXPECT_EQ(parse_error(body(R"([{"op":"remove","value":{"nickName":"x"}}])")).code,
            ErrorCode::NoTarget);
}

}  // namespace
}  // namespace rosterd::scim
