// The default order of a source's Users or Groups (creation, then id) as row keys, kept
// in memory so that an unfiltered page (`GET /Users?startIndex=50001&count=100`) reads
// its 100 rows by key instead of walking 50,000 index entries and counting 100,000:
// identity providers and admin tools page through everything that way.
//
// Validity is a generation number the identity store bumps after every commit, before
// the writer reports the job done. A reader takes the generation BEFORE its snapshot
// begins, so a list built in that snapshot holds at least every commit of that
// generation; it may hold later ones too, and is then rebuilt on the next read. Only
// writes made through this process's identity store bump it: with several processes
// writing one database (PostgreSQL, issue 7) the cache must be turned off.
#pragma once

#include <atomic>
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
  using Keys = std::vector<std::int64_t>;

  std::uint64_t generation() const { return generation_.load(std::memory_order_acquire); }
  void invalidate() { generation_.fetch_add(1, std::memory_order_acq_rel); }

  // The keys built at `generation`, or null.
  std::shared_ptr<const Keys> get(ResourceType type, std::string_view source, std::uint64_t generation) const;
  void put(ResourceType type, std::string_view source, std::uint64_t generation, std::shared_ptr<const Keys> keys);

 private:
  struct Entry {
    std::uint64_t generation = 0;
    std::shared_ptr<const Keys> keys;
  };
  std::atomic<std::uint64_t> generation_{1};
  mutable std::mutex mutex_;
  std::map<std::pair<ResourceType, std::string>, Entry, std::less<>> entries_;
};

}  // namespace rosterd::sql
