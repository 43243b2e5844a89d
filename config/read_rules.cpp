// rules: who gets which role and licence in a space. The conditions ('when') are read into
// a condition tree by read_conditions.cpp; the grants are checked here against spaces and
// roles.
#include <algorithm>
#include <array>

#include "config/closest_name.h"
#include "config/config_sections.h"

namespace rosterd::config_detail {
namespace {

using namespace std::string_view_literals;

std::string read_team(const Field& field, Problems& problems) {
  if (!field.node.IsMap()) return read_string(field, problems).value_or("");
  const MapView team(field, problems);
  constexpr std::array kKeys{"from"sv};
  team.allow_only(kKeys, problems);
  const auto from = team.require("from", problems);
  if (!from) return "";
  const auto attribute = read_string(*from, problems);
  return attribute ? "from:" + *attribute : "";
}

const Role* check_role(const Field& field, const std::string& name, const ReadContext& ctx) {
  if (ctx.refused_roles.contains(name)) return nullptr;  // already reported under 'roles'
  const Role* role = ctx.config.roles.find(name);
  if (!role) {
    const auto names = ctx.config.roles.names();
    std::string hint = did_you_mean(name, names);
    if (hint.empty()) hint = " (roles: " + join_names(names) + ")";
    ctx.problems.add(field.at, field.path, "unknown role '" + name + "'" + hint);
  }
  return role;
}

void check_licence(const Field& field, const std::string& licence, const SpaceConfig& space,
                   const Role* role, Problems& problems) {
  if (!space.space.licences.contains(licence)) {
    std::vector<std::string> sold;
    for (const auto& [name, seats] : space.space.licences) sold.push_back(name);
    std::string hint = did_you_mean(licence, sold);
    if (hint.empty()) hint = " (licences: " + join_names(sold) + ")";
    problems.add(field.at, field.path,
                 "licence type '" + licence + "' is not in the licences of space '" +
                     space.space.id + "'" + hint);
    return;
  }
  if (role && !role->may_hold(licence))
    problems.add(field.at, field.path,
                 "role '" + role->name + "' may not hold licence type '" + licence +
                     "' (it may hold: " + join_names(role->licences) +
                     "; a 'roles' entry can change that)");
}

void read_grant(const Field& field, RuleConfig& out, const ReadContext& ctx) {
  Problems& problems = ctx.problems;
  const MapView grant(field, problems);
  constexpr std::array kKeys{"role"sv, "licence"sv, "team"sv, "template"sv, "handover"sv};
  grant.allow_only(kKeys, problems);
  const Role* role = nullptr;
  if (const auto f = grant.require("role", problems)) {
    out.grant_role = read_string(*f, problems).value_or("");
    if (!out.grant_role.empty()) role = check_role(*f, out.grant_role, ctx);
  }
  if (const auto f = grant.require("licence", problems)) {
    out.grant_licence = read_string(*f, problems).value_or("");
    const SpaceConfig* space = ctx.config.find_space(out.space);
    if (!out.grant_licence.empty() && space)
      check_licence(*f, out.grant_licence, *space, role, problems);
  }
  if (const auto f = grant.get("team")) out.grant_team = read_team(*f, problems);
  if (const auto f = grant.get("template"))
    out.grant_template = read_string(*f, problems).value_or("");
  if (const auto f = grant.get("handover"))
    out.grant_handover = read_email(*f, problems).value_or("");
}

// Exactly one of 'grant' and 'deny: true'.
void read_outcome(const MapView& rule, RuleConfig& out, const ReadContext& ctx) {
  const auto grant = rule.get("grant");
  const auto deny = rule.get("deny");
  if (grant && deny) {
    ctx.problems.add(deny->key_at, deny->path, "give either 'grant' or 'deny: true', not both");
    return;
  }
  if (grant) {
    read_grant(*grant, out, ctx);
    return;
  }
  if (!deny) {
    ctx.problems.add(rule.field().at, rule.field().path, "needs either 'grant' or 'deny: true'");
    return;
  }
  const auto value = read_bool(*deny, ctx.problems);
  if (value && !*value)
    ctx.problems.add(deny->at, deny->path,
                     "'deny: false' means nothing: give 'grant' to grant, 'deny: true' to deny");
  out.deny = value.value_or(false);
}

void read_rule(const Field& field, ReadContext& ctx) {
  Problems& problems = ctx.problems;
  const MapView rule(field, problems);
  if (!rule.is_map()) return;
  constexpr std::array kKeys{"name"sv, "space"sv, "when"sv, "grant"sv, "deny"sv};
  rule.allow_only(kKeys, problems);
  RuleConfig out;
  out.location = problems.location(field.at);
  if (const auto name = rule.require("name", problems)) {
    out.name = read_string(*name, problems).value_or("");
    for (const auto& other : ctx.config.rules)
      if (!out.name.empty() && other.name == out.name)
        problems.add(name->at, name->path,
                     "rule name '" + out.name + "' is already used at line " +
                         std::to_string(other.location.line));
  }
  if (const auto space = rule.require("space", problems)) {
    out.space = read_string(*space, problems).value_or("");
    if (!out.space.empty()) check_space_reference(*space, out.space, ctx);
  }
  if (const auto when = rule.require("when", problems))
    out.when = read_conditions(*when, out.space, ctx);
  read_outcome(rule, out, ctx);
  ctx.config.rules.push_back(std::move(out));
}

}  // namespace

void read_rules(const Field& field, ReadContext& ctx) {
  for (const Field& item : list_items(field, ctx.problems)) read_rule(item, ctx);
}

}  // namespace rosterd::config_detail
