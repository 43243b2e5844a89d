// apply_patch() on Groups: membership changes become MemberSteps the store runs without
// loading the member list; the group's own attributes are patched like a User's.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/unit/scim/patch_fixture.h"

namespace rosterd::scim {
namespace {

using testing::body;
using testing::json;

constexpr const char* kGroup = R"({"displayName": "Tour Guides", "externalId": "tg"})";

// Fails the test when called: the common forms must not load the members.
Result<std::vector<MemberRef>> must_not_load() {
  ADD_FAILURE() << "load_members() was called";
  return std::vector<MemberRef>{};
}

std::string group_steps(std::string_view operations) {
  auto result = testing::patch(ResourceType::Group, kGroup, body(operations), must_not_load);
  if (!result) return "error: " + result.error().message;
  EXPECT_EQ(result->resource, json(kGroup).as_object()) << operations;
  return testing::steps(result->member_steps);
}

ErrorCode group_error(std::string_view operations) {
  return testing::error_of(ResourceType::Group, kGroup, body(operations));
}

TEST(PatchGroup, AddsMembers) {
  EXPECT_EQ(group_steps(R"([{"op":"add","path":"members","value":[{"value":"a"},{"value":"b"}]}])"),
            "add a b");
}

TEST(PatchGroup, ReplacesMembersByClearingThenAdding) {
  EXPECT_EQ(group_steps(R"([{"op":"replace","path":"members","value":[{"value":"a"}]}])"),
            "clear; add a");
  EXPECT_EQ(group_steps(R"([{"op":"replace","path":"members","value":[]}])"), "clear");
}

TEST(PatchGroup, ClearsMembersOnRemoveWithoutValue) {
  EXPECT_EQ(group_steps(R"([{"op":"remove","path":"members"}])"), "clear");
}

TEST(PatchGroup, RemovesOnlyTheMembersGivenAsTheValueOfRemove) {
  EXPECT_EQ(group_steps(R"([{"op":"remove","path":"members","value":[{"value":"a"},{"value":"b"}]}])"),
            "remove a b");
  EXPECT_EQ(group_steps(R"([{"op":"remove","path":"members","value":[]}])"), "");
}

TEST(PatchGroup, RemovesTheMembersOfAValueEqFilterWithoutLoadingThem) {
  EXPECT_EQ(group_steps(R"([{"op":"remove","path":"members[value eq \"a\"]"}])"), "remove a");
  EXPECT_EQ(group_steps(R"([{"op":"remove","path":"members[value eq \"a\" or value eq \"b\"]"}])"),
            "remove a b");
}

TEST(PatchGroup, AddsMembersFromAPathlessValue) {
  EXPECT_EQ(group_steps(R"([{"op":"add","value":{"members":[{"value":"a"}]}}])"), "add a");
  EXPECT_EQ(group_steps(R"([{"op":"replace","value":{"members":[{"value":"a"}]}}])"), "clear; add a");
}

TEST(PatchGroup, KeepsStepsInOrderAndMergesNeighboursOfOneKind) {
  EXPECT_EQ(group_steps(R"([{"op":"add","path":"members","value":[{"value":"a"}]},
                            {"op":"add","path":"members","value":[{"value":"b"}]},
                            {"op":"remove","path":"members[value eq \"c\"]"},
                            {"op":"remove","path":"members","value":[{"value":"d"}]},
                            {"op":"add","path":"members","value":[{"value":"c"}]}])"),
            "add a b; remove c d; add c");
}

TEST(PatchGroup, ReadsMemberTypesInAnyCaseOrFromTheirRef) {
  EXPECT_EQ(group_steps(R"([{"op":"add","path":"members","value":[
      {"value":"a","type":"group"},{"value":"b","type":"USER"},
      {"value":"c","$ref":"https://example.com/scim/v2/Groups/c"},{"value":"d","$ref":null}]}])"),
            "add a(Group) b c(Group) d");
}

TEST(PatchGroup, RefusesMembersWithoutAnIdOrWithAnUnknownType) {
  EXPECT_EQ(group_error(R"([{"op":"add","path":"members","value":[{"display":"x"}]}])"),
            ErrorCode::InvalidValue);
  EXPECT_EQ(group_error(R"([{"op":"add","path":"members","value":[{"value":""}]}])"),
            ErrorCode::InvalidValue);
  EXPECT_EQ(group_error(R"([{"op":"add","path":"members","value":[{"value":"a","type":"Device"}]}])"),
            ErrorCode::InvalidValue);
}

TEST(PatchGroup, RefusesMemberPathsThatAreNotWholeOrRemoveByFilter) {
  EXPECT_EQ(group_error(R"([{"op":"add","path":"members[value eq \"a\"]","value":{"value":"a"}}])"),
            ErrorCode::InvalidPath);
  EXPECT_EQ(group_error(R"([{"op":"replace","path":"members.value","value":"a"}])"),
            ErrorCode::InvalidPath);
  EXPECT_EQ(group_error(R"([{"op":"remove","path":"members[value eq \"a\"].type"}])"),
            ErrorCode::InvalidPath);
  EXPECT_EQ(group_error(R"([{"op":"remove","path":"members[value eq \"a\"].display"}])"),
            ErrorCode::Mutability);
  EXPECT_EQ(group_error(R"([{"op":"remove","path":"members[colour eq \"red\"]"}])"),
            ErrorCode::InvalidPath);
}

TEST(PatchGroup, LoadsMembersOnceForOtherFiltersAndSeesTheEarlierSteps) {
  int loads = 0;
  const auto load = [&]() -> Result<std::vector<MemberRef>> {
    ++loads;
    return std::vector<MemberRef>{{"u1", ResourceType::User, "Alice"},
                                  {"g1", ResourceType::Group, "Admins"},
                                  {"u2", ResourceType::User, "Bob"}};
  };
  auto result = testing::patch(ResourceType::Group, kGroup, body(R"([
      {"op":"remove","path":"members","value":[{"value":"u2"}]},
      {"op":"add","path":"members","value":[{"value":"g2","type":"Group"}]},
      {"op":"remove","path":"members[type eq \"group\"]"},
      {"op":"remove","path":"members[display sw \"ALI\"]"}])"),
                               load);
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(loads, 1);
  EXPECT_EQ(testing::steps(result->member_steps), "remove u2; add g2(Group); remove g1(Group) g2(Group) u1");
}

TEST(PatchGroup, AnswersNoTargetWhenALoadedFilterMatchesNoMember) {
  const auto load = []() -> Result<std::vector<MemberRef>> {
    return std::vector<MemberRef>{{"u1", ResourceType::User, "Alice"}};
  };
  auto result = testing::patch(ResourceType::Group, kGroup,
                               body(R"([{"op":"remove","path":"members[display eq \"Bob\"]"}])"), load);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, ErrorCode::NoTarget);
}

TEST(PatchGroup, PassesOnTheErrorOfLoadingMembers) {
  const auto load = []() -> Result<std::vector<MemberRef>> {
    return fail(ErrorCode::Storage, "disk on fire");
  };
  auto result = testing::patch(ResourceType::Group, kGroup,
                               body(R"([{"op":"remove","path":"members[display eq \"Bob\"]"}])"), load);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, ErrorCode::Storage);
}

TEST(PatchGroup, RenamesAndRefusesToRemoveTheDisplayName) {
  auto renamed = testing::patched(ResourceType::Group, kGroup,
                                  body(R"([{"op":"replace","path":"displayName","value":"Guides"}])"));
  EXPECT_EQ(renamed, json(R"({"displayName":"Guides","externalId":"tg"})"));
  EXPECT_EQ(group_error(R"([{"op":"remove","path":"displayName"}])"), ErrorCode::Mutability);
  EXPECT_EQ(group_error(R"([{"op":"replace","path":"displayName","value":null}])"), ErrorCode::Mutability);
  EXPECT_EQ(group_error(R"([{"op":"add","path":"userName","value":"x"}])"), ErrorCode::InvalidPath);
}

TEST(PatchGroup, LeavesStepsAndAttributesUnchangedWhenALaterOperationFails) {
  PatchTarget target{ResourceType::Group, json(kGroup).as_object(), {}, must_not_load};
  auto ops = parse_patch_request(json(body(R"([
      {"op":"add","path":"members","value":[{"value":"a"}]},
      {"op":"replace","path":"displayName","value":"Renamed"},
      {"op":"remove","path":"members","value":[{"type":"User"}]}])")));
  ASSERT_TRUE(ops);
  auto result = apply_patch(*ops, target);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, ErrorCode::InvalidValue);
  EXPECT_EQ(target.resource, json(kGroup).as_object());
  EXPECT_TRUE(target.member_steps.empty());
}

}  // namespace
}  // namespace rosterd::scim
