#include "mapping/rule_set.h"

#include <algorithm>

#include "core/email.h"
#include "mapping/compiled_space.h"
#include "mapping/space_evaluation.h"

namespace rosterd {
namespace {

bool names(const SpaceIdentity& identity, std::string_view who_lower) {
  const DirectoryPerson& p = *identity.person;
  const auto same = [&](std::string_view s) { return ascii_lower(s) == who_lower; };
  return (!identity.key.empty() && identity.key == who_lower) || same(p.user_name) || same(p.id) ||
         std::any_of(p.emails.begin(), p.emails.end(), same);
}

std::vector<GroupMembership> memberships(SpaceEvaluation& run, std::size_t identities) {
  const GroupIndex& groups = run.groups();
  std::vector<GroupMembership> direct, nested;
  std::vector<std::pair<std::string_view, std::string_view>> seen;
  for (std::size_t i = 0; i < identities; ++i) {
    for (const auto& chain : groups.reached(run.view(i).direct_groups)) {
      const DirectoryGroup& g = groups.group(chain.back());
      if (std::find(seen.begin(), seen.end(), std::pair<std::string_view, std::string_view>(g.source, g.id)) != seen.end())
        continue;
      seen.emplace_back(g.source, g.id);
      GroupMembership m{g.source, g.id, g.display_name, g.dn, chain.size() > 1, {}};
      for (std::size_t c = 0; c + 1 < chain.size(); ++c) m.via.emplace_back(groups.name(chain[c]));
      (m.nested ? nested : direct).push_back(std::move(m));
    }
  }
  direct.insert(direct.end(), std::make_move_iterator(nested.begin()), std::make_move_iterator(nested.end()));
  return direct;
}

RuleVerdict verdict(SpaceEvaluation& run, std::size_t rule, std::size_t identities) {
  const CompiledSpace& space = run.space();
  const RuleConfig& config = space.rules[rule];
  const Decision& d = run.decision();
  RuleVerdict v;
  v.rule = config.name;
  v.location = config.location;
  v.deny = config.deny;
  if (!config.deny) {
    v.role = config.grant_role;
    v.licence = config.grant_licence;
    v.team = config.grant_team;
  }
  const int by = d.matched_by[rule];
  v.matched = by >= 0;
  // The identity that matched, or every identity when none did.
  const std::size_t from = v.matched ? static_cast<std::size_t>(by) : 0;
  const std::size_t to = v.matched ? from + 1 : identities;
  for (std::size_t i = from; i < to; ++i) {
    const IdentityView identity = run.view(i);
    std::vector<std::string> words;
    space.program.explain(space.roots[rule], identity, run.groups(), run.cache(), words);
    const std::string prefix =
        identities > 1 ? "in " + identity.person->source + "/" + identity.person->id + ": " : "";
    for (auto& w : words) v.because.push_back(prefix + w);
  }
  if (!v.matched)
    v.outcome = "not-matched";
  else if (config.deny)
    v.outcome = "denied";
  else if (static_cast<int>(rule) == d.winner)
    v.outcome = "decided";
  else {
    v.outcome = "lost";
    v.lost_because = why_lost(space.infos, space.highest_rank, d, static_cast<int>(rule));
  }
  return v;
}

}  // namespace

struct RuleSet::Impl {
  std::unique_ptr<CompiledSpace> space;
};

RuleSet::RuleSet(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
RuleSet::RuleSet(RuleSet&&) noexcept = default;
RuleSet& RuleSet::operator=(RuleSet&&) noexcept = default;
RuleSet::~RuleSet() = default;

Result<RuleSet> RuleSet::compile(const Config& config, std::string_view space) {
  auto compiled = compile_space(config, space);
  if (!compiled) return tl::unexpected(compiled.error());
  auto impl = std::make_unique<Impl>();
  impl->space = std::move(*compiled);
  return RuleSet(std::move(impl));
}

const std::string& RuleSet::space() const { return impl_->space->space; }
const CompiledSpace& RuleSet::compiled() const { return *impl_->space; }

DesiredState RuleSet::desired_state(const Directory& directory) const {
  return evaluate_everyone(*impl_->space, directory);
}

std::optional<Explanation> RuleSet::explain(const Directory& directory, std::string_view who) const {
  SpaceEvaluation run(*impl_->space, directory);
  const std::vector<SpaceIdentity> ids = run.identities();
  const std::string who_lower = ascii_lower(who);
  // A correlation key names a person best; then an email, user name or id, in key order.
  auto found = std::find_if(ids.begin(), ids.end(), [&](const SpaceIdentity& i) {
    return !i.key.empty() && i.key == who_lower;
  });
  if (found == ids.end())
    found = std::find_if(ids.begin(), ids.end(), [&](const SpaceIdentity& i) { return names(i, who_lower); });
  if (found == ids.end()) return std::nullopt;
  std::size_t begin = static_cast<std::size_t>(found - ids.begin());
  while (!found->key.empty() && begin > 0 && ids[begin - 1].key == found->key) --begin;
  const std::size_t end = SpaceEvaluation::person_end(ids, begin);
  const std::span<const SpaceIdentity> person(ids.data() + begin, end - begin);
  run.evaluate(person);

  Explanation e;
  e.person = std::string(person.front().key);
  for (const auto& i : person) e.identities.push_back(i.person);
  e.groups = memberships(run, person.size());
  e.resolution = impl_->space->resolution;
  for (std::size_t r = 0; r < impl_->space->rules.size(); ++r)
    e.rules.push_back(verdict(run, r, person.size()));
  if (run.decision().excluded.empty())
    e.desired = run.account(person);
  else
    e.excluded = run.excluded(person);
  return e;
}

}  // namespace rosterd
