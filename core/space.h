// A customer space (tenant) as the store knows it: its licence pools and the account
// that takes over what a deleted account owned when nobody else is named.
#pragma once

#include <cstdint>
#include <map>
#include <string>

namespace rosterd {

struct Space {
  std::string id;
  std::map<std::string, std::int64_t, std::less<>> licences;  // licence type -> seats bought
  std::string default_owner;                                   // email; may be empty
};

struct LicenceUsage {
  std::string space;
  std::string licence;
  std::int64_t used = 0;
  std::int64_t total = 0;
  std::int64_t pending = 0;  // people waiting for a seat (filled by the mapping issue)
};

}  // namespace rosterd
