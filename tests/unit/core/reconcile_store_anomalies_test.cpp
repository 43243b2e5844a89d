// reconcile() when the store breaks its own uniqueness (two accounts of a space with one
// id, or one email): the first of them by id is the account every step sees, so a plan
// never acts twice for one account nor frees one seat twice.
#include <gtest/gtest.h>

#include "tests/unit/core/reconcile_fixture.h"

namespace rosterd::core_test {
namespace {

using StoreAnomalies = ReconcileTest;
using Strings = std::vector<std::string>;

TEST_F(StoreAnomalies, AccountsSharingAnIdAreClaimedTogether) {
  want("ada@acme.example");
  has("ada@acme.example");
  has("twin@acme.example").id = "acc-ada";  // not a leaver: its id is ada's
  const auto r = plan();
  EXPECT_TRUE(r.plan.operations.empty()) << result_text(r);
}

TEST_F(StoreAnomalies, LeaversSharingAnIdGiveBackOneSeat) {
  has("l1@acme.example").id = "acc-l";
  has("l2@acme.example").id = "acc-l";
  want("h@acme.example");
  has("h@acme.example");  // the recruiter seats (3) are all taken
  want("w1@acme.example");
  want("w2@acme.example");
  const auto r = plan();
  EXPECT_EQ(op_list(r.plan),
            (Strings{"deactivate acc-l", "deactivate acc-l", "create w1@acme.example"}))
      << result_text(r);
  ASSERT_EQ(r.pending.size(), 1u) << result_text(r);
  EXPECT_EQ(r.pending[0].person, "w2@acme.example");
}

TEST_F(StoreAnomalies, TheFirstByIdOfAccountsSharingAnEmailHoldsIt) {
  manual("ada@acme.example", "recruiter", "recruiter").id = "acc-a";
  has("ADA@acme.example").id = "acc-b";  // ada's own account, found by anchor
  DesiredAccount& ada = want("ada@acme.example");
  ada.anchor = "anchor-ADA";
  ada.title = "Sourcer";
  const auto r = plan();
  EXPECT_TRUE(r.plan.operations.empty()) << result_text(r);
  ASSERT_EQ(r.notes.size(), 1u) << result_text(r);
  EXPECT_NE(r.notes[0].find("belongs to a manual account"), std::string::npos) << r.notes[0];
}

TEST_F(StoreAnomalies, AnEmailStaysInUseWhileOneOfTheAccountsSharingItStays) {
  input.policy.on_leave = LeaveAction::Delete;
  want("OLD@acme.example");  // keeps acc-OLD, found by anchor
  has("OLD@acme.example");
  has("old@acme.example");  // acc-old: a leaver, deleted
  want("ada@acme.example").email = "old@acme.example";
  has("ada@acme.example");
  const auto r = plan();
  EXPECT_EQ(op_list(r.plan), (Strings{"delete acc-old"})) << result_text(r);
  ASSERT_EQ(r.notes.size(), 1u) << result_text(r);
  EXPECT_NE(r.notes[0].find("email old@acme.example is in use by another account"),
            std::string::npos)
      << r.notes[0];
}

}  // namespace
}  // namespace rosterd::core_test
