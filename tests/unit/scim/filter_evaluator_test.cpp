// matches() gives a filter the meaning RFC 7644 section 3.4.2.2 gives it over one SCIM
// resource: case-insensitive attribute names, schema-qualified paths, any-element
// semantics for multi-valued attributes, presence, caseExact, and each operator per type.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include <boost/json/parse.hpp>

#include "scim/filter_evaluator.h"
#include "scim/filter_parser.h"
#include "tests/unit/scim/predicate_printer.h"

namespace rosterd::scim {
namespace {

const boost::json::object& user() {
  static const boost::json::object resource = boost::json::parse(R"({
    "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User",
                "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
    "id": "2819c223-7f76-453a-919d-413861904646",
    "externalId": "BJensen",
    "userName": "Bjensen@Example.com",
    "name": {"familyName": "Jensen", "givenName": "Barbara", "middleName": ""},
    "displayName": "Babs Jensen",
    "title": "",
    "nickName": null,
    "active": true,
    "loginCount": 42,
    "ratio": 1.5,
    "emails": [{"value": "bjensen@example.com", "type": "work", "primary": true},
               {"value": "babs@jensen.org", "type": "home"}],
    "ims": [{"value": "babs@foo.com", "type": "xmpp"}],
    "phoneNumbers": [],
    "x509Certificates": [{}],
    "addresses": {},
    "tags": ["Alpha", "beta"],
    "meta": {"created": "2010-01-23T04:56:22Z", "lastModified": "2011-05-13T04:42:34Z"},
    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {
      "employeeNumber": "701984",
      "manager": {"value": "26118915-6090-4610-87e4-49d8ca9f808d", "displayName": "John Smith"}
    }
  })")
                                                  .as_object();
  return resource;
}

// Case-exact like the SCIM core schema: id and externalId; everything else is not.
bool core_case_exact(const AttributePath& path) {
  return path.attribute == "id" || path.attribute == "externalId";
}

// True when the filter parses and matches; a filter that does not parse fails the test.
bool match(std::string_view filter, const CaseExactFn& case_exact = core_case_exact) {
  const auto predicate = parse_filter(filter);
  if (!predicate) {
    ADD_FAILURE() << predicate.error().message;
    return false;
  }
  return matches(**predicate, user(), case_exact);
}

TEST(FilterEvaluator, LooksUpAttributeNamesInAnyCase) {
  EXPECT_TRUE(match(R"(USERNAME eq "bjensen@example.com")"));
  EXPECT_TRUE(match(R"(Name.FAMILYNAME eq "Jensen")"));
  EXPECT_TRUE(match(R"(EMAILS[TYPE eq "work"])"));
}

TEST(FilterEvaluator, ComparesStringsCaseInsensitivelyUnlessCaseExact) {
  EXPECT_TRUE(match(R"(userName eq "BJENSEN@example.COM")"));
  EXPECT_TRUE(match(R"(externalId eq "BJensen")"));
  EXPECT_FALSE(match(R"(externalId eq "bjensen")"));
  EXPECT_FALSE(match(R"(id eq "2819C223-7F76-453A-919D-413861904646")"));
  EXPECT_TRUE(match(R"(externalId eq "bjensen")", [](const AttributePath&) { return false; }));
  EXPECT_TRUE(match(R"(externalId eq "bjensen")", CaseExactFn{}));  // no function: never exact
}

TEST(FilterEvaluator, AsksCaseExactAboutThePathItResolved) {
  std::set<std::string> asked;
  const CaseExactFn record = [&](const AttributePath& path) {
    asked.insert(path.to_string());
    return false;
  };
  EXPECT_TRUE(match(R"(emails[type eq "work"])", record));
  EXPECT_TRUE(match(R"(emails eq "babs@jensen.org")", record));
  EXPECT_TRUE(match(R"(name.familyName eq "jensen")", record));
  EXPECT_TRUE(match(R"(tags eq "alpha")", record));
  EXPECT_TRUE(
      match(R"(urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value sw "2611")",
            record));
  EXPECT_EQ(asked,
            (std::set<std::string>{
                "emails.type", "emails.value", "name.familyName", "tags",
                "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value"}));
}

TEST(FilterEvaluator, AppliesEachOperatorToStrings) {
  EXPECT_TRUE(match(R"(displayName eq "babs jensen")"));
  EXPECT_FALSE(match(R"(displayName eq "babs")"));
  EXPECT_TRUE(match(R"(displayName ne "babs")"));
  EXPECT_FALSE(match(R"(displayName ne "BABS JENSEN")"));
  EXPECT_TRUE(match(R"(displayName co "BS JEN")"));
  EXPECT_FALSE(match(R"(displayName co "smith")"));
  EXPECT_TRUE(match(R"(displayName sw "babs")"));
  EXPECT_FALSE(match(R"(displayName sw "jensen")"));
  EXPECT_TRUE(match(R"(displayName ew "JENSEN")"));
  EXPECT_FALSE(match(R"(displayName ew "babs")"));
  EXPECT_TRUE(match(R"(displayName gt "BABS")"));
  EXPECT_FALSE(match(R"(displayName gt "babs jensen")"));
  EXPECT_TRUE(match(R"(displayName ge "babs jensen")"));
  EXPECT_TRUE(match(R"(displayName lt "c")"));
  EXPECT_FALSE(match(R"(displayName lt "Babs Jensen")"));
  EXPECT_TRUE(match(R"(displayName le "BABS JENSEN")"));
}

TEST(FilterEvaluator, OrdersIso8601TimestampsChronologically) {
  EXPECT_TRUE(match(R"(meta.lastModified gt "2011-05-13T04:42:33Z")"));
  EXPECT_FALSE(match(R"(meta.lastModified gt "2011-05-13T04:42:34Z")"));
  EXPECT_TRUE(match(R"(meta.lastModified ge "2011-05-13T04:42:34Z")"));
  EXPECT_TRUE(match(R"(meta.lastModified lt "2012-01-01T00:00:00Z")"));
  EXPECT_FALSE(match(R"(meta.lastModified le "2011-05-13T04:42:33Z")"));
}

TEST(FilterEvaluator, ComparesNumbersByValue) {
  EXPECT_TRUE(match("loginCount eq 42"));
  EXPECT_TRUE(match("loginCount eq 42.0"));
  EXPECT_TRUE(match("loginCount eq 4.2e1"));
  EXPECT_TRUE(match("loginCount gt 41.5"));
  EXPECT_FALSE(match("loginCount lt 42"));
  EXPECT_TRUE(match("loginCount le 42"));
  EXPECT_TRUE(match("ratio lt 2 and ratio ge 1.5"));
  EXPECT_FALSE(match(R"(loginCount eq "42")"));  // a string is not a number
  EXPECT_FALSE(match("displayName gt 1"));
}

TEST(FilterEvaluator, ComparesBooleansOnlyForEquality) {
  EXPECT_TRUE(match("active eq true"));
  EXPECT_FALSE(match("active eq false"));
  EXPECT_TRUE(match("active ne false"));
  EXPECT_FALSE(match(R"(active eq "true")"));
  EXPECT_FALSE(match(R"(active gt "a")"));
  // The parser refuses "active gt true"; a predicate built by hand still never orders booleans.
  Predicate built{Comparison{AttributePath{{}, "active", {}}, CompareOp::Ge, Literal::of(true)}};
  EXPECT_FALSE(matches(built, user(), core_case_exact));
}

TEST(FilterEvaluator, TreatsNullEmptyStringAndEmptyContainersAsNotPresent) {
  EXPECT_TRUE(match("userName pr"));
  EXPECT_TRUE(match("name pr"));
  EXPECT_TRUE(match("emails pr"));
  EXPECT_TRUE(match("emails.type pr"));
  EXPECT_TRUE(match("active pr"));
  EXPECT_FALSE(match("title pr"));             // ""
  EXPECT_FALSE(match("nickName pr"));          // null
  EXPECT_FALSE(match("phoneNumbers pr"));      // []
  EXPECT_FALSE(match("addresses pr"));         // {}
  EXPECT_FALSE(match("x509Certificates pr"));  // [{}]
  EXPECT_FALSE(match("name.middleName pr"));   // ""
  EXPECT_FALSE(match("ims.primary pr"));       // no element has one
  EXPECT_FALSE(match("missing pr"));
}

TEST(FilterEvaluator, ReadsEqNullAsNotPresentAndNeAsItsNegation) {
  EXPECT_TRUE(match("nickName eq null"));
  EXPECT_TRUE(match("missing eq null"));
  EXPECT_TRUE(match("title eq null"));
  EXPECT_FALSE(match("userName eq null"));
  EXPECT_TRUE(match("userName ne null"));
  EXPECT_FALSE(match("missing ne null"));
}

TEST(FilterEvaluator, MatchesNeWhenTheAttributeIsAbsent) {
  EXPECT_TRUE(match(R"(missing ne "x")"));
  EXPECT_TRUE(match(R"(name.honorificPrefix ne "Ms")"));
  EXPECT_FALSE(match(R"(missing eq "x")"));
  EXPECT_FALSE(match(R"(missing gt "a")"));
}

TEST(FilterEvaluator, MatchesAMultiValuedAttributeWhenAnyElementMatches) {
  EXPECT_TRUE(match(R"(emails.value eq "babs@jensen.org")"));
  EXPECT_TRUE(match(R"(emails.type eq "home")"));
  EXPECT_FALSE(match(R"(emails.type eq "other")"));
  EXPECT_TRUE(match(R"(emails eq "BABS@jensen.org")"));  // compares the elements' "value"
  EXPECT_TRUE(match(R"(emails co "@example.com")"));
  EXPECT_TRUE(match(R"(tags eq "BETA")"));  // plain string elements
  EXPECT_TRUE(match(R"(schemas eq "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User")"));
  EXPECT_FALSE(match(R"(emails.type ne "work")"));  // the negation of "any is work"
}

TEST(FilterEvaluator, MatchesAValueFilterOnOneAndTheSameElement) {
  EXPECT_TRUE(match(R"(emails[type eq "work" and value co "@example.com"])"));
  EXPECT_FALSE(match(R"(emails[type eq "home" and value co "@example.com"])"));
  // Without brackets the two conditions may hold for different elements.
  EXPECT_TRUE(match(R"(emails.type eq "home" and emails.value co "@example.com")"));
  EXPECT_TRUE(match(
      R"(emails[type eq "work" and value co "@example.com"] or ims[type eq "xmpp" and value co "@foo.com"])"));
  EXPECT_TRUE(match(
      R"(emails[type eq "home" and value co "@example.com"] or ims[type eq "xmpp" and value co "@foo.com"])"));
  EXPECT_FALSE(
      match(R"(emails[type eq "home" and value co "@example.com"] or ims[type eq "aim"])"));
  EXPECT_TRUE(match(R"(emails[not (type eq "work")])"));
  EXPECT_FALSE(match(R"(emails[primary eq true and type eq "home"])"));
  EXPECT_TRUE(match(R"(tags[value sw "alp"])"));          // a plain element is {"value": element}
  EXPECT_TRUE(match(R"(name[givenName eq "barbara"])"));  // a single complex value is one element
  EXPECT_FALSE(match(R"(missing[value pr])"));
  EXPECT_FALSE(match(R"(phoneNumbers[value pr])"));
}

TEST(FilterEvaluator, MatchesTheEntraFormOfAValueFilterWithASubAttribute) {
  EXPECT_TRUE(match(R"(emails[type eq "work"].value eq "BJENSEN@example.com")"));
  EXPECT_FALSE(match(R"(emails[type eq "home"].value eq "bjensen@example.com")"));
}

TEST(FilterEvaluator, LooksInsideTheExtensionObjectForAnExtensionUrn) {
  constexpr const char* kEnterprise = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:";
  EXPECT_TRUE(match(std::string(kEnterprise) + R"(employeeNumber eq "701984")"));
  EXPECT_TRUE(match(std::string(kEnterprise) + R"(manager.displayName eq "john smith")"));
  EXPECT_TRUE(
      match(std::string(kEnterprise) + R"(manager eq "26118915-6090-4610-87e4-49d8ca9f808d")"));
  EXPECT_TRUE(
      match(R"(URN:IETF:PARAMS:SCIM:SCHEMAS:EXTENSION:ENTERPRISE:2.0:USER:employeeNumber pr)"));
  EXPECT_FALSE(match(R"(employeeNumber pr)"));  // not at the top level
  EXPECT_FALSE(match(R"(urn:ietf:params:scim:schemas:extension:other:2.0:User:employeeNumber pr)"));
  EXPECT_FALSE(match(std::string(kEnterprise) + "userName pr"));
}

TEST(FilterEvaluator, ReadsACoreSchemaUrnAsTheTopLevel) {
  EXPECT_TRUE(match(R"(urn:ietf:params:scim:schemas:core:2.0:User:userName sw "bjensen")"));
  EXPECT_TRUE(match(R"(urn:ietf:params:scim:schemas:core:2.0:User:name.givenName eq "Barbara")"));
  EXPECT_TRUE(match(R"(urn:ietf:params:scim:schemas:core:2.0:Group:displayName pr)"));
  EXPECT_TRUE(match(R"(urn:ietf:params:scim:schemas:core:2.0:User:emails[type eq "home"])"));
}

TEST(FilterEvaluator, CombinesWithAndOrNotInTwoValuedLogic) {
  EXPECT_TRUE(match(R"(userName pr and not (title pr))"));
  EXPECT_FALSE(match(R"(userName pr and title pr)"));
  EXPECT_TRUE(match(R"(title pr or userName pr)"));
  EXPECT_TRUE(match(R"(not (department eq "Sales"))"));  // absent: the comparison is false
  EXPECT_TRUE(match(R"(userType eq "Employee" or active eq true and loginCount gt 40)"));
  EXPECT_FALSE(match(R"((userType eq "Employee" or active eq true) and loginCount gt 50)"));
}

TEST(FilterEvaluator, EvaluatesAPatchValueFilterAgainstOneElement) {
  const auto path = parse_patch_path(R"(emails[type eq "WORK"].value)");
  ASSERT_TRUE(path.has_value()) << path.error().message;
  const auto& emails = user().at("emails").as_array();
  std::set<std::string> asked;
  const CaseExactFn record = [&](const AttributePath& p) {
    asked.insert(p.to_string());
    return false;
  };
  EXPECT_TRUE(matches_element(*path->value_filter, emails[0].as_object(), path->attribute, record));
  EXPECT_FALSE(
      matches_element(*path->value_filter, emails[1].as_object(), path->attribute, record));
  EXPECT_EQ(asked, std::set<std::string>{"emails.type"});
}

}  // namespace
}  // namespace rosterd::scim
