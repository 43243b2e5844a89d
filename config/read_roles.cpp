// roles: overrides of the built-in role catalogue, and roles of the customer's own.
#include <algorithm>
#include <array>
#include <limits>

#include "config/closest_name.h"
#include "config/config_sections.h"

namespace rosterd::config_detail {
namespace {

using namespace std::string_view_literals;

std::vector<std::string> licences_of_all_spaces(const Config& config) {
  std::vector<std::string> names;
  for (const auto& s : config.spaces)
    for (const auto& [licence, seats] : s.space.licences)
      if (std::find(names.begin(), names.end(), licence) == names.end()) names.push_back(licence);
  return names;
}

// A role that may hold a licence no space sells is almost always a typo.
void check_licence_is_sold(const Field& item, const std::string& licence, const Config& config,
                           Problems& problems) {
  if (config.spaces.empty()) return;
  const auto sold = licences_of_all_spaces(config);
  if (std::find(sold.begin(), sold.end(), licence) != sold.end()) return;
  problems.add(item.at, item.path,
               "licence type '" + licence + "' is not in the licences of any space" +
                   did_you_mean(licence, sold));
}

std::optional<std::vector<std::string>> read_role_licences(const Field& field, ReadContext& ctx) {
  if (!field.node.IsSequence()) return read_string_list(field, ctx.problems);  // reports
  std::vector<std::string> out;
  bool ok = true;
  for (const Field& item : list_items(field, ctx.problems)) {
    const auto licence = read_string(item, ctx.problems);
    if (licence) {
      check_licence_is_sold(item, *licence, ctx.config, ctx.problems);
      out.push_back(*licence);
    }
    ok = ok && licence.has_value();
  }
  if (!ok) return std::nullopt;
  return out;
}

// Reads one role; nullopt (after reporting) if it cannot be applied.
std::optional<RoleOverride> read_role(const MapEntry& entry, ReadContext& ctx) {
  Problems& problems = ctx.problems;
  const MapView role(entry.value, problems);
  constexpr std::array kKeys{"licences"sv, "rank"sv, "permissions"sv};
  role.allow_only(kKeys, problems);
  RoleOverride out{entry.key, std::nullopt, std::nullopt, std::nullopt};
  bool ok = role.is_map();
  if (const auto licences = role.get("licences")) {
    out.licences = read_role_licences(*licences, ctx);
    ok = ok && out.licences.has_value();
  }
  if (const auto rank = role.get("rank")) {
    auto value = read_int(*rank, IntRange{}, problems);
    if (value &&
        (*value < std::numeric_limits<int>::min() || *value > std::numeric_limits<int>::max())) {
      problems.add(rank->at, rank->path,
                   "expected a whole number, got '" + rank->node.Scalar() + "'");
      value.reset();
    }
    if (value) out.rank = static_cast<int>(*value);
    ok = ok && value.has_value();
  }
  if (const auto permissions = role.get("permissions")) {
    out.permissions = read_string_list(*permissions, problems);
    ok = ok && out.permissions.has_value();
  }
  if (!ok) return std::nullopt;
  // Each role is tried on its own so that every refused role is reported at its place.
  if (auto applied = RoleCatalogue::with_overrides({out}); !applied) {
    problems.add(entry.value.key_at, entry.value.path, applied.error().message);
    return std::nullopt;
  }
  return out;
}

}  // namespace

void read_roles(const Field& field, ReadContext& ctx) {
  const MapView roles(field, ctx.problems);
  std::vector<RoleOverride> accepted;
  for (const auto& entry : roles.entries()) {
    if (auto role = read_role(entry, ctx))
      accepted.push_back(std::move(*role));
    else
      ctx.refused_roles.insert(entry.key);
  }
  auto catalogue = RoleCatalogue::with_overrides(accepted);
  if (!catalogue) {
    ctx.problems.add(field.key_at, field.path, catalogue.error().message);
    return;
  }
  ctx.config.roles = std::move(*catalogue);
}

}  // namespace rosterd::config_detail
