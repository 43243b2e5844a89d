// Hashes for the per-call indexes: strings looked up by string_view without a copy, and
// (source, id) pairs of views into the Directory.
#pragma once

#include <functional>
#include <string_view>
#include <utility>

namespace rosterd {

struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

using SourceAndId = std::pair<std::string_view, std::string_view>;

struct SourceAndIdHash {
  std::size_t operator()(const SourceAndId& k) const {
    const std::hash<std::string_view> h;
    return h(k.first) * 31 + h(k.second);
  }
};

}  // namespace rosterd
