// IncrementalMapper: after any sequence of Directory changes its desired state is the one
// RuleSet::desired_state() computes from scratch, and it evaluates only the people a
// change can reach.
#include "mapping/incremental_mapper.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "mapping_test_support.h"

namespace rosterd {
namespace {

using namespace testing;

const std::string kEnterprise = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

std::string attributes(const std::string& title, const std::string& department, const std::string& manager,
                       const std::string& employee_number = "") {
  std::string json = R"({"title": ")" + title + R"(", "name": {"givenName": "G", "familyName": "F"}, ")" +
                     kEnterprise + R"(": {"department": ")" + department + R"(")";
  if (!manager.empty()) json += R"(, "manager": {"value": ")" + manager + R"("})";
  if (!employee_number.empty()) json += R"(, "employeeNumber": ")" + employee_number + R"(")";
  return json + "}}";
}

// Every kind of rule the engine knows: groups by name and DN glob (nested), attributes,
// regexes, sources, deny, all/any/not, teams from an attribute.
std::vector<RuleConfig> rules_of_every_kind() {
  return {deny("no-interns", equals("title", "Intern")),
          grant("admins", group("CN=Admins*"), "administrator", "administrator", "Admins"),
          grant("recruiters", group("Recruiting"), "recruiter", "recruiter", "from:department"),
          grant("sourcers", all({matches("title", "^Sourc"), source({"corp-ad"})}), "recruiter", "recruiter"),
          grant("managers", any({matches("title", "Manager$"), group("Leads")}), "hiring_manager", "manager",
                "from:department"),
          grant("talent", all({equals("department", "Talent"), not_(group("Contractors"))}), "assessor", "manager",
                "Talent"),
          grant("everyone-okta", source({"okta"}), "member", "recruiter", "Everyone")};
}

const std::vector<std::string> kTitles = {"Engineer", "Sourcer", "Sales Manager", "Intern", "Recruiter", "Analyst"};
const std::vector<std::string> kDepartments = {"Talent", "Sales", "Engineering", ""};
const std::vector<std::string> kGroupNames = {"Recruiting", "Leads", "Contractors", "Paris", "Lyon", "Staff"};

// A random space: two sources of "acme" (and one of another space), people whose emails
// collide across sources (one person, several identities) or are missing, managers,
// nested groups with cycles.
class World {
 public:
  explicit World(unsigned seed) : rng_(seed) {
    for (int i = 0; i < 12; ++i) directory.groups.push_back(random_group(i));
    for (int i = 0; i < 60; ++i) directory.people.push_back(random_person());
  }

  // One random change of the kinds an identity source makes.
  void change() {
    auto& people = directory.people;
    auto& groups = directory.groups;
    switch (pick(15)) {
      case 0: people.push_back(random_person()); break;
      case 1: if (!people.empty()) people.erase(people.begin() + pick(people.size())); break;
      case 2: any_person().attributes_json = random_attributes(); break;
      case 3: any_person().groups = random_groups(); break;
      case 4: any_person().emails = random_emails(); break;  // correlation moves
      case 5: any_person().active = pick(2) == 0; break;
      case 6: any_person().user_name = "u" + std::to_string(pick(1000)); break;
      case 7: any_person().created = Timestamp(std::chrono::milliseconds(pick(1000))); break;
      case 8: if (!groups.empty()) groups[pick(groups.size())].display_name = random_group_name(); break;
      case 9: if (!groups.empty()) groups[pick(groups.size())].dn = random_dn(); break;
      case 10: if (!groups.empty()) groups[pick(groups.size())].groups = random_parents(); break;
      case 11: groups.push_back(random_group(next_group_++)); break;
      case 12: if (!groups.empty()) groups.erase(groups.begin() + pick(groups.size())); break;
      case 13: std::shuffle(people.begin(), people.end(), rng_); break;
      default: if (people.size() > 1) std::swap(people[pick(people.size())], people[pick(people.size())]); break;
    }
  }

  Directory directory;

 private:
  std::size_t pick(std::size_t n) { return rng_() % n; }
  DirectoryPerson& any_person() {
    if (directory.people.empty()) directory.people.push_back(random_person());
    return directory.people[pick(directory.people.size())];
  }

  std::string random_group_name() { return kGroupNames[pick(kGroupNames.size())]; }
  std::vector<std::string> random_emails() {
    if (pick(10) == 0) return {};
    std::vector<std::string> out{"P" + std::to_string(pick(40)) + "@acme.example"};
    if (pick(4) == 0) out.push_back("alt" + std::to_string(pick(40)) + "@acme.example");
    return out;
  }
  std::string random_attributes() {
    const std::string manager = pick(3) == 0 ? "" : "id" + std::to_string(pick(next_person_ + 1));
    return attributes(kTitles[pick(kTitles.size())], kDepartments[pick(kDepartments.size())], manager,
                      "E" + std::to_string(pick(30)));
  }
  std::vector<std::string> random_groups() {
    std::vector<std::string> out;
    for (std::size_t n = pick(3); n > 0; --n) out.push_back("g" + std::to_string(pick(next_group_ + 2)));
    return out;
  }
  std::vector<std::string> random_parents() {
    std::vector<std::string> out;
    for (std::size_t n = pick(3); n > 0; --n) out.push_back("g" + std::to_string(pick(next_group_ + 1)));
    return out;
  }
  std::string random_dn() {
    if (pick(2) == 0) return "";
    return "CN=" + std::string(pick(2) == 0 ? "Admins-" : "Team-") + std::to_string(pick(5)) + ",OU=Groups,DC=acme";
  }
  const char* random_source() {
    const std::size_t s = pick(10);
    return s < 5 ? "okta" : s < 9 ? "corp-ad" : "beta";
  }
  DirectoryPerson random_person() {
    DirectoryPerson p;
    p.source = random_source();
    // Mostly new ids; sometimes an id another source uses too (a different identity).
    p.id = "id" + std::to_string(pick(8) == 0 ? pick(next_person_ + 1) : next_person_++);
    p.user_name = "u" + std::to_string(pick(1000));
    p.display_name = "Person " + std::to_string(pick(100));
    p.emails = random_emails();
    p.active = pick(8) != 0;
    p.attributes_json = random_attributes();
    p.groups = random_groups();
    p.created = Timestamp(std::chrono::milliseconds(pick(1000)));
    // The same (source, id) twice is not something a source sends; keep ids unique.
    while (std::any_of(directory.people.begin(), directory.people.end(),
                       [&](const DirectoryPerson& q) { return q.source == p.source && q.id == p.id; }))
      p.id = "id" + std::to_string(next_person_++);
    return p;
  }
  DirectoryGroup random_group(int i) {
    DirectoryGroup g;
    g.source = pick(6) == 0 ? "okta" : "corp-ad";
    g.id = "g" + std::to_string(i);
    g.display_name = random_group_name();
    g.dn = random_dn();
    g.groups = random_parents();
    return g;
  }

  std::mt19937 rng_;
  int next_group_ = 12;
  std::size_t next_person_ = 0;
};

void expect_same(const DesiredState& incremental, const DesiredState& fresh, unsigned seed, int step) {
  ASSERT_EQ(incremental.space, fresh.space);
  ASSERT_EQ(incremental.accounts.size(), fresh.accounts.size()) << "seed " << seed << " step " << step;
  ASSERT_EQ(incremental.excluded.size(), fresh.excluded.size()) << "seed " << seed << " step " << step;
  for (std::size_t i = 0; i < fresh.accounts.size(); ++i)
    ASSERT_TRUE(incremental.accounts[i] == fresh.accounts[i])
        << "seed " << seed << " step " << step << " account " << i << ": " << incremental.accounts[i].person
        << " vs " << fresh.accounts[i].person;
  for (std::size_t i = 0; i < fresh.excluded.size(); ++i)
    ASSERT_TRUE(incremental.excluded[i] == fresh.excluded[i])
        << "seed " << seed << " step " << step << " excluded " << i << ": " << incremental.excluded[i].person
        << " vs " << fresh.excluded[i].person;
}

void run_random_changes(const Config& config, unsigned first_seed) {
  const RuleSet rules = compiled(config);
  for (unsigned seed = first_seed; seed < first_seed + 60; ++seed) {
    World world(seed);
    IncrementalMapper mapper(rules);
    std::mt19937 rng(seed * 7919);
    for (int step = 0; step < 40; ++step) {
      const DesiredState& incremental = mapper.update(world.directory);
      expect_same(incremental, rules.desired_state(world.directory), seed, step);
      if (::testing::Test::HasFatalFailure()) return;
      for (std::size_t n = 1 + rng() % 4; n > 0; --n) world.change();
    }
  }
}

TEST(IncrementalMapper, EqualsAFreshDesiredStateAfterRandomChangesUnderHighestRank) {
  run_random_changes(config_with(rules_of_every_kind()), 1);
}

TEST(IncrementalMapper, EqualsAFreshDesiredStateAfterRandomChangesUnderFirstMatch) {
  run_random_changes(config_with(rules_of_every_kind(), "first-match"), 100);
}

TEST(IncrementalMapper, EqualsAFreshDesiredStateWhenPeopleCorrelateByAnAttribute) {
  Config config = config_with(rules_of_every_kind());
  config.spaces[0].correlate_by = "employeeNumber";
  config.spaces[0].source_precedence = {"corp-ad"};
  run_random_changes(config, 200);
}

// A Directory fixture small enough to reason about how many people each change reaches.
Directory small_directory() {
  Directory d;
  d.groups = {dgroup("corp-ad", "g-rec", "Recruiting"), dgroup("corp-ad", "g-paris", "Paris", "", {"g-rec"}),
              dgroup("corp-ad", "g-staff", "Staff")};
  for (int i = 0; i < 10; ++i) {
    const std::string n = std::to_string(i);
    d.people.push_back(person("corp-ad", "ad-" + n, "p" + n + "@acme.example",
                              attributes("Engineer", "Talent", i == 0 ? "" : "ad-0"),
                              {i < 3 ? "g-paris" : "g-staff"}));
  }
  return d;
}

TEST(IncrementalMapper, EvaluatesOnlyThePersonWhoseIdentityChanged) {
  const RuleSet rules = compiled(config_with(rules_of_every_kind()));
  IncrementalMapper mapper(rules);
  Directory d = small_directory();
  mapper.update(d);
  EXPECT_TRUE(mapper.stats().from_scratch);
  EXPECT_EQ(mapper.stats().people_evaluated, 10u);

  mapper.update(d);
  EXPECT_FALSE(mapper.stats().from_scratch);
  EXPECT_EQ(mapper.stats().identities_changed, 0u);
  EXPECT_EQ(mapper.stats().people_evaluated, 0u);

  d.people[5].attributes_json = attributes("Sales Manager", "Sales", "ad-0");
  const DesiredState& state = mapper.update(d);
  EXPECT_EQ(mapper.stats().identities_changed, 1u);
  EXPECT_EQ(mapper.stats().people_evaluated, 1u);
  ASSERT_NE(account_of(state, "p5@acme.example"), nullptr);
  EXPECT_EQ(account_of(state, "p5@acme.example")->rule, "managers");
  EXPECT_EQ(account_of(state, "p5@acme.example")->team, "Sales");
  expect_same(state, rules.desired_state(d), 0, 0);
}

TEST(IncrementalMapper, AManagersNewEmailReachesTheirReports) {
  const RuleSet rules = compiled(config_with(rules_of_every_kind()));
  IncrementalMapper mapper(rules);
  Directory d = small_directory();
  mapper.update(d);
  // ad-0's key changes too: the old person leaves (nothing to evaluate), a new one comes,
  // nine reports follow.
  d.people[0].emails = {"boss@acme.example"};
  const DesiredState& state = mapper.update(d);
  EXPECT_EQ(mapper.stats().people_evaluated, 10u);
  ASSERT_NE(account_of(state, "p7@acme.example"), nullptr);
  EXPECT_EQ(account_of(state, "p7@acme.example")->manager_email, "boss@acme.example");
  EXPECT_EQ(account_of(state, "p0@acme.example"), nullptr);
  expect_same(state, rules.desired_state(d), 0, 0);

  // A change that leaves the primary email alone does not reach the reports.
  d.people[0].display_name = "The Boss";
  mapper.update(d);
  EXPECT_EQ(mapper.stats().people_evaluated, 1u);
}

TEST(IncrementalMapper, AManagerWhoLeavesAndComesBackReachesTheirReports) {
  const RuleSet rules = compiled(config_with(rules_of_every_kind()));
  IncrementalMapper mapper(rules);
  Directory d = small_directory();
  mapper.update(d);
  const DirectoryPerson boss = d.people[0];
  d.people.erase(d.people.begin());
  const DesiredState& without = mapper.update(d);
  EXPECT_EQ(account_of(without, "p4@acme.example")->manager_email, "");
  expect_same(without, rules.desired_state(d), 0, 0);
  d.people.push_back(boss);
  const DesiredState& with = mapper.update(d);
  EXPECT_EQ(account_of(with, "p4@acme.example")->manager_email, "p0@acme.example");
  expect_same(with, rules.desired_state(d), 0, 1);
}

TEST(IncrementalMapper, AGroupChangeReachesOnlyThePeopleWhoseGroupsReachIt) {
  const RuleSet rules = compiled(config_with(rules_of_every_kind()));
  IncrementalMapper mapper(rules);
  Directory d = small_directory();
  mapper.update(d);
  // Recruiting renamed: the three people in Paris (nested in it) lose the grant; the
  // seven in Staff are not evaluated.
  d.groups[0].display_name = "Hiring";
  const DesiredState& renamed = mapper.update(d);
  EXPECT_EQ(mapper.stats().groups_changed, 1u);
  EXPECT_EQ(mapper.stats().people_evaluated, 3u);
  EXPECT_EQ(account_of(renamed, "p1@acme.example")->rule, "talent");
  expect_same(renamed, rules.desired_state(d), 0, 0);

  // Staff now nested in Recruiting (named so again): its seven members are reached.
  d.groups[0].display_name = "Recruiting";
  d.groups[2].groups = {"g-rec"};
  const DesiredState& nested = mapper.update(d);
  EXPECT_EQ(mapper.stats().people_evaluated, 10u);
  EXPECT_EQ(account_of(nested, "p8@acme.example")->rule, "recruiters");
  const std::pair<std::string, std::string> via{"group", "Recruiting (nested via Staff)"};
  const auto& inputs = account_of(nested, "p8@acme.example")->inputs;
  EXPECT_NE(std::find(inputs.begin(), inputs.end(), via), inputs.end());
  expect_same(nested, rules.desired_state(d), 0, 1);
}

TEST(IncrementalMapper, AnIdentityMovingBetweenPeopleUpdatesBoth) {
  const RuleSet rules = compiled(config_with(rules_of_every_kind()));
  IncrementalMapper mapper(rules);
  Directory d = small_directory();
  // An okta identity of p1 (okta comes first: it decides the profile and the source).
  d.people.push_back(person("okta", "o-1", "P1@acme.example", attributes("Analyst", "Sales", "")));
  const DesiredState& joined = mapper.update(d);
  EXPECT_EQ(account_of(joined, "p1@acme.example")->source, "okta");
  d.people.back().emails = {"p2@acme.example"};
  const DesiredState& moved = mapper.update(d);
  EXPECT_EQ(mapper.stats().people_evaluated, 2u);
  EXPECT_EQ(account_of(moved, "p1@acme.example")->source, "corp-ad");
  EXPECT_EQ(account_of(moved, "p2@acme.example")->source, "okta");
  expect_same(moved, rules.desired_state(d), 0, 0);
}

TEST(IncrementalMapper, PeopleWithoutAKeyStayOrderedAmongTheExcluded) {
  const RuleSet rules = compiled(config_with(rules_of_every_kind()));
  IncrementalMapper mapper(rules);
  Directory d = small_directory();
  for (const char* id : {"k3", "k1", "k2"}) d.people.push_back(person("okta", id, ""));
  mapper.update(d);
  d.people.push_back(person("corp-ad", "k0", ""));
  d.people.push_back(person("okta", "k15", ""));
  d.people[1].emails.clear();
  const DesiredState& state = mapper.update(d);
  expect_same(state, rules.desired_state(d), 0, 0);
  ASSERT_GE(state.excluded.size(), 6u);
  EXPECT_EQ(state.excluded[0].anchor, "k1");
  EXPECT_EQ(state.excluded[0].reason, "no email to correlate on");
}

TEST(IncrementalMapper, TwoIdentitiesWithOneIdAreEvaluatedFromScratch) {
  const RuleSet rules = compiled(config_with(rules_of_every_kind()));
  IncrementalMapper mapper(rules);
  Directory d = small_directory();
  mapper.update(d);
  d.people.push_back(d.people[4]);
  d.people.back().emails = {"twin@acme.example"};
  expect_same(mapper.update(d), rules.desired_state(d), 0, 0);
  EXPECT_TRUE(mapper.stats().from_scratch);
  d.people.pop_back();
  d.people[3].active = false;
  expect_same(mapper.update(d), rules.desired_state(d), 0, 1);
}

TEST(IncrementalMapper, ATakenStateIsEitherGivenBackOrRebuilt) {
  const RuleSet rules = compiled(config_with(rules_of_every_kind()));
  IncrementalMapper mapper(rules);
  Directory d = small_directory();
  mapper.update(d);
  DesiredState lent = mapper.take();
  EXPECT_EQ(lent.accounts.size(), 10u);
  mapper.give_back(std::move(lent));
  d.people[2].active = false;
  expect_same(mapper.update(d), rules.desired_state(d), 0, 0);
  EXPECT_EQ(mapper.stats().people_evaluated, 1u);

  const DesiredState kept = mapper.take();
  d.people[2].active = true;
  expect_same(mapper.update(d), rules.desired_state(d), 0, 1);
  EXPECT_TRUE(mapper.stats().from_scratch);
}

}  // namespace
}  // namespace rosterd
