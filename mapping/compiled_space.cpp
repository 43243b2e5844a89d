#include "mapping/compiled_space.h"

#include <algorithm>

namespace rosterd {

int CompiledSpace::source_rank(std::string_view source) const {
  const auto it = std::find(sources.begin(), sources.end(), source);
  return it == sources.end() ? -1 : static_cast<int>(it - sources.begin());
}

std::string_view CompiledSpace::team_attribute(const RuleConfig& rule) {
  constexpr std::string_view kFrom = "from:";
  const std::string_view team = rule.grant_team;
  return team.starts_with(kFrom) ? team.substr(kFrom.size()) : std::string_view();
}

Result<std::unique_ptr<CompiledSpace>> compile_space(const Config& config, std::string_view space) {
  const SpaceConfig* sc = config.find_space(space);
  if (!sc) return fail(ErrorCode::InvalidValue, "unknown space '" + std::string(space) + "'");
  auto out = std::make_unique<CompiledSpace>();
  out->space = sc->space.id;
  out->resolution = sc->resolution;
  out->highest_rank = sc->resolution != "first-match";
  out->correlate_by = sc->correlate_by.empty() ? "email" : sc->correlate_by;

  const auto feeds = [&](const std::string& id) {
    return std::any_of(config.sources.begin(), config.sources.end(),
                       [&](const SourceConfig& s) { return s.id == id && s.space == space; });
  };
  for (const auto& id : sc->source_precedence)
    if (feeds(id) && out->source_rank(id) < 0) out->sources.push_back(id);
  for (const SourceConfig& s : config.sources)
    if (s.space == space && out->source_rank(s.id) < 0) out->sources.push_back(s.id);

  for (const RuleConfig& rule : config.rules)
    if (rule.space == space) out->rules.push_back(rule);
  // From here on `rules` stays put: the program keeps pointers to its conditions.
  for (const RuleConfig& rule : out->rules) {
    auto root = out->program.add(rule.when);
    if (!root) return tl::unexpected(root.error());
    out->roots.push_back(*root);
    const Role* role = config.roles.find(rule.grant_role);
    out->infos.push_back(RuleInfo{rule.name, rule.deny, rule.grant_role, role ? role->rank : 0});
    const auto team = CompiledSpace::team_attribute(rule);
    out->team_slots.push_back(team.empty() || rule.deny ? -1 : out->program.add_attribute(team));
  }
  return out;
}

}  // namespace rosterd
