// One run of a space's rules over one Directory (a desired_state or explain call): the
// per-call indexes (groups, regex results, identities by id) and the evaluation of one
// person at a time, reusing its buffers. Not thread-safe; the CompiledSpace it reads is.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "core/desired.h"
#include "mapping/attribute_values.h"
#include "mapping/compiled_space.h"
#include "mapping/condition_program.h"
#include "mapping/decision.h"
#include "mapping/group_index.h"

namespace rosterd {

struct SpaceIdentity {
  std::string_view key;  // correlation key, lower case (owned by the SpaceEvaluation); empty: none
  int rank = 0;     // source precedence
  const DirectoryPerson* person = nullptr;
};

class SpaceEvaluation {
 public:
  // Finds an identity of the space by (source, id): how a manager reference is resolved.
  using Lookup = std::function<const DirectoryPerson*(std::string_view source, std::string_view id)>;

  // Without `lookup`, managers are found in `directory` (an index built on first use).
  SpaceEvaluation(const CompiledSpace& space, const Directory& directory, Lookup lookup = {});

  // The correlation key of one identity, lower case; empty: none.
  std::string key_of(const DirectoryPerson& person);

  // Every identity of the space's sources, ordered by key, then source precedence,
  // source id and id: one person is a run of equal non-empty keys. Call once.
  std::vector<SpaceIdentity> identities();
  // The end of the person that starts at `begin` in identities(): a run of one non-empty
  // key, or one identity without a key.
  static std::size_t person_end(std::span<const SpaceIdentity> ids, std::size_t begin);

  // Evaluates every rule on each identity of one person (ordered as above).
  void evaluate(std::span<const SpaceIdentity> person);
  const Decision& decision() const { return decision_; }
  // After evaluate(): the manager reference of the person's first identity; empty: none.
  std::string_view manager_id() const { return profile_.manager_id; }
  DesiredAccount account(std::span<const SpaceIdentity> person);
  ExcludedPerson excluded(std::span<const SpaceIdentity> person);

  // For explain, after evaluate(): identity `i` as conditions see it.
  IdentityView view(std::size_t i);
  const GroupIndex& groups() const { return groups_; }
  MatchCache& cache() { return cache_; }
  const CompiledSpace& space() const { return space_; }

 private:
  struct Evaluated {
    IdentityValues values;
    std::vector<int> direct;
    std::vector<std::uint64_t> mask;
    std::vector<signed char> atoms;
  };
  std::string manager_email(const DirectoryPerson& first);
  std::string team(int rule, Facts& inputs) const;
  // After evaluate(), for account(): the grants that lost, and `inputs_` as shared facts,
  // each kept once per run for everyone who has the same (core/shared.h).
  Shared<std::vector<LosingGrant>> losing_grants();
  SharedFacts shared_facts();

  // Hashes and compares shared facts by value, and looks them up by a plain Facts.
  struct FactsHash {
    using is_transparent = void;
    std::size_t operator()(const Facts& facts) const;
    std::size_t operator()(const SharedFacts& facts) const { return (*this)(*facts); }
  };
  struct FactsEqual {
    using is_transparent = void;
    bool operator()(const SharedFacts& a, const SharedFacts& b) const { return a == b; }
    bool operator()(const SharedFacts& a, const Facts& b) const { return *a == b; }
    bool operator()(const Facts& a, const SharedFacts& b) const { return a == *b; }
  };

  const CompiledSpace& space_;
  const Directory& directory_;
  Lookup lookup_;
  GroupIndex groups_;
  MatchCache cache_;
  AttributeReader reader_;
  AttributeNames key_names_;  // the correlation attribute only, when it needs the JSON
  AttributeReader key_reader_;
  std::string key_field_;     // "email", "username", "id", "displayname": read directly
  IdentityValues key_values_;
  std::vector<std::string> keys_;  // reserved once: the views into it stay valid
  std::vector<Evaluated> evaluated_;
  std::vector<const DirectoryPerson*> current_;  // the person being evaluated
  Profile profile_;
  std::vector<char> matched_;
  Facts facts_;   // account(): the deciding rule's facts, reused from person to person
  Facts inputs_;  // account(): the account's inputs before they are shared
  std::unordered_set<SharedFacts, FactsHash, FactsEqual> facts_seen_;
  std::string losing_key_;  // the winner and the lost flags of a decision
  std::unordered_map<std::string, Shared<std::vector<LosingGrant>>> losing_;
  Decision decision_;
  // (source, id) -> identity, built the first time a manager is looked up.
  std::unordered_map<SourceAndId, const DirectoryPerson*, SourceAndIdHash> by_id_;
  bool by_id_built_ = false;
};

// Every person of `directory` evaluated: RuleSet::desired_state().
DesiredState evaluate_everyone(const CompiledSpace& space, const Directory& directory);

}  // namespace rosterd
