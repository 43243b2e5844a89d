#include "config/config.h"

namespace rosterd {

std::string SourceLocation::to_string() const {
  return file + ":" + std::to_string(line) + ":" + std::to_string(column);
}

const SpaceConfig* Config::find_space(std::string_view id) const {
  for (const auto& s : spaces)
    if (s.space.id == id) return &s;
  return nullptr;
}

}  // namespace rosterd
