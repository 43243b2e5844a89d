// attributes / excludedAttributes (RFC 7644 section 3.4.2.5): names in any case,
// URN-qualified or not, sub-attributes, whole extensions; id and schemas always stay.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "scim/projection.h"

namespace rosterd::scim {
namespace {

namespace json = boost::json;

constexpr const char* kEnterprise = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
constexpr const char* kRosterd = "urn:ietf:params:scim:schemas:extension:rosterd:2.0:User";

json::object resource() {
  return json::parse(R"({
    "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User",
                "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User",
                "urn:ietf:params:scim:schemas:extension:rosterd:2.0:User"],
    "id": "u-1", "externalId": "e-1", "userName": "ada",
    "name": {"familyName": "Lovelace", "givenName": "Ada"},
    "emails": [{"value": "ada@x.org", "type": "work", "primary": true}, {"value": "a@y.org", "type": "home"}],
    "groups": [{"value": "g-1", "display": "Sales", "type": "direct"}],
    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"department": "R&D", "manager": {"value": "m-1"}},
    "urn:ietf:params:scim:schemas:extension:rosterd:2.0:User": {"role": "owner", "state": "active"},
    "meta": {"resourceType": "User", "created": "2024-01-01T00:00:00.000Z", "version": "W/\"1\""}
  })").as_object();
}

json::object projected(std::string_view attributes, std::string_view excluded) {
  auto p = parse_projection(ResourceType::User, attributes, excluded);
  EXPECT_TRUE(p.has_value());
  json::object r = resource();
  if (p) project(r, ResourceType::User, *p);
  return r;
}

TEST(Projection, NamesAreCanonicalisedAndUnknownNamesIgnored) {
  auto p = parse_projection(ResourceType::User,
                            " USERNAME , name.GIVENNAME,urn:ietf:params:scim:schemas:core:2.0:User:Emails.value,"
                            "URN:IETF:PARAMS:SCIM:SCHEMAS:EXTENSION:ENTERPRISE:2.0:USER:manager,shoeSize,,name.nick",
                            "urn:ietf:params:scim:schemas:extension:rosterd:2.0:user");
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->attributes, (std::vector<std::string>{"userName", "name.givenName", "emails.value",
                                                     std::string(kEnterprise) + ":manager"}));
  EXPECT_EQ(p->excluded, std::vector<std::string>{kRosterd});
}

TEST(Projection, AttributesKeepOnlyTheNamedOnesPlusIdAndSchemas) {
  const json::object r = projected("userName", "");
  EXPECT_EQ(r.size(), 3u) << json::serialize(r);
  EXPECT_EQ(r.at("userName"), "ada");
  EXPECT_EQ(r.at("id"), "u-1");
  EXPECT_TRUE(r.contains("schemas"));
  EXPECT_FALSE(r.contains("meta"));  // returned by default, so not with `attributes`
}

TEST(Projection, AttributesSelectSubAttributesInObjectsAndArrays) {
  const json::object r = projected("name.givenName,emails.value,meta.version", "");
  EXPECT_EQ(r.at("name"), (json::object{{"givenName", "Ada"}}));
  EXPECT_EQ(r.at("emails"), (json::array{json::object{{"value", "ada@x.org"}}, json::object{{"value", "a@y.org"}}}));
  EXPECT_EQ(r.at("meta"), (json::object{{"version", "W/\"1\""}}));
  EXPECT_FALSE(r.contains("userName"));
}

TEST(Projection, AttributesSelectExtensionAttributesOrWholeExtensions) {
  json::object r = projected(std::string(kEnterprise) + ":manager", "");
  EXPECT_EQ(r.at(kEnterprise), (json::object{{"manager", {{"value", "m-1"}}}}));
  EXPECT_FALSE(r.contains(kRosterd));
  r = projected(kRosterd, "");
  EXPECT_EQ(r.at(kRosterd), (json::object{{"role", "owner"}, {"state", "active"}}));
  EXPECT_FALSE(r.contains(kEnterprise));
}

TEST(Projection, ExcludedAttributesDropAttributesSubAttributesAndExtensions) {
  json::object r = projected("", "emails,name.givenName,meta");
  EXPECT_FALSE(r.contains("emails"));
  EXPECT_FALSE(r.contains("meta"));
  EXPECT_EQ(r.at("name"), (json::object{{"familyName", "Lovelace"}}));
  EXPECT_EQ(r.at("userName"), "ada");

  r = projected("", std::string(kEnterprise) + ":department," + kRosterd + ":role");
  EXPECT_EQ(r.at(kEnterprise), (json::object{{"manager", {{"value", "m-1"}}}}));
  EXPECT_EQ(r.at(kRosterd), (json::object{{"state", "active"}}));

  r = projected("", std::string(kEnterprise) + ":department," + kEnterprise + ":manager");
  EXPECT_FALSE(r.contains(kEnterprise));  // nothing left of it

  r = projected("", "emails.type,emails.primary,emails.value");
  EXPECT_FALSE(r.contains("emails"));
}

TEST(Projection, IdCannotBeExcluded) {
  const json::object r = projected("", "id,userName");
  EXPECT_EQ(r.at("id"), "u-1");
  EXPECT_FALSE(r.contains("userName"));
}

TEST(Projection, ExcludedMembersDropsGroupMembers) {
  auto p = parse_projection(ResourceType::Group, "", "MEMBERS");
  ASSERT_TRUE(p.has_value());
  json::object g = json::parse(R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"id":"g",
    "displayName":"Sales","members":[{"value":"u-1"}]})").as_object();
  project(g, ResourceType::Group, *p);
  EXPECT_FALSE(g.contains("members"));
  EXPECT_EQ(g.at("displayName"), "Sales");
  EXPECT_FALSE(includes(*p, "members"));
}

TEST(Projection, IncludesTellsWhatTheResponseWillCarry) {
  const auto includes_in = [](std::string_view attributes, std::string_view excluded, std::string_view top) {
    auto p = parse_projection(ResourceType::User, attributes, excluded);
    return p.has_value() && includes(*p, top);
  };
  EXPECT_TRUE(includes_in("", "", "groups"));
  EXPECT_TRUE(includes_in("", "", kRosterd));
  EXPECT_FALSE(includes_in("userName", "", "groups"));
  EXPECT_TRUE(includes_in("groups.value", "", "groups"));
  EXPECT_FALSE(includes_in("", "groups", "groups"));
  EXPECT_TRUE(includes_in("", "groups.display", "groups"));
  EXPECT_TRUE(includes_in(std::string(kRosterd) + ":role", "", kRosterd));
  EXPECT_FALSE(includes_in("", kRosterd, kRosterd));
  EXPECT_TRUE(includes_in("userName", "", "id"));
  EXPECT_TRUE(includes_in(kEnterprise, "", std::string(kEnterprise) + ":manager"));
}

TEST(Projection, AbsurdlyLongParameterIsRefused) {
  auto p = parse_projection(ResourceType::User, std::string(9000, 'a'), "");
  ASSERT_FALSE(p.has_value());
  EXPECT_EQ(p.error().code, ErrorCode::InvalidValue);
}

}  // namespace
}  // namespace rosterd::scim
