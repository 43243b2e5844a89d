#include "store/sql/list_order_cache.h"

namespace rosterd::sql {

std::shared_ptr<const ListOrderCache::Keys> ListOrderCache::get(ResourceType type, std::string_view source,
                                                                std::uint64_t generation) const {
  std::lock_guard lock(mutex_);
  const auto it = entries_.find(std::pair{type, std::string(source)});
  if (it == entries_.end() || it->second.generation != generation) return nullptr;
  return it->second.keys;
}

void ListOrderCache::put(ResourceType type, std::string_view source, std::uint64_t generation,
                         std::shared_ptr<const Keys> keys) {
  std::lock_guard lock(mutex_);
  Entry& entry = entries_[std::pair{type, std::string(source)}];
  if (entry.keys && entry.generation > generation) return;  // a newer list is already here
  entry = Entry{generation, std::move(keys)};
}

}  // namespace rosterd::sql
