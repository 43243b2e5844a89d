#include "connectors/ldap/snapshot_order.h"

#include <algorithm>
#include <tuple>

#include <boost/unordered/unordered_flat_map.hpp>

#include "connectors/ldap/ascii.h"

namespace rosterd::ldap {
namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = ascii_lower(c);
  return out;
}

// Open addressing: at 100,000 users std::unordered_map's node per name made these checks
// a tenth of the read.
template <typename Value>
using NameMap = boost::unordered_flat_map<std::string, Value>;

template <typename Item>
void sort_by_anchor(std::vector<Item>& items) {
  std::sort(items.begin(), items.end(), [](const Item& a, const Item& b) {
    return std::tie(a.anchor, a.dn) < std::tie(b.anchor, b.dn);
  });
}

// Drops the items whose anchor repeats the previous kept one's (items sorted by anchor).
template <typename Item>
void drop_repeated_anchors(std::vector<Item>& items, const char* kind, std::vector<std::string>& problems) {
  std::size_t kept = 0;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (kept > 0 && items[i].anchor == items[kept - 1].anchor) {
      problems.push_back(std::string("skipped ") + kind + " '" + items[i].dn + "': same anchor " +
                         items[i].anchor + " as '" + items[kept - 1].dn + "'");
      continue;
    }
    if (kept != i) items[kept] = std::move(items[i]);
    ++kept;
  }
  items.resize(kept);
}

void report_shared_emails(const std::vector<DirectoryUser>& users, std::vector<std::string>& problems) {
  NameMap<const DirectoryUser*> owners;
  owners.reserve(users.size());
  for (const DirectoryUser& user : users)
    if (const auto* emails = user.find("email"))
      for (const std::string& email : *emails) {
        const auto [at, inserted] = owners.try_emplace(lower(email), &user);
        if (!inserted && at->second != &user)
          problems.push_back("user '" + user.dn + "' has the email '" + email + "' of '" + at->second->dn + "'");
      }
}

}  // namespace

void order_and_deduplicate(std::vector<DirectoryUser>& users, std::vector<std::string>& problems,
                           std::vector<std::string>* skipped_anchors) {
  sort_by_anchor(users);
  drop_repeated_anchors(users, "user", problems);
  NameMap<std::size_t> by_name;  // lower-cased userName -> kept index
  by_name.reserve(users.size());
  std::size_t kept = 0;
  for (std::size_t i = 0; i < users.size(); ++i) {
    const auto [at, inserted] = by_name.try_emplace(lower(users[i].user_name), kept);
    if (!inserted) {
      problems.push_back("skipped user '" + users[i].dn + "': same userName '" + users[i].user_name +
                         "' as '" + users[at->second].dn + "'");
      if (skipped_anchors != nullptr) skipped_anchors->push_back(users[i].anchor);
      continue;
    }
    if (kept != i) users[kept] = std::move(users[i]);
    ++kept;
  }
  users.resize(kept);
  report_shared_emails(users, problems);
}

void order_and_deduplicate(std::vector<DirectoryGroup>& groups, std::vector<std::string>& problems) {
  sort_by_anchor(groups);
  drop_repeated_anchors(groups, "group", problems);
}

}  // namespace rosterd::ldap
