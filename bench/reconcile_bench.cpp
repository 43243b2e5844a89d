// The rules engine and reconcile at scale: a synthetic space of N people (default
// 100,000), 2,000 groups nested 4 deep, 50 rules (group, glob, nested, attribute,
// regex, deny, all/any/not) and quotas that bind. Scenarios, one per process so that
// the peak RSS is the scenario's own:
//   full    desired state + reconcile from scratch (no accounts: everything to create);
//           quotas give seats to 90% of those who qualify for each licence type
//   steady  the accounts exist (the full plan applied), then 100 identities change; the
//           desired time is IncrementalMapper::update() on the changed directory (the
//           mapper was built on the unchanged one), then reconcile
//   reconcile_bench --scenario full|steady [--people N] [--seed S] [--repeat R] [--groups 1] [--check 1]
// --groups 1 (steady): the changes also rename a level-1 group and move a level-3 group
// under another parent (every member of a group they reach is evaluated again).
// --check 1 (steady): compares the mapper's last desired state with desired_state() from
// scratch, after the figures (it raises the peak RSS).
// Besides the summary line, each step prints the resident memory it leaves ("rss ...").
#include <malloc.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <random>
#include <string>


#include <boost/json/parse.hpp>

#include "config/config.h"
#include "core/reconcile.h"
#include "mapping/incremental_mapper.h"
#include "mapping/rule_set.h"

namespace {

using namespace rosterd;
using Clock = std::chrono::steady_clock;

long peak_rss_kib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

// The resident set now (peak_rss_kib() is the high-water mark).
double rss_mib() {
  std::ifstream statm("/proc/self/statm");
  long pages = 0, resident = 0;
  statm >> pages >> resident;
  return double(resident) * double(sysconf(_SC_PAGESIZE)) / (1024.0 * 1024.0);
}

// What the program's allocations use now (glibc: mmapped blocks and arena chunks in use).
double heap_mib() {
  const struct mallinfo2 m = mallinfo2();
  return double(m.uordblks + m.hblkhd) / (1024.0 * 1024.0);
}

void print_rss(const char* step) {
  std::printf("rss %-28s %7.1f MiB, heap in use %7.1f MiB (peak rss %.1f)\n", step, rss_mib(), heap_mib(),
              double(peak_rss_kib()) / 1024.0);
}

double ms_since(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

const char* kTitles[] = {"Recruiter", "Senior Recruiter", "Sourcer", "Talent Partner", "Engineer",
                         "Sales Manager", "Engineering Manager", "Accountant", "Designer", "Analyst",
                         "HR Business Partner", "Coordinator", "Director", "Intern", "Consultant"};
const char* kDepartments[] = {"Talent", "Engineering", "Sales", "Finance", "Marketing", "Support",
                              "Operations", "Legal", "Product", "Design"};

std::string group_name(int level, int i) { return "CN=G" + std::to_string(level) + "-" + std::to_string(i) + ",OU=Groups,DC=corp,DC=example"; }

Directory make_directory(int people, std::mt19937& rng) {
  Directory d;
  // 2,000 groups: 20 / 100 / 400 / 1,480 per level; each group is in one of the level above.
  const int per_level[] = {20, 100, 400, 1480};
  std::vector<std::vector<std::string>> ids(4);
  for (int level = 0; level < 4; ++level)
    for (int i = 0; i < per_level[level]; ++i) {
      DirectoryGroup g;
      g.source = "corp";
      g.id = "g" + std::to_string(level) + "-" + std::to_string(i);
      g.dn = group_name(level, i);
      g.display_name = "G" + std::to_string(level) + "-" + std::to_string(i);
      if (level > 0) g.groups.push_back(ids[level - 1][rng() % ids[level - 1].size()]);
      ids[level].push_back(g.id);
      d.groups.push_back(std::move(g));
    }
  d.people.reserve(people);
  for (int n = 0; n < people; ++n) {
    DirectoryPerson p;
    p.source = "corp";
    p.id = "u" + std::to_string(n);
    p.user_name = "user" + std::to_string(n) + "@corp.example";
    p.display_name = "User " + std::to_string(n);
    p.emails = {p.user_name};
    p.active = rng() % 50 != 0;
    const char* title = kTitles[rng() % std::size(kTitles)];
    const char* department = kDepartments[rng() % std::size(kDepartments)];
    const bool contractor = rng() % 20 == 0;
    p.attributes_json =
        std::string(R"({"userName":")") + p.user_name + R"(","name":{"givenName":"Given)" + std::to_string(n) +
        R"(","familyName":"Family"},"displayName":")" + p.display_name + R"(","emails":[{"value":")" +
        p.user_name + R"(","type":"work","primary":true}],"title":")" + title + R"(","userType":")" +
        (contractor ? "Contractor" : "Employee") +
        R"(","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"employeeNumber":")" + std::to_string(n) +
        R"(","department":")" + department + R"(","manager":{"value":"u)" + std::to_string(n / 10) + R"("}}})";
    p.groups = {ids[3][rng() % ids[3].size()], ids[2][rng() % ids[2].size()]};
    p.created = Timestamp{} + std::chrono::seconds(n);
    d.people.push_back(std::move(p));
  }
  return d;
}

Condition group_condition(const std::string& pattern) {
  Condition c;
  c.kind = Condition::Kind::Group;
  c.pattern = pattern;
  c.glob = pattern.find('*') != std::string::npos;
  return c;
}
Condition attribute_condition(const std::string& name, Condition::Test test, std::vector<std::string> values) {
  Condition c;
  c.kind = Condition::Kind::Attribute;
  c.attribute = name;
  c.test = test;
  c.values = std::move(values);
  return c;
}
Condition combine(Condition::Kind kind, std::vector<Condition> children) {
  Condition c;
  c.kind = kind;
  c.children = std::move(children);
  return c;
}

Config make_config(int people) {
  Config config;
  SpaceConfig space;
  space.space.id = "acme";
  // Quotas that bind: fewer seats than people who qualify for most types.
  space.space.licences = {{"administrator", 50}, {"recruiter", people / 10}, {"manager", people / 4}};
  space.space.default_owner = "user0@corp.example";
  space.resolution = "highest-rank";
  space.max_destructive.count = people;  // the benchmark measures planning, not the brake
  space.max_destructive.percent = 100;
  config.spaces.push_back(space);
  SourceConfig source;
  source.id = "corp";
  source.kind = "ldap";
  source.space = "acme";
  config.sources.push_back(source);
  auto rule = [&](std::string name, Condition when, std::string role, std::string licence, std::string team) {
    RuleConfig r;
    r.name = std::move(name);
    r.space = "acme";
    r.when = std::move(when);
    if (role.empty()) r.deny = true;
    r.grant_role = std::move(role);
    r.grant_licence = std::move(licence);
    r.grant_team = std::move(team);
    config.rules.push_back(std::move(r));
  };
  using K = Condition::Kind;
  using T = Condition::Test;
  for (int i = 0; i < 5; ++i)  // deny rules first: they win whatever the order
    rule("deny-" + std::to_string(i),
         i == 0 ? attribute_condition("userType", T::Equals, {"Contractor"})
                : combine(K::All, {group_condition(group_name(1, i * 7)),
                                   attribute_condition("title", T::Equals, {"Intern"})}),
         "", "", "");
  for (int i = 0; i < 5; ++i)
    rule("admins-" + std::to_string(i), group_condition(group_name(0, i)),
         i == 0 ? "administrator" : "recruiter", i == 0 ? "administrator" : "recruiter", "Admins");
  for (int i = 0; i < 15; ++i)  // nested: level-1 groups reach people through levels 2 and 3
    rule("recruiters-" + std::to_string(i), group_condition(group_name(1, i * 5)), "recruiter", "recruiter",
         "from:department");
  for (int i = 0; i < 10; ++i)  // globs over DNs
    rule("glob-" + std::to_string(i), group_condition("CN=G2-" + std::to_string(i) + "*"), "collaborator",
         "manager", "Glob");
  for (int i = 0; i < 10; ++i)
    rule("managers-" + std::to_string(i),
         combine(K::All, {attribute_condition("title", T::Matches, {"Manager$"}),
                          attribute_condition("department", T::Equals, {kDepartments[i]})}),
         "hiring_manager", "manager", "from:department");
  for (int i = 0; i < 5; ++i)
    rule("mixed-" + std::to_string(i),
         combine(K::Any, {attribute_condition("title", T::In, {"Sourcer", "Talent Partner"}),
                          combine(K::Not, {attribute_condition("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department",
                                                               T::Present, {})})}),
         "assessor", "manager", "Talent");
  return config;
}

// The accounts a fully applied plan leaves: every created account, as the store makes it.
std::vector<Account> accounts_after(const ReconcileResult& result, Timestamp now) {
  std::vector<Account> out;
  int n = 0;
  for (const PlannedOperation& op : result.plan.operations) {
    const auto* create = std::get_if<CreateOp>(&op.op);
    if (!create) continue;
    Account a;
    a.id = "acc-" + std::to_string(n++);
    a.space = create->space;
    a.email = create->email;
    a.given_name = create->given_name;
    a.family_name = create->family_name;
    a.title = create->title;
    a.phone = create->phone;
    a.country = create->country;
    a.language = create->language;
    a.team = create->team.value_or("");
    a.role = create->role.value_or("");
    a.licence = create->licence.value_or("");
    a.state = AccountState::Invited;
    a.managed_by = op.source;
    a.source_anchor = create->source_anchor;
    a.created_at = a.updated_at = now;
    a.version = 1;
    out.push_back(std::move(a));
  }
  std::sort(out.begin(), out.end(), [](const Account& x, const Account& y) { return x.email < y.email; });
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  std::string scenario = "full";
  int people = 100000, repeat = 3;
  bool check = false, group_changes = false;
  unsigned seed = 42;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string key = argv[i], value = argv[i + 1];
    if (key == "--scenario") scenario = value;
    else if (key == "--people") people = std::atoi(value.c_str());
    else if (key == "--seed") seed = static_cast<unsigned>(std::atoi(value.c_str()));
    else if (key == "--repeat") repeat = std::atoi(value.c_str());
    else if (key == "--check") check = value == "1";
    else if (key == "--groups") group_changes = value == "1";
  }
  std::mt19937 rng(seed);
  Directory directory = make_directory(people, rng);
  print_rss("directory");
  if (scenario == "parse") {
    // The reference: parse every identity's attributes once with Boost.JSON into a DOM, the
    // least any rules engine that reads attributes must do (the engine itself streams them).
    double best = 1e18;
    std::size_t members = 0;
    for (int r = 0; r < repeat; ++r) {
      const auto start = Clock::now();
      members = 0;
      for (const DirectoryPerson& p : directory.people) members += boost::json::parse(p.attributes_json).as_object().size();
      best = std::min(best, ms_since(start));
    }
    std::printf("scenario=parse people=%d reference_parse_ms=%.0f (top-level members %zu)\n", people, best, members);
    return 0;
  }
  const Config config = make_config(people);
  auto rules = RuleSet::compile(config, "acme");
  if (!rules) {
    std::fprintf(stderr, "%s\n", rules.error().message.c_str());
    return 1;
  }
  ReconcileInput input;
  input.policy.space = config.spaces.front().space;
  input.policy.max_destructive_count = people;
  input.policy.max_destructive_percent = 100;
  input.roles = &config.roles;
  input.sources = {SourceStatus{"corp", "ok", "", 0, people}};
  input.now = Timestamp{} + std::chrono::hours(24 * 365 * 56);
  // Quotas that bind: 90% of the people who qualify for each licence type get a seat, the
  // rest wait in the queue (rule order, then time qualified).
  {
    const double rss = rss_mib(), heap = heap_mib();
    const DesiredState first = rules->desired_state(directory);
    std::printf("rss %-28s %7.1f MiB, heap in use %7.1f MiB: +%.1f rss, +%.1f heap for %zu accounts, %zu excluded\n",
                "desired state held", rss_mib(), heap_mib(), rss_mib() - rss, heap_mib() - heap, first.accounts.size(),
                first.excluded.size());
    std::map<std::string, std::int64_t> demand;
    for (const DesiredAccount& a : first.accounts) ++demand[a.licence];
    for (auto& [licence, seats] : input.policy.space.licences) seats = demand[licence] * 9 / 10;
  }
  print_rss("desired state freed");
  const long rss_before = peak_rss_kib();

  double best_desired = 1e18, best_reconcile = 1e18;
  std::size_t operations = 0, pending = 0, accounts = 0, evaluated = 0;
  IncrementalMapper mapper(*rules);
  if (scenario == "steady") {
    // Reach the steady state: the mapper on the initial directory, plan from scratch and
    // "apply" it.
    mapper.update(directory);
    print_rss("incremental mapper built");
    input.desired = mapper.take();
    const ReconcileResult first = reconcile(input);
    mapper.give_back(std::move(input.desired));
    input.current = accounts_after(first, input.now);
    input.queue = first.queue;
    print_rss("accounts applied");
    // 100 identities change: a new title (rules by attribute) or a group (rules by group).
    std::vector<std::size_t> changed;
    for (int k = 0; k < 100; ++k) changed.push_back((static_cast<std::size_t>(k) * 997) % directory.people.size());
    std::vector<DirectoryPerson> before;
    for (const std::size_t i : changed) before.push_back(directory.people[i]);
    const std::vector<DirectoryGroup> groups_before = directory.groups;
    const auto change = [&] {
      for (std::size_t k = 0; k < changed.size(); ++k) {
        DirectoryPerson& p = directory.people[changed[k]];
        if (k % 2 == 0) {
          const auto at = p.attributes_json.find(R"("title":")");
          const auto end = p.attributes_json.find('"', at + 9);
          p.attributes_json.replace(at + 9, end - (at + 9), "Engineering Manager");
        } else {
          p.groups = {directory.groups[k % 20].id};
        }
      }
      if (group_changes) {
        directory.groups[20 + 7].display_name = "Renamed";     // level 1
        directory.groups[20 + 7].dn = "CN=Renamed,OU=Groups,DC=corp,DC=example";
        directory.groups[520 + 3].groups = {directory.groups[120 + 11].id};  // level 3, new parent
      }
    };
    for (int r = 0; r < repeat; ++r) {
      if (r > 0) {  // back to the unchanged directory, untimed
        for (std::size_t k = 0; k < changed.size(); ++k) directory.people[changed[k]] = before[k];
        directory.groups = groups_before;
        mapper.update(directory);
      }
      change();
      auto start = Clock::now();
      const DesiredState& desired = mapper.update(directory);
      best_desired = std::min(best_desired, ms_since(start));
      accounts = desired.accounts.size();
      evaluated = mapper.stats().people_evaluated;
      input.desired = mapper.take();
      start = Clock::now();
      const ReconcileResult result = reconcile(input);
      best_reconcile = std::min(best_reconcile, ms_since(start));
      mapper.give_back(std::move(input.desired));
      operations = result.plan.operations.size();
      pending = result.pending.size();
    }
    print_rss("steady updates done");
  } else {
    for (int r = 0; r < repeat; ++r) {
      auto start = Clock::now();
      DesiredState desired = rules->desired_state(directory);
      best_desired = std::min(best_desired, ms_since(start));
      accounts = desired.accounts.size();
      evaluated = accounts + desired.excluded.size();  // everyone
      input.desired = std::move(desired);
      start = Clock::now();
      const ReconcileResult result = reconcile(input);
      best_reconcile = std::min(best_reconcile, ms_since(start));
      operations = result.plan.operations.size();
      pending = result.pending.size();
      // One plan at a time, as the daemon does: the next round must not start while this
      // round's desired state is still held.
      input.desired = {};
    }
    print_rss("full plans done");
  }
  std::printf(
      "scenario=%s people=%d groups=%zu rules=%zu desired_accounts=%zu evaluated=%zu operations=%zu pending=%zu "
      "desired_ms=%.1f reconcile_ms=%.0f total_ms=%.0f peak_rss_mib=%.1f (input data alone %.1f)\n",
      scenario.c_str(), people, directory.groups.size(), config.rules.size(), accounts, evaluated, operations, pending,
      best_desired, best_reconcile, best_desired + best_reconcile, double(peak_rss_kib()) / 1024.0,
      double(rss_before) / 1024.0);
  if (check && scenario == "steady") {
    const DesiredState fresh = rules->desired_state(directory);
    const bool same = fresh.accounts == mapper.desired().accounts && fresh.excluded == mapper.desired().excluded;
    std::printf("check: the incremental desired state is %s desired_state()\n",
                same ? "identical to" : "DIFFERENT from");
    if (!same) return 1;
  }
  return 0;
}
