// The rules engine for one space: compiled once from the configuration, then applied to
// what the sources say (a Directory) to give the desired state with its reasons.
// Deterministic and pure; safe to use from several threads once built.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"
#include "core/desired.h"
#include "core/error.h"
#include "mapping/directory.h"

namespace rosterd {

struct CompiledSpace;
class IncrementalMapper;

// One rule considered for one person, for `rosterd explain`.
struct RuleVerdict {
  std::string rule;
  SourceLocation location;
  bool matched = false;
  // Why, in words: "member of CN=Recruiting-Paris (nested, via CN=Paris)",
  // "title 'Engineer' does not match ^Sourcer", "source is okta, not corp-ad".
  std::vector<std::string> because;
  bool deny = false;
  std::string role, licence, team;  // the grant, if the rule grants
  // decided | lost | denied | not-matched; and why it lost ("lower rank than ...")
  std::string outcome;
  std::string lost_because;
};

struct GroupMembership {
  std::string source;
  std::string id;
  std::string name;  // display name
  std::string dn;
  bool nested = false;
  std::vector<std::string> via;  // for a nested group: the chain of group names from a direct one
};

struct Explanation {
  std::string person;                        // correlation key
  // Every identity of the person, by precedence: pointers into the Directory given to
  // explain(), which must outlive the Explanation.
  std::vector<const DirectoryPerson*> identities;
  std::vector<GroupMembership> groups;       // direct first, then nested; each once
  std::vector<RuleVerdict> rules;            // every rule of the space, in order
  std::string resolution;                    // first-match | highest-rank
  std::optional<DesiredAccount> desired;
  std::optional<ExcludedPerson> excluded;
};

class RuleSet {
 public:
  // Compiles the rules of `space` (regular expressions, patterns). ErrorCode::InvalidValue
  // with the rule's location if a pattern does not compile (config checks that first).
  static Result<RuleSet> compile(const Config& config, std::string_view space);

  RuleSet(RuleSet&&) noexcept;
  RuleSet& operator=(RuleSet&&) noexcept;
  ~RuleSet();

  const std::string& space() const;

  // Every person of the directory whose sources belong to this space: the account they
  // should have, or why none. People are correlated across sources by the space's
  // correlation attribute; a person without one is excluded with that reason.
  DesiredState desired_state(const Directory& directory) const;

  // The same reasoning for one person, named by email, correlation key, user name or
  // identity id (case-insensitive). nullopt if no identity matches.
  std::optional<Explanation> explain(const Directory& directory, std::string_view who) const;

 private:
  friend class IncrementalMapper;
  const CompiledSpace& compiled() const;

  struct Impl;
  explicit RuleSet(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace rosterd
