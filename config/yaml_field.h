// Internal to config/: reading yaml-cpp nodes with their key paths and positions, and
// reporting every wrong shape or value to Problems instead of stopping at the first.
// Readers return nullopt after reporting; callers go on with the next key.
#pragma once

#include <yaml-cpp/yaml.h>  // node.h alone leaves Node's inline members undefined

#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "config/config_problems.h"

namespace rosterd::config_detail {

// A value in the file, with the key path that names it and where to point at it.
struct Field {
  YAML::Node node;
  std::string path;  // "spaces.acme.licences", "sources[0].tokens[1]"
  Mark at;           // the value; its key when the value is empty ("key:" and nothing else)
  Mark key_at;       // the key naming the value (the value itself for list items)
};

Field root_field(const YAML::Node& node);

// "a map", "a list", "nothing" or the scalar quoted (shortened) for messages.
std::string describe(const YAML::Node& node);

struct MapEntry {
  std::string key;
  Field value;  // value.key_at is where the key is
};

// A map read from a Field: keys must be plain names, each given once. A value that is not
// a map is reported once and gives an empty view, so the caller carries on.
class MapView {
 public:
  MapView(const Field& field, Problems& problems);

  bool is_map() const { return is_map_; }
  const Field& field() const { return field_; }
  const std::vector<MapEntry>& entries() const { return entries_; }

  std::optional<Field> get(std::string_view key) const;
  // As get(), and reports the key as missing ("is required").
  std::optional<Field> require(std::string_view key, Problems& problems) const;
  // Reports each key not in `known`, suggesting the nearest known key.
  void allow_only(std::span<const std::string_view> known, Problems& problems) const;

 private:
  Field field_;
  bool is_map_ = false;
  std::vector<MapEntry> entries_;
};

// Reports `key` as unknown with a "did you mean" or the list of accepted keys.
void report_unknown_key(const MapEntry& entry, std::span<const std::string_view> known,
                        Problems& problems);

// Items of a list; a value that is not a list is reported and gives no items.
std::vector<Field> list_items(const Field& field, Problems& problems);

struct IntRange {
  std::int64_t min = std::numeric_limits<std::int64_t>::min();
  std::int64_t max = std::numeric_limits<std::int64_t>::max();
  std::string describe() const;  // "a whole number >= 0", "a whole number from 0 to 100"
};

// Any non-empty scalar, as written.
std::optional<std::string> read_string(const Field& field, Problems& problems);
// An email address as accounts use them (core/email.h), with what is wrong with it.
std::optional<std::string> read_email(const Field& field, Problems& problems);
// A plain (unquoted) scalar that is a whole number within `range`.
std::optional<std::int64_t> read_int(const Field& field, IntRange range, Problems& problems);
std::optional<bool> read_bool(const Field& field, Problems& problems);
// One of `choices`, exactly (with a suggestion for a near miss).
std::optional<std::string> read_choice(const Field& field,
                                       std::span<const std::string_view> choices,
                                       Problems& problems);
// A list of non-empty scalars; nullopt if the value or any item is wrong.
std::optional<std::vector<std::string>> read_string_list(const Field& field, Problems& problems);

}  // namespace rosterd::config_detail
