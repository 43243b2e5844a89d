// Ids for accounts, events and resources rosterd creates: version-7 UUIDs (RFC 9562),
// unique across processes and hosts without coordination (74 random bits a millisecond)
// and ordered by creation time. The order is what matters: an id is the key of several
// indexes (accounts, the outbox's event ids, the audit's account ids), and random keys
// scatter 100,000 inserts over every page of each index, which SQLite then writes again at
// every commit; ordered keys fill the last pages only.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

namespace rosterd {

// A generator with its own state; not shared between threads.
std::function<std::string()> make_random_id_generator();

// The UUID text of a version-7 id made at `unix_ms` from the random bits given (only
// the bits the layout has room for are used). For the generator and its tests.
std::string uuid_v7(std::uint64_t unix_ms, std::uint64_t random_a, std::uint64_t random_b);

}  // namespace rosterd
