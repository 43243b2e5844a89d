// ViewMap: a hash index over data that outlives it (reconcile()'s indices over its input).
// A slot holds a value — a pointer, or a pointer and a count — and its key's hash; the key
// itself is read from the value (KeyOf), so slots stay small and a look-up compares keys
// only when the hashes agree. Open addressing in one array: no allocation per entry. With
// 100,000 people, node-based maps spent reconcile's time in malloc and cache misses.
// Entries are never removed. Pointers into the map are valid until the next insertion.
#pragma once

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <functional>
#include <string_view>
#include <utility>
#include <vector>

namespace rosterd {

template <typename Value, typename KeyOf, typename Hash, typename Equal>
class ViewMap {
 public:
  std::size_t size() const { return size_; }

  // Room for `n` entries without growing.
  void reserve(std::size_t n) {
    if (n * 4 > slots_.size() * 3) rehash(std::bit_ceil((n * 4 + 2) / 3 + 1));
  }

  // Inserts `value` unless a value with its key is there already; either way, the value
  // with that key and whether it is new.
  std::pair<Value*, bool> emplace(Value value) {
    reserve(size_ + 1);
    const std::uint64_t h = hash(KeyOf{}(value));
    return emplace_hashed(std::move(value), h);
  }

  // Inserts `values` as emplace() would one by one in their order — of values with equal
  // keys the first is kept and `merge(kept, other)` is called with each other — but writes
  // the slots in the order of the table rather than at random: at 100,000 values the
  // table no longer comes from main memory once per value.
  template <typename Merge>
  void insert_all(const std::vector<Value>& values, Merge merge) {
    if (values.empty()) return;
    reserve(size_ + values.size());
    std::vector<std::uint64_t> hashes;
    hashes.reserve(values.size());
    for (const Value& v : values) hashes.push_back(hash(KeyOf{}(v)));
    // A stable counting sort by the top bits of the home slot.
    const int table_bits = 64 - shift_;
    const int bits = std::min(table_bits, 12);
    auto bucket = [&](std::uint64_t h) { return home(h) >> (table_bits - bits); };
    std::vector<std::uint32_t> next((std::size_t{1} << bits) + 1, 0);
    for (const std::uint64_t h : hashes) ++next[bucket(h) + 1];
    for (std::size_t b = 1; b < next.size(); ++b) next[b] += next[b - 1];
    std::vector<std::uint32_t> order(values.size());
    for (std::size_t i = 0; i < values.size(); ++i)
      order[next[bucket(hashes[i])]++] = static_cast<std::uint32_t>(i);
    for (const std::uint32_t i : order) {
      const auto [kept, fresh] = emplace_hashed(values[i], hashes[i]);
      if (!fresh) merge(*kept, values[i]);
    }
  }

  template <typename Key>
  const Value* find(const Key& key) const {
    if (size_ == 0) return nullptr;
    const std::uint64_t h = hash(key);
    for (std::size_t i = home(h);; i = (i + 1) & (slots_.size() - 1)) {
      const Slot& s = slots_[i];
      if (s.hash == 0) return nullptr;
      if (s.hash == h && Equal{}(KeyOf{}(s.value), key)) return &s.value;
    }
  }
  template <typename Key>
  bool contains(const Key& key) const {
    return find(key) != nullptr;
  }

 private:
  // `h` is hash(KeyOf{}(value)); there is room.
  std::pair<Value*, bool> emplace_hashed(Value value, std::uint64_t h) {
    for (std::size_t i = home(h);; i = (i + 1) & (slots_.size() - 1)) {
      Slot& s = slots_[i];
      if (s.hash == 0) {
        s = Slot{h, std::move(value)};
        ++size_;
        return {&s.value, true};
      }
      if (s.hash == h && Equal{}(KeyOf{}(s.value), KeyOf{}(value))) return {&s.value, false};
    }
  }

  struct Slot {
    std::uint64_t hash = 0;  // 0: empty (hash() never returns it)
    Value value{};
  };

  template <typename Key>
  static std::uint64_t hash(const Key& key) {
    return static_cast<std::uint64_t>(Hash{}(key)) | 1;
  }
  // Fibonacci hashing: the high bits of the product, so weak low bits of a hash do no harm.
  std::size_t home(std::uint64_t h) const {
    return static_cast<std::size_t>((h * 0x9e3779b97f4a7c15ull) >> shift_);
  }

  void rehash(std::size_t capacity) {
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(capacity, Slot{});
    shift_ = 64 - std::countr_zero(capacity);
    for (Slot& s : old) {
      if (s.hash == 0) continue;
      std::size_t i = home(s.hash);
      while (slots_[i].hash != 0) i = (i + 1) & (capacity - 1);
      slots_[i] = std::move(s);
    }
  }

  std::vector<Slot> slots_;  // a power of two in size, at most 3/4 full
  int shift_ = 64;
  std::size_t size_ = 0;
};

namespace view_map_detail {

constexpr char ascii_lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

// ASCII lower case of the eight bytes of `w` at once; other bytes are left as they are.
constexpr std::uint64_t ascii_lower8(std::uint64_t w) {
  constexpr std::uint64_t kOnes = 0x0101010101010101ull;
  const std::uint64_t heptets = w & (0x7f * kOnes);
  const std::uint64_t at_least_a = heptets + (0x80 - 'A') * kOnes;  // high bit: >= 'A'
  const std::uint64_t above_z = heptets + (0x80 - 'Z' - 1) * kOnes;  // high bit: > 'Z'
  const std::uint64_t upper = at_least_a & ~above_z & ~w & (0x80 * kOnes);
  return w | (upper >> 2);  // 0x80 >> 2 = 0x20, the case bit
}

// Eight bytes at a time (the tail zero-padded, the length in the seed): an email is hashed
// in three or four steps instead of twenty-odd.
template <bool kFoldCase>
std::uint64_t hash_bytes(std::string_view s, std::uint64_t seed = 0) {
  constexpr std::uint64_t kMul = 0x9e3779b97f4a7c15ull;
  std::uint64_t h = (seed ^ s.size()) * kMul;
  auto step = [&h](std::uint64_t w) {
    if constexpr (kFoldCase) w = ascii_lower8(w);
    h = (h ^ w) * kMul;
    h ^= h >> 32;
  };
  std::size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    std::uint64_t w;
    std::memcpy(&w, s.data() + i, 8);
    step(w);
  }
  if (i < s.size()) {
    std::uint64_t w = 0;
    std::memcpy(&w, s.data() + i, s.size() - i);
    step(w);
  }
  return h;
}

}  // namespace view_map_detail

struct ViewHash {
  std::uint64_t operator()(std::string_view s) const {
    return view_map_detail::hash_bytes<false>(s);
  }
};

// An email hashed and compared as its email_key() would be, without making that
// lower-cased copy.
struct EmailKeyHash {
  std::uint64_t operator()(std::string_view email) const {
    return view_map_detail::hash_bytes<true>(email);
  }
};
struct EmailKeyEqual {
  bool operator()(std::string_view a, std::string_view b) const {
    if (a.size() != b.size()) return false;
    if (a == b) return true;  // the usual case, at memcmp speed
    for (std::size_t i = 0; i < a.size(); ++i)
      if (view_map_detail::ascii_lower(a[i]) != view_map_detail::ascii_lower(b[i])) return false;
    return true;
  }
};

// Two strings that identify something together: (source, anchor), (person, licence).
using ViewPair = std::pair<std::string_view, std::string_view>;
struct ViewPairHash {
  std::uint64_t operator()(const ViewPair& p) const {
    using view_map_detail::hash_bytes;
    return hash_bytes<false>(p.second, hash_bytes<false>(p.first));  // the first seeds the second
  }
};

// The usual kinds of index: KeyOf gives the key of a value.
template <typename Value, typename KeyOf>
using IdMap = ViewMap<Value, KeyOf, ViewHash, std::equal_to<>>;
template <typename Value, typename KeyOf>
using EmailMap = ViewMap<Value, KeyOf, EmailKeyHash, EmailKeyEqual>;
template <typename Value, typename KeyOf>
using ViewPairMap = ViewMap<Value, KeyOf, ViewPairHash, std::equal_to<>>;

}  // namespace rosterd
