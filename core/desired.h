// The desired state of a space: for every person the sources know, the account they
// should have (or why they should have none), with the rule that decided and the rules
// that lost. Produced by mapping/ (the rules engine), consumed by reconcile(). Plain
// values: no I/O, no references into the configuration.
#pragma once

#include <string>
#include <vector>

#include "core/facts.h"
#include "core/shared.h"
#include "core/timestamp.h"

namespace rosterd {

// A grant that matched but did not decide, and why it lost.
struct LosingGrant {
  std::string rule;
  std::string role;
  std::string licence;
  std::string why;  // "lower rank than administrator (rule talent-admins)", "after rule x (first-match)"
  bool operator==(const LosingGrant&) const = default;
};

struct DesiredAccount {
  // The correlation key: the value of the space's correlation attribute (email by
  // default), lower-cased. One person = one key, whichever sources know them.
  std::string person;
  // The identity that decided (source precedence among the person's identities).
  std::string source;
  std::string anchor;  // that identity's stable id in its source
  std::string email;
  std::string given_name, family_name, title, phone, country, language;
  std::string team;
  std::string role;
  std::string licence;
  std::string template_account;  // email or id of the account to copy; empty: none
  std::string rule;              // the rule that granted the account
  int rule_index = 0;            // its position among the space's rules: the seat priority
  // Shared by everyone who lost the same grants to the same winner (tens of people per
  // list at 100,000 identities): kept once, not once per person.
  Shared<std::vector<LosingGrant>> losing;
  // Who takes over this person's work when they leave: the directory's manager (an
  // email, resolved by mapping/ from the manager reference), then the rule's handover
  // target. Either may be empty.
  std::string manager_email;
  std::string rule_handover;
  Timestamp first_seen{};  // when the identity was first stored (queue tie-break)
  // Facts that led to the decision, recorded in the audit row of the operations on this
  // account: the deciding rule first ("rule": "recruiters"), then what matched
  // ("groups": "CN=Recruiting-Paris,...", "title": "Sourcer", ...). Shared with the
  // people who matched for the same reasons and with the operations planned for them.
  SharedFacts inputs;
  bool operator==(const DesiredAccount&) const = default;
};

// A person the sources know who should have no account, and why: denied by a rule,
// matched by no rule, or disabled in their source. Their current account, if any, is a
// leaver's.
struct ExcludedPerson {
  std::string person;
  std::string source;
  std::string anchor;
  std::string email;
  std::string reason;  // "denied by rule no-contractors", "no rule grants an account", "disabled in source corp-ad"
  std::string manager_email;
  std::string rule_handover;
  bool operator==(const ExcludedPerson&) const = default;
};

struct DesiredState {
  std::string space;
  std::vector<DesiredAccount> accounts;  // sorted by person
  std::vector<ExcludedPerson> excluded;  // sorted by person
};

}  // namespace rosterd
