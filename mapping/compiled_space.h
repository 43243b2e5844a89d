// The rules of one space as RuleSet keeps them: its own copy of the rule configs (the
// compiled conditions point into it, so it never moves once built), the conditions
// compiled, each rule's role rank and team attribute, and the source precedence.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"
#include "core/error.h"
#include "mapping/condition_program.h"
#include "mapping/decision.h"

namespace rosterd {

struct CompiledSpace {
  std::string space;
  std::string resolution;  // first-match | highest-rank
  bool highest_rank = true;
  std::string correlate_by;  // as written ("email", "employeeNumber", ...)
  std::vector<std::string> sources;  // the space's sources, by precedence
  std::vector<RuleConfig> rules;     // the space's rules, in file order
  std::vector<RuleInfo> infos;       // per rule
  std::vector<int> roots;            // per rule: its condition in `program`
  std::vector<int> team_slots;       // per rule: the slot of "from:<attr>", else -1
  ConditionProgram program;

  // Position of `source` in `sources`, -1 if the source does not feed this space.
  int source_rank(std::string_view source) const;
  // "department" for a team "from:department", else empty.
  static std::string_view team_attribute(const RuleConfig& rule);
};

Result<std::unique_ptr<CompiledSpace>> compile_space(const Config& config, std::string_view space);

}  // namespace rosterd
