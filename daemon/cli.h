// `rosterd` on the command line: parses the command, runs it, returns the exit code
// (0 done, 1 refused by an invariant or not found, 2 usage or configuration error,
// 3 the store or another runtime failure).
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace rosterd::cli {

int run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace rosterd::cli
