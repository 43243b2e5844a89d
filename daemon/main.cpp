#include <signal.h>

#include <iostream>
#include <string>
#include <vector>

#include "daemon/cli.h"

int main(int argc, char** argv) {
  // libldap writes to its sockets with plain write(): a directory server that drops the
  // connection must give an error, not kill the process with SIGPIPE.
  ::signal(SIGPIPE, SIG_IGN);
  const std::vector<std::string> args(argv + 1, argv + argc);
  return rosterd::cli::run(args, std::cout, std::cerr);
}
