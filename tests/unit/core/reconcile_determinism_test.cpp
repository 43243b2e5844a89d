// reconcile() is a function of its input's content: shuffled lists give the same plan,
// canonical_text() is the same for the same content and differs when anything reconcile
// reads differs; and applying a plan through decide() then re-planning gives nothing to do.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <random>

#include "tests/unit/core/reconcile_fixture.h"

namespace rosterd::core_test {
namespace {

using S = AccountState;
using Strings = std::vector<std::string>;

class Determinism : public ReconcileTest {
 protected:
  // An input with something of every kind: creates, updates, leavers, pending seats,
  // notes, an unhealthy source, a queue.
  Determinism() {
    input.policy.delete_after_days = 30;
    want("new1@acme.example").rule_index = 1;
    want("new2@acme.example").rule_index = 1;
    want("new3@acme.example", "hiring_manager", "manager", "corp-ad");
    want("up@acme.example", "administrator", "administrator");
    has("up@acme.example", "collaborator", "recruiter");
    want("h1@acme.example").title = "Sourcer";
    has("h1@acme.example");
    want("h2@acme.example");
    has("h2@acme.example", "recruiter", "recruiter", S::Suspended);
    want("man@acme.example");
    manual("man@acme.example", "member", "manager");
    has("leaver@acme.example");
    gone("leaver@acme.example", "denied by rule no-contractors");
    has("old@acme.example", "member", "manager", S::Deactivated);
    has("ad@acme.example", "member", "manager", S::Active, "corp-ad");
    source("corp-ad").state = "failed";
    input.queue = {{"new2@acme.example", "recruiter", kEarlier}};
  }
};

template <typename T>
void shuffle(std::vector<T>& v, std::mt19937& rng) {
  std::shuffle(v.begin(), v.end(), rng);
}

TEST_F(Determinism, ShuffledListsGiveTheSamePlanAndText) {
  const std::string expected = result_text(plan());
  const std::string text = canonical_text(input);
  ASSERT_FALSE(plan().plan.operations.empty());
  ASSERT_FALSE(plan().pending.empty());
  for (unsigned seed = 1; seed <= 20; ++seed) {
    std::mt19937 rng(seed);
    shuffle(input.desired.accounts, rng);
    shuffle(input.desired.excluded, rng);
    shuffle(input.current, rng);
    shuffle(input.queue, rng);
    shuffle(input.sources, rng);
    ASSERT_EQ(result_text(plan()), expected) << "seed " << seed;
    ASSERT_EQ(canonical_text(input), text) << "seed " << seed;
  }
}

using Ordering = ReconcileTest;

TEST_F(Ordering, AccountsAreTakenInIdOrderPastALongCommonPrefix) {
  for (const char* id : {"account-9", "account-10", "account-1"})
    has(std::string(id) + "@acme.example", "recruiter", "recruiter", S::Active, "old-ldap").id = id;
  const auto r = plan();
  ASSERT_EQ(r.notes.size(), 3u) << result_text(r);
  EXPECT_EQ(r.notes[0].rfind("account account-1@", 0), 0u) << result_text(r);
  EXPECT_EQ(r.notes[1].rfind("account account-10@", 0), 0u) << result_text(r);
  EXPECT_EQ(r.notes[2].rfind("account account-9@", 0), 0u) << result_text(r);
}

TEST_F(Determinism, CanonicalTextIsSortedLinesWithFormattedTimes) {
  const std::string text = canonical_text(input);
  EXPECT_EQ(text.rfind("rosterd-reconcile-input 1\nnow at=2026-11-23T19:06:00.123Z\n", 0), 0u)
      << text;
  EXPECT_NE(text.find("account id=\"acc-h1\" email=\"h1@acme.example\""), std::string::npos);
  EXPECT_NE(text.find("updated_at=2026-01-05T08:00:00.000Z"), std::string::npos);
  EXPECT_NE(text.find("claim person=\"new2@acme.example\" licence=\"recruiter\" "
                      "since=2026-01-05T08:00:00.000Z"),
            std::string::npos);
  EXPECT_NE(text.find("role name=\"owner\" rank=100 licences=[\"administrator\"]"),
            std::string::npos);
  EXPECT_LT(text.find("account id=\"acc-ad\""), text.find("account id=\"acc-h1\""));
}

TEST_F(Determinism, CanonicalTextChangesWithEveryFieldReconcileReads) {
  const std::string base = canonical_text(input);
  const std::vector<std::pair<const char*, std::function<void(ReconcileInput&)>>> edits{
      {"now", [](ReconcileInput& i) { i.now += std::chrono::milliseconds(1); }},
      {"quota", [](ReconcileInput& i) { i.policy.space.licences["manager"] = 6; }},
      {"default owner", [](ReconcileInput& i) { i.policy.space.default_owner = "x@acme.example"; }},
      {"on_leave", [](ReconcileInput& i) { i.policy.on_leave = LeaveAction::Delete; }},
      {"delete_after_days", [](ReconcileInput& i) { i.policy.delete_after_days = 31; }},
      {"percent", [](ReconcileInput& i) { i.policy.max_destructive_percent = 9; }},
      {"count", [](ReconcileInput& i) { i.policy.max_destructive_count = 9; }},
      {"desired title", [](ReconcileInput& i) { i.desired.accounts[0].title = "x"; }},
      {"desired rule_index", [](ReconcileInput& i) { i.desired.accounts[0].rule_index = 7; }},
      {"desired first_seen", [](ReconcileInput& i) { i.desired.accounts[0].first_seen = {}; }},
      {"desired template", [](ReconcileInput& i) { i.desired.accounts[0].template_account = "t"; }},
      {"desired input", [](ReconcileInput& i) { 
         Facts facts = *i.desired.accounts[0].inputs;
         facts[0].second = "y";
         i.desired.accounts[0].inputs = facts;
       }},
      {"excluded manager", [](ReconcileInput& i) { i.desired.excluded[0].manager_email = "m"; }},
      {"account state", [](ReconcileInput& i) { i.current[1].state = S::Locked; }},
      {"account updated_at", [](ReconcileInput& i) { i.current[1].updated_at = {}; }},
      {"account anchor", [](ReconcileInput& i) { i.current[1].source_anchor = "z"; }},
      {"queue since", [](ReconcileInput& i) { i.queue[0].since = {}; }},
      {"source problem", [](ReconcileInput& i) { i.sources[0].problem = "p"; }},
      {"source count", [](ReconcileInput& i) { i.sources[0].current_count = 0; }},
  };
  for (const auto& [what, edit] : edits) {
    ReconcileInput changed = input;
    edit(changed);
    EXPECT_NE(canonical_text(changed), base) << what;
  }
  auto overridden = RoleCatalogue::with_overrides({{"member", 31, std::nullopt, std::nullopt}});
  ASSERT_TRUE(overridden);
  ReconcileInput changed = input;
  changed.roles = &*overridden;
  EXPECT_NE(canonical_text(changed), base) << "role rank";
}

TEST_F(Determinism, CanonicalTextIgnoresWhatReconcileIgnores) {
  const std::string base = canonical_text(input);
  ReconcileInput changed = input;
  changed.current.push_back(changed.current[1]);
  changed.current.back().id = "acc-deleted";
  changed.current.back().state = S::Deleted;
  changed.current.push_back(changed.current[1]);
  changed.current.back().id = "acc-elsewhere";
  changed.current.back().space = "globex";
  EXPECT_EQ(canonical_text(changed), base);
  EXPECT_EQ(result_text(reconcile(changed)), result_text(plan()));
}

TEST_F(Determinism, ValuesCannotImitateSeparators) {
  ReconcileInput a = input, b = input;
  a.desired.accounts[0].title = "x\" given_name=\"y";
  b.desired.accounts[0].title = "x";
  b.desired.accounts[0].given_name = "y";
  EXPECT_NE(canonical_text(a), canonical_text(b));
  a.desired.accounts[0].title = "line\ndesired person=\"evil\"";
  EXPECT_EQ(canonical_text(a).find("\ndesired person=\"evil\""), std::string::npos);
}

// The text is hashed into every stored plan's input hash, which `rosterd apply` compares:
// its spelling must not change from one version to the next. Every escape, written out.
TEST_F(Determinism, ValuesAreQuotedAndEscapedAsAlways) {
  has("esc@acme.example").title = "a\"b\\c\nd\re\tf\x01g\x7fh \xC3\xA9";
  const std::string text = canonical_text(input);
  EXPECT_NE(text.find(R"( title="a\"b\\c\nd\re\tf\x01g\x7fh )" "\xC3\xA9\" "), std::string::npos) << text;
  EXPECT_NE(text.find("account id=\"acc-esc\" email=\"esc@acme.example\" given_name=\"Given esc\" "),
            std::string::npos)
      << text;
}

TEST_F(Determinism, ApplyingThePlanThenPlanningAgainGivesNoOperations) {
  source("corp-ad").state = "ok";
  const auto first = plan();
  ASSERT_GE(first.plan.operations.size(), 6u) << result_text(first);
  EXPECT_EQ(apply(first), Strings{});
  const auto second = plan();
  EXPECT_TRUE(second.plan.operations.empty()) << result_text(second);
  EXPECT_EQ(second.pending.size(), first.pending.size());
  EXPECT_EQ(second.queue, first.queue);
  // The counts the plan announced are the counts the store has.
  for (const auto& u : first.usage_after) {
    std::int64_t used = 0;
    for (const auto& a : input.current) used += a.licence == u.licence && holds_seat(a.state);
    EXPECT_EQ(used, u.used) << u.licence;
  }
}

}  // namespace
}  // namespace rosterd::core_test
