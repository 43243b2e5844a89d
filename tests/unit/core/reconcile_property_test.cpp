// reconcile() on random spaces (people, accounts in every state and of every manager,
// quotas, policies, source health), many seeds: the plan applied through decide() keeps
// every quota, keeps an owner, never touches a manual account or a leaver of a source
// that did not read well, and planning again finds nothing left to do.
#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <random>

#include "tests/unit/core/reconcile_fixture.h"

namespace rosterd::core_test {
namespace {

using S = AccountState;

struct Grant {
  const char* role;
  const char* licence;
};
constexpr Grant kGrants[] = {{"owner", "administrator"},   {"administrator", "administrator"},
                             {"recruiter", "recruiter"},   {"collaborator", "recruiter"},
                             {"collaborator", "manager"},  {"hiring_manager", "manager"},
                             {"member", "manager"},        {"accountant", "administrator"}};
constexpr S kStates[] = {S::Invited, S::Active, S::Active, S::Suspended, S::Deactivated, S::Locked};
const char* const kSources[] = {"okta", "corp-ad"};

class Property : public ReconcileTest {
 protected:
  std::mt19937 rng;
  int pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng); }
  bool chance(int percent) { return pick(100) < percent; }
  std::string email(int person) { return "p" + std::to_string(person) + "@acme.example"; }

  void generate(unsigned seed) {
    rng.seed(seed);
    input.current.clear();
    input.policy.space.licences = {
        {"administrator", 1 + pick(4)}, {"manager", pick(6)}, {"recruiter", pick(6)}};
    input.policy.on_leave = static_cast<LeaveAction>(pick(3));
    input.policy.delete_after_days = chance(30) ? 30 : 0;
    input.policy.space.default_owner = chance(70) ? email(0) : "";
    for (auto& s : input.sources) s.state = chance(80) ? "ok" : (chance(50) ? "failed" : "never");
    const int people = 3 + pick(12);
    for (int i = 0; i < people; ++i) person(i, people);
  }

  void person(int i, int people) {
    const Grant has_grant = kGrants[pick(8)];
    const Grant want_grant = chance(70) ? has_grant : kGrants[pick(8)];
    const std::string src = kSources[pick(2)];
    const bool exists = chance(65), desired = chance(65);
    if (exists) {
      Account& a = has(email(i), has_grant.role, has_grant.licence, kStates[pick(6)],
                       chance(15) ? std::string(kManualManager) : kSources[pick(2)]);
      if (chance(20)) a.title = "Old title";
      a.updated_at = kNow - std::chrono::days(pick(60));
    }
    if (desired) {
      DesiredAccount& d = want(email(i), want_grant.role, want_grant.licence, src);
      d.rule_index = pick(4);
      d.first_seen = kEarlier + std::chrono::hours(pick(100));
      if (chance(15)) d.email = "p" + std::to_string(i) + ".new@acme.example";
      if (chance(20)) d.team = "Other team";
      if (chance(10)) d.template_account = email(pick(people));
      if (chance(20))
        input.queue.push_back({d.person, d.licence, kEarlier + std::chrono::hours(pick(100))});
    } else if (chance(50)) {
      ExcludedPerson& e = gone(email(i), "denied by rule no-contractors", src);
      e.manager_email = email(pick(people));
      e.rule_handover = chance(50) ? email(pick(people)) : "";
    }
  }

  bool made_possible_by(const PlannedOperation& p, const ReconcileResult& first) const {
    std::string note;
    if (const auto* d = std::get_if<DeleteOp>(&p.op)) {
      const Account* a = current(d->account);
      if (a) note = "account " + a->email + " is not deleted";
    } else if (std::holds_alternative<CreateOp>(p.op)) {
      note = "person " + p.person + ": template account";
    }
    for (const auto& n : first.notes)
      if (!note.empty() && n.rfind(note, 0) == 0) return true;
    return false;
  }

  std::map<std::string, std::int64_t> used() const {
    std::map<std::string, std::int64_t> out;
    for (const auto& a : input.current)
      if (holds_seat(a.state)) ++out[a.licence];
    return out;
  }
  std::int64_t owners() const {
    std::int64_t n = 0;
    for (const auto& a : input.current) n += a.role == kOwnerRole && is_enabled(a.state);
    return n;
  }
  // Accounts no plan may change: manual ones, and those of sources that did not read
  // well whose person is not desired.
  std::map<std::string, Account> untouchable() const {
    std::map<std::string, std::string> desired;
    for (const auto& d : input.desired.accounts) desired.emplace(email_key(d.email), d.person);
    std::map<std::string, Account> out;
    for (const auto& a : input.current) {
      const SourceStatus* s = nullptr;
      for (const auto& x : input.sources)
        if (x.id == a.managed_by) s = &x;
      const bool unread = s && s->state != "ok" && !desired.count(a.email) &&
                          !desired.count("p" + a.id.substr(5) + ".new@acme.example");
      if (a.is_manual() || unread) out.emplace(a.id, a);
    }
    return out;
  }
};

TEST_F(Property, PlansKeepQuotasOwnersAndManualAccountsAndConverge) {
  int with_operations = 0, with_pending = 0, converged = 0, blocked_by_owner = 0;
  for (unsigned seed = 1; seed <= 400; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    input = ReconcileInput{};
    input.roles = &roles;
    input.now = kNow;
    input.policy.space.id = "acme";
    input.desired.space = "acme";
    input.sources = {SourceStatus{"corp-ad", "ok", "", 1, 1}, SourceStatus{"okta", "ok", "", 1, 1}};
    generate(seed);
    const auto before = used();
    const auto owners_before = owners();
    const auto fixed = untouchable();
    const auto r = plan();
    with_operations += !r.plan.operations.empty();
    with_pending += !r.pending.empty();
    const auto refusals = apply(r);

    for (const auto& [licence, total] : input.policy.space.licences) {
      const auto was = before.count(licence) ? before.at(licence) : 0;
      const auto now = used().count(licence) ? used().at(licence) : 0;
      EXPECT_LE(now, std::max(total, was)) << licence << "\n" << result_text(r);
    }
    if (owners_before > 0) {
      EXPECT_GE(owners(), 1) << result_text(r);
    }
    for (const auto& [id, a] : fixed) {
      const Account* after = current(id);
      ASSERT_NE(after, nullptr);
      EXPECT_EQ(after->version, a.version) << id << " was changed\n" << result_text(r);
    }
    bool owner_block = false;
    for (const auto& b : r.blocks) owner_block |= b.kind == "last-owner";
    if (!refusals.empty()) {
      // The only refusal a plan may meet is the one it announced.
      EXPECT_TRUE(owner_block) << result_text(r) << ::testing::PrintToString(refusals);
      for (const auto& f : refusals)
        EXPECT_NE(f.find(": last-owner "), std::string::npos) << f << "\n" << result_text(r);
      ++blocked_by_owner;
      continue;
    }
    // Planning again finds nothing to do — except what this plan made possible: deleting a
    // leaver whose only successor it created or enabled, creating a person whose template
    // account it created. Both were notes; after them, nothing at all.
    const auto again = plan();
    for (const auto& p : again.plan.operations)
      EXPECT_TRUE(made_possible_by(p, r)) << "first:\n" << result_text(r) << "again:\n"
                                          << result_text(again);
    EXPECT_EQ(apply(again), std::vector<std::string>{});
    const auto third = plan();
    EXPECT_TRUE(third.plan.operations.empty()) << result_text(third);
    EXPECT_EQ(third.queue, again.queue);
    converged += again.plan.operations.empty();
  }
  // The seeds exercise what they claim to.
  EXPECT_GT(with_operations, 300);
  EXPECT_GT(with_pending, 150);
  EXPECT_GT(converged, 300);
  RecordProperty("blocked_by_owner", blocked_by_owner);
}

}  // namespace
}  // namespace rosterd::core_test
