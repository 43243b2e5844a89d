#include "config/closest_name.h"

#include <algorithm>
#include <cstddef>

#include "core/email.h"

namespace rosterd::config_detail {
namespace {

// Levenshtein distance with two rows.
std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> previous(b.size() + 1), current(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) previous[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    current[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      current[j] = std::min({previous[j] + 1, current[j - 1] + 1, substitution});
    }
    std::swap(previous, current);
  }
  return previous[b.size()];
}

std::vector<std::string_view> views(const std::vector<std::string>& names) {
  return {names.begin(), names.end()};
}

}  // namespace

std::optional<std::string> closest_name(std::string_view word,
                                        std::span<const std::string_view> candidates) {
  constexpr std::size_t kMaxDistance = 2;
  const std::string lowered = ascii_lower(word);
  std::optional<std::string> best;
  std::size_t best_distance = kMaxDistance + 1;
  for (const std::string_view candidate : candidates) {
    const std::size_t d = edit_distance(lowered, ascii_lower(candidate));
    if (d < best_distance && d < word.size()) {
      best_distance = d;
      best = std::string(candidate);
    }
  }
  return best;
}

std::optional<std::string> closest_name(std::string_view word,
                                        const std::vector<std::string>& candidates) {
  return closest_name(word, views(candidates));
}

std::string did_you_mean(std::string_view word, std::span<const std::string_view> candidates) {
  const auto best = closest_name(word, candidates);
  return best ? "; did you mean '" + *best + "'?" : std::string();
}

std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates) {
  return did_you_mean(word, views(candidates));
}

std::string join_names(std::span<const std::string_view> names) {
  std::string out;
  for (const std::string_view name : names) {
    if (!out.empty()) out += ", ";
    out += name;
  }
  return out;
}

std::string join_names(const std::vector<std::string>& names) { return join_names(views(names)); }

}  // namespace rosterd::config_detail
