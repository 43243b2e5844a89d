#include "mapping/space_evaluation.h"

#include <algorithm>
#include <tuple>
#include <utility>

#include "core/email.h"

namespace rosterd {
namespace {

constexpr std::string_view kFieldKeys[] = {"email", "emails", "username", "id", "displayname"};

std::string field_key(std::string_view correlate_by) {
  const std::string lower = ascii_lower(correlate_by);
  for (auto f : kFieldKeys)
    if (f == lower) return lower;
  return {};
}

AttributeNames key_names_for(std::string_view correlate_by) {
  AttributeNames names;
  names.add(correlate_by);
  return names;
}

std::string primary_email(const DirectoryPerson& p) { return p.emails.empty() ? "" : p.emails.front(); }

void add_unique(Facts& facts, std::pair<std::string, std::string> fact) {
  if (std::find(facts.begin(), facts.end(), fact) == facts.end()) facts.push_back(std::move(fact));
}

}  // namespace

SpaceEvaluation::SpaceEvaluation(const CompiledSpace& space, const Directory& directory, Lookup lookup)
    : space_(space),
      directory_(directory),
      lookup_(std::move(lookup)),
      groups_(directory, space.sources, space.program.patterns()),
      cache_(space.program.regex_count()),
      reader_(space.program.names()),
      key_names_(key_names_for(space.correlate_by)),
      key_reader_(key_names_),
      key_field_(field_key(space.correlate_by)) {}

std::string SpaceEvaluation::key_of(const DirectoryPerson& p) {
  if (key_field_ == "email" || key_field_ == "emails") return ascii_lower(primary_email(p));
  if (key_field_ == "username") return ascii_lower(p.user_name);
  if (key_field_ == "id") return ascii_lower(p.id);
  if (key_field_ == "displayname") return ascii_lower(p.display_name);
  key_reader_.read(p, key_values_, nullptr);
  return ascii_lower(key_values_.first(0));
}

std::vector<SpaceIdentity> SpaceEvaluation::identities() {
  std::vector<SpaceIdentity> out;
  out.reserve(directory_.people.size());
  keys_.clear();
  keys_.reserve(directory_.people.size());
  for (const DirectoryPerson& p : directory_.people) {
    const int rank = space_.source_rank(p.source);
    if (rank < 0) continue;
    keys_.push_back(key_of(p));
    out.push_back(SpaceIdentity{keys_.back(), rank, &p});
  }
  std::sort(out.begin(), out.end(), [](const SpaceIdentity& a, const SpaceIdentity& b) {
    if (const int c = a.key.compare(b.key)) return c < 0;
    if (a.rank != b.rank) return a.rank < b.rank;
    if (const int c = a.person->source.compare(b.person->source)) return c < 0;
    return a.person->id < b.person->id;
  });
  return out;
}

std::size_t SpaceEvaluation::person_end(std::span<const SpaceIdentity> ids, std::size_t begin) {
  std::size_t end = begin + 1;
  if (ids[begin].key.empty()) return end;
  while (end < ids.size() && ids[end].key == ids[begin].key) ++end;
  return end;
}

void SpaceEvaluation::evaluate(std::span<const SpaceIdentity> person) {
  const std::size_t n = person.size();
  const std::size_t rules = space_.rules.size();
  if (evaluated_.size() < n) evaluated_.resize(n);
  current_.clear();
  matched_.assign(n * rules, 0);
  for (std::size_t i = 0; i < n; ++i) {
    const DirectoryPerson& p = *person[i].person;
    current_.push_back(&p);
    Evaluated& e = evaluated_[i];
    reader_.read(p, e.values, i == 0 ? &profile_ : nullptr);
    groups_.direct_groups(p, e.direct);
    e.mask.assign(groups_.words(), 0);
    groups_.reach(e.direct, e.mask);
    e.atoms.assign(space_.program.atom_count(), -1);
    const IdentityView v = view(i);
    for (std::size_t r = 0; r < rules; ++r)
      matched_[i * rules + r] = space_.program.evaluate(space_.roots[r], v, cache_) ? 1 : 0;
  }
  DecisionInput in;
  in.rules = space_.infos;
  in.highest_rank = space_.highest_rank;
  in.matched = matched_;
  in.identities = n;
  const DirectoryPerson& first = *person.front().person;
  if (person.front().key.empty())
    in.excluded_first = "no " + space_.correlate_by + " to correlate on";
  else if (!first.active)
    in.excluded_first = "disabled in source " + first.source;
  decide(in, decision_);
}

IdentityView SpaceEvaluation::view(std::size_t i) {
  Evaluated& e = evaluated_[i];
  return IdentityView{current_[i], &e.values, e.mask, e.direct, e.atoms};
}

std::string SpaceEvaluation::manager_email(const DirectoryPerson& first) {
  if (profile_.manager_id.empty()) return {};
  if (lookup_) {
    const DirectoryPerson* manager = lookup_(first.source, profile_.manager_id);
    return manager ? primary_email(*manager) : std::string();
  }
  if (!by_id_built_) {
    by_id_built_ = true;
    by_id_.reserve(directory_.people.size());
    for (const DirectoryPerson& p : directory_.people)
      if (space_.source_rank(p.source) >= 0) by_id_.try_emplace(SourceAndId(p.source, p.id), &p);
  }
  const auto it = by_id_.find(SourceAndId(first.source, profile_.manager_id));
  return it == by_id_.end() ? std::string() : primary_email(*it->second);
}

// The deciding rule's team; for a team read from an attribute, that value is an input.
std::string SpaceEvaluation::team(int rule, Facts& inputs) const {
  const auto r = static_cast<std::size_t>(rule);
  const int slot = space_.team_slots[r];
  if (slot < 0) return space_.rules[r].grant_team;
  const auto identity = static_cast<std::size_t>(decision_.matched_by[r]);
  const std::string value(evaluated_[identity].values.first(slot));
  const std::string attribute(CompiledSpace::team_attribute(space_.rules[r]));
  add_unique(inputs, {attribute, value.empty() ? "(absent: no team)" : value});
  return value;
}

DesiredAccount SpaceEvaluation::account(std::span<const SpaceIdentity> person) {
  const DirectoryPerson& first = *person.front().person;
  const int w = decision_.winner;
  const auto wi = static_cast<std::size_t>(w);
  const RuleConfig& rule = space_.rules[wi];
  const auto identity = static_cast<std::size_t>(decision_.matched_by[wi]);
  DesiredAccount a;
  a.person = std::string(person.front().key);
  a.source = first.source;
  a.anchor = first.id;
  a.email = primary_email(first);
  a.given_name = profile_.given_name;
  a.family_name = profile_.family_name;
  a.title = profile_.title;
  a.phone = profile_.phone;
  a.country = profile_.country;
  a.language = profile_.language;
  a.role = rule.grant_role;
  a.licence = rule.grant_licence;
  a.template_account = rule.grant_template;
  a.rule = rule.name;
  a.rule_index = w;
  a.losing = losing_grants();
  a.manager_email = manager_email(first);
  a.rule_handover = rule.grant_handover;
  a.first_seen = first.created;
  facts_.clear();
  space_.program.facts(space_.roots[wi], view(identity), groups_, cache_, facts_);
  inputs_.clear();
  inputs_.emplace_back("rule", rule.name);
  if (identity != 0)
    inputs_.emplace_back("identity", current_[identity]->source + "/" + current_[identity]->id);
  for (auto& f : facts_) add_unique(inputs_, std::move(f));
  a.team = team(w, inputs_);
  a.inputs = shared_facts();
  return a;
}

Shared<std::vector<LosingGrant>> SpaceEvaluation::losing_grants() {
  // Why a grant lost depends only on the winner and the loser (decision.h), so the list is
  // the same for everyone with the same winner and the same losing rules.
  losing_key_.assign(1, static_cast<char>(decision_.winner & 0xff));
  losing_key_ += static_cast<char>((decision_.winner >> 8) & 0xff);
  losing_key_.append(decision_.lost.begin(), decision_.lost.end());
  const auto found = losing_.find(losing_key_);
  if (found != losing_.end()) return found->second;
  std::vector<LosingGrant> grants;
  for (std::size_t r = 0; r < space_.rules.size(); ++r)
    if (decision_.lost[r])
      grants.push_back(LosingGrant{space_.rules[r].name, space_.rules[r].grant_role, space_.rules[r].grant_licence,
                                   why_lost(space_.infos, space_.highest_rank, decision_, static_cast<int>(r))});
  return losing_.emplace(losing_key_, Shared<std::vector<LosingGrant>>(std::move(grants))).first->second;
}

std::size_t SpaceEvaluation::FactsHash::operator()(const Facts& facts) const {
  std::size_t h = facts.size();
  const std::hash<std::string_view> hash;
  for (const auto& [key, value] : facts) {
    h = h * 31 + hash(key);
    h = h * 31 + hash(value);
  }
  return h;
}

SharedFacts SpaceEvaluation::shared_facts() {
  const auto found = facts_seen_.find(inputs_);
  if (found != facts_seen_.end()) return *found;
  return *facts_seen_.insert(SharedFacts(inputs_)).first;
}

ExcludedPerson SpaceEvaluation::excluded(std::span<const SpaceIdentity> person) {
  const DirectoryPerson& first = *person.front().person;
  ExcludedPerson x;
  x.person = std::string(person.front().key);
  x.source = first.source;
  x.anchor = first.id;
  x.email = primary_email(first);
  x.reason = decision_.excluded;
  x.manager_email = manager_email(first);
  if (decision_.first_matching >= 0)
    x.rule_handover = space_.rules[static_cast<std::size_t>(decision_.first_matching)].grant_handover;
  return x;
}

DesiredState evaluate_everyone(const CompiledSpace& space, const Directory& directory) {
  SpaceEvaluation run(space, directory);
  const std::vector<SpaceIdentity> ids = run.identities();
  DesiredState out;
  out.space = space.space;
  out.accounts.reserve(ids.size());
  for (std::size_t begin = 0; begin < ids.size();) {
    const std::size_t end = SpaceEvaluation::person_end(ids, begin);
    const std::span<const SpaceIdentity> person(ids.data() + begin, end - begin);
    run.evaluate(person);
    if (run.decision().excluded.empty())
      out.accounts.push_back(run.account(person));
    else
      out.excluded.push_back(run.excluded(person));
    begin = end;
  }
  return out;
}

}  // namespace rosterd
