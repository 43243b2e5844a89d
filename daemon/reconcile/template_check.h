// Rules that name a template account must name one that exists in their space: checked by
// check-config (an error with the rule's location) and by serve before it starts.
#pragma once

#include <vector>

#include "config/config.h"
#include "mapping/lint.h"
#include "store/account_store.h"

namespace rosterd {

Result<std::vector<LintFinding>> missing_templates(const Config& config, AccountStore& accounts);

}  // namespace rosterd
