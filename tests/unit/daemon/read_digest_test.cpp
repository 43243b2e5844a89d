// The digest of a full read stands for what the store keeps of it: the same read gives the
// same digest, and any difference the store would keep gives another one.
#include <gtest/gtest.h>

#include <functional>
#include <set>

#include "daemon/sources/read_digest.h"

namespace rosterd {
namespace {

ResourceRecord user(std::string id, std::string name) {
  ResourceRecord r;
  r.type = ResourceType::User;
  r.source = "corp";
  r.id = std::move(id);
  r.external_id = "uid=" + name + ",dc=example,dc=test";
  r.user_name = std::move(name);
  r.emails = {r.user_name + "@acme.test"};
  r.attributes = R"({"userName":")" + r.user_name + R"("})";
  return r;
}

struct Read {
  SourceContents contents;
  std::vector<Membership> memberships;
  std::vector<std::string> kept;
  // Both parts, as SourceState::read_digest keeps them.
  std::string digest() const { return ReadDigest{records_digest(contents, kept), memberships_digest(memberships)}.text(); }
};

Read sample() {
  Read r;
  r.contents.users = {user("a1", "ada"), user("b1", "bob")};
  ResourceRecord g;
  g.type = ResourceType::Group;
  g.id = "g1";
  g.display_name = "recruiting";
  r.contents.groups = {g};
  r.memberships = {{"g1", "a1", ResourceType::User}};
  return r;
}

TEST(ReadDigest, TheSameReadGivesTheSameDigestAndEveryDifferenceAnother) {
  const std::string base = sample().digest();
  EXPECT_EQ(sample().digest(), base);
  EXPECT_EQ(base.rfind("sha256:", 0), 0u);
  EXPECT_EQ(base.size(), 2 * (7u + 64u) + 1);
  // contents.memberships is not what is digested: the memberships given apart are.
  Read ignored = sample();
  ignored.contents.memberships = {{"g9", "z9", ResourceType::User}};
  EXPECT_EQ(ignored.digest(), base);

  const std::vector<std::function<void(Read&)>> changes = {
      [](Read& r) { r.contents.users[0].user_name = "adA"; },
      [](Read& r) { r.contents.users[0].attributes = R"({"userName":"ada","title":"x"})"; },
      [](Read& r) { r.contents.users[0].active = false; },
      [](Read& r) { r.contents.users[0].display_name = "Ada"; },
      [](Read& r) { r.contents.users[0].external_id = std::nullopt; },
      [](Read& r) { r.contents.users[0].external_id = ""; },
      [](Read& r) { r.contents.users[0].emails.push_back("a2@acme.test"); },
      // The same bytes split another way: ["ab", "c"] against ["a", "bc"].
      [](Read& r) { r.contents.users[0].emails = {"ada@acme.tes", "t"}; },
      [](Read& r) { r.contents.users[0].id = "a0"; },
      [](Read& r) { r.contents.users.pop_back(); },
      [](Read& r) { r.contents.groups[0].display_name = "recruiters"; },
      [](Read& r) { r.memberships.push_back({"g1", "b1", ResourceType::User}); },
      [](Read& r) { r.memberships[0].member_type = ResourceType::Group; },
      [](Read& r) { r.memberships.clear(); },
      [](Read& r) { r.kept = {"c1"}; },
      // A user moved into the groups' list is not the same read.
      [](Read& r) {
        r.contents.groups.insert(r.contents.groups.begin(), r.contents.users.back());
        r.contents.users.pop_back();
      },
  };
  std::set<std::string> seen{base};
  for (std::size_t i = 0; i < changes.size(); ++i) {
    Read changed = sample();
    changes[i](changed);
    EXPECT_TRUE(seen.insert(changed.digest()).second) << "change " << i << " gave a digest seen before";
  }
}

// The state keeps "<records> <memberships>"; anything else is no digest at all (then the
// next full read is compared with the store).
TEST(ReadDigest, TheStatesTextGivesBothPartsBackOrNothing) {
  const Read r = sample();
  const ReadDigest parts = ReadDigest::parse(r.digest());
  EXPECT_EQ(parts.records, records_digest(r.contents, r.kept));
  EXPECT_EQ(parts.memberships, memberships_digest(r.memberships));
  EXPECT_EQ(parts.text(), r.digest());
  for (const char* bad : {"", "sha256:ab", "sha256:ab sha256:cd sha256:ef", "md5:ab sha256:cd", "sha256:ab  sha256:cd"})
    EXPECT_TRUE(ReadDigest::parse(bad).records.empty()) << bad;
}

}  // namespace
}  // namespace rosterd
