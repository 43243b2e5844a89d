// The settings of an ldap source, checked for shape and flattened into SourceConfig::settings
// by key path; the LDAP connector gives them their meaning.
#include <array>
#include <vector>

#include "config/config_sections.h"
#include "config/duration.h"

namespace rosterd::config_detail {
namespace {

using namespace std::string_view_literals;

enum class Kind { Text, Bool, Count, Duration, Choice, Urls, Lines };

struct Leaf {
  std::string_view key;
  Kind kind;
  std::span<const std::string_view> choices = {};
};

struct Section {
  std::string_view key;
  std::span<const Leaf> leaves;
};

constexpr std::array kDialects{"ad"sv, "openldap"sv};
constexpr std::array kScopes{"base"sv, "one"sv, "sub"sv};
constexpr std::array kMemberships{"member"sv, "uniqueMember"sv, "memberOf"sv};

constexpr std::array kTopLeaves{
    Leaf{"dialect", Kind::Choice, kDialects},
    Leaf{"urls", Kind::Urls},
    Leaf{"start_tls", Kind::Bool},
    Leaf{"ca_file", Kind::Text},
    Leaf{"bind_dn", Kind::Text},
    Leaf{"bind_password_file", Kind::Text},
    Leaf{"bind_password_env", Kind::Text},
    Leaf{"sasl_mech", Kind::Text},
    Leaf{"client_cert", Kind::Text},
    Leaf{"client_key", Kind::Text},
    Leaf{"membership", Kind::Choice, kMemberships},
    Leaf{"interval", Kind::Duration},
    Leaf{"full_every", Kind::Duration},
    Leaf{"network_timeout", Kind::Duration},
    Leaf{"search_timeout", Kind::Duration},
    Leaf{"follow_referrals", Kind::Bool},
    Leaf{"page_size", Kind::Count},
};
constexpr std::array kSearchLeaves{Leaf{"base", Kind::Text}, Leaf{"filter", Kind::Text},
                                   Leaf{"scope", Kind::Choice, kScopes}};
constexpr std::array kStatusLeaves{Leaf{"attribute", Kind::Text},
                                   Leaf{"disabled_values", Kind::Lines},
                                   Leaf{"locked_attribute", Kind::Text}};
constexpr std::array kSections{Section{"users", kSearchLeaves}, Section{"groups", kSearchLeaves},
                               Section{"status", kStatusLeaves}};
constexpr std::string_view kAttributes = "attributes";
// Refused with its own message: a password never sits in the configuration file.
constexpr std::string_view kInlinePassword = "bind_password";

std::string join(const std::vector<std::string>& items, char separator) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += separator;
    out += item;
  }
  return out;
}

std::optional<std::string> read_urls(const Field& field, Problems& problems) {
  const auto urls = read_string_list(field, problems);
  if (!urls) return std::nullopt;
  if (urls->empty()) problems.add(field.at, field.path, "expected at least one LDAP URL");
  bool ok = !urls->empty();
  for (const auto& url : *urls) {
    const bool scheme =
        url.starts_with("ldap://") || url.starts_with("ldaps://") || url.starts_with("ldapi://");
    if (!scheme || url.find_first_of(" \t") != std::string::npos) {
      problems.add(field.at, field.path,
                   "expected URLs starting with ldap://, ldaps:// or ldapi://, got '" + url + "'");
      ok = false;
    }
  }
  if (!ok) return std::nullopt;
  return join(*urls, ' ');
}

std::optional<std::string> read_leaf(const Field& field, const Leaf& leaf, Problems& problems) {
  switch (leaf.kind) {
    case Kind::Text:
      return read_string(field, problems);
    case Kind::Choice:
      return read_choice(field, leaf.choices, problems);
    case Kind::Urls:
      return read_urls(field, problems);
    case Kind::Bool: {
      const auto value = read_bool(field, problems);
      if (!value) return std::nullopt;
      return *value ? "true" : "false";
    }
    case Kind::Count: {
      const auto value = read_int(field, IntRange{0}, problems);
      if (!value) return std::nullopt;
      return std::to_string(*value);
    }
    case Kind::Duration: {
      const auto text = read_string(field, problems);
      if (text && !parse_duration(*text)) {
        problems.add(field.at, field.path,
                     "expected a duration such as 30s, 5m, 6h or 1d, got '" + *text + "'");
        return std::nullopt;
      }
      return text;
    }
    case Kind::Lines: {
      const auto lines = read_string_list(field, problems);
      if (!lines) return std::nullopt;
      return join(*lines, '\n');
    }
  }
  return std::nullopt;
}

void read_leaves(const MapView& map, std::span<const Leaf> leaves, const std::string& prefix,
                 SourceConfig& out, Problems& problems) {
  for (const Leaf& leaf : leaves)
    if (const auto field = map.get(leaf.key))
      if (auto value = read_leaf(*field, leaf, problems))
        out.settings[prefix + std::string(leaf.key)] = std::move(*value);
}

void read_section(const Field& field, const Section& section, SourceConfig& out,
                  Problems& problems) {
  const MapView map(field, problems);
  std::vector<std::string_view> keys;
  for (const Leaf& leaf : section.leaves) keys.push_back(leaf.key);
  map.allow_only(keys, problems);
  read_leaves(map, section.leaves, std::string(section.key) + ".", out, problems);
  if (section.key == "users") map.require("base", problems);
}

void read_attributes(const Field& field, SourceConfig& out, Problems& problems) {
  const MapView map(field, problems);
  for (const auto& e : map.entries())
    if (auto value = read_string(e.value, problems))
      out.settings[std::string(kAttributes) + "." + e.key] = std::move(*value);
}

// Settings that only make sense together, or only one at a time.
void check_pairs(const MapView& source, Problems& problems) {
  const auto file = source.get("bind_password_file");
  const auto env = source.get("bind_password_env");
  if (file && env)
    problems.add(env->key_at, env->path,
                 "give either bind_password_file or bind_password_env, not both");
  const auto cert = source.get("client_cert");
  const auto key = source.get("client_key");
  if (cert && !key)
    problems.add(cert->key_at, cert->path, "client_key is required with client_cert");
  if (key && !cert) problems.add(key->key_at, key->path, "client_cert is required with client_key");
  if (const auto inline_password = source.get(kInlinePassword))
    problems.add(inline_password->key_at, inline_password->path,
                 "a password is not accepted in the configuration file: put it in a file "
                 "readable only by rosterd and name it with bind_password_file, or name an "
                 "environment variable with bind_password_env");
}

}  // namespace

std::span<const std::string_view> ldap_source_keys() {
  static const std::vector<std::string_view> keys = [] {
    std::vector<std::string_view> all;
    for (const Leaf& leaf : kTopLeaves) all.push_back(leaf.key);
    for (const Section& section : kSections) all.push_back(section.key);
    all.push_back(kAttributes);
    all.push_back(kInlinePassword);
    return all;
  }();
  return keys;
}

void read_ldap_settings(const MapView& source, SourceConfig& out, Problems& problems) {
  read_leaves(source, kTopLeaves, "", out, problems);
  for (const Section& section : kSections)
    if (const auto field = source.get(section.key)) read_section(*field, section, out, problems);
  if (const auto attributes = source.get(kAttributes)) read_attributes(*attributes, out, problems);
  source.require("urls", problems);
  source.require("users", problems);
  check_pairs(source, problems);
}

}  // namespace rosterd::config_detail
