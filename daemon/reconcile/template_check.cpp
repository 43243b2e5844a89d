#include "daemon/reconcile/template_check.h"

#include "core/try.h"

namespace rosterd {

Result<std::vector<LintFinding>> missing_templates(const Config& config, AccountStore& accounts) {
  std::vector<LintFinding> out;
  for (const RuleConfig& rule : config.rules) {
    if (rule.grant_template.empty()) continue;
    bool found = false;
    if (rule.grant_template.find('@') != std::string::npos) {
      ROSTERD_ASSIGN(const auto by_email, accounts.accounts_by_email(rule.grant_template, rule.space));
      found = !by_email.empty();
    } else {
      ROSTERD_ASSIGN(const auto by_id, accounts.account(rule.grant_template));
      found = by_id && by_id->space == rule.space && by_id->state != AccountState::Deleted;
    }
    if (!found)
      out.push_back(LintFinding{LintFinding::Severity::Error, rule.location,
                                "rule '" + rule.name + "': template account '" + rule.grant_template +
                                    "' does not exist in space '" + rule.space +
                                    "' (create it first, e.g. `rosterd accounts create ...`)"});
  }
  return out;
}

}  // namespace rosterd
