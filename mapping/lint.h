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

// Rules reasoning only, all warnings (config/ reports the errors): a rule that can never
// decide because another always matches with it (under first-match an earlier rule;
// under highest-rank a grant of a higher rank, or of the same rank and earlier; for any
// grant, a deny rule), grants of different roles of the same rank whose conditions can
// hold together under highest-rank (rule order decides), and a rule (deny or grant) whose
// condition can never hold. Conservative: a warning is certain, multi-valued attributes
// are not contradictions. (A template whose licence differs from the grant's needs the
// accounts: not checked here.) Sorted by location.
std::vector<LintFinding> lint_rules(const Config& config);

// With the desired states computed from the identities the store knows (one per space):
// quotas those people would exceed (warning: the rest wait as pending).
std::vector<LintFinding> lint_quotas(const Config& config, const std::vector<DesiredState>& desired);

}  // namespace rosterd
