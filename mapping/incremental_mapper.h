// The desired state of a space kept up to date from one Directory to the next: the first
// update() evaluates everyone, later ones only the people something they depend on changed
// for. The result is always what RuleSet::desired_state() gives for the same Directory.
//
// What a person's outcome depends on, and so what makes them evaluated again:
//   - any field of one of their identities (a 64-bit fingerprint per identity of every
//     field the rules engine reads), an identity joining or leaving them (its correlation
//     key changed, it appeared, it disappeared);
//   - the primary email of the identity their manager reference names;
//   - the groups their direct groups reach (a group renamed, moved, added or removed
//     anywhere in that closure).
// The first update, an update after take() without give_back(), and a Directory with two
// identities of the same (source, id) are evaluated from scratch.
#pragma once

#include <cstddef>
#include <memory>

#include "core/desired.h"
#include "mapping/directory.h"
#include "mapping/rule_set.h"

namespace rosterd {

class IncrementalMapper {
 public:
  struct Stats {
    bool from_scratch = false;
    std::size_t identities_changed = 0;  // new, changed or gone
    std::size_t groups_changed = 0;      // new, changed or gone
    std::size_t people_evaluated = 0;
  };

  // Keeps the compiled rules: `rules` (or the RuleSet it is moved to) must outlive the
  // mapper. Nothing is evaluated until the first update(). Not thread-safe: one mapper per
  // space, used by one thread at a time.
  explicit IncrementalMapper(const RuleSet& rules);
  IncrementalMapper(IncrementalMapper&&) noexcept;
  IncrementalMapper& operator=(IncrementalMapper&&) noexcept;
  ~IncrementalMapper();

  // The desired state for `directory`, equal to rules.desired_state(directory). Valid
  // until the next update() or take(). The Directory need not outlive the call.
  const DesiredState& update(const Directory& directory);
  const DesiredState& desired() const;
  // What the last update() did.
  const Stats& stats() const;

  // Lends the desired state to a consumer that takes it by value (ReconcileInput::desired)
  // without a copy. Hand it back unchanged with give_back() before the next update(),
  // which otherwise starts from scratch.
  DesiredState take();
  void give_back(DesiredState&& state);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace rosterd
