// The 'when' of a rule as a typed tree, read and checked by config/read_conditions.cpp and
// evaluated by mapping/. Every node keeps its place in the file so that lint warnings and
// explain output can point at it.
//
// YAML shape (a map is the conjunction of its keys):
//   when: {group: "CN=Recruiting-*"}                       membership, direct or nested
//   when: {attribute: {title: {matches: "^Sourcer"}}}      equals | in | matches | present | absent
//   when: {attribute: {employeeType: Contractor}}          shorthand for equals
//   when: {source: okta}                                   or a list: any of these sources
//   when: {all: [ {...}, {...} ]}   {any: [ ... ]}   {not: {...}}
#pragma once

#include <string>
#include <vector>

#include "config/source_location.h"

namespace rosterd {

struct Condition {
  enum class Kind { All, Any, Not, Group, Attribute, Source };
  enum class Test { Equals, In, Matches, Present, Absent };

  Kind kind = Kind::All;
  // All, Any: one or more; Not: exactly one.
  std::vector<Condition> children;
  // Group: the pattern as written, matched case-insensitively against a group's display
  // name and its DN (DNs compared in normalised form, RFC 4514). '*' and '?' are
  // wildcards when `glob` is true (the pattern contains one of them).
  std::string pattern;
  bool glob = false;
  // Attribute: the attribute's name as written (compared case-insensitively), the test,
  // and its operands: Equals one value, In several, Matches one regular expression
  // (PCRE2 syntax, already compiled once by the config reader), none for Present/Absent.
  // Values compare case-insensitively.
  std::string attribute;
  Test test = Test::Equals;
  std::vector<std::string> values;
  // Source: the source ids (any of them).
  std::vector<std::string> sources;

  SourceLocation location;
};

}  // namespace rosterd
