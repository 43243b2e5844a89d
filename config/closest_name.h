// Internal to config/: "did you mean ...?" for misspelt keys, values and names.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace rosterd::config_detail {

// The candidate nearest to `word` by edit distance (ignoring ASCII case), if that distance is
// at most 2 and smaller than the word itself (so "ab" is not "corrected" to "id").
// Ties go to the earlier candidate.
std::optional<std::string> closest_name(std::string_view word,
                                        std::span<const std::string_view> candidates);
std::optional<std::string> closest_name(std::string_view word,
                                        const std::vector<std::string>& candidates);

// "; did you mean 'x'?" or "" when nothing is close.
std::string did_you_mean(std::string_view word, std::span<const std::string_view> candidates);
std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates);

// "a, b, c": for messages that list what is allowed.
std::string join_names(std::span<const std::string_view> names);
std::string join_names(const std::vector<std::string>& names);

}  // namespace rosterd::config_detail
