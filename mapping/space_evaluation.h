// One run of a space's rules over one Directory (a desired_state or explain call): the
// per-call indexes (groups, regex results, identities by id) and the evaluation of one
// person at a time, reusing its buffers. Not thread-safe; the CompiledSpace it reads is.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <unordered_map>
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
  SpaceEvaluation(const CompiledSpace& space, const Directory& directory);

  // Every identity of the space's sources, ordered by key, then source precedence,
  // source id and id: one person is a run of equal non-empty keys. Call once.
  std::vector<SpaceIdentity> identities();

  // Evaluates every rule on each identity of one person (ordered as above).
  void evaluate(std::span<const SpaceIdentity> person);
  const Decision& decision() const { return decision_; }
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
  std::string key_of(const DirectoryPerson& person);
  std::string manager_email(const DirectoryPerson& first);
  std::string team(int rule, Facts& inputs) const;

  const CompiledSpace& space_;
  const Directory& directory_;
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
  Decision decision_;
  // (source, id) -> identity, built the first time a manager is looked up.
  std::unordered_map<SourceAndId, const DirectoryPerson*, SourceAndIdHash> by_id_;
  bool by_id_built_ = false;
};

}  // namespace rosterd
