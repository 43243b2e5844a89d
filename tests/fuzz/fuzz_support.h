// What both SCIM fuzz targets share: the resource filters are evaluated against, a
// renderer that writes a Predicate back as filter text (the round-trip oracle: parsing
// what was rendered must give the same tree), and checks that stop the run on a broken
// property so libFuzzer records the input.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <variant>

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>

#include "core/error.h"
#include "core/predicate.h"
#include "scim/utf8.h"

namespace rosterd::scim::fuzz {

inline void require(bool condition, const char* what, std::string_view detail = {}) {
  if (condition) return;
  std::fprintf(stderr, "broken property: %s\n%.*s\n", what, static_cast<int>(detail.size()),
               detail.data());
  std::abort();
}

inline const boost::json::object& resource() {
  static const boost::json::object user = boost::json::parse(R"({
    "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
    "id": "2819c223", "externalId": "bjensen", "userName": "Bjensen@example.com",
    "name": {"familyName": "Jensen", "givenName": "Barbara", "middleName": ""},
    "title": "", "nickName": null, "active": true, "loginCount": 42, "ratio": -1.5e3,
    "emails": [{"value": "bjensen@example.com", "type": "work", "primary": true},
               {"value": "babs@jensen.org", "type": "home"}, "plain@example.org", null, 7],
    "tags": ["a", "B"], "phoneNumbers": [], "addresses": {},
    "meta": {"lastModified": "2011-05-13T04:42:34Z"},
    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {
      "employeeNumber": "701984", "manager": {"value": "26118915", "displayName": "John"}}
  })")
                                              .as_object();
  return user;
}

inline void append_json_string(std::string& out, std::string_view text) {
  out += '"';
  for (const char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      char escape[8];
      std::snprintf(escape, sizeof escape, "\\u%04X", static_cast<unsigned>(c));
      out += escape;
    } else {
      out += c;
    }
  }
  out += '"';
}

inline std::string render(const Predicate& p);

struct RenderNode {
  std::string operator()(const Comparison& c) const {
    std::string out = c.path.to_string() + " " + std::string(to_string(c.op));
    if (c.op == CompareOp::Pr) return out;
    out += ' ';
    switch (c.value.kind) {
      case Literal::Kind::Null:
        return out + "null";
      case Literal::Kind::Boolean:
        return out + (c.value.boolean ? "true" : "false");
      case Literal::Kind::Number:
        return out + c.value.text;
      case Literal::Kind::String:
        append_json_string(out, c.value.text);
        return out;
    }
    return out;
  }
  std::string operator()(const ValuePathFilter& f) const {
    return f.path.to_string() + "[" + render(*f.filter) + "]";
  }
  std::string operator()(const And& n) const {
    return "(" + render(*n.left) + " and " + render(*n.right) + ")";
  }
  std::string operator()(const Or& n) const {
    return "(" + render(*n.left) + " or " + render(*n.right) + ")";
  }
  std::string operator()(const Not& n) const { return "not (" + render(*n.inner) + ")"; }
};

inline std::string render(const Predicate& p) { return std::visit(RenderNode{}, p.node); }

// An error must carry its code, the "invalid <subject> at position N: " prefix with N
// within the text, and a message that is valid UTF-8 (it ends up in a JSON response).
inline void check_error(const Error& error, ErrorCode code, std::string_view prefix,
                        std::string_view text) {
  require(error.code == code, "error code", error.message);
  require(error.message.rfind(prefix, 0) == 0, "message prefix", error.message);
  const std::size_t position = std::strtoul(error.message.c_str() + prefix.size(), nullptr, 10);
  require(position >= 1 && position <= text.size() + 1, "position within the text", error.message);
  std::string_view rest = error.message;
  while (!rest.empty()) {
    const std::size_t length = utf8_sequence_length(rest);
    require(length > 0, "message is UTF-8", error.message);
    rest.remove_prefix(length);
  }
}

}  // namespace rosterd::scim::fuzz
