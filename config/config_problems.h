// Internal to config/: every problem found in a configuration file, each with where it is
// and its key path, so that one run of the loader reports all of them (STYLE.md habit 9).
#pragma once

#include <string>
#include <vector>

#include "config/config.h"
#include "core/error.h"

namespace YAML {
class Mark;
}

namespace rosterd::config_detail {

// A position in the file, 1-based (yaml-cpp counts from 0).
struct Mark {
  int line = 1;
  int column = 1;
};

Mark mark_of(const YAML::Mark& yaml_mark);

class Problems {
 public:
  explicit Problems(std::string file) : file_(std::move(file)) {}

  // `path` is the dotted key path ("spaces.acme.licences"); empty for the file as a whole.
  void add(Mark at, std::string path, std::string what);

  bool empty() const { return problems_.empty(); }
  const std::string& file() const { return file_; }
  SourceLocation location(Mark at) const { return {file_, at.line, at.column}; }

  // An ErrorCode::Config error listing every problem, one per line, in file order:
  // "FILE:LINE:COLUMN: KEY.PATH: what is wrong".
  Error to_error() const;

 private:
  struct Problem {
    Mark at;
    std::string path;
    std::string what;
  };
  std::string file_;
  std::vector<Problem> problems_;
};

}  // namespace rosterd::config_detail
