// check-config's second half: problems in the rules that are not errors of the file's
// shape (those are config/'s), found by reasoning over the rules and, when given, over
// the identities the store already knows.
#pragma once

#include <string>
#include <vector>

#include "config/config.h"
#include "core/desired.h"

namespace rosterd {

struct LintFinding {
  enum class Severity { Error, Warning };
  Severity severity = Severity::Warning;
  SourceLocation location;
  std::string message;
};

// Rules reasoning only: a rule shadowed by an earlier one under first-match (it can never
// decide), grants of different roles of the same rank whose conditions can hold together
// under highest-rank, a deny rule (or any rule) whose condition can never hold, a template
// whose licence differs from the grant's. Sorted by location.
std::vector<LintFinding> lint_rules(const Config& config);

// With the desired states computed from the identities the store knows (one per space):
// quotas those people would exceed (warning: the rest wait as pending).
std::vector<LintFinding> lint_quotas(const Config& config, const std::vector<DesiredState>& desired);

}  // namespace rosterd
