// apply_patch() on Users: RFC 7644 section 3.5.2 add, replace and remove with and without
// paths, sub-attributes, schema-qualified paths and value filters; canonical names;
// values converted to the schema type; all operations of a request or none.
#include <gtest/gtest.h>

#include <string>

#include "tests/unit/scim/patch_fixture.h"

namespace rosterd::scim {
namespace {

using testing::body;
using testing::json;

// RFC 7643 section 8.2's Babs Jensen, as the store holds her (no id, meta or groups).
constexpr const char* kBabs = R"({
  "userName": "bjensen@example.com",
  "externalId": "bjensen",
  "name": {"familyName": "Jensen", "givenName": "Barbara"},
  "displayName": "Babs Jensen",
  "active": true,
  "emails": [{"value": "bjensen@example.com", "type": "work", "primary": true},
             {"value": "babs@jensen.org", "type": "home"}],
  "addresses": [{"type": "work", "streetAddress": "100 Universal City Plaza",
                 "locality": "Hollywood", "postalCode": "91608", "primary": true}],
  "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {
    "employeeNumber": "701984",
    "manager": {"value": "26118915-6090-4610-87e4-49d8ca9f808d", "displayName": "John Smith"}}
})";

boost::json::value user_after(std::string_view operations, std::string_view resource = kBabs) {
  return testing::patched(ResourceType::User, resource, body(operations));
}

ErrorCode user_error(std::string_view operations, std::string_view resource = kBabs) {
  return testing::error_of(ResourceType::User, resource, body(operations));
}

// kBabs with `change` applied to it by hand.
boost::json::value babs_with(const std::function<void(boost::json::object&)>& change) {
  boost::json::value v = json(kBabs);
  change(v.as_object());
  return v;
}

boost::json::object& enterprise(boost::json::object& user) {
  return user[testing::kEnterprise].as_object();
}

TEST(PatchUser, SetsASimpleAttributeAndASubAttribute) {
  EXPECT_EQ(user_after(R"([{"op":"add","path":"nickName","value":"Babs"},
                           {"op":"replace","path":"name.familyName","value":"Jensen-Smith"}])"),
            babs_with([](auto& u) {
              u["nickName"] = "Babs";
              u["name"].as_object()["familyName"] = "Jensen-Smith";
            }));
}

TEST(PatchUser, WritesAttributeNamesOfPathsUnderTheirCanonicalNames) {
  EXPECT_EQ(user_after(R"([{"op":"add","path":"NICKNAME","value":"Babs"},
                           {"op":"replace","path":"Name.GivenName","value":"Babs"}])"),
            babs_with([](auto& u) {
              u["nickName"] = "Babs";
              u["name"].as_object()["givenName"] = "Babs";
            }));
}

TEST(PatchUser, ReadsTheCoreSchemaUrnAsTheTopLevel) {
  EXPECT_EQ(user_after(R"([{"op":"replace",
      "path":"urn:ietf:params:scim:schemas:core:2.0:User:name.familyName","value":"J"}])"),
            babs_with([](auto& u) { u["name"].as_object()["familyName"] = "J"; }));
}

TEST(PatchUser, StoresExtensionAttributesInAnObjectUnderTheExtensionUrn) {
  EXPECT_EQ(user_after(R"([{"op":"add",
      "path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department",
      "value":"Tour Operations"}])"),
            babs_with([](auto& u) { enterprise(u)["department"] = "Tour Operations"; }));
  EXPECT_EQ(user_after(R"([{"op":"add",
      "path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department",
      "value":"Sales"}])", R"({"userName":"x"})"),
            json(R"({"userName":"x",
              "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"Sales"}})"));
}

TEST(PatchUser, MergesAPathlessValueIntoTheResourceInAnyCase) {
  EXPECT_EQ(user_after(R"([{"op":"replace","value":{"Name":{"GivenName":"Babs"},"NickName":"B"}}])"),
            babs_with([](auto& u) {
              u["name"].as_object()["givenName"] = "Babs";
              u["nickName"] = "B";
            }));
}

TEST(PatchUser, AppendsToAMultiValuedAttributeWithoutDuplicatingAnEqualValue) {
  EXPECT_EQ(user_after(R"([{"op":"add","path":"emails","value":[
                             {"value":"BABS@jensen.org","type":"home"},
                             {"value":"babs@example.org","type":"other"}]}])"),
            babs_with([](auto& u) {
              u["emails"].as_array().push_back(json(R"({"value":"babs@example.org","type":"other"})"));
            }));
}

TEST(PatchUser, MakesTheOtherValuesNonPrimaryWhenANewOneIsPrimary) {
  EXPECT_EQ(user_after(R"([{"op":"add","path":"emails",
                             "value":[{"value":"b@example.org","type":"other","primary":"True"}]}])"),
            babs_with([](auto& u) {
              auto& emails = u["emails"].as_array();
              emails[0].as_object()["primary"] = false;
              emails.push_back(json(R"({"value":"b@example.org","type":"other","primary":true})"));
            }));
}

TEST(PatchUser, ReplacesAMultiValuedAttributeWhole) {
  EXPECT_EQ(user_after(R"([{"op":"replace","path":"emails","value":[{"value":"x@example.com"}]}])"),
            babs_with([](auto& u) { u["emails"] = json(R"([{"value":"x@example.com"}])"); }));
}

TEST(PatchUser, ReplacesTheElementsAFilterMatches) {
  // RFC 7644 section 3.5.2.3, replacing the work address.
  EXPECT_EQ(user_after(R"([{"op":"replace","path":"addresses[type eq \"work\"]",
      "value":{"type":"work","streetAddress":"911 Universal City Plaza","locality":"Hollywood",
               "primary":true}}])"),
            babs_with([](auto& u) {
              u["addresses"] = json(R"([{"type":"work","streetAddress":"911 Universal City Plaza",
                                         "locality":"Hollywood","primary":true}])");
            }));
  EXPECT_EQ(user_after(R"([{"op":"replace","path":"addresses[type eq \"work\"].streetAddress",
                            "value":"1010 Broadway Ave"}])"),
            babs_with([](auto& u) {
              u["addresses"].as_array()[0].as_object()["streetAddress"] = "1010 Broadway Ave";
            }));
}

TEST(PatchUser, RemovesTheElementsAFilterMatchesAndTheAttributeWhenNoneIsLeft) {
  EXPECT_EQ(user_after(R"([{"op":"remove",
                            "path":"emails[type eq \"work\" and value ew \"example.com\"]"}])"),
            babs_with([](auto& u) { u["emails"].as_array().erase(u["emails"].as_array().begin()); }));
  EXPECT_EQ(user_after(R"([{"op":"remove","path":"addresses[type eq \"work\"]"}])"),
            babs_with([](auto& u) { u.erase("addresses"); }));
}

TEST(PatchUser, RemovesASubAttributeOfTheMatchingElements) {
  EXPECT_EQ(user_after(R"([{"op":"remove","path":"addresses[type eq \"work\"].postalCode"}])"),
            babs_with([](auto& u) { u["addresses"].as_array()[0].as_object().erase("postalCode"); }));
}

TEST(PatchUser, RemovesTheElementsWithTheValuesGiven) {
  EXPECT_EQ(user_after(R"([{"op":"remove","path":"emails","value":[{"value":"BABS@jensen.org"}]}])"),
            babs_with([](auto& u) { u["emails"].as_array().pop_back(); }));
}

TEST(PatchUser, RemovesAnAttributeASubAttributeAndAnAbsentOneWithoutError) {
  EXPECT_EQ(user_after(R"([{"op":"remove","path":"displayName"},
                           {"op":"remove","path":"name.givenName"},
                           {"op":"remove","path":"nickName"}])"),
            babs_with([](auto& u) {
              u.erase("displayName");
              u["name"].as_object().erase("givenName");
            }));
}

TEST(PatchUser, ReadsNullOrAnEmptyStringAsRemove) {
  EXPECT_EQ(user_after(R"([{"op":"replace","path":"displayName","value":""},
                           {"op":"replace","path":"name.givenName","value":null},
                           {"op":"replace","value":{"externalId":null}}])"),
            babs_with([](auto& u) {
              u.erase("displayName");
              u.erase("externalId");
              u["name"].as_object().erase("givenName");
            }));
}

TEST(PatchUser, DropsTheExtensionObjectWhenItsLastAttributeIsRemoved) {
  EXPECT_EQ(user_after(R"([{"op":"remove",
      "path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager"}])",
                       R"({"userName":"x","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":
                           {"manager":{"value":"m"}}})"),
            json(R"({"userName":"x"})"));
}

TEST(PatchUser, AppliesAllOperationsOrNone) {
  PatchTarget target{ResourceType::User, json(kBabs).as_object(), {}, {}};
  auto ops = parse_patch_request(json(body(R"([
      {"op":"replace","path":"displayName","value":"Changed"},
      {"op":"add","path":"emails","value":[{"value":"new@example.com"}]},
      {"op":"replace","path":"active","value":"maybe"}])")));
  ASSERT_TRUE(ops);
  auto result = apply_patch(*ops, target);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, ErrorCode::InvalidValue);
  EXPECT_EQ(result.error().message,
            R"(Operations[2]: active: expected a boolean (true or false), found "maybe")");
  EXPECT_EQ(target.resource, json(kBabs).as_object());
  EXPECT_TRUE(target.member_steps.empty());
}

TEST(PatchUser, RunsOperationsInOrderOnWhatTheEarlierOnesLeft) {
  EXPECT_EQ(user_after(R"([{"op":"remove","path":"emails"},
                           {"op":"add","path":"emails[type eq \"work\"].value","value":"w@x.org"},
                           {"op":"replace","path":"emails[type eq \"work\"].value","value":"v@x.org"}])"),
            babs_with([](auto& u) { u["emails"] = json(R"([{"type":"work","value":"v@x.org"}])"); }));
}

TEST(PatchUser, RefusesUnknownAttributesInPathsWithInvalidPath) {
  EXPECT_EQ(user_error(R"([{"op":"add","path":"favouriteColour","value":"red"}])"),
            ErrorCode::InvalidPath);
  EXPECT_EQ(user_error(R"([{"op":"add","path":"name.nick","value":"red"}])"), ErrorCode::InvalidPath);
  EXPECT_EQ(user_error(R"([{"op":"add","path":"members","value":[{"value":"x"}]}])"),
            ErrorCode::InvalidPath);
  EXPECT_EQ(user_error(R"([{"op":"add","path":"urn:example:ext:1.0:User:x","value":"red"}])"),
            ErrorCode::InvalidPath);
  EXPECT_EQ(user_error(R"([{"op":"remove","path":"name[givenName eq \"Barbara\"]"}])"),
            ErrorCode::InvalidPath);
  EXPECT_EQ(user_error(R"([{"op":"remove","path":"emails[kind eq \"work\"]"}])"),
            ErrorCode::InvalidPath);
}

TEST(PatchUser, RefusesUnknownKeysAndWrongTypesInValuesWithInvalidValue) {
  EXPECT_EQ(user_error(R"([{"op":"add","value":{"favouriteColour":"red"}}])"), ErrorCode::InvalidValue);
  EXPECT_EQ(user_error(R"([{"op":"add","value":{"name":{"nick":"B"}}}])"), ErrorCode::InvalidValue);
  EXPECT_EQ(user_error(R"([{"op":"add","value":"Babs"}])"), ErrorCode::InvalidValue);
  EXPECT_EQ(user_error(R"([{"op":"replace","path":"active","value":"yes"}])"), ErrorCode::InvalidValue);
  EXPECT_EQ(user_error(R"([{"op":"replace","path":"userName","value":42}])"), ErrorCode::InvalidValue);
  EXPECT_EQ(user_error(R"([{"op":"replace","path":"name","value":"Babs"}])"), ErrorCode::InvalidValue);
  EXPECT_EQ(user_error(R"([{"op":"add","path":"emails","value":[{"value":"a@b.c","kind":"x"}]}])"),
            ErrorCode::InvalidValue);
}

TEST(PatchUser, RefusesChangesToReadOnlyAndRequiredAttributesWithMutability) {
  for (const char* operations : {
           R"([{"op":"replace","path":"id","value":"other"}])",
           R"([{"op":"add","path":"meta.lastModified","value":"2024-01-01T00:00:00Z"}])",
           R"([{"op":"remove","path":"meta"}])",
           R"([{"op":"add","path":"groups","value":[{"value":"g"}]}])",
           R"([{"op":"remove","path":"groups[value eq \"g\"]"}])",
           R"([{"op":"remove","path":"userName"}])",
           R"([{"op":"replace","path":"userName","value":""}])",
           R"([{"op":"replace","value":{"userName":null}}])",
       })
    EXPECT_EQ(user_error(operations), ErrorCode::Mutability) << operations;
}

TEST(PatchUser, IgnoresReadOnlyKeysInAPathlessValue) {
  EXPECT_EQ(user_after(R"([{"op":"replace","value":{"id":"2819c223","meta":{"version":"W/\"3\""},
      "schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"groups":[],"nickName":"B"}}])"),
            babs_with([](auto& u) { u["nickName"] = "B"; }));
}

TEST(PatchUser, AddsThePathlessValueOfRfc7644Section3521) {
  EXPECT_EQ(user_after(R"([{"op":"add","value":{
      "emails":[{"value":"babs@jensen.org","type":"home"}],"nickName":"Babs"}}])"),
            babs_with([](auto& u) { u["nickName"] = "Babs"; }));
}

TEST(PatchUser, IgnoresReadOnlySubAttributesInsideAValue) {
  EXPECT_EQ(user_after(R"([{"op":"replace",
      "path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager",
      "value":{"value":"m2","displayName":"Someone Else"}}])"),
            babs_with([](auto& u) { enterprise(u)["manager"] = json(R"({"value":"m2"})"); }));
  EXPECT_EQ(user_error(R"([{"op":"replace",
      "path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.displayName",
      "value":"Someone Else"}])"),
            ErrorCode::Mutability);
}

TEST(PatchUser, IgnoresTheDerivedAccountEchoedBackAndRefusesAPathToIt) {
  EXPECT_EQ(user_after(R"([{"op":"replace","value":{"nickName":"B",
      "urn:ietf:params:scim:schemas:extension:rosterd:2.0:User":{"role":"owner"}}}])"),
            babs_with([](auto& u) { u["nickName"] = "B"; }));
  EXPECT_EQ(user_error(R"([{"op":"replace",
      "path":"urn:ietf:params:scim:schemas:extension:rosterd:2.0:User:role","value":"owner"}])"),
            ErrorCode::Mutability);
}

TEST(PatchUser, AnswersNoTargetWhenAFilterOfReplaceOrRemoveMatchesNothing) {
  for (const char* operations : {
           R"([{"op":"replace","path":"emails[type eq \"other\"].value","value":"x@y.z"}])",
           R"([{"op":"replace","path":"emails[type eq \"other\"]","value":{"value":"x@y.z"}}])",
           R"([{"op":"remove","path":"emails[type eq \"other\"]"}])",
           R"([{"op":"remove","path":"addresses[type eq \"home\"].locality"}])",
           R"([{"op":"remove","path":"phoneNumbers[type eq \"work\"]"}])",
           // add creates an element only from `eq` comparisons joined by `and`
           R"([{"op":"add","path":"emails[type eq \"a\" or type eq \"b\"].value","value":"x@y.z"}])",
       })
    EXPECT_EQ(user_error(operations), ErrorCode::NoTarget) << operations;
}

TEST(PatchUser, ComparesFilterValuesAsTheSchemaSays) {
  // emails.type is not caseExact: "WORK" matches "work".
  EXPECT_EQ(user_after(R"([{"op":"replace","path":"emails[type eq \"WORK\"].value","value":"n@x.org"}])"),
            babs_with([](auto& u) {
              u["emails"].as_array()[0].as_object()["value"] = "n@x.org";
            }));
}

}  // namespace
}  // namespace rosterd::scim
