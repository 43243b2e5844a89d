// rules[].when: the conditions of a rule, read into the typed tree of config/rule_condition.h.
// Everything that can be checked without an identity is checked here: the shape, attribute
// names, regular expressions (compiled once, so that a bad one is reported at its place)
// and that a named source feeds the rule's space.
//
// Grammar. A condition map is a YAML map; when it has several keys, all of them must hold.
//
//   when: CONDITIONS                        a condition map
//   CONDITIONS keys:
//     group: PATTERN | [PATTERN, ...]       member of that group (of any of them); PATTERN is
//                                           a DN or a display name, '*' and '?' are wildcards
//     attribute: {NAME: TEST, ...}          every attribute named passes its test
//         TEST = VALUE                      shorthand for {equals: VALUE}
//              | {equals: VALUE} | {in: [VALUE, ...]} | {matches: REGEX}
//              | {present: true} | {absent: true}        (exactly one of these)
//         NAME = letters, digits, '.', ':', '-' and '_' (URN-qualified SCIM names fit)
//     source: ID | [ID, ...]                seen by that source (by any of them): sources
//                                           of the rule's space
//     all: [CONDITIONS, ...]                every one holds
//     any: [CONDITIONS, ...]                at least one holds
//     not: CONDITIONS                       it does not hold
//   all, any and not nest at most 32 deep. Lists are never empty.
//
// The tree: a map of several keys is an All node of them in file order (a map of one key
// is that key's node); a list under 'group' is an Any node of Group nodes; several
// attributes are an All node of Attribute nodes; a list under 'source' is one Source node.
// Where each node points: all, any, not, the list of 'group' and the several attributes
// of 'attribute' at their key; an attribute at its name; a group at its pattern; a source
// test at its value; the All node of a map at the map.
#include <algorithm>
#include <array>
#include <cctype>
#include <optional>
#include <string>
#include <vector>

#include "config/config_sections.h"
#include "config/regex.h"
#include "config/value_checks.h"

namespace rosterd::config_detail {
namespace {

// A pattern with '=' is taken as a DN (RFC 4514): comma-separated RDNs, each
// `type=value` ('+' joins several in one RDN), the type a name or an OID, '\' escaping the
// next character. Wildcards may stand anywhere in values. Display names have no '='.
std::optional<std::string> dn_pattern_problem(std::string_view pattern) {
  if (pattern.find('=') == std::string_view::npos) return std::nullopt;
  std::vector<std::string> parts;
  std::string current;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    const char c = pattern[i];
    if (c == '\\' && i + 1 < pattern.size()) {
      current += c;
      current += pattern[++i];
    } else if (c == ',' || c == '+') {
      parts.push_back(std::move(current));
      current.clear();
    } else {
      current += c;
    }
  }
  parts.push_back(std::move(current));
  for (const std::string& part : parts) {
    const auto begin = part.find_first_not_of(' ');
    const std::string_view rdn = begin == std::string::npos ? std::string_view() : std::string_view(part).substr(begin);
    const auto equals = rdn.find('=');
    if (rdn.empty()) return "an empty RDN (two separators in a row, or one at an end)";
    if (equals == std::string_view::npos) return "'" + std::string(rdn) + "' has no '=' (expected type=value)";
    std::string_view type = rdn.substr(0, equals);
    while (!type.empty() && type.back() == ' ') type.remove_suffix(1);
    const bool name = !type.empty() && std::isalpha(static_cast<unsigned char>(type.front())) &&
                      std::all_of(type.begin(), type.end(), [](char ch) {
                        return std::isalnum(static_cast<unsigned char>(ch)) || ch == '-';
                      });
    const bool oid = !type.empty() && std::all_of(type.begin(), type.end(), [](char ch) {
      return std::isdigit(static_cast<unsigned char>(ch)) || ch == '.';
    });
    if (!name && !oid && type != "*")
      return "'" + std::string(type) + "' is not an attribute type (expected e.g. CN, OU, DC)";
  }
  return std::nullopt;
}

using namespace std::string_view_literals;

constexpr int kMaxDepth = 32;
constexpr std::array kConditionKeys{"group"sv, "attribute"sv, "source"sv,
                                    "all"sv,   "any"sv,       "not"sv};
constexpr std::array kTestKeys{"equals"sv, "in"sv, "matches"sv, "present"sv, "absent"sv};
constexpr std::string_view kConditionExample = "such as {group: \"CN=Staff*\"}";

// Reads one rule's conditions. Each function returns nullopt after reporting a problem;
// the siblings of a bad node are still read, so that every problem is reported.
class ConditionReader {
 public:
  ConditionReader(const std::string& space, const ReadContext& ctx)
      : space_(space), ctx_(ctx), problems_(ctx.problems) {}

  // `depth` counts the all, any and not above the map.
  std::optional<Condition> conditions(const Field& field, int depth);

 private:
  std::optional<Condition> condition(const MapEntry& entry, int depth);
  std::optional<Condition> groups(const Field& field);
  std::optional<Condition> group(const Field& field);
  std::optional<Condition> attributes(const Field& field);
  std::optional<Condition> attribute(const MapEntry& entry);
  bool read_test(const Field& field, Condition& out);
  bool read_operand(const MapEntry& test, Condition& out);
  std::optional<Condition> sources(const Field& field);
  std::optional<Condition> list(Condition::Kind kind, const Field& field, int depth);
  std::optional<Condition> negation(const Field& field, int depth);

  Condition node(Condition::Kind kind, Mark at) const {
    Condition c;
    c.kind = kind;
    c.location = problems_.location(at);
    return c;
  }
  void expected(const Field& field, std::string_view what) {
    problems_.add(field.at, field.path,
                  "expected " + std::string(what) + ", got " + describe(field.node));
  }
  // An All or Any node of `children`, or nullopt if any of them is missing; one child
  // stands for itself when `collapse_one` (a map of one key is that key's condition).
  static std::optional<Condition> combine(Condition parent,
                                          std::vector<std::optional<Condition>> children,
                                          bool collapse_one);

  const std::string& space_;
  const ReadContext& ctx_;
  Problems& problems_;
};

std::optional<Condition> ConditionReader::combine(Condition parent,
                                                  std::vector<std::optional<Condition>> children,
                                                  bool collapse_one) {
  for (auto& child : children) {
    if (!child) return std::nullopt;
    parent.children.push_back(std::move(*child));
  }
  if (collapse_one && parent.children.size() == 1) return std::move(parent.children.front());
  return parent;
}

std::optional<Condition> ConditionReader::conditions(const Field& field, int depth) {
  if (depth > kMaxDepth) {
    problems_.add(field.at, field.path,
                  "conditions nest more than " + std::to_string(kMaxDepth) +
                      " levels deep (all, any, not): split the rule or simplify it");
    return std::nullopt;
  }
  if (!field.node.IsMap()) {
    expected(field, "a map of conditions " + std::string(kConditionExample));
    return std::nullopt;
  }
  if (field.node.size() == 0) {
    problems_.add(field.at, field.path,
                  "expected at least one condition, " + std::string(kConditionExample));
    return std::nullopt;
  }
  const MapView map(field, problems_);
  std::vector<std::optional<Condition>> children;
  for (const auto& entry : map.entries()) children.push_back(condition(entry, depth));
  // Keys MapView refused (duplicates, non-names) are already reported.
  if (map.entries().size() != field.node.size()) return std::nullopt;
  return combine(node(Condition::Kind::All, field.at), std::move(children), true);
}

std::optional<Condition> ConditionReader::condition(const MapEntry& entry, int depth) {
  const Field& value = entry.value;
  if (entry.key == "group") return groups(value);
  if (entry.key == "attribute") return attributes(value);
  if (entry.key == "source") return sources(value);
  if (entry.key == "all") return list(Condition::Kind::All, value, depth);
  if (entry.key == "any") return list(Condition::Kind::Any, value, depth);
  if (entry.key == "not") return negation(value, depth);
  report_unknown_key(entry, kConditionKeys, problems_);
  return std::nullopt;
}

std::optional<Condition> ConditionReader::groups(const Field& field) {
  if (field.node.IsScalar()) return group(field);
  if (!field.node.IsSequence()) {
    expected(field, "a group's DN or display name, or a list of them");
    return std::nullopt;
  }
  const auto items = list_items(field, problems_);
  if (items.empty()) {
    problems_.add(field.at, field.path, "expected at least one group");
    return std::nullopt;
  }
  std::vector<std::optional<Condition>> children;
  for (const Field& item : items) children.push_back(group(item));
  return combine(node(Condition::Kind::Any, field.key_at), std::move(children), false);
}

std::optional<Condition> ConditionReader::group(const Field& field) {
  auto pattern = read_string(field, problems_);
  if (!pattern) return std::nullopt;
  if (pattern->empty()) {
    problems_.add(field.at, field.path, "expected a group's DN or display name, got an empty string");
    return std::nullopt;
  }
  if (const auto problem = dn_pattern_problem(*pattern)) {
    problems_.add(field.at, field.path, "'" + *pattern + "' is not a valid DN: " + *problem);
    return std::nullopt;
  }
  Condition c = node(Condition::Kind::Group, field.at);
  c.glob = pattern->find_first_of("*?") != std::string::npos;
  c.pattern = std::move(*pattern);
  return c;
}

std::optional<Condition> ConditionReader::attributes(const Field& field) {
  if (!field.node.IsMap()) {
    expected(field, "a map of attribute names to tests such as {title: {matches: \"^Sourcer\"}}");
    return std::nullopt;
  }
  if (field.node.size() == 0) {
    problems_.add(field.at, field.path,
                  "expected at least one attribute test, such as {title: {matches: \"^Sourcer\"}}");
    return std::nullopt;
  }
  const MapView map(field, problems_);
  std::vector<std::optional<Condition>> children;
  for (const auto& entry : map.entries()) children.push_back(attribute(entry));
  if (map.entries().size() != field.node.size()) return std::nullopt;
  return combine(node(Condition::Kind::All, field.key_at), std::move(children), true);
}

std::optional<Condition> ConditionReader::attribute(const MapEntry& entry) {
  bool ok = true;
  if (!is_attribute_name(entry.key)) {
    problems_.add(entry.value.key_at, entry.value.path,
                  "attribute name '" + entry.key + "' " + std::string(kAttributeNameRule));
    ok = false;
  }
  Condition c = node(Condition::Kind::Attribute, entry.value.key_at);
  c.attribute = entry.key;
  ok = read_test(entry.value, c) && ok;
  if (!ok) return std::nullopt;
  return c;
}

// VALUE (shorthand for equals) or a map with exactly one test.
bool ConditionReader::read_test(const Field& field, Condition& out) {
  if (field.node.IsScalar()) {
    auto value = read_string(field, problems_);
    if (!value) return false;
    out.test = Condition::Test::Equals;
    out.values.push_back(std::move(*value));
    return true;
  }
  if (!field.node.IsMap()) {
    std::string what =
        "expected a value or a map with one test (equals, in, matches, present, "
        "absent), got " +
        describe(field.node);
    if (field.node.IsSequence()) what += "; for any of several values write {in: [...]}";
    problems_.add(field.at, field.path, std::move(what));
    return false;
  }
  const MapView tests(field, problems_);
  tests.allow_only(kTestKeys, problems_);
  const MapEntry* chosen = nullptr;
  bool ok = tests.entries().size() == field.node.size();
  for (const auto& entry : tests.entries()) {
    if (std::find(kTestKeys.begin(), kTestKeys.end(), entry.key) == kTestKeys.end()) {
      ok = false;  // reported by allow_only
    } else if (chosen) {
      problems_.add(entry.value.key_at, entry.value.path,
                    "one test per attribute, and '" + chosen->key +
                        "' is already given; combine tests with all or any");
      ok = false;
    } else {
      chosen = &entry;
    }
  }
  if (!chosen && field.node.size() == 0)
    problems_.add(field.at, field.path,
                  "expected one test: equals, in, matches, present or absent");
  if (!chosen) return false;
  return read_operand(*chosen, out) && ok;
}

bool ConditionReader::read_operand(const MapEntry& test, Condition& out) {
  const Field& field = test.value;
  if (test.key == "equals" || test.key == "matches") {
    auto value = read_string(field, problems_);
    if (!value) return false;
    out.test = test.key == "equals" ? Condition::Test::Equals : Condition::Test::Matches;
    if (out.test == Condition::Test::Matches) {
      if (const auto regex = Regex::compile(*value); !regex) {
        problems_.add(field.at, field.path, regex.error().message);
        return false;
      }
    }
    out.values.push_back(std::move(*value));
    return true;
  }
  if (test.key == "in") {
    auto values = read_string_list(field, problems_);
    if (!values) return false;
    if (values->empty()) {
      problems_.add(field.at, field.path, "expected at least one value");
      return false;
    }
    out.test = Condition::Test::In;
    out.values = std::move(*values);
    return true;
  }
  // present | absent: only 'true' is a test; 'false' is the other one.
  const auto value = read_bool(field, problems_);
  if (!value) return false;
  const bool present = test.key == "present";
  if (!*value) {
    problems_.add(field.at, field.path,
                  present ? "'present: false' is not a test: write 'absent: true'"
                          : "'absent: false' is not a test: write 'present: true'");
    return false;
  }
  out.test = present ? Condition::Test::Present : Condition::Test::Absent;
  return true;
}

std::optional<Condition> ConditionReader::sources(const Field& field) {
  std::vector<Field> items;
  if (field.node.IsScalar()) {
    items.push_back(field);
  } else if (field.node.IsSequence()) {
    items = list_items(field, problems_);
    if (items.empty()) {
      problems_.add(field.at, field.path, "expected at least one source id");
      return std::nullopt;
    }
  } else {
    expected(field, "a source id or a list of them");
    return std::nullopt;
  }
  Condition c = node(Condition::Kind::Source, field.at);
  bool ok = true;
  for (const Field& item : items) {
    auto id = read_string(item, problems_);
    if (!id) {
      ok = false;
    } else if (std::find(c.sources.begin(), c.sources.end(), *id) != c.sources.end()) {
      problems_.add(item.at, item.path, "source '" + *id + "' is listed twice");
      ok = false;
    } else {
      ok = check_source_reference(item, *id, space_, ctx_) && ok;
      c.sources.push_back(std::move(*id));
    }
  }
  if (!ok) return std::nullopt;
  return c;
}

std::optional<Condition> ConditionReader::list(Condition::Kind kind, const Field& field,
                                               int depth) {
  if (!field.node.IsSequence()) {
    expected(field, "a list of condition maps " + std::string(kConditionExample));
    return std::nullopt;
  }
  const auto items = list_items(field, problems_);
  if (items.empty()) {
    problems_.add(field.at, field.path, "expected at least one condition");
    return std::nullopt;
  }
  std::vector<std::optional<Condition>> children;
  for (const Field& item : items) children.push_back(conditions(item, depth + 1));
  return combine(node(kind, field.key_at), std::move(children), false);
}

std::optional<Condition> ConditionReader::negation(const Field& field, int depth) {
  auto child = conditions(field, depth + 1);
  if (!child) return std::nullopt;
  Condition c = node(Condition::Kind::Not, field.key_at);
  c.children.push_back(std::move(*child));
  return c;
}

}  // namespace

Condition read_conditions(const Field& when, const std::string& space, const ReadContext& ctx) {
  ConditionReader reader(space, ctx);
  return reader.conditions(when, 0).value_or(Condition{});
}

}  // namespace rosterd::config_detail
