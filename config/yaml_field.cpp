#include "config/yaml_field.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <charconv>

#include "config/closest_name.h"
#include "core/email.h"

namespace rosterd::config_detail {
namespace {

std::string child_path(const std::string& parent, std::string_view key) {
  return parent.empty() ? std::string(key) : parent + "." + std::string(key);
}

// yaml-cpp tags a quoted scalar "!" and a plain one "?": "25" in quotes is a string.
bool is_quoted(const YAML::Node& node) { return node.Tag() == "!"; }

void report_expected(const Field& field, std::string_view expected, Problems& problems) {
  problems.add(field.at, field.path,
               "expected " + std::string(expected) + ", got " + describe(field.node));
}

}  // namespace

Field root_field(const YAML::Node& node) {
  const Mark at = mark_of(node.Mark());
  return Field{node, "", at, at};
}

std::string describe(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map:
      return "a map";
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Scalar:
      break;
    default:
      return "nothing";
  }
  constexpr std::size_t kMaxShown = 40;
  std::string text = node.Scalar();
  if (text.size() > kMaxShown) text = text.substr(0, kMaxShown) + "...";
  return (is_quoted(node) ? "the quoted string '" : "'") + text + "'";
}

MapView::MapView(const Field& field, Problems& problems) : field_(field) {
  if (!field.node.IsMap()) {
    report_expected(field, "a map", problems);
    return;
  }
  is_map_ = true;
  for (auto it = field.node.begin(); it != field.node.end(); ++it) {
    const Mark key_at = mark_of(it->first.Mark());
    if (!it->first.IsScalar() || it->first.Scalar().empty()) {
      problems.add(key_at, field.path, "expected a name as key, got " + describe(it->first));
      continue;
    }
    const std::string key = it->first.Scalar();
    const Mark value_at = it->second.IsNull() ? key_at : mark_of(it->second.Mark());
    const std::string path = child_path(field.path, key);
    const auto same = std::find_if(entries_.begin(), entries_.end(),
                                   [&](const MapEntry& e) { return e.key == key; });
    if (same != entries_.end()) {
      problems.add(
          key_at, path,
          "duplicate key (first given at line " + std::to_string(same->value.key_at.line) + ")");
      continue;
    }
    entries_.push_back(MapEntry{key, Field{it->second, path, value_at, key_at}});
  }
}

std::optional<Field> MapView::get(std::string_view key) const {
  for (const auto& e : entries_)
    if (e.key == key) return e.value;
  return std::nullopt;
}

std::optional<Field> MapView::require(std::string_view key, Problems& problems) const {
  auto found = get(key);
  if (!found && is_map_) problems.add(field_.key_at, child_path(field_.path, key), "is required");
  return found;
}

void MapView::allow_only(std::span<const std::string_view> known, Problems& problems) const {
  for (const auto& e : entries_)
    if (std::find(known.begin(), known.end(), e.key) == known.end())
      report_unknown_key(e, known, problems);
}

void report_unknown_key(const MapEntry& entry, std::span<const std::string_view> known,
                        Problems& problems) {
  std::string what = "unknown key '" + entry.key + "'";
  const std::string hint = did_you_mean(entry.key, known);
  what += hint.empty() ? " (expected one of: " + join_names(known) + ")" : hint;
  problems.add(entry.value.key_at, entry.value.path, std::move(what));
}

std::vector<Field> list_items(const Field& field, Problems& problems) {
  std::vector<Field> items;
  if (!field.node.IsSequence()) {
    report_expected(field, "a list", problems);
    return items;
  }
  std::size_t index = 0;
  for (const YAML::Node& item : field.node) {
    const Mark at = item.IsNull() ? field.at : mark_of(item.Mark());
    items.push_back(Field{item, field.path + "[" + std::to_string(index++) + "]", at, at});
  }
  return items;
}

std::string IntRange::describe() const {
  constexpr auto kLowest = std::numeric_limits<std::int64_t>::min();
  constexpr auto kHighest = std::numeric_limits<std::int64_t>::max();
  if (min == kLowest && max == kHighest) return "a whole number";
  if (max == kHighest) return "a whole number >= " + std::to_string(min);
  if (min == kLowest) return "a whole number <= " + std::to_string(max);
  return "a whole number from " + std::to_string(min) + " to " + std::to_string(max);
}

std::optional<std::string> read_string(const Field& field, Problems& problems) {
  if (!field.node.IsScalar() || field.node.Scalar().empty()) {
    report_expected(field, "a non-empty string", problems);
    return std::nullopt;
  }
  return field.node.Scalar();
}

std::optional<std::string> read_email(const Field& field, Problems& problems) {
  auto email = read_string(field, problems);
  if (!email) return std::nullopt;
  if (const auto problem = email_problem(*email)) {
    problems.add(field.at, field.path,
                 "'" + *email + "' is not a valid email address: it " + *problem);
    return std::nullopt;
  }
  return email;
}

std::optional<std::int64_t> read_int(const Field& field, IntRange range, Problems& problems) {
  std::int64_t value = 0;
  bool ok = field.node.IsScalar() && !is_quoted(field.node);
  if (ok) {
    const std::string& text = field.node.Scalar();
    const char* begin = text.data();
    if (!text.empty() && text.front() == '+') ++begin;
    const auto [end, ec] = std::from_chars(begin, text.data() + text.size(), value);
    ok = ec == std::errc() && end == text.data() + text.size() && begin != end;
  }
  if (!ok || value < range.min || value > range.max) {
    report_expected(field, range.describe(), problems);
    return std::nullopt;
  }
  return value;
}

std::optional<bool> read_bool(const Field& field, Problems& problems) {
  if (field.node.IsScalar() && !is_quoted(field.node)) {
    const std::string text = ascii_lower(field.node.Scalar());
    if (text == "true") return true;
    if (text == "false") return false;
  }
  report_expected(field, "true or false", problems);
  return std::nullopt;
}

std::optional<std::string> read_choice(const Field& field,
                                       std::span<const std::string_view> choices,
                                       Problems& problems) {
  if (field.node.IsScalar()) {
    const std::string& text = field.node.Scalar();
    if (std::find(choices.begin(), choices.end(), text) != choices.end()) return text;
    problems.add(field.at, field.path,
                 "expected one of " + join_names(choices) + ", got '" + text + "'" +
                     did_you_mean(text, choices));
    return std::nullopt;
  }
  report_expected(field, "one of " + join_names(choices), problems);
  return std::nullopt;
}

std::optional<std::vector<std::string>> read_string_list(const Field& field, Problems& problems) {
  if (!field.node.IsSequence()) {
    report_expected(field, "a list of strings", problems);
    return std::nullopt;
  }
  std::vector<std::string> out;
  bool ok = true;
  for (const Field& item : list_items(field, problems)) {
    auto text = read_string(item, problems);
    if (text) out.push_back(std::move(*text));
    ok = ok && text.has_value();
  }
  if (!ok) return std::nullopt;
  return out;
}

}  // namespace rosterd::config_detail
