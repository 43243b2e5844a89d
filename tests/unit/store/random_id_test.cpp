// Ids are version-7 UUIDs: well-formed, unique, and in creation order across milliseconds
// (the order keeps index inserts on the last pages; see store/random_id.h).
#include <gtest/gtest.h>

#include <chrono>
#include <regex>
#include <set>
#include <thread>

#include "store/random_id.h"

namespace rosterd {
namespace {

TEST(RandomId, LaysOutTimeVersionAndVariantAsRfc9562Says) {
  // 2026-01-05T08:00:00Z = 1767600000000 ms = 0x019b8d2b8c00.
  EXPECT_EQ(uuid_v7(1767600000000ULL, 0xabc, 0x0123456789abcdefULL), "019b8d2b-8c00-7abc-8123-456789abcdef");
  // Only the room the layout has is used: the version and variant bits cannot be overwritten.
  EXPECT_EQ(uuid_v7(1767600000000ULL, 0xffffffffffffffffULL, 0xffffffffffffffffULL),
            "019b8d2b-8c00-7fff-bfff-ffffffffffff");
}

TEST(RandomId, GeneratedIdsAreUniqueWellFormedAndOrderedAcrossMilliseconds) {
  const auto next = make_random_id_generator();
  const std::regex shape("[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
  std::set<std::string> seen;
  for (int i = 0; i < 10000; ++i) {
    const std::string id = next();
    ASSERT_TRUE(std::regex_match(id, shape)) << id;
    ASSERT_TRUE(seen.insert(id).second) << "duplicate " << id;
  }
  const std::string before = next();
  std::this_thread::sleep_for(std::chrono::milliseconds(3));
  EXPECT_LT(before, next());
}

TEST(RandomId, TwoGeneratorsDoNotRepeatEachOther) {
  const auto a = make_random_id_generator();
  const auto b = make_random_id_generator();
  std::set<std::string> seen;
  for (int i = 0; i < 5000; ++i) {
    ASSERT_TRUE(seen.insert(a()).second);
    ASSERT_TRUE(seen.insert(b()).second);
  }
}

}  // namespace
}  // namespace rosterd
