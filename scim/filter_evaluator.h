// Evaluates a Predicate against one SCIM resource held as JSON: PATCH value filters
// ("emails[type eq \"work\"]") and tests. Stores compile the same Predicate to SQL; where
// this file decides a question the RFC leaves open, the SQL compilers must agree with it.
//
// Semantics (RFC 7644 section 3.4.2.2):
// - attribute names match JSON keys in any case; a schema-qualified path looks inside the
//   extension object keyed by its URN, except a core schema URN
//   (urn:ietf:params:scim:schemas:core:2.0:...), which means the top level;
// - a multi-valued attribute matches when ANY element does; comparing a complex
//   attribute itself (`emails eq "x"`) compares its "value" sub-attribute;
// - `pr` is true when the attribute is present and not null, "", [] or {};
//   `eq null` is true when it is not present; `ne` is always the negation of `eq`, so an
//   absent attribute is `ne` to any value;
// - strings compare in ASCII case-insensitively unless case_exact says otherwise;
//   co/sw/ew apply to strings only; gt/ge/lt/le to strings (lexicographically, which
//   orders ISO 8601 timestamps of one format chronologically) and numbers, never to
//   booleans; eq compares booleans and numbers by value; values of different JSON types
//   never match;
// - inside attr[filter] paths name members of one element; an element that is a plain
//   string or number is seen as {"value": element}.
#pragma once

#include <functional>

#include <boost/json/object.hpp>

#include "core/predicate.h"

namespace rosterd::scim {

// Tells whether values of this attribute compare case-exactly (SCIM schema caseExact).
// Paths are given as the evaluator resolved them: inside emails[...] the path of `type`
// is {schema, "emails", "type"}; `emails eq "x"` asks about {schema, "emails", "value"}.
// The schema may be empty. An empty function means "never case-exact".
using CaseExactFn = std::function<bool(const AttributePath&)>;

bool matches(const Predicate& p, const boost::json::object& resource,
             const CaseExactFn& case_exact);

// The filter of attr[filter] against one element of `attribute` (a PATCH operation on
// "emails[type eq \"work\"].value" changes the elements for which this is true). Paths
// in `filter` name members of `element`; CaseExactFn is asked about them as
// {attribute.schema, attribute.attribute, member}.
bool matches_element(const Predicate& filter, const boost::json::object& element,
                     const AttributePath& attribute, const CaseExactFn& case_exact);

}  // namespace rosterd::scim
