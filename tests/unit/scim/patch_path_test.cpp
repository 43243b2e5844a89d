// parse_patch_path() reads RFC 7644 section 3.5.2 PATH = attrPath / valuePath [subAttr]
// as Okta and Entra ID write it, and refuses anything else with ErrorCode::InvalidPath.
#include <gtest/gtest.h>

#include <string>

#include "scim/filter_parser.h"
#include "tests/unit/scim/predicate_printer.h"

namespace rosterd::scim {
namespace {

constexpr const char* kEnterprise = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

// "schema|attribute|sub_attribute|filter|sub_attribute after ]" — one string to compare.
std::string parsed_path(std::string_view text) {
  auto result = parse_patch_path(text);
  if (!result) return "error: " + result.error().message;
  const PatchPath& p = *result;
  return p.attribute.schema + "|" + p.attribute.attribute + "|" + p.attribute.sub_attribute + "|" +
         (p.value_filter ? testing::print(*p.value_filter) : "") + "|" + p.sub_attribute;
}

std::string path_error(std::string_view text) {
  auto result = parse_patch_path(text);
  if (result) return "parsed: " + parsed_path(text);
  EXPECT_EQ(result.error().code, ErrorCode::InvalidPath) << text;
  return result.error().message;
}

TEST(PatchPath, ReadsPlainAndSubAttributePaths) {
  EXPECT_EQ(parsed_path("displayName"), "|displayName|||");
  EXPECT_EQ(parsed_path("name.givenName"), "|name|givenName||");
  EXPECT_EQ(parsed_path("members"), "|members|||");
}

TEST(PatchPath, ReadsSchemaQualifiedPaths) {
  EXPECT_EQ(parsed_path(std::string(kEnterprise) + ":manager"),
            std::string(kEnterprise) + "|manager|||");
  EXPECT_EQ(parsed_path(std::string(kEnterprise) + ":manager.value"),
            std::string(kEnterprise) + "|manager|value||");
  EXPECT_EQ(parsed_path("urn:ietf:params:scim:schemas:core:2.0:User:name.familyName"),
            "urn:ietf:params:scim:schemas:core:2.0:User|name|familyName||");
}

TEST(PatchPath, ReadsValueFiltersWithAndWithoutASubAttribute) {
  EXPECT_EQ(parsed_path(R"(emails[type eq "work"].value)"), R"(|emails||(eq type "work")|value)");
  EXPECT_EQ(parsed_path(R"(members[value eq "2819c223-7f76-453a-919d-413861904646"])"),
            R"(|members||(eq value "2819c223-7f76-453a-919d-413861904646")|)");
  EXPECT_EQ(parsed_path(R"(addresses[type eq "work" and primary eq true].streetAddress)"),
            R"(|addresses||(and (eq type "work") (eq primary true))|streetAddress)");
  EXPECT_EQ(
      parsed_path(R"(urn:ietf:params:scim:schemas:core:2.0:User:emails[type eq "work"].value)"),
      R"(urn:ietf:params:scim:schemas:core:2.0:User|emails||(eq type "work")|value)");
}

TEST(PatchPath, RefusesEmptyAndMalformedPathsWithInvalidPath) {
  EXPECT_EQ(path_error(""), "invalid path at position 1: the path is empty");
  EXPECT_EQ(path_error("1abc"),
            "invalid path at position 1: expected an attribute name (a letter, then letters, "
            "digits, '-' or "
            "'_'), found '1abc'");
  EXPECT_EQ(path_error("name.givenName.x"),
            "invalid path at position 15: a path names at most one sub-attribute (as in "
            "'name.familyName'), found '.x'");
  EXPECT_EQ(path_error(R"(userName eq "x")"),
            "invalid path at position 10: expected '[', or the end of the path, found 'eq'");
}

TEST(PatchPath, RefusesMalformedValueFiltersWithTheirPosition) {
  EXPECT_EQ(path_error(R"(emails[type eq "work")"),
            "invalid path at position 22: expected 'and', 'or' or ']' to close the '[' at position "
            "7, found "
            "the end of the path");
  EXPECT_EQ(path_error(R"(emails[type eq "work"].)"),
            "invalid path at position 24: expected a sub-attribute name after '].', found the end "
            "of the path");
  EXPECT_EQ(
      path_error(R"(emails[type eq "work"].value.x)"),
      "invalid path at position 24: expected a sub-attribute name after '].', found 'value.x'");
  EXPECT_EQ(path_error(R"(emails[type eq "work"]x)"),
            "invalid path at position 23: expected '.' and a sub-attribute name, or the end of the "
            "path, found 'x'");
  EXPECT_EQ(path_error(R"(emails[type eq "work"][value pr])"),
            "invalid path at position 23: expected '.' and a sub-attribute name, or the end of the "
            "path, found '['");
  EXPECT_EQ(path_error("name.x[type pr]"),
            "invalid path at position 7: a value filter '[...]' follows a multi-valued attribute, "
            "not the "
            "sub-attribute 'name.x'");
  EXPECT_EQ(path_error("emails[addresses[type pr]]"),
            "invalid path at position 17: a value filter '[...]' cannot contain another one");
  EXPECT_EQ(path_error("emails[type equals \"work\"]"),
            "invalid path at position 13: expected a comparison operator (eq, ne, co, sw, ew, gt, "
            "ge, lt, le, "
            "pr) after 'type', found 'equals'");
}

TEST(PatchPath, AppliesTheLimits) {
  EXPECT_EQ(path_error(std::string(9000, 'a')),
            "invalid path at position 8193: the path is longer than 8192 bytes");
  const std::string deep =
      "emails[" + std::string(40, '(') + "value pr" + std::string(40, ')') + "]";
  EXPECT_EQ(path_error(deep),
            "invalid path at position 39: the path nests deeper than 32 levels of parentheses and "
            "brackets");
}

}  // namespace
}  // namespace rosterd::scim
