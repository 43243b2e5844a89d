// Shared<T>: one immutable value held by many owners, compared by value.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/facts.h"
#include "core/shared.h"

namespace rosterd {
namespace {

TEST(Shared, DefaultHoldsAnEmptyValue) {
  const Shared<std::vector<int>> none;
  EXPECT_TRUE(none.empty());
  EXPECT_EQ(none.size(), 0u);
  EXPECT_EQ(none, std::vector<int>{});
  const Shared<std::string> text;
  EXPECT_EQ(*text, "");
}

TEST(Shared, CopiesHoldTheSameObject) {
  const Shared<std::vector<int>> a = std::vector<int>{1, 2, 3};
  const Shared<std::vector<int>> b = a;  // NOLINT: the copy is the point
  EXPECT_EQ(&*a, &*b);
  EXPECT_EQ(b.size(), 3u);
  EXPECT_EQ(b[1], 2);
  EXPECT_EQ(b.front(), 1);
  EXPECT_EQ(b.back(), 3);
}

TEST(Shared, ComparesByValueNotByObject) {
  const Shared<std::vector<int>> a = std::vector<int>{1, 2};
  const Shared<std::vector<int>> b = std::vector<int>{1, 2};
  const Shared<std::vector<int>> c = std::vector<int>{2, 1};
  EXPECT_NE(&*a, &*b);
  EXPECT_EQ(a, b);
  EXPECT_FALSE(a == c);
  EXPECT_EQ(a, (std::vector<int>{1, 2}));
}

TEST(Shared, FactsFromABracedList) {
  const SharedFacts facts = {{"rule", "recruiters"}, {"title", "Sourcer"}};
  ASSERT_EQ(facts.size(), 2u);
  EXPECT_EQ(facts[0], (std::pair<std::string, std::string>("rule", "recruiters")));
  EXPECT_EQ(facts[1].second, "Sourcer");
  std::string keys;
  for (const auto& [key, value] : facts) keys += key + ";";
  EXPECT_EQ(keys, "rule;title;");
}

}  // namespace
}  // namespace rosterd
