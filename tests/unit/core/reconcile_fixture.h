// Shared by the reconcile tests: a space "acme" (3 administrator, 5 manager, 3 recruiter
// seats; default owner owner@acme.example, a manual owner that exists), sources okta and
// corp-ad in good health, builders for desired persons, excluded persons and accounts
// whose profile matches what want() asks for, and apply(): every operation of a plan
// through decide() on an in-memory store, the way the store applies a plan, so a test can
// re-plan on the result.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/email.h"
#include "core/lifecycle.h"
#include "core/reconcile.h"
#include "tests/support/memory_state_view.h"
#include "tests/support/printers.h"
#include "tests/support/sequential_ids.h"
#include "tests/unit/core/lifecycle_fixture.h"

namespace rosterd::core_test {

inline std::string local_part(std::string_view email) {
  return std::string(email.substr(0, email.find('@')));
}

// "group target" per operation, target = account id (or the email of a create).
inline std::vector<std::string> op_list(const Plan& plan) {
  std::vector<std::string> out;
  for (const auto& p : plan.operations) {
    std::string target(operation_target(p.op));
    if (const auto* c = std::get_if<CreateOp>(&p.op)) target = c->email;
    out.push_back(p.group + " " + target);
  }
  return out;
}

inline std::string profile_text(const Profile& p) {
  std::string out;
  auto f = [&](const char* n, const std::optional<std::string>& v) {
    if (v) out += std::string(" ") + n + "=" + *v;
  };
  f("email", p.email), f("given_name", p.given_name), f("family_name", p.family_name);
  f("title", p.title), f("phone", p.phone), f("team", p.team), f("country", p.country);
  f("language", p.language), f("role", p.role), f("licence", p.licence);
  return out;
}

}  // namespace rosterd::core_test

namespace rosterd {
inline void PrintTo(const Profile& p, std::ostream* os) { *os << "{" << core_test::profile_text(p) << " }"; }
inline void PrintTo(const SeatClaim& c, std::ostream* os) {
  *os << "{" << c.person << " " << c.licence << " " << format_timestamp(c.since) << "}";
}
}  // namespace rosterd

namespace rosterd::core_test {

// Everything a result says, as text: two results are the same iff their texts are.
inline std::string result_text(const ReconcileResult& r) {
  std::ostringstream os;
  for (const auto& p : r.plan.operations) {
    os << "op " << operation_name(p.op) << " " << operation_target(p.op) << " group=" << p.group
       << " source=" << p.source << " person=" << p.person << " rule=" << p.rule
       << " reason=" << p.reason;
    if (const auto* u = std::get_if<UpdateOp>(&p.op)) os << profile_text(u->changes);
    if (const auto* d = std::get_if<DeleteOp>(&p.op)) os << " successor=" << d->successor.value_or("-");
    if (const auto* c = std::get_if<CreateOp>(&p.op))
      os << " email=" << c->email << " role=" << c->role.value_or("-") << " licence="
         << c->licence.value_or("-") << " template=" << c->template_account.value_or("-")
         << " anchor=" << c->source_anchor;
    for (const auto& [k, v] : p.details) os << " [" << k << "=" << v << "]";
    os << "\n";
  }
  for (const auto& p : r.pending)
    os << "pending " << p.person << " " << p.email << " " << p.licence << " " << p.rule << " "
       << format_timestamp(p.since) << " #" << p.position << " " << p.reason << "\n";
  for (const auto& c : r.queue)
    os << "queue " << c.person << " " << c.licence << " " << format_timestamp(c.since) << "\n";
  for (const auto* usage : {&r.usage_before, &r.usage_after})
    for (const auto& u : *usage)
      os << "usage " << u.licence << " " << u.used << "/" << u.total << " pending " << u.pending << "\n";
  for (const auto& b : r.blocks) os << "block " << b.kind << ": " << b.message << "\n";
  os << "destructive " << r.destructive << "\n";
  for (const auto& n : r.notes) os << "note " << n << "\n";
  return os.str();
}

class ReconcileTest : public ::testing::Test {
 protected:
  ReconcileTest() {
    input.policy.space = Space{"acme", {{"administrator", 3}, {"manager", 5}, {"recruiter", 3}},
                               "owner@acme.example"};
    input.policy.max_destructive_count = 50;
    input.policy.max_destructive_percent = 100;
    input.roles = &roles;
    input.now = kNow;
    input.desired.space = "acme";
    input.sources = {SourceStatus{"corp-ad", "ok", "", 10, 10}, SourceStatus{"okta", "ok", "", 10, 10}};
    manual("owner@acme.example", "owner", "administrator");
  }

  // A desired person. The reference is valid until the next want().
  DesiredAccount& want(const std::string& email, const std::string& role = "recruiter",
                       const std::string& licence = "recruiter",
                       const std::string& source = "okta") {
    DesiredAccount d;
    d.person = email_key(email);
    d.source = source;
    d.anchor = "anchor-" + local_part(email);
    d.email = email;
    d.given_name = "Given " + local_part(email);
    d.family_name = "Family";
    d.title = "Talent Partner";
    d.team = "Talent";
    d.country = "FR";
    d.language = "fr";
    d.role = role;
    d.licence = licence;
    d.rule = "recruiters";
    d.first_seen = kEarlier;
    d.inputs = {{"groups", "CN=Recruiting-Paris"}};
    input.desired.accounts.push_back(std::move(d));
    return input.desired.accounts.back();
  }

  // An account of a source whose profile is what want(email, ...) asks for; id
  // "acc-<local part>". The reference is valid until the next account is added.
  Account& has(const std::string& email, const std::string& role = "recruiter",
               const std::string& licence = "recruiter", AccountState state = AccountState::Active,
               const std::string& source = "okta") {
    Account a;
    a.id = "acc-" + local_part(email);
    a.space = "acme";
    a.email = email;
    a.given_name = "Given " + local_part(email);
    a.family_name = "Family";
    a.title = "Talent Partner";
    a.team = "Talent";
    a.country = "FR";
    a.language = "fr";
    a.role = role;
    a.licence = licence;
    a.state = state;
    a.managed_by = source;
    a.source_anchor = "anchor-" + local_part(email);
    a.created_at = a.updated_at = kEarlier;
    if (state != AccountState::Invited) a.activated_at = kEarlier;
    a.version = 1;
    input.current.push_back(std::move(a));
    return input.current.back();
  }
  Account& manual(const std::string& email, const std::string& role, const std::string& licence,
                  AccountState state = AccountState::Active) {
    Account& a = has(email, role, licence, state, std::string(kManualManager));
    a.source_anchor.clear();
    return a;
  }

  ExcludedPerson& gone(const std::string& email, const std::string& reason,
                       const std::string& source = "okta") {
    input.desired.excluded.push_back(
        ExcludedPerson{email_key(email), source, "anchor-" + local_part(email), email, reason, "", ""});
    return input.desired.excluded.back();
  }

  SourceStatus& source(const std::string& id) {
    for (auto& s : input.sources)
      if (s.id == id) return s;
    input.sources.push_back(SourceStatus{id, "ok", "", 0, 0});
    return input.sources.back();
  }

  const Account* current(std::string_view id) const {
    for (const auto& a : input.current)
      if (a.id == id) return &a;
    return nullptr;
  }

  ReconcileResult plan() { return reconcile(input); }

  // Applies the plan's operations with decide(), as their source, on a store holding
  // input.current; then input.current and input.queue become the store's accounts and
  // the plan's queue. Returns the refusals ("<operation> <target>: <invariant>").
  std::vector<std::string> apply(const ReconcileResult& result) {
    testing::MemoryStateView view;
    view.add_space(input.policy.space);
    for (const auto& a : input.current) view.put(a);
    DecisionContext ctx{input.now, input.roles, new_id};
    std::vector<std::string> refusals;
    for (const auto& p : result.plan.operations) {
      const Actor actor = p.source.empty() ? Actor::operator_named("test") : Actor::source(p.source);
      const auto t = decide(p.op, actor, view, ctx);
      if (!t) {
        refusals.push_back(std::string(operation_name(p.op)) + " " +
                           std::string(operation_target(p.op)) + ": " + t.error().invariant +
                           " " + t.error().message);
        continue;
      }
      view.apply(*t);
    }
    input.current.clear();
    for (const auto& [id, a] : view.all()) input.current.push_back(a);
    input.queue = result.queue;
    return refusals;
  }

  RoleCatalogue roles = RoleCatalogue::built_in();
  ReconcileInput input;
  std::function<std::string()> new_id = testing::sequential_ids("new-");
};

}  // namespace rosterd::core_test
