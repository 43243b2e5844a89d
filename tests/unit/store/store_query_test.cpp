// Reading back: accounts() with its filters and ordering, accounts_by_email(), audit()
// with since/limit/space/account, outbox() with state and limit.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include "tests/unit/store/store_fixture.h"

namespace rosterd::store_test {
namespace {

std::vector<std::string> emails(const std::vector<Account>& accounts) {
  std::vector<std::string> out;
  for (const auto& a : accounts) out.push_back(a.email);
  return out;
}
using Emails = std::vector<std::string>;

TEST_P(AccountStoreTest, AccountsAreOrderedBySpaceThenEmailIgnoringCase) {
  create("globex", "alpha@globex.example", "recruiter", "recruiter");
  create("acme", "charlie@acme.example", "recruiter", "recruiter");
  create("acme", "Bravo@acme.example", "assessor", "manager");
  create("acme", "alpha@acme.example", "assessor", "manager");
  EXPECT_EQ(emails(accounts(AccountFilter{})),
            (Emails{"alpha@acme.example", "Bravo@acme.example", "charlie@acme.example",
                    "alpha@globex.example"}));
}

// A population across both spaces for the filter tests; returns email -> id.
std::map<std::string, std::string> populate(AccountStore& store) {
  const std::vector<Space> roomy{
      Space{"acme", {{"administrator", 9}, {"manager", 9}, {"recruiter", 9}}, ""},
      Space{"globex", {{"administrator", 9}, {"recruiter", 9}}, ""}};
  EXPECT_TRUE(store.configure_spaces(roomy).has_value());
  std::map<std::string, std::string> ids;
  auto add = [&](const char* space, const char* email, const char* given, const char* family,
                 const char* role, const char* licence, const char* team,
                 const Actor& actor = Actor::operator_named("root")) {
    CreateOp c;
    c.space = space;
    c.email = email;
    c.given_name = given;
    c.family_name = family;
    c.role = role;
    c.licence = licence;
    c.team = team;
    const auto r = store.apply(c, actor, "populate");
    EXPECT_TRUE(r.has_value()) << email << ": " << (r ? "" : r.error().message);
    if (r && !r->transition.accounts.empty()) ids[email] = r->transition.accounts[0].id;
  };
  add("acme", "ada@acme.example", "Ada", "Lovelace", "recruiter", "recruiter", "Sales");
  add("acme", "alan@acme.example", "Alan", "Turing", "collaborator", "manager", "Sales");
  add("acme", "grace@acme.example", "Grace", "Hopper", "assessor", "manager", "Engineering");
  add("acme", "pct%off@acme.example", "Percy", "Under_score", "member", "recruiter", "Ops");
  add("acme", "pctxoff@acme.example", "Percival", "Underxscore", "member", "recruiter", "Ops");
  add("acme", "bang!@acme.example", "Bang", "Exclaim", "member", "recruiter", "Ops");
  add("globex", "ada@globex.example", "Ada", "Byron", "recruiter", "recruiter", "Sales");
  add("acme", "katherine@acme.example", "Katherine", "Johnson", "recruiter", "recruiter", "Sales",
      Actor::source("okta"));
  EXPECT_TRUE(store.apply(SuspendOp{ids["grace@acme.example"]}, Actor::operator_named("root"), "")
                  .has_value());
  return ids;
}

Emails search(AccountStore& store, std::string text, std::optional<std::string> space = "acme") {
  AccountFilter f;
  f.space = std::move(space);
  f.search = std::move(text);
  auto rows = store.accounts(f);
  EXPECT_TRUE(rows.has_value());
  return rows ? emails(*rows) : Emails{"error"};
}

TEST_P(AccountStoreTest, FiltersBySpaceRoleLicenceStateTeamAndManager) {
  populate(*store_);
  EXPECT_EQ(emails(accounts(Where().space("globex"))), (Emails{"ada@globex.example"}));
  EXPECT_EQ(emails(accounts(Where().space("acme").role("member"))),
            (Emails{"bang!@acme.example", "pct%off@acme.example", "pctxoff@acme.example"}));
  EXPECT_EQ(emails(accounts(Where().licence("manager"))),
            (Emails{"alan@acme.example", "grace@acme.example"}));
  EXPECT_EQ(emails(accounts(Where().team("Sales"))),
            (Emails{"ada@acme.example", "alan@acme.example", "katherine@acme.example",
                    "ada@globex.example"}));
  EXPECT_EQ(emails(accounts(Where().managed_by("okta"))), (Emails{"katherine@acme.example"}));
  EXPECT_EQ(emails(accounts(Where().state(AccountState::Suspended))), (Emails{"grace@acme.example"}));
  EXPECT_EQ(emails(accounts(Where()
                                .space("acme")
                                .role("recruiter")
                                .licence("recruiter")
                                .team("Sales")
                                .managed_by("manual")
                                .state(AccountState::Invited))),
            (Emails{"ada@acme.example"}));
  EXPECT_TRUE(accounts(Where().space("initech")).empty());
  EXPECT_TRUE(accounts(Where().role("Recruiter")).empty()) << "roles are exact names";
}

TEST_P(AccountStoreTest, SearchMatchesEmailGivenAndFamilyNamesIgnoringCase) {
  populate(*store_);
  EXPECT_EQ(search(*store_, "ADA"), (Emails{"ada@acme.example"}));
  EXPECT_EQ(search(*store_, "ada", std::nullopt), (Emails{"ada@acme.example", "ada@globex.example"}));
  EXPECT_EQ(search(*store_, "lovelace"), (Emails{"ada@acme.example"}));
  EXPECT_EQ(search(*store_, "hOpPeR"), (Emails{"grace@acme.example"}));
  EXPECT_EQ(search(*store_, "ada lovelace"), (Emails{"ada@acme.example"}));
  EXPECT_EQ(search(*store_, "ring"), (Emails{"alan@acme.example"}));  // inside "Turing"
  EXPECT_EQ(search(*store_, "@ACME.EXAMPLE").size(), 7u);
  EXPECT_TRUE(search(*store_, "nobody").empty());
}

TEST_P(AccountStoreTest, SearchTreatsPercentUnderscoreAndTheEscapeCharacterLiterally) {
  populate(*store_);
  EXPECT_EQ(search(*store_, "%"), (Emails{"pct%off@acme.example"}));
  EXPECT_EQ(search(*store_, "pct%off"), (Emails{"pct%off@acme.example"}));
  EXPECT_EQ(search(*store_, "_"), (Emails{"pct%off@acme.example"}));  // "Under_score"
  EXPECT_EQ(search(*store_, "under_score"), (Emails{"pct%off@acme.example"}));
  EXPECT_EQ(search(*store_, "!"), (Emails{"bang!@acme.example"}));
  EXPECT_EQ(search(*store_, "g!@"), (Emails{"bang!@acme.example"}));
  EXPECT_TRUE(search(*store_, "'").empty());
}

TEST_P(AccountStoreTest, DeletedAccountsAreListedOnlyWhenAskedFor) {
  auto ids = populate(*store_);
  must_apply(DeleteOp{ids["ada@acme.example"], ids["alan@acme.example"]});
  EXPECT_EQ(search(*store_, "ada"), (Emails{}));
  EXPECT_EQ(emails(accounts(Where().space("acme").search("ada").include_deleted())),
            (Emails{"ada@acme.example"}));
  EXPECT_EQ(emails(accounts(Where().state(AccountState::Deleted))), (Emails{}))
      << "a state filter does not bring deleted accounts back by itself";
  EXPECT_EQ(emails(accounts(Where().state(AccountState::Deleted).include_deleted())),
            (Emails{"ada@acme.example"}));
}

TEST_P(AccountStoreTest, AccountsByEmailIgnoresCaseAndDeletedAccounts) {
  auto ids = populate(*store_);
  const auto both = store_->accounts_by_email("ADA@Acme.Example", std::nullopt);
  ASSERT_TRUE(both.has_value());
  EXPECT_EQ(emails(*both), (Emails{"ada@acme.example"}));
  const auto in_globex = store_->accounts_by_email("ada@globex.example", "globex");
  ASSERT_TRUE(in_globex.has_value());
  ASSERT_EQ(in_globex->size(), 1u);
  EXPECT_EQ(in_globex->front().space, "globex");
  EXPECT_TRUE(store_->accounts_by_email("ada@globex.example", "acme").value().empty());
  EXPECT_TRUE(store_->accounts_by_email("ada", std::nullopt).value().empty()) << "not a substring search";
  must_apply(DeleteOp{ids["ada@acme.example"], ids["alan@acme.example"]});
  EXPECT_TRUE(store_->accounts_by_email("ada@acme.example", std::nullopt).value().empty());
}

TEST_P(AccountStoreTest, TheSameEmailInTwoSpacesIsTwoAccounts) {
  const std::string a = create("acme", "sam@shared.example", "recruiter", "recruiter");
  const std::string b = create("globex", "SAM@shared.example", "recruiter", "recruiter");
  const auto found = store_->accounts_by_email("Sam@Shared.Example", std::nullopt);
  ASSERT_TRUE(found.has_value());
  ASSERT_EQ(found->size(), 2u);
  EXPECT_EQ((*found)[0].id, a);
  EXPECT_EQ((*found)[1].id, b);
}

// --- audit and outbox -------------------------------------------------------------------

TEST_P(AccountStoreTest, AuditSinceReturnsTheRowsAtOrAfterThatTime) {
  create("acme", "a@acme.example", "recruiter", "recruiter");  // 09:00
  clock_.advance(std::chrono::hours(1));
  const Timestamp ten = clock_.now();
  create("acme", "b@acme.example", "recruiter", "recruiter");  // 10:00
  clock_.advance(std::chrono::milliseconds(1));
  create("globex", "c@globex.example", "recruiter", "recruiter");  // 10:00:00.001
  EXPECT_EQ(audit(AuditWhere().since(ten)).size(), 2u);
  EXPECT_EQ(audit(AuditWhere().since(ten + std::chrono::milliseconds(1))).size(), 1u);
  EXPECT_EQ(audit(AuditWhere().since(ten - std::chrono::milliseconds(1))).size(), 2u);
  EXPECT_EQ(audit(AuditWhere().since(kStart)).size(), 3u);
  EXPECT_TRUE(audit(AuditWhere().since(ten + std::chrono::hours(24))).empty());
  const auto rows = audit(AuditWhere().since(ten));
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].at, ten);
  EXPECT_EQ(rows[1].at, ten + std::chrono::milliseconds(1));
}

TEST_P(AccountStoreTest, AuditLimitKeepsTheNewestRowsInOrder) {
  for (int i = 0; i < 5; ++i) {
    create("acme", "u" + std::to_string(i) + "@acme.example", i < 3 ? "assessor" : "recruiter",
           i < 3 ? "manager" : "recruiter");
    clock_.advance(std::chrono::seconds(1));
  }
  const auto all = audit();
  ASSERT_EQ(all.size(), 5u);
  for (std::size_t i = 1; i < all.size(); ++i) EXPECT_GT(all[i].seq, all[i - 1].seq);
  const auto last2 = audit(AuditWhere().limit(2));
  ASSERT_EQ(last2.size(), 2u);
  EXPECT_EQ(last2[0].seq, all[3].seq);
  EXPECT_EQ(last2[1].seq, all[4].seq);
  EXPECT_EQ(audit(AuditWhere().limit(50)).size(), 5u);
  const auto since_and_limit = audit(AuditWhere().since(kStart + std::chrono::seconds(1)).limit(3));
  ASSERT_EQ(since_and_limit.size(), 3u);
  EXPECT_EQ(since_and_limit[0].seq, all[2].seq);
}

TEST_P(AccountStoreTest, AuditFiltersBySpaceAndAccount) {
  const std::string a = create("acme", "a@acme.example", "recruiter", "recruiter");
  create("globex", "g@globex.example", "recruiter", "recruiter");
  must_apply(SuspendOp{a});
  must_apply(ResumeOp{a});
  EXPECT_EQ(audit(AuditWhere().space("globex")).size(), 1u);
  EXPECT_EQ(audit(AuditWhere().space("acme")).size(), 3u);
  const auto of_a = audit(AuditWhere().account(a));
  ASSERT_EQ(of_a.size(), 3u);
  EXPECT_EQ(of_a[0].event, "account.created");
  EXPECT_EQ(of_a[1].event, "account.suspended");
  EXPECT_EQ(of_a[2].event, "account.resumed");
  EXPECT_EQ(audit(AuditWhere().space("globex").account(a)).size(), 0u);
}

TEST_P(AccountStoreTest, OutboxListsPendingEventsOldestFirstWithALimit) {
  const std::string a = create("acme", "a@acme.example", "recruiter", "recruiter");
  must_apply(SuspendOp{a});
  must_apply(ResumeOp{a});
  const auto all = store_->outbox(std::nullopt, 0);
  ASSERT_TRUE(all.has_value());
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[0].type, "account.created");
  EXPECT_EQ((*all)[2].type, "account.resumed");
  EXPECT_EQ(store_->outbox("pending", 0).value().size(), 3u);
  EXPECT_TRUE(store_->outbox("delivered", 0).value().empty());
  const auto first2 = store_->outbox("pending", 2);
  ASSERT_TRUE(first2.has_value());
  ASSERT_EQ(first2->size(), 2u);
  EXPECT_EQ((*first2)[0].event_id, (*all)[0].event_id);
  EXPECT_EQ((*first2)[1].event_id, (*all)[1].event_id);
  std::vector<std::string> ids;
  for (const auto& e : *all) ids.push_back(e.event_id);
  std::sort(ids.begin(), ids.end());
  EXPECT_EQ(std::unique(ids.begin(), ids.end()), ids.end()) << "event ids are unique";
}

}  // namespace
}  // namespace rosterd::store_test
