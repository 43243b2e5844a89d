// The default order of a source's Users or Groups (creation, then id) as row keys, kept
// in memory so that an unfiltered page (`GET /Users?startIndex=50001&count=100`) reads
// its 100 rows by key instead of walking 50,000 index entries and counting 100,000:
// identity providers and admin tools page through everything that way.
//
// Validity is the database's identity write counter (identity_generation, migration 10),
// which every write transaction of identities moves on inside that transaction. A reader
// reads it in its snapshot: a list built in the same snapshot is exactly that
// generation's, whichever process or instance wrote last. (Keys are rowids on SQLite and
// ids on PostgreSQL, as text.)
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "store/identity_store.h"

namespace rosterd::sql {

class ListOrderCache {
 public:
  using Keys = std::vector<std::string>;

  // The keys built at `generation`, or null.
  std::shared_ptr<const Keys> get(ResourceType type, std::string_view source, std::uint64_t generation) const;
  void put(ResourceType type, std::string_view source, std::uint64_t generation, std::shared_ptr<const Keys> keys);

 private:
  struct Entry {
    std::uint64_t generation = 0;
    std::shared_ptr<const Keys> keys;
  };
  mutable std::mutex mutex_;
  std::map<std::pair<ResourceType, std::string>, Entry, std::less<>> entries_;
};

}  // namespace rosterd::sql
