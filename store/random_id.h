// Random version-4 UUIDs for account and event ids: unique across processes and hosts
// without coordination (122 random bits from the operating system's entropy).
#pragma once

#include <functional>
#include <string>

namespace rosterd {

// A generator with its own state; not shared between threads.
std::function<std::string()> make_random_id_generator();

}  // namespace rosterd
