// Internal to config/: one reader per top-level key of rosterd.yaml. Each reads its part of
// the file into the Config, reporting every problem and carrying on, so that one run lists
// them all. parse_config() calls them in this order: spaces before roles (role licences are
// checked against the spaces), both before sources and rules (which refer to them). A
// space's 'correlate.precedence' names sources, which come later: read_spaces() keeps those
// names in the context and check_source_precedence() checks them once the sources are read.
#pragma once

#include <filesystem>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"
#include "config/config_problems.h"
#include "config/yaml_field.h"

namespace rosterd::config_detail {

struct ReadContext {
  Problems& problems;
  Config& config;
  // Relative sqlite paths are taken from here: the directory of the configuration file.
  std::filesystem::path base_dir;
  // Roles whose override was refused: rules naming them are not checked again.
  std::set<std::string, std::less<>> refused_roles;
  // Each item of a space's 'correlate.precedence', to check once the sources are read.
  struct SourceReference {
    std::string space;
    std::string source;
    Field item;
  };
  std::vector<SourceReference> precedence_items;
};

void read_store(const Field& field, ReadContext& ctx);
void read_listen(const Field& field, ReadContext& ctx);
void read_spaces(const Field& field, ReadContext& ctx);
void read_roles(const Field& field, ReadContext& ctx);
void read_sources(const Field& field, ReadContext& ctx);
void read_rules(const Field& field, ReadContext& ctx);

// The keys an ldap source accepts besides id, kind and space.
std::span<const std::string_view> ldap_source_keys();
// The settings of an ldap source (see SourceConfig::settings), from the source's map.
void read_ldap_settings(const MapView& source, SourceConfig& out, Problems& problems);

// Reports a reference to a space that is not defined; true if the space exists.
bool check_space_reference(const Field& field, const std::string& space_id, const ReadContext& ctx);
// Reports a reference to a source that is not defined, or that feeds another space than
// `space_id` (not checked when that space is not defined); true if the reference is good.
bool check_source_reference(const Field& field, const std::string& source_id,
                            const std::string& space_id, const ReadContext& ctx);
// Checks the precedence_items kept by read_spaces(); called after read_sources().
void check_source_precedence(const ReadContext& ctx);

// A rule's 'when' as a condition tree (grammar in read_conditions.cpp); `space` is the
// rule's space, whose sources a 'source' test may name. After a problem the tree is
// incomplete: the problems decide whether the configuration is accepted.
Condition read_conditions(const Field& when, const std::string& space, const ReadContext& ctx);

}  // namespace rosterd::config_detail
