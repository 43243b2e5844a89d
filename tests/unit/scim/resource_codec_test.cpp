// decode_resource() turns what Okta and Entra ID send into rosterd's canonical stored
// form, accepting their quirks and refusing what RFC 7643 does not allow; render_user()
// and render_group() give it back with id, meta, groups/members and the rosterd
// extension, the spliced fast path agreeing with the JSON-tree path.
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "core/resource_schema.h"
#include "scim/projection.h"
#include "scim/resource_codec.h"

namespace rosterd::scim {
namespace {

namespace json = boost::json;

constexpr const char* kEnterprise = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

json::object body(std::string_view text) { return json::parse(text).as_object(); }

DecodedResource decoded(ResourceType type, std::string_view text) {
  auto r = decode_resource(type, body(text));
  EXPECT_TRUE(r.has_value()) << (r ? "" : r.error().message);
  return r ? std::move(*r) : DecodedResource{};
}

DecodedResource user(std::string_view text) { return decoded(ResourceType::User, text); }

json::object stored(const DecodedResource& d) { return json::parse(d.record.attributes).as_object(); }

Error refusal(ResourceType type, std::string_view text) {
  auto r = decode_resource(type, body(text));
  EXPECT_FALSE(r.has_value()) << text;
  return r ? Error{} : r.error();
}
Error user_refusal(std::string_view text) { return refusal(ResourceType::User, text); }

// Okta's create-user request (developer.okta.com, "SCIM 2.0 - Create Users").
constexpr const char* kOktaCreate = R"({
  "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
  "userName": "test.user@okta.local",
  "name": {"givenName": "Test", "familyName": "User"},
  "emails": [{"primary": true, "value": "test.user@okta.local", "type": "work"}],
  "displayName": "Test User",
  "locale": "en-US",
  "externalId": "00ujl29u0le5T6Aj10h7",
  "groups": [],
  "password": "1mz050nq",
  "active": true
})";

// Entra ID's create-user request with the enterprise extension (Microsoft Learn,
// "Develop a SCIM endpoint": the validator's user), manager given as a bare id.
constexpr const char* kEntraCreate = R"({
  "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User",
              "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
  "externalId": "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef",
  "userName": "Test_User_ab6490ee-1e48-479e-a20b-2d77186b5dd1",
  "active": "True",
  "emails": [{"primary": false, "type": "other", "value": "babs@jensen.org"},
             {"primary": true, "type": "work", "value": "Test_User_fd0ea19b@testuser.com"}],
  "meta": {"resourceType": "User"},
  "name": {"formatted": "givenName familyName", "familyName": "familyName", "givenName": "givenName"},
  "roles": [],
  "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {
    "department": "Talent", "employeeNumber": "701984",
    "manager": "26118915-6090-4610-87e4-49d8ca9f808d"
  }
})";

TEST(DecodeResource, OktaCreateBodyFillsTheRecordAndDropsPasswordAndGroups) {
  const DecodedResource d = user(kOktaCreate);
  EXPECT_EQ(d.record.type, ResourceType::User);
  EXPECT_EQ(d.record.user_name, "test.user@okta.local");
  EXPECT_EQ(d.record.display_name, "Test User");
  EXPECT_EQ(d.record.external_id, "00ujl29u0le5T6Aj10h7");
  EXPECT_EQ(d.record.emails, std::vector<std::string>{"test.user@okta.local"});
  EXPECT_TRUE(d.record.active);
  EXPECT_FALSE(d.members.has_value());
  const json::object a = stored(d);
  EXPECT_FALSE(a.contains("password"));
  EXPECT_FALSE(a.contains("groups"));
  EXPECT_EQ(a.at("locale"), "en-US");
  EXPECT_EQ(a.at("name").at("givenName"), "Test");
  EXPECT_EQ(a.at("schemas"), json::array{"urn:ietf:params:scim:schemas:core:2.0:User"});
  EXPECT_EQ(a.at("externalId"), "00ujl29u0le5T6Aj10h7");
}

TEST(DecodeResource, EntraBodyWithEnterpriseExtensionStringBooleanAndManagerId) {
  const DecodedResource d = user(kEntraCreate);
  EXPECT_TRUE(d.record.active);
  // The primary email comes first, whatever its position in the body.
  EXPECT_EQ(d.record.emails, (std::vector<std::string>{"Test_User_fd0ea19b@testuser.com", "babs@jensen.org"}));
  const json::object a = stored(d);
  EXPECT_FALSE(a.contains("meta"));
  EXPECT_FALSE(a.contains("roles"));  // [] is absent
  EXPECT_EQ(a.at("active"), true);
  EXPECT_EQ(a.at("schemas"), (json::array{"urn:ietf:params:scim:schemas:core:2.0:User", kEnterprise}));
  const json::object& ext = a.at(kEnterprise).as_object();
  EXPECT_EQ(ext.at("department"), "Talent");
  EXPECT_EQ(ext.at("manager"), (json::object{{"value", "26118915-6090-4610-87e4-49d8ca9f808d"}}));
  // Values are stored as given, in the order given.
  EXPECT_EQ(a.at("emails").as_array()[0].at("value"), "babs@jensen.org");
}

TEST(DecodeResource, AttributeNamesAndUrnsTakeTheirCanonicalCase) {
  const DecodedResource d = user(R"({
    "SCHEMAS": ["URN:IETF:PARAMS:SCIM:SCHEMAS:CORE:2.0:USER"],
    "UserName": "ada", "NAME": {"GIVENNAME": "Ada", "familyname": "Lovelace"},
    "Emails": [{"VALUE": "ada@example.com", "Primary": "TRUE"}],
    "urn:ietf:params:scim:schemas:extension:ENTERPRISE:2.0:User": {"EmployeeNumber": "7"}
  })");
  EXPECT_EQ(d.record.user_name, "ada");
  EXPECT_EQ(d.record.attributes,
            R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:User",")" + std::string(kEnterprise) +
                R"("],"userName":"ada","name":{"familyName":"Lovelace","givenName":"Ada"},)"
                R"("emails":[{"value":"ada@example.com","primary":true}],")" + kEnterprise +
                R"(":{"employeeNumber":"7"}})");
}

TEST(DecodeResource, StringBooleansInAnyCaseBecomeBooleans) {
  const DecodedResource d = user(R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],
    "userName":"a","active":"False","emails":[{"value":"a@x.org","primary":"true"}]})");
  EXPECT_FALSE(d.record.active);
  const json::object a = stored(d);
  EXPECT_EQ(a.at("active"), false);
  EXPECT_EQ(a.at("emails").as_array()[0].at("primary"), true);
  EXPECT_EQ(user_refusal(R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],
                             "userName":"a","active":"yes"})").message,
            "attribute 'active' must be a boolean");
}

TEST(DecodeResource, DottedAndUrnQualifiedKeysAreMergedIntoTheirPlace) {
  const DecodedResource d = user(R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],
    "userName": "a", "name": {"familyName": "Jensen"}, "name.givenName": "Barbara",
    "urn:ietf:params:scim:schemas:core:2.0:User:title": "Boss",
    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber": "42",
    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value": "m-1"})");
  const json::object a = stored(d);
  EXPECT_EQ(a.at("name"), (json::object{{"familyName", "Jensen"}, {"givenName", "Barbara"}}));
  EXPECT_EQ(a.at("title"), "Boss");
  EXPECT_EQ(a.at(kEnterprise), (json::object{{"employeeNumber", "42"}, {"manager", {{"value", "m-1"}}}}));
  EXPECT_EQ(a.at("schemas").as_array().size(), 2u);
}

TEST(DecodeResource, ManagerEmptyOrNullIsAbsent) {
  for (const char* manager : {R"("")", "null", R"({"value": ""})", R"({"value": null})"}) {
    const DecodedResource d = user(std::string(R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],
      "userName":"a","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"manager":)") +
                                   manager + "}}");
    const json::object a = stored(d);
    EXPECT_FALSE(a.contains(kEnterprise)) << manager;
    EXPECT_EQ(a.at("schemas").as_array().size(), 1u) << manager;
  }
}

TEST(DecodeResource, NullAndEmptyValuesAreNotStored) {
  const DecodedResource d = user(R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],
    "userName":"a","displayName":"","title":null,"name":{"givenName":null},"phoneNumbers":[],
    "emails":[{"value":"","type":""}],"externalId":""})");
  EXPECT_EQ(d.record.attributes, R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"a"})");
  EXPECT_FALSE(d.record.external_id.has_value());
  EXPECT_TRUE(d.record.emails.empty());
}

TEST(DecodeResource, EchoedReadOnlyAndWriteOnlyAttributesAreIgnored) {
  // What Okta's PUT sends back: the resource as rosterd rendered it, plus the password.
  const DecodedResource d = user(R"({
    "schemas":["urn:ietf:params:scim:schemas:core:2.0:User","urn:ietf:params:scim:schemas:extension:rosterd:2.0:User"],
    "id":"u-1","userName":"a","password":"secret","groups":[{"value":"g-1","display":"Sales"}],
    "meta":{"resourceType":"User","created":"2024-01-01T00:00:00.000Z","version":"W/\"3\""},
    "urn:ietf:params:scim:schemas:extension:rosterd:2.0:User":{"role":"owner","state":"active"},
    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"manager":{"value":"m","displayName":"Boss"}}})");
  EXPECT_EQ(d.record.attributes,
            std::string(R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:User",")") + kEnterprise +
                R"("],"userName":"a",")" + kEnterprise + R"(":{"manager":{"value":"m"}}})");
}

TEST(DecodeResource, SingleObjectForAMultiValuedAttributeIsOneElement) {
  const DecodedResource d = user(R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],
    "userName":"a","emails":{"value":"a@x.org","type":"work"}})");
  EXPECT_EQ(d.record.emails, std::vector<std::string>{"a@x.org"});
  EXPECT_TRUE(stored(d).at("emails").is_array());
}

TEST(DecodeResource, FullRfcUserIsAccepted) {
  const DecodedResource d = user(R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],
    "userName":"bjensen","nickName":"Babs","profileUrl":"https://login.example.com/bjensen",
    "userType":"Employee","preferredLanguage":"en-US","timezone":"America/Los_Angeles",
    "addresses":[{"type":"work","streetAddress":"100 Universal City Plaza","locality":"Hollywood",
                  "region":"CA","postalCode":"91608","country":"USA","formatted":"x","primary":true}],
    "phoneNumbers":[{"value":"555-555-5555","type":"work"}],"ims":[{"value":"someaimhandle","type":"aim"}],
    "photos":[{"value":"https://photos.example.com/profilephoto/72930000000Ccne/F","type":"photo"}],
    "entitlements":[{"value":"e"}],"roles":[{"value":"r"}],"x509Certificates":[{"value":"MIIDQzCCAqygAwIBAgICEAAw"}]})");
  const json::object a = stored(d);
  for (const char* name : {"nickName", "profileUrl", "addresses", "phoneNumbers", "ims", "photos",
                           "entitlements", "roles", "x509Certificates", "timezone"})
    EXPECT_TRUE(a.contains(name)) << name;
}

TEST(DecodeResource, AScim1SchemaIsAnInvalidVersion) {
  const Error e = user_refusal(R"({"schemas":["urn:scim:schemas:core:1.0"],"userName":"a"})");
  EXPECT_EQ(e.code, ErrorCode::InvalidVersion);
  EXPECT_EQ(e.scim_type(), "invalidVers");
  EXPECT_NE(e.message.find("SCIM 1.x"), std::string::npos) << e.message;
}

TEST(DecodeResource, SchemasMustListTheCoreSchemaAndOnlyKnownOnes) {
  EXPECT_EQ(user_refusal(R"({"userName":"a"})").message,
            "'schemas' must list urn:ietf:params:scim:schemas:core:2.0:User");
  EXPECT_EQ(user_refusal(R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"userName":"a"})").message,
            "unknown schema 'urn:ietf:params:scim:schemas:core:2.0:Group'");
  EXPECT_EQ(user_refusal(R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:User",
                             "urn:example:custom:1.0:User"],"userName":"a"})").message,
            "unknown schema 'urn:example:custom:1.0:User'");
  const Error key = user_refusal(R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"a",
                                     "urn:example:custom:1.0:User":{"x":"1"}})");
  EXPECT_EQ(key.code, ErrorCode::InvalidValue);
  EXPECT_NE(key.message.find("urn:example:custom:1.0:User"), std::string::npos) << key.message;
  EXPECT_EQ(key.scim_type(), "invalidValue");
}

TEST(DecodeResource, UnknownAttributesAreRefusedWithTheirName) {
  EXPECT_EQ(user_refusal(R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"a","shoeSize":"9"})").message,
            "unknown attribute 'shoeSize'");
  EXPECT_EQ(user_refusal(R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"a","name":{"nick":"x"}})").message,
            "unknown attribute 'name.nick'");
  EXPECT_EQ(user_refusal(R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"a","name.nick":"x"})").message,
            "unknown attribute 'name.nick'");
}

TEST(DecodeResource, WrongJsonTypesAreRefusedWithTheAttributePath) {
  const auto message = [](std::string_view attribute) {
    return user_refusal(std::string(R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"a",)") +
                        std::string(attribute) + "}")
        .message;
  };
  EXPECT_EQ(message(R"("title": 3)"), "attribute 'title' must be a string");
  EXPECT_EQ(message(R"("name": "Ada")"), "attribute 'name' must be an object");
  EXPECT_EQ(message(R"("name": {"givenName": ["Ada"]})"), "attribute 'name.givenName' must be a string");
  EXPECT_EQ(message(R"("emails": "a@x.org")"), "attribute 'emails' must be an array");
  EXPECT_EQ(message(R"("emails": [{"value": "a@x.org"}, "b@x.org"])"), "attribute 'emails[1]' must be an object");
  EXPECT_EQ(message(R"("emails": [{"value": "a@x.org"}, {"primary": 1}])"),
            "attribute 'emails[1].primary' must be a boolean");
  EXPECT_EQ(message(R"("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"department": true})"),
            "attribute 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department' must be a string");
  EXPECT_EQ(message(R"("title": ")" + std::string(64 * 1024 + 1, 'x') + "\"").substr(0, 28),
            "attribute 'title' is longer ");
}

TEST(DecodeResource, UserNameIsRequiredAndNotBlank) {
  for (const char* user_name : {"", R"("userName": null,)", R"("userName": "   ",)"})
    EXPECT_EQ(user_refusal(std::string(R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],)") + user_name +
                           R"("displayName":"x"})").message,
              "attribute 'userName' is required")
        << user_name;
  EXPECT_EQ(user_refusal(R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":")" +
                         std::string(1025, 'a') + "\"}").message,
            "attribute 'userName' is longer than 1024 bytes");
}

TEST(DecodeResource, TwoPrimaryValuesAreRefused) {
  const Error e = user_refusal(R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"a",
    "emails":[{"value":"a@x.org","primary":true},{"value":"b@x.org","primary":"True"}]})");
  EXPECT_EQ(e.code, ErrorCode::InvalidValue);
  EXPECT_EQ(e.message, "attribute 'emails' has more than one value with primary true");
}

TEST(DecodeResource, RefusesABodyOfTheOtherResourceType) {
  EXPECT_EQ(refusal(ResourceType::Group, R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],
    "displayName":"g","userName":"a"})").message, "unknown attribute 'userName'");
}

TEST(DecodeGroup, MembersAreTakenApartFromTheAttributes) {
  const DecodedResource d = decoded(ResourceType::Group, R"({
    "schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"], "externalId":"8aa1a0c0",
    "displayName":"Recruiting-EMEA",
    "members":[{"value":"u-1","display":"Ada"},{"value":"g-2","type":"group"},{"value":"u-1"}]})");
  EXPECT_EQ(d.record.type, ResourceType::Group);
  EXPECT_EQ(d.record.display_name, "Recruiting-EMEA");
  EXPECT_EQ(d.record.attributes,
            R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"externalId":"8aa1a0c0","displayName":"Recruiting-EMEA"})");
  ASSERT_TRUE(d.members.has_value());
  ASSERT_EQ(d.members->size(), 2u);
  EXPECT_EQ((*d.members)[0].id, "u-1");
  EXPECT_EQ((*d.members)[0].type, ResourceType::User);
  EXPECT_EQ((*d.members)[1].id, "g-2");
  EXPECT_EQ((*d.members)[1].type, ResourceType::Group);
}

TEST(DecodeGroup, EmptyMembersMeansNoneAndAbsentMeansNotGiven) {
  const auto members_of = [](const char* members) {
    return decoded(ResourceType::Group, std::string(R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],
      "displayName":"g")") + members + "}").members;
  };
  EXPECT_FALSE(members_of("").has_value());
  EXPECT_FALSE(members_of(R"(,"members":null)").has_value());
  ASSERT_TRUE(members_of(R"(,"members":[])").has_value());
  EXPECT_TRUE(members_of(R"(,"members":[])")->empty());
}

TEST(DecodeGroup, DisplayNameIsRequiredAndMembersNeedAValueAndAKnownType) {
  EXPECT_EQ(refusal(ResourceType::Group, R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"]})").message,
            "attribute 'displayName' is required");
  EXPECT_EQ(refusal(ResourceType::Group, R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],
    "displayName":"g","members":[{"display":"x"}]})").message, "attribute 'members[0].value' is required");
  EXPECT_EQ(refusal(ResourceType::Group, R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],
    "displayName":"g","members":[{"value":"x","type":"Robot"}]})").message,
            R"(attribute 'members[0].type' must be "User" or "Group")");
}

// ---- Rendering -------------------------------------------------------------------------

const RenderContext kContext{"https://rosterd.example:8443/scim/v2"};

Timestamp at(std::int64_t ms) { return Timestamp{std::chrono::milliseconds{ms}}; }

ResourceRecord stored_user(std::string_view text) {
  ResourceRecord r = user(text).record;
  r.source = "okta";
  r.id = "u-42";
  r.version = 3;
  r.created = at(1700000000123);
  r.updated = at(1700000500000);
  return r;
}

RelatedToUser related_with_account() {
  RelatedToUser related;
  related.groups = {MemberRef{"g-1", ResourceType::Group, "Recruiting \"EMEA\""}};
  Account account;
  account.role = "recruiter";
  account.licence = "recruiter";
  account.team = "Talent";
  account.state = AccountState::Active;
  related.account = account;
  return related;
}

TEST(RenderUser, RoundTripKeepsEveryDecodedFieldAndAddsIdMetaGroupsAndAccount) {
  const ResourceRecord r = stored_user(kEntraCreate);
  const json::object out = json::parse(render_user(r, related_with_account(), kContext, nullptr)).as_object();
  const json::object in = json::parse(r.attributes).as_object();
  for (const auto& member : in)
    if (member.key() != "schemas") {
      EXPECT_EQ(out.at(member.key()), member.value()) << member.key();
    }
  EXPECT_EQ(out.at("id"), "u-42");
  EXPECT_EQ(out.at("schemas"), (json::array{"urn:ietf:params:scim:schemas:core:2.0:User", kEnterprise,
                                            "urn:ietf:params:scim:schemas:extension:rosterd:2.0:User"}));
  EXPECT_EQ(out.at("meta"), (json::object{{"resourceType", "User"},
                                          {"created", "2023-11-14T22:13:20.123Z"},
                                          {"lastModified", "2023-11-14T22:21:40.000Z"},
                                          {"location", "https://rosterd.example:8443/scim/v2/Users/u-42"},
                                          {"version", "W/\"3\""}}));
  EXPECT_EQ(out.at("groups"), (json::array{json::object{{"value", "g-1"},
                                                        {"$ref", "https://rosterd.example:8443/scim/v2/Groups/g-1"},
                                                        {"display", "Recruiting \"EMEA\""},
                                                        {"type", "direct"}}}));
  EXPECT_EQ(out.at("urn:ietf:params:scim:schemas:extension:rosterd:2.0:User"),
            (json::object{{"role", "recruiter"}, {"licence", "recruiter"}, {"team", "Talent"}, {"state", "active"}}));
}

TEST(RenderUser, WithoutAccountOrGroupsOmitsThem) {
  const ResourceRecord r = stored_user(kOktaCreate);
  const json::object out = json::parse(render_user(r, RelatedToUser{}, kContext, nullptr)).as_object();
  EXPECT_FALSE(out.contains("groups"));
  EXPECT_FALSE(out.contains("urn:ietf:params:scim:schemas:extension:rosterd:2.0:User"));
  EXPECT_EQ(out.at("schemas"), json::array{"urn:ietf:params:scim:schemas:core:2.0:User"});
}

TEST(RenderUser, SplicedOutputEqualsTheProjectedWithNothingOutput) {
  const Projection nothing;
  for (const char* text : {kOktaCreate, kEntraCreate,
                           R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"only"})"}) {
    const ResourceRecord r = stored_user(text);
    for (const RelatedToUser& related : {RelatedToUser{}, related_with_account()}) {
      const std::string fast = render_user(r, related, kContext, nullptr);
      const std::string slow = render_user(r, related, kContext, &nothing);
      EXPECT_EQ(json::parse(fast), json::parse(slow)) << fast << "\n" << slow;
    }
  }
}

TEST(RenderUser, TextNotOfTheCanonicalShapeIsRenderedThroughTheTree) {
  ResourceRecord r = stored_user(kOktaCreate);
  r.attributes = R"({ "userName" : "spaced", "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"] })";
  const json::object out = json::parse(render_user(r, related_with_account(), kContext, nullptr)).as_object();
  EXPECT_EQ(out.at("userName"), "spaced");
  EXPECT_EQ(out.at("id"), "u-42");
  EXPECT_EQ(out.at("schemas").as_array().size(), 2u);
}

TEST(RenderUser, ProjectionAppliesToTheRenderedResource) {
  const ResourceRecord r = stored_user(kEntraCreate);
  const auto p = parse_projection(ResourceType::User, "userName,urn:ietf:params:scim:schemas:extension:rosterd:2.0:User:role", "");
  ASSERT_TRUE(p.has_value());
  const json::object out = json::parse(render_user(r, related_with_account(), kContext, &*p)).as_object();
  EXPECT_EQ(out.size(), 4u) << json::serialize(out);  // schemas, id, userName, rosterd extension
  EXPECT_EQ(out.at("userName"), json::value(json::string(r.user_name)));
  EXPECT_EQ(out.at("urn:ietf:params:scim:schemas:extension:rosterd:2.0:User"), (json::object{{"role", "recruiter"}}));
}

TEST(RenderGroup, MembersCarryTheirRefAndTypeAndNullMeansNotLoaded) {
  ResourceRecord r = decoded(ResourceType::Group,
                             R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"Sales"})")
                         .record;
  r.id = "g-1";
  r.version = 7;
  const std::vector<MemberRef> members{{"u-1", ResourceType::User, "Ada"}, {"g-2", ResourceType::Group, ""}};
  const json::object out = json::parse(render_group(r, &members, kContext, nullptr)).as_object();
  EXPECT_EQ(out.at("displayName"), "Sales");
  EXPECT_EQ(out.at("members"),
            (json::array{json::object{{"value", "u-1"}, {"$ref", kContext.base_url + "/Users/u-1"}, {"display", "Ada"}, {"type", "User"}},
                         json::object{{"value", "g-2"}, {"$ref", kContext.base_url + "/Groups/g-2"}, {"type", "Group"}}}));
  EXPECT_EQ(out.at("meta").at("resourceType"), "Group");
  EXPECT_EQ(out.at("meta").at("location"), json::value(json::string(kContext.base_url + "/Groups/g-1")));
  EXPECT_EQ(out.at("meta").at("version"), "W/\"7\"");
  EXPECT_FALSE(json::parse(render_group(r, nullptr, kContext, nullptr)).as_object().contains("members"));
  const Projection nothing;
  EXPECT_EQ(json::parse(render_group(r, &members, kContext, nullptr)),
            json::parse(render_group(r, &members, kContext, &nothing)));
}

TEST(Etag, IsWeakAndQuotesTheVersion) {
  EXPECT_EQ(etag(1), "W/\"1\"");
  EXPECT_EQ(etag(12345), "W/\"12345\"");
}

}  // namespace
}  // namespace rosterd::scim
