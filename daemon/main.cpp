#include <iostream>
#include <string>
#include <vector>

#include "daemon/cli.h"

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  return rosterd::cli::run(args, std::cout, std::cerr);
}
