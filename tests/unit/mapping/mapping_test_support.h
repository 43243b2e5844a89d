// Helpers for the mapping tests: rule conditions, rules, a two-source configuration and
// directory people built directly in C++ (no YAML), and short ways to read the outcome.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <initializer_list>
#include <string>
#include <vector>

#include "config/config.h"
#include "mapping/directory.h"
#include "mapping/rule_set.h"

namespace rosterd::testing {

inline Condition group(std::string pattern) {
  Condition c;
  c.kind = Condition::Kind::Group;
  c.glob = pattern.find_first_of("*?") != std::string::npos;
  c.pattern = std::move(pattern);
  return c;
}

inline Condition attribute(std::string name, Condition::Test test, std::vector<std::string> values = {}) {
  Condition c;
  c.kind = Condition::Kind::Attribute;
  c.attribute = std::move(name);
  c.test = test;
  c.values = std::move(values);
  return c;
}
inline Condition equals(std::string name, std::string value) {
  return attribute(std::move(name), Condition::Test::Equals, {std::move(value)});
}
inline Condition in(std::string name, std::vector<std::string> values) {
  return attribute(std::move(name), Condition::Test::In, std::move(values));
}
inline Condition matches(std::string name, std::string regex) {
  return attribute(std::move(name), Condition::Test::Matches, {std::move(regex)});
}
inline Condition present(std::string name) { return attribute(std::move(name), Condition::Test::Present); }
inline Condition absent(std::string name) { return attribute(std::move(name), Condition::Test::Absent); }

inline Condition source(std::vector<std::string> ids) {
  Condition c;
  c.kind = Condition::Kind::Source;
  c.sources = std::move(ids);
  return c;
}

inline Condition node(Condition::Kind kind, std::vector<Condition> children) {
  Condition c;
  c.kind = kind;
  c.children = std::move(children);
  return c;
}
inline Condition all(std::vector<Condition> children) { return node(Condition::Kind::All, std::move(children)); }
inline Condition any(std::vector<Condition> children) { return node(Condition::Kind::Any, std::move(children)); }
inline Condition not_(Condition child) { return node(Condition::Kind::Not, {std::move(child)}); }

inline RuleConfig grant(std::string name, Condition when, std::string role, std::string licence,
                        std::string team = "") {
  RuleConfig r;
  r.name = std::move(name);
  r.space = "acme";
  r.when = std::move(when);
  r.grant_role = std::move(role);
  r.grant_licence = std::move(licence);
  r.grant_team = std::move(team);
  return r;
}

inline RuleConfig deny(std::string name, Condition when) {
  RuleConfig r;
  r.name = std::move(name);
  r.space = "acme";
  r.deny = true;
  r.when = std::move(when);
  return r;
}

// Space "acme" (highest-rank unless told) fed by "okta" (scim) and "corp-ad" (ldap), in
// that file order; space "other" fed by "beta". Rules get lines 20, 25, 30, ...
inline Config config_with(std::vector<RuleConfig> rules, std::string resolution = "highest-rank") {
  Config c;
  c.file = "rosterd.yaml";
  SpaceConfig acme;
  acme.space.id = "acme";
  acme.space.licences = {{"recruiter", 25}, {"manager", 40}, {"administrator", 3}};
  acme.resolution = std::move(resolution);
  acme.location = {"rosterd.yaml", 5, 3};
  SpaceConfig other;
  other.space.id = "other";
  other.space.licences = {{"recruiter", 5}};
  other.location = {"rosterd.yaml", 12, 3};
  c.spaces = {acme, other};
  for (const auto& [id, kind, space] : std::vector<std::tuple<std::string, std::string, std::string>>{
           {"okta", "scim", "acme"}, {"corp-ad", "ldap", "acme"}, {"beta", "scim", "other"}}) {
    SourceConfig s;
    s.id = id;
    s.kind = kind;
    s.space = space;
    c.sources.push_back(s);
  }
  int line = 20;
  for (auto& r : rules) {
    r.location = {"rosterd.yaml", line, 5};
    line += 5;
  }
  c.rules = std::move(rules);
  return c;
}

inline RuleSet compiled(const Config& config, std::string_view space = "acme") {
  auto rules = RuleSet::compile(config, space);
  if (!rules) ADD_FAILURE() << rules.error().message;
  return std::move(*rules);
}

inline DirectoryPerson person(std::string source, std::string id, std::string email,
                              std::string attributes_json = "{}", std::vector<std::string> groups = {}) {
  DirectoryPerson p;
  p.source = std::move(source);
  p.id = std::move(id);
  p.user_name = email;
  if (!email.empty()) p.emails = {email};
  p.attributes_json = std::move(attributes_json);
  p.groups = std::move(groups);
  return p;
}

inline DirectoryGroup dgroup(std::string source, std::string id, std::string name, std::string dn = "",
                             std::vector<std::string> parents = {}) {
  return DirectoryGroup{std::move(source), std::move(id), std::move(name), std::move(dn), std::move(parents)};
}

inline const DesiredAccount* account_of(const DesiredState& state, std::string_view person) {
  for (const auto& a : state.accounts)
    if (a.person == person) return &a;
  return nullptr;
}

inline const ExcludedPerson* excluded_of(const DesiredState& state, std::string_view person) {
  for (const auto& x : state.excluded)
    if (x.person == person) return &x;
  return nullptr;
}

// The rule that gives `email` an account under `rules`, or "(excluded: reason)".
inline std::string outcome(const Config& config, const Directory& directory, std::string_view email) {
  const DesiredState state = compiled(config).desired_state(directory);
  if (const auto* a = account_of(state, email)) return a->rule;
  if (const auto* x = excluded_of(state, email)) return "(excluded: " + x->reason + ")";
  return "(absent)";
}

// Does a one-rule set grant to the only person of `directory`?
inline bool grants(const Condition& when, const Directory& directory) {
  const Config config = config_with({grant("r", when, "recruiter", "recruiter")});
  const DesiredState state = compiled(config).desired_state(directory);
  return state.accounts.size() == 1;
}

inline bool grants(const Condition& when, const DirectoryPerson& p) {
  return grants(when, Directory{{p}, {}});
}

}  // namespace rosterd::testing
