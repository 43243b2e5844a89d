#include "config/closest_name.h"

#include <gtest/gtest.h>

#include <array>
#include <string_view>

namespace rosterd::config_detail {
namespace {

using namespace std::string_view_literals;
constexpr std::array kKeys{"licences"sv, "default_owner"sv, "resolution"sv, "on_leave"sv};

TEST(ClosestName, SuggestsWithinTwoEdits) {
  EXPECT_EQ(closest_name("licenses", kKeys), "licences");          // one substitution
  EXPECT_EQ(closest_name("licence", kKeys), "licences");           // one deletion
  EXPECT_EQ(closest_name("defalt_ownr", kKeys), "default_owner");  // two deletions
  EXPECT_EQ(closest_name("Resolution", kKeys), "resolution");      // case is ignored
}

TEST(ClosestName, SuggestsNothingBeyondTwoEdits) {
  EXPECT_EQ(closest_name("lic", kKeys), std::nullopt);
  EXPECT_EQ(closest_name("owner", kKeys), std::nullopt);
  EXPECT_EQ(did_you_mean("webhook", kKeys), "");
}

TEST(ClosestName, ShortWordsAreNotReplacedWholesale) {
  constexpr std::array kShort{"id"sv};
  EXPECT_EQ(closest_name("ab", kShort), std::nullopt);  // two edits = the whole word
  EXPECT_EQ(closest_name("ix", kShort), "id");
}

TEST(ClosestName, PrefersTheNearestCandidate) {
  constexpr std::array kNames{"scope"sv, "scim"sv};
  EXPECT_EQ(closest_name("scin", kNames), "scim");
  EXPECT_EQ(did_you_mean("scopes", kNames), "; did you mean 'scope'?");
}

}  // namespace
}  // namespace rosterd::config_detail
