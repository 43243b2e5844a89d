// Predictable ids for tests: "id-1", "id-2", ... in the order they are asked for.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <utility>

namespace rosterd::testing {

// Copies of the returned function share one counter, as DecisionContext::new_id and
// StoreOptions::new_id expect of an id generator.
inline std::function<std::string()> sequential_ids(std::string prefix = "id-") {
  auto next = std::make_shared<long>(0);
  return [prefix = std::move(prefix), next] { return prefix + std::to_string(++*next); };
}

}  // namespace rosterd::testing
