// Facts: (key, value) pairs that say why something was decided — the groups and
// attribute values that matched a rule, the rule itself, a leaver's policy. They go into
// the audit rows of the operations they caused. Shared, because the desired state and the
// plan repeat the same facts for many people (core/shared.h).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "core/shared.h"

namespace rosterd {

using Facts = std::vector<std::pair<std::string, std::string>>;
using SharedFacts = Shared<Facts>;

}  // namespace rosterd
