// Where a value came from, for messages that point at the file.
#pragma once

#include <string>

namespace rosterd {

struct SourceLocation {
  std::string file;
  int line = 0;    // 1-based
  int column = 0;  // 1-based
  std::string to_string() const;  // "file:line:column"
};

}  // namespace rosterd
