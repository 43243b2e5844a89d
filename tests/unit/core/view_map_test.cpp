// ViewMap, the hash index reconcile() builds over its input: emails found whatever their
// case (as email_key() compares them), the first of equal keys kept, insert_all() the
// same as one emplace() after another, everything still found after the table grows.
#include "core/view_map.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "core/email.h"

namespace rosterd {
namespace {

struct Item {
  std::string key;
  int value = 0;
};
struct KeyOfItem {
  std::string_view operator()(const Item* i) const { return i->key; }
};
using Emails = EmailMap<const Item*, KeyOfItem>;
using Ids = IdMap<const Item*, KeyOfItem>;

TEST(EmailKey, HashAndEqualityAgreeWithEmailKeyForEveryByte) {
  std::mt19937 rng(7);
  for (int n = 0; n < 2000; ++n) {
    std::string s(static_cast<std::size_t>(rng() % 40), '\0');
    for (char& c : s) c = static_cast<char>(rng() % 256);
    const std::string lower = email_key(s);
    EXPECT_EQ(EmailKeyHash{}(s), EmailKeyHash{}(lower));
    EXPECT_TRUE(EmailKeyEqual{}(s, lower));
  }
  EXPECT_FALSE(EmailKeyEqual{}("ada@acme.example", "adb@acme.example"));
  EXPECT_FALSE(EmailKeyEqual{}("ada@acme.example", "ada@acme.example."));
  EXPECT_FALSE(EmailKeyEqual{}("a\xc3\x89@x.y", "a\xc3\xa9@x.y"));  // ASCII only, as email_key()
}

TEST(ViewMap, FindsEmailsWhateverTheirCaseAndKeepsTheFirst) {
  const std::vector<Item> items{
      {"Ada@Acme.Example", 1}, {"bob@acme.example", 2}, {"ADA@acme.example", 3}};
  Emails map;
  for (const Item& i : items) map.emplace(&i);
  EXPECT_EQ(map.size(), 2u);
  ASSERT_NE(map.find(std::string_view("ada@acme.example")), nullptr);
  EXPECT_EQ((*map.find(std::string_view("ada@acme.example")))->value, 1);
  EXPECT_EQ(map.find(std::string_view("carol@acme.example")), nullptr);
  EXPECT_EQ(Emails{}.find(std::string_view("ada@acme.example")), nullptr);
}

TEST(ViewMap, InsertAllIsEmplaceOneAfterAnother) {
  std::vector<Item> items;
  for (int n = 0; n < 5000; ++n) items.push_back({"id-" + std::to_string(n % 3000), n});
  std::vector<const Item*> pointers;
  for (const Item& i : items) pointers.push_back(&i);
  Ids one_by_one, all;
  std::vector<int> merged_one_by_one, merged_all;
  for (const Item* i : pointers)
    if (!one_by_one.emplace(i).second) merged_one_by_one.push_back(i->value);
  all.insert_all(pointers,
                 [&](const Item*, const Item* other) { merged_all.push_back(other->value); });
  EXPECT_EQ(all.size(), 3000u);
  std::sort(merged_all.begin(), merged_all.end());
  EXPECT_EQ(merged_all, merged_one_by_one);
  for (int n = 0; n < 3000; ++n) {
    const std::string key = "id-" + std::to_string(n);
    ASSERT_NE(all.find(std::string_view(key)), nullptr) << key;
    EXPECT_EQ((*all.find(std::string_view(key)))->value, n);  // the first of equal keys
    EXPECT_EQ((*one_by_one.find(std::string_view(key)))->value, n);
  }
  EXPECT_FALSE(all.contains(std::string_view("id-3000")));
}

TEST(ViewMap, InsertAllTellsMergeOfEachOtherInOrder) {
  const std::vector<Item> items{{"x", 1}, {"y", 2}, {"x", 3}, {"x", 4}};
  std::vector<const Item*> pointers;
  for (const Item& i : items) pointers.push_back(&i);
  Ids map;
  std::vector<std::pair<int, int>> merges;
  map.insert_all(pointers, [&](const Item* kept, const Item* other) {
    merges.emplace_back(kept->value, other->value);
  });
  EXPECT_EQ(merges, (std::vector<std::pair<int, int>>{{1, 3}, {1, 4}}));
}

TEST(ViewMap, PairsOfViewsAreKeys) {
  struct Anchor {
    std::string source, anchor;
  };
  struct KeyOfAnchor {
    ViewPair operator()(const Anchor* a) const { return {a->source, a->anchor}; }
  };
  const std::vector<Anchor> anchors{{"okta", "1"}, {"corp", "1"}, {"okta", "2"}};
  ViewPairMap<const Anchor*, KeyOfAnchor> map;
  for (const Anchor& a : anchors) map.emplace(&a);
  EXPECT_EQ(map.size(), 3u);
  EXPECT_EQ(*map.find(ViewPair("corp", "1")), &anchors[1]);
  EXPECT_EQ(map.find(ViewPair("corp", "2")), nullptr);
}

}  // namespace
}  // namespace rosterd
