// What the rules can read of an identity: core attributes, sub-attributes, extension
// attributes by URN path and by bare name, multi-valued attributes, the person's own
// fields, and the account profile. Names are case-insensitive.
#include <gtest/gtest.h>

#include "mapping/attribute_values.h"

namespace rosterd {
namespace {

constexpr const char* kIdentity = R"({
  "userName": "json-name",
  "title": "Senior Sourcer",
  "name": {"givenName": "Ada", "familyName": "Lovelace"},
  "emails": [{"value": "ada@acme.example", "type": "work", "primary": true},
             {"value": "ada@home.example", "type": "home"}],
  "phoneNumbers": [{"value": "+33 1 00", "type": "mobile", "primary": true},
                   {"value": "+33 1 99", "type": "work"}],
  "addresses": [{"country": "DE"}, {"country": "FR", "primary": true}],
  "locale": "fr-FR",
  "active": true,
  "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {
    "department": "Talent", "employeeNumber": 4711, "title": "Shadowed",
    "manager": {"value": "m-1", "displayName": "Grace"}},
  "urn:example:custom": {"costCentre": "CC-9", "tags": ["a", "b"]}
})";

struct Read {
  AttributeNames names;
  IdentityValues values;
  Profile profile;
  std::vector<std::string> get(std::string_view name) {
    const int slot = names.find(name);
    EXPECT_GE(slot, 0) << name;
    const auto v = values.values(slot);
    return {v.begin(), v.end()};
  }
};

Read read(std::initializer_list<std::string_view> names, const DirectoryPerson& p) {
  Read r;
  for (auto n : names) r.names.add(n);
  AttributeReader reader(r.names);
  reader.read(p, r.values, &r.profile);
  return r;
}

DirectoryPerson ada() {
  DirectoryPerson p;
  p.source = "okta";
  p.id = "u-1";
  p.user_name = "ada";
  p.display_name = "Ada L.";
  p.emails = {"Ada@Acme.example", "ada@home.example"};
  p.attributes_json = kIdentity;
  return p;
}

TEST(AttributeReader, ReadsCoreAndSubAttributesCaseInsensitively) {
  auto r = read({"TITLE", "name.givenname", "Name.FamilyName", "locale"}, ada());
  EXPECT_EQ(r.get("title"), std::vector<std::string>{"Senior Sourcer"});
  EXPECT_EQ(r.get("name.givenname"), std::vector<std::string>{"Ada"});
  EXPECT_EQ(r.get("name.familyname"), std::vector<std::string>{"Lovelace"});
  EXPECT_EQ(r.get("locale"), std::vector<std::string>{"fr-FR"});
}

TEST(AttributeReader, ReadsExtensionsByUrnPathAndByBareName) {
  auto r = read({"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department", "department",
                 "employeeNumber", "manager", "manager.displayName", "costcentre", "urn:example:custom:tags"},
                ada());
  EXPECT_EQ(r.get("urn:ietf:params:scim:schemas:extension:enterprise:2.0:user:department"),
            std::vector<std::string>{"Talent"});
  EXPECT_EQ(r.get("department"), std::vector<std::string>{"Talent"});
  EXPECT_EQ(r.get("employeenumber"), std::vector<std::string>{"4711"});
  EXPECT_EQ(r.get("manager"), std::vector<std::string>{"m-1"});
  EXPECT_EQ(r.get("manager.displayname"), std::vector<std::string>{"Grace"});
  EXPECT_EQ(r.get("costcentre"), std::vector<std::string>{"CC-9"});
  EXPECT_EQ(r.get("urn:example:custom:tags"), (std::vector<std::string>{"a", "b"}));
}

TEST(AttributeReader, BareNameOfACoreAttributeStaysTheCoreOne) {
  auto r = read({"title"}, ada());
  EXPECT_EQ(r.get("title"), std::vector<std::string>{"Senior Sourcer"});  // not "Shadowed"
}

TEST(AttributeReader, MultiValuedComplexAttributesGiveEveryValueAndSubAttribute) {
  auto r = read({"phoneNumbers", "phoneNumbers.type", "emails.type", "addresses.country"}, ada());
  EXPECT_EQ(r.get("phonenumbers"), (std::vector<std::string>{"+33 1 00", "+33 1 99"}));
  EXPECT_EQ(r.get("phonenumbers.type"), (std::vector<std::string>{"mobile", "work"}));
  EXPECT_EQ(r.get("emails.type"), (std::vector<std::string>{"work", "home"}));
  EXPECT_EQ(r.get("addresses.country"), (std::vector<std::string>{"DE", "FR"}));
}

TEST(AttributeReader, PersonFieldsWinOverTheirJsonCopies) {
  auto r = read({"userName", "displayName", "emails", "email", "active", "id"}, ada());
  EXPECT_EQ(r.get("username"), std::vector<std::string>{"ada"});
  EXPECT_EQ(r.get("displayname"), std::vector<std::string>{"Ada L."});
  EXPECT_EQ(r.get("emails"), (std::vector<std::string>{"Ada@Acme.example", "ada@home.example"}));
  EXPECT_EQ(r.get("email"), std::vector<std::string>{"Ada@Acme.example"});
  EXPECT_EQ(r.get("active"), std::vector<std::string>{"true"});
  EXPECT_EQ(r.get("id"), std::vector<std::string>{"u-1"});
}

TEST(AttributeReader, ReadsTheProfileWithWorkPhoneAndPrimaryAddress) {
  auto r = read({}, ada());
  EXPECT_EQ(r.profile.given_name, "Ada");
  EXPECT_EQ(r.profile.family_name, "Lovelace");
  EXPECT_EQ(r.profile.title, "Senior Sourcer");
  EXPECT_EQ(r.profile.phone, "+33 1 99");
  EXPECT_EQ(r.profile.country, "FR");
  EXPECT_EQ(r.profile.language, "fr-FR");
  EXPECT_EQ(r.profile.manager_id, "m-1");
}

TEST(AttributeReader, PreferredLanguageBeatsLocaleAndPrimaryPhoneBeatsFirst) {
  DirectoryPerson p = ada();
  p.attributes_json = R"({"preferredLanguage": "de", "locale": "fr-FR",
    "phoneNumbers": [{"value": "1"}, {"value": "2", "primary": true}], "addresses": [{"country": "DE"}]})";
  auto r = read({}, p);
  EXPECT_EQ(r.profile.language, "de");
  EXPECT_EQ(r.profile.phone, "2");
  EXPECT_EQ(r.profile.country, "DE");
}

TEST(AttributeReader, MalformedJsonReadsAsNoAttributes) {
  DirectoryPerson p = ada();
  p.attributes_json = "{\"title\": ";
  auto r = read({"title", "username"}, p);
  EXPECT_TRUE(r.get("title").empty());
  EXPECT_EQ(r.get("username"), std::vector<std::string>{"ada"});
  EXPECT_EQ(r.profile.title, "");
}

TEST(AttributeReader, ReusedReaderForgetsThePreviousIdentity) {
  AttributeNames names;
  names.add("department");
  AttributeReader reader(names);
  IdentityValues values;
  reader.read(ada(), values, nullptr);
  EXPECT_EQ(values.first(0), "Talent");
  DirectoryPerson other = ada();
  other.attributes_json = "{}";
  reader.read(other, values, nullptr);
  EXPECT_TRUE(values.values(0).empty());
}

}  // namespace
}  // namespace rosterd
