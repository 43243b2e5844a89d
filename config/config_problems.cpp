#include "config/config_problems.h"

#include <yaml-cpp/mark.h>

#include <algorithm>

namespace rosterd::config_detail {

Mark mark_of(const YAML::Mark& yaml_mark) {
  // yaml-cpp uses -1 for "no position" (an empty document): point at the start of the file.
  if (yaml_mark.line < 0 || yaml_mark.column < 0) return Mark{};
  return Mark{yaml_mark.line + 1, yaml_mark.column + 1};
}

void Problems::add(Mark at, std::string path, std::string what) {
  problems_.push_back(Problem{at, std::move(path), std::move(what)});
}

Error Problems::to_error() const {
  std::vector<const Problem*> ordered;
  for (const auto& p : problems_) ordered.push_back(&p);
  // Stable: problems found at the same place keep the order in which they were found.
  std::stable_sort(ordered.begin(), ordered.end(), [](const Problem* a, const Problem* b) {
    return a->at.line != b->at.line ? a->at.line < b->at.line : a->at.column < b->at.column;
  });
  std::string message;
  std::string previous;
  for (const Problem* p : ordered) {
    std::string line = location(p->at).to_string() + ": ";
    if (!p->path.empty()) line += p->path + ": ";
    line += p->what;
    if (line == previous) continue;  // the same problem reached twice
    if (!message.empty()) message += '\n';
    message += line;
    previous = std::move(line);
  }
  return Error{ErrorCode::Config, std::move(message), {}};
}

}  // namespace rosterd::config_detail
