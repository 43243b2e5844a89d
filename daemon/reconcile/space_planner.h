// Plans one space: reads its inputs from the stores, runs the rules engine and
// reconcile(), and fingerprints the inputs. Pure apart from the reads; stores nothing
// (plan_runner.h stores and applies).
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "config/config.h"
#include "core/reconcile.h"
#include "daemon/reconcile/space_inputs.h"
#include "mapping/incremental_mapper.h"
#include "mapping/rule_set.h"

namespace rosterd {

struct SpacePlan {
  std::string space;
  SpaceInputs inputs;
  ReconcileInput input;  // input.roles points into the Planner's configuration
  ReconcileResult result;
  std::string input_hash;  // "sha256:<hex>" of canonical_text(input)
};

// Whether a plan keeps the directory it was made from (SpacePlan::inputs.directory):
// explain reads it; a run that stores and applies the plan does not, and it is the largest
// input (some 80 MB at 100,000 people), so it can go before reconcile runs.
enum class KeepDirectory { Yes, No };

class Planner {
 public:
  // Compiles the rules of every space. The configuration is copied: a Planner is a
  // consistent snapshot that a reload replaces as a whole.
  static Result<std::shared_ptr<const Planner>> create(const Config& config);

  const Config& config() const { return config_; }
  const RuleSet* rules(std::string_view space) const;

  // `now` is part of the inputs: `rosterd apply` recomputes a stored plan with the time
  // it was made, so equal inputs give the very same plan.
  // With a `mapper` (built on this Planner's rules for this space), only the people whose
  // identities or groups changed since its last use are evaluated again; the plan's
  // input.desired is then lent by the mapper: give it back (IncrementalMapper::give_back)
  // before the mapper's next use, or that use starts from scratch.
  Result<SpacePlan> plan(std::string_view space, AccountStore& accounts, IdentityStore& identities,
                         Timestamp now, IncrementalMapper* mapper = nullptr,
                         KeepDirectory keep = KeepDirectory::Yes) const;
  // The same from inputs already read (benchmarks, and explain after planning).
  SpacePlan plan_from(std::string_view space, SpaceInputs inputs, Timestamp now,
                      IncrementalMapper* mapper = nullptr, KeepDirectory keep = KeepDirectory::Yes) const;

 private:
  explicit Planner(Config config) : config_(std::move(config)) {}
  DesiredState desired_state(std::string_view space, const Directory& directory, IncrementalMapper* mapper) const;
  SpacePlan finish(std::string_view space, SpaceInputs inputs, DesiredState desired, Timestamp now) const;
  Config config_;
  std::map<std::string, RuleSet, std::less<>> rules_;
};

std::string sha256_hex(std::string_view text);
// "sha256:<hex>" of canonical_text(input), hashed as it is written rather than held.
std::string input_hash(const ReconcileInput& input);

}  // namespace rosterd
