// configure_spaces() and the licence counters: totals follow the configuration, seats in
// use follow the accounts, and every operation keeps the two in step.
#include <gtest/gtest.h>

#include "tests/unit/store/store_fixture.h"

namespace rosterd::store_test {
namespace {

using Usage = std::pair<std::int64_t, std::int64_t>;  // used, total

TEST_P(AccountStoreTest, ConfiguringSpacesStoresTotalsAndDefaultOwners) {
  const auto spaces = store_->spaces();
  ASSERT_TRUE(spaces.has_value());
  ASSERT_EQ(spaces->size(), 2u);
  EXPECT_EQ(testing::describe((*spaces)[0]),
            "space acme default_owner= licences={administrator:3, manager:3, recruiter:2}");
  EXPECT_EQ(testing::describe((*spaces)[1]),
            "space globex default_owner=boss@globex.example licences={administrator:2, recruiter:1}");
  EXPECT_EQ(testing::describe_all(store_->licence_usage()),
            "licence acme/administrator used=0 total=3\n"
            "licence acme/manager used=0 total=3\n"
            "licence acme/recruiter used=0 total=2\n"
            "licence globex/administrator used=0 total=2\n"
            "licence globex/recruiter used=0 total=1\n");
}

TEST_P(AccountStoreTest, ReconfiguringChangesTotalsAndTheDefaultOwnerButKeepsSeatsInUse) {
  create("acme", "r1@acme.example", "recruiter", "recruiter");
  create("acme", "r2@acme.example", "recruiter", "recruiter");
  ASSERT_TRUE(configure({Space{"acme", {{"administrator", 3}, {"manager", 3}, {"recruiter", 1}},
                               "r1@acme.example"}}));
  EXPECT_EQ(usage("acme", "recruiter"), (Usage{2, 1}));  // lowered below its use
  EXPECT_EQ(store_->spaces().value().front().default_owner, "r1@acme.example");
  EXPECT_EQ(accounts(AccountFilter{}).size(), 2u) << "no account is touched by a lower quota";
  EXPECT_EQ(must_refuse(create_op("acme", "r3@acme.example", "recruiter", "recruiter")).invariant,
            invariant::kLicenceQuota);

  ASSERT_TRUE(configure({Space{"acme", {{"administrator", 3}, {"manager", 3}, {"recruiter", 5}}, ""}}));
  EXPECT_EQ(usage("acme", "recruiter"), (Usage{2, 5}));
  create("acme", "r3@acme.example", "recruiter", "recruiter");
  EXPECT_EQ(usage("acme", "recruiter"), (Usage{3, 5}));
  // globex was not in the last two configurations: it is left as it was.
  EXPECT_EQ(usage("globex", "recruiter"), (Usage{0, 1}));
}

TEST_P(AccountStoreTest, AddingALicenceTypeOpensANewPool) {
  ASSERT_TRUE(configure({Space{"globex", {{"administrator", 2}, {"recruiter", 1}, {"manager", 4}},
                               "boss@globex.example"}}));
  EXPECT_EQ(usage("globex", "manager"), (Usage{0, 4}));
  create("globex", "m@globex.example", "assessor", "manager");
  EXPECT_EQ(usage("globex", "manager"), (Usage{1, 4}));
}

TEST_P(AccountStoreTest, ConfiguringSpacesRecountsTheSeatsFromTheAccounts) {
  const std::string a = create("acme", "r1@acme.example", "recruiter", "recruiter");
  create("acme", "r2@acme.example", "collaborator", "recruiter");
  create("acme", "m1@acme.example", "assessor", "manager");
  must_apply(DeactivateOp{a});
  {
    auto conn = connect();
    ASSERT_NE(conn, nullptr);
    ASSERT_TRUE(conn->execute("UPDATE licence_pools SET used = 42", {}).has_value());
  }
  reopen();
  EXPECT_EQ(usage("acme", "recruiter"), (Usage{42, 2}));
  ASSERT_TRUE(configure(default_spaces()));
  EXPECT_EQ(usage("acme", "recruiter"), (Usage{1, 2}));
  EXPECT_EQ(usage("acme", "manager"), (Usage{1, 3}));
  EXPECT_EQ(usage("acme", "administrator"), (Usage{0, 3}));
  EXPECT_EQ(usage("globex", "recruiter"), (Usage{0, 1}));
}

TEST_P(AccountStoreTest, UsageFollowsCreateDeactivateReactivateAndDelete) {
  const std::string owner = create_owner();
  EXPECT_EQ(usage("acme", "administrator"), (Usage{1, 3}));
  const std::string ada = create("acme", "ada@acme.example", "recruiter", "recruiter");
  EXPECT_EQ(usage("acme", "recruiter"), (Usage{1, 2}));
  must_apply(SuspendOp{ada});
  EXPECT_EQ(usage("acme", "recruiter"), (Usage{1, 2})) << "a suspended account keeps its seat";
  must_apply(DeactivateOp{ada});
  EXPECT_EQ(usage("acme", "recruiter"), (Usage{0, 2}));
  must_apply(ReactivateOp{ada});
  EXPECT_EQ(usage("acme", "recruiter"), (Usage{1, 2}));
  must_apply(LockOp{ada});
  EXPECT_EQ(usage("acme", "recruiter"), (Usage{1, 2}));
  must_apply(DeleteOp{ada, owner});
  EXPECT_EQ(usage("acme", "recruiter"), (Usage{0, 2}));
  EXPECT_EQ(usage("acme", "administrator"), (Usage{1, 3}));
}

TEST_P(AccountStoreTest, DeletingADeactivatedAccountFreesNoSecondSeat) {
  const std::string owner = create_owner();
  const std::string ada = create("acme", "ada@acme.example", "recruiter", "recruiter");
  create("acme", "bob@acme.example", "recruiter", "recruiter");
  must_apply(DeactivateOp{ada});
  must_apply(DeleteOp{ada, owner});
  EXPECT_EQ(usage("acme", "recruiter"), (Usage{1, 2}));
}

TEST_P(AccountStoreTest, ALicenceChangeMovesTheSeatBetweenPools) {
  const std::string ada = create("acme", "ada@acme.example", "collaborator", "recruiter");
  Profile p;
  p.licence = "manager";
  must_apply(UpdateOp{ada, p});
  EXPECT_EQ(usage("acme", "recruiter"), (Usage{0, 2}));
  EXPECT_EQ(usage("acme", "manager"), (Usage{1, 3}));
  must_apply(DeactivateOp{ada});
  p.licence = "recruiter";
  must_apply(UpdateOp{ada, p});  // deactivated: no seat to move
  EXPECT_EQ(usage("acme", "recruiter"), (Usage{0, 2}));
  EXPECT_EQ(usage("acme", "manager"), (Usage{0, 3}));
}

TEST_P(AccountStoreTest, DeactivatingFreesTheSeatForTheNextCreate) {
  const std::string r1 = create("acme", "r1@acme.example", "recruiter", "recruiter");
  create("acme", "r2@acme.example", "recruiter", "recruiter");
  EXPECT_EQ(must_refuse(create_op("acme", "r3@acme.example", "recruiter", "recruiter")).invariant,
            invariant::kLicenceQuota);
  must_apply(DeactivateOp{r1});
  create("acme", "r3@acme.example", "recruiter", "recruiter");
  EXPECT_EQ(usage("acme", "recruiter"), (Usage{2, 2}));
}

TEST_P(AccountStoreTest, ReactivatingIsRefusedWhenTheLicenceIsFull) {
  const std::string r1 = create("acme", "r1@acme.example", "recruiter", "recruiter");
  create("acme", "r2@acme.example", "recruiter", "recruiter");
  must_apply(DeactivateOp{r1});
  create("acme", "r3@acme.example", "recruiter", "recruiter");
  const auto before = snap();
  EXPECT_EQ(must_refuse(ReactivateOp{r1}).invariant, invariant::kLicenceQuota);
  expect_same(before, snap());
  EXPECT_EQ(account(r1)->state, AccountState::Deactivated);
}

TEST_P(AccountStoreTest, TheCountersAgreeWithTheAccountsAfterAMixedHistory) {
  const std::string owner = create_owner();
  const std::string a = create("acme", "a@acme.example", "collaborator", "recruiter");
  const std::string b = create("acme", "b@acme.example", "assessor", "manager");
  const std::string c = create("acme", "c@acme.example", "recruiter", "recruiter");
  must_apply(ReassignOp{c, "d@acme.example", "D", "D", ""});
  must_apply(DeactivateOp{b});
  Profile p;
  p.licence = "manager";
  must_apply(UpdateOp{a, p});
  must_apply(ReactivateOp{b});
  must_apply(DeleteOp{b, owner});
  const auto counted = testing::describe_all(store_->licence_usage());
  ASSERT_TRUE(configure(default_spaces()));  // recounts from the accounts
  EXPECT_EQ(testing::describe_all(store_->licence_usage()), counted);
  EXPECT_EQ(usage("acme", "recruiter"), (Usage{1, 2}));  // d, who took c's seat
  EXPECT_EQ(usage("acme", "manager"), (Usage{1, 3}));    // a
}

}  // namespace
}  // namespace rosterd::store_test
