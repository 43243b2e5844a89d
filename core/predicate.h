// A storage-neutral filter: what a SCIM filter (RFC 7644 section 3.4.2.2) means, parsed
// once in scim/ and then evaluated in memory (PATCH value filters, tests) or compiled by
// each store into its own parameterised SQL. Attribute names compare case-insensitively;
// whether values do depends on the attribute (caseExact in the schema), which the
// evaluator or compiler decides, not the tree.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace rosterd {

struct AttributePath {
  std::string schema;         // "urn:ietf:params:scim:schemas:core:2.0:User", or empty
  std::string attribute;      // "emails", "userName", "name" — as written
  std::string sub_attribute;  // "value", "familyName", or empty

  std::string to_string() const;  // "name.familyName", "urn:...:User:userName"
};

enum class CompareOp { Eq, Ne, Co, Sw, Ew, Gt, Ge, Lt, Le, Pr };

struct Literal {
  enum class Kind { Null, Boolean, Number, String };
  Kind kind = Kind::Null;
  bool boolean = false;
  double number = 0;
  std::string text;  // String; also the number exactly as written

  static Literal null() { return {}; }
  static Literal of(bool b) { Literal l; l.kind = Kind::Boolean; l.boolean = b; return l; }
  static Literal of_number(double n, std::string written) {
    Literal l; l.kind = Kind::Number; l.number = n; l.text = std::move(written); return l;
  }
  static Literal of(std::string s) { Literal l; l.kind = Kind::String; l.text = std::move(s); return l; }
};

struct Predicate;
using PredicatePtr = std::unique_ptr<Predicate>;

struct Comparison {
  AttributePath path;
  CompareOp op = CompareOp::Eq;
  Literal value;  // unused for Pr
};

// attribute[filter]: true when one element of the multi-valued attribute matches.
struct ValuePathFilter {
  AttributePath path;  // the multi-valued attribute (no sub-attribute)
  PredicatePtr filter; // paths inside are relative to one element
};

struct And { PredicatePtr left, right; };
struct Or { PredicatePtr left, right; };
struct Not { PredicatePtr inner; };

struct Predicate {
  std::variant<Comparison, ValuePathFilter, And, Or, Not> node;
};

std::string_view to_string(CompareOp op);  // "eq", "ne", ...

}  // namespace rosterd
