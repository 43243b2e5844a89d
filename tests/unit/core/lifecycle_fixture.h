// Shared by the lifecycle tests: a space "acme" in an in-memory StateView, the built-in
// role catalogue, a fixed "now" and ids "id-1", "id-2"... for what decide() creates.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <utility>

#include "core/account.h"
#include "core/error.h"
#include "core/lifecycle.h"
#include "core/operation.h"
#include "core/role_catalogue.h"
#include "core/timestamp.h"
#include "core/transition.h"
#include "tests/support/memory_state_view.h"
#include "tests/support/printers.h"
#include "tests/support/sequential_ids.h"

namespace rosterd::core_test {

// A time written as text; throws (failing the test) if the text is not one.
inline Timestamp at(std::string_view text) { return parse_timestamp(text).value(); }

inline const Timestamp kNow = at("2026-11-23T19:06:00.123Z");
inline const Timestamp kEarlier = at("2026-01-05T08:00:00.000Z");

inline ::testing::AssertionResult Allowed(const Result<Transition>& r) {
  if (r) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "refused: " << traits(r.error().code).name << " '"
                                       << r.error().invariant << "': " << r.error().message;
}

// Refused with ErrorCode::Invariant and exactly this invariant name.
inline ::testing::AssertionResult RefusedBy(const Result<Transition>& r, std::string_view name) {
  if (r)
    return ::testing::AssertionFailure() << "expected a refusal by '" << name
                                         << "', but '" << r->operation << "' was allowed";
  if (r.error().code != ErrorCode::Invariant || r.error().invariant != name)
    return ::testing::AssertionFailure()
           << "expected a refusal by '" << name << "', got " << traits(r.error().code).name
           << " '" << r.error().invariant << "': " << r.error().message;
  if (r.error().message.empty()) return ::testing::AssertionFailure() << "refusal without a message";
  return ::testing::AssertionSuccess();
}

// Failed with this (non-invariant) code, without an invariant name.
inline ::testing::AssertionResult FailsWith(const Result<Transition>& r, ErrorCode code) {
  if (r)
    return ::testing::AssertionFailure() << "expected " << traits(code).name << ", but '"
                                         << r->operation << "' was allowed";
  if (r.error().code != code || !r.error().invariant.empty())
    return ::testing::AssertionFailure()
           << "expected " << traits(code).name << ", got " << traits(r.error().code).name << " '"
           << r.error().invariant << "': " << r.error().message;
  if (r.error().message.empty()) return ::testing::AssertionFailure() << "error without a message";
  return ::testing::AssertionSuccess();
}

using Details = std::vector<std::pair<std::string, std::string>>;

class LifecycleTest : public ::testing::Test {
 protected:
  LifecycleTest() {
    view.add_space(Space{"acme", {{"administrator", 3}, {"manager", 2}, {"recruiter", 2}}, ""});
    view.add_space(Space{"globex", {{"administrator", 2}, {"recruiter", 1}}, ""});
    ctx.now = kNow;
    ctx.roles = &roles;
    ctx.new_id = testing::sequential_ids();
  }

  // An account that already exists, with the readable id "acc-<local part>".
  Account& seed(const std::string& email, const std::string& role, const std::string& licence,
                AccountState state = AccountState::Active, const std::string& space = "acme") {
    Account a;
    a.id = "acc-" + email.substr(0, email.find('@'));
    a.space = space;
    a.email = email;
    a.given_name = "Given";
    a.family_name = "Family";
    a.team = "Talent";
    a.phone = "+33 1 23 45 67 89";
    a.role = role;
    a.licence = licence;
    a.state = state;
    a.created_at = a.updated_at = kEarlier;
    if (state != AccountState::Invited) a.activated_at = kEarlier;
    a.version = 3;
    return view.put(std::move(a));
  }
  Account& seed_owner(const std::string& email, AccountState state = AccountState::Active) {
    return seed(email, "owner", "administrator", state);
  }

  Result<Transition> decide_as(const Operation& op, const Actor& actor) {
    return decide(op, actor, view, ctx);
  }
  Result<Transition> run(const Operation& op) { return decide_as(op, root); }
  // Decides and writes the result back into the view.
  Transition run_and_apply(const Operation& op, const Actor& actor) {
    auto t = decide_as(op, actor);
    EXPECT_TRUE(Allowed(t));
    if (!t) return {};
    view.apply(*t);
    return *t;
  }

  static CreateOp create_op(std::string email, std::optional<std::string> role,
                            std::optional<std::string> licence, std::string space = "acme") {
    CreateOp op;
    op.space = std::move(space);
    op.email = std::move(email);
    op.given_name = "Ada";
    op.family_name = "Lovelace";
    op.role = std::move(role);
    op.licence = std::move(licence);
    return op;
  }

  testing::MemoryStateView view;
  RoleCatalogue roles = RoleCatalogue::built_in();
  DecisionContext ctx;
  const Actor root = Actor::operator_named("root");
};

}  // namespace rosterd::core_test
