// `rosterd sync --once` against a real Active Directory domain controller (a private
// Samba AD DC, tests/support/samba_fixture.h): a full read, then incremental reads from the
// DC's uSNChanged — an edit and a disabled account picked up, a deletion left to the next
// full read, as the README says. Needs root and port 389; skipped, saying why, otherwise.
#include <gtest/gtest.h>
#include <signal.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <fstream>
#include <map>

#include "tests/support/samba_fixture.h"
#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"

namespace rosterd::testing {
namespace {

const std::string kOu = std::string("OU=Sync,") + kSambaDomainDn;
const std::string kPeople = "OU=People," + kOu;
const std::string kGroups = "OU=Groups," + kOu;

std::string ou(const std::string& dn) {
  return "dn: " + dn + "\nobjectClass: organizationalUnit\nou: " + dn.substr(3, dn.find(',') - 3) + "\n\n";
}
// 544: a normal account that needs no password (enabled); 546 with the disabled bit.
std::string person(const std::string& name, const std::string& title) {
  return "dn: CN=" + name + "," + kPeople + "\nobjectClass: user\nsAMAccountName: " + name +
         "\nmail: " + name + "@acme.test\ngivenName: " + name + "\nsn: Test\ntitle: " + title +
         "\nuserAccountControl: 544\n\n";
}

class LdapAdSync : public ::testing::Test {
 protected:
  void SetUp() override {
    ::signal(SIGPIPE, SIG_IGN);
    const std::string why = SambaDc::unavailable_reason();
    if (!why.empty()) GTEST_SKIP() << "no Samba AD DC: " << why;
    dc_ = std::make_unique<SambaDc>();
    ASSERT_EQ(dc_->error(), "");
    const auto added = dc_->add(ou(kOu) + ou(kPeople) + ou(kGroups) + person("ann", "Recruiter") +
                                person("bob", "Recruiter") + person("cy", "Sourcer") + "dn: CN=Recruiting," + kGroups +
                                "\nobjectClass: group\nsAMAccountName: Recruiting\nmember: CN=ann," + kPeople +
                                "\nmember: CN=bob," + kPeople + "\nmember: CN=cy," + kPeople + "\n\n");
    ASSERT_EQ(added.exit_code, 0) << added.err;
    std::ofstream(dir_.file("password")) << kSambaAdminPassword << "\n";
    std::ofstream(dir_.file("rosterd.yaml")) << "store: sqlite:" << dir_.file("rosterd.db") << R"y(
spaces:
  acme:
    licences: {recruiter: 10, manager: 10, administrator: 2}
    max_destructive: {count: 10, percent: 100}
sources:
  - id: corp-ad
    kind: ldap
    space: acme
    dialect: ad
    urls: ["ldap://127.0.0.1:389/"]
    bind_dn: ")y" << kSambaAdminDn << R"y("
    bind_password_file: )y" << dir_.file("password") << R"y(
    users: {base: ")y" << kPeople << R"y("}
    groups: {base: ")y" << kGroups << R"y("}
rules:
  - name: recruiters
    space: acme
    when: {group: Recruiting}
    grant: {role: recruiter, licence: recruiter}
)y";
  }
  void TearDown() override { dc_.reset(); }

  boost::json::object sync(const std::vector<std::string>& extra = {}) {
    std::vector<std::string> args{ROSTERD_BINARY, "--config", dir_.file("rosterd.yaml"), "sync", "--once", "--json"};
    args.insert(args.end(), extra.begin(), extra.end());
    const RunResult r = run(args);
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    boost::system::error_code ec;
    const auto v = boost::json::parse(r.out, ec);
    if (ec || !v.is_object() || v.at("sources").as_array().empty()) {
      ADD_FAILURE() << r.out << r.err;
      return {};
    }
    return v.at("sources").as_array()[0].as_object();
  }
  std::map<std::string, std::string> states() {
    const RunResult r = run({ROSTERD_BINARY, "--config", dir_.file("rosterd.yaml"), "accounts", "list", "--json"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    std::map<std::string, std::string> out;
    const auto list = boost::json::parse(r.out);
    for (const auto& a : list.as_array())
      out[std::string(a.at("email").as_string())] = std::string(a.at("state").as_string());
    return out;
  }
  static std::int64_t count(const boost::json::object& o, const char* key) { return o.at(key).as_int64(); }

  std::unique_ptr<SambaDc> dc_;
  TempDir dir_;
};

TEST_F(LdapAdSync, IncrementalReadsFollowTheDcsUsnAndAFullReadFindsDeletions) {
  const auto first = sync();
  EXPECT_EQ(first.at("read").as_string(), "full");
  EXPECT_EQ(count(first, "users"), 3);
  EXPECT_EQ((states()), (std::map<std::string, std::string>{
                            {"ann@acme.test", "invited"}, {"bob@acme.test", "invited"}, {"cy@acme.test", "invited"}}));

  ASSERT_EQ(dc_->modify("dn: CN=ann," + kPeople + "\nchangetype: modify\nreplace: title\ntitle: Lead\n\n"
                        "dn: CN=bob," + kPeople + "\nchangetype: modify\nreplace: userAccountControl\n"
                        "userAccountControl: 546\n\n")
                .exit_code,
            0);
  const auto changes = sync();
  EXPECT_EQ(changes.at("read").as_string(), "changes");
  EXPECT_EQ(count(changes, "users"), 2);  // only ann and bob were read
  EXPECT_EQ(count(changes, "updated"), 2);
  EXPECT_EQ(states().at("bob@acme.test"), "deactivated");

  ASSERT_EQ(dc_->modify("dn: CN=cy," + kPeople + "\nchangetype: delete\n\n").exit_code, 0);
  const auto blind = sync();  // uSNChanged does not show deletions
  EXPECT_EQ(blind.at("read").as_string(), "changes");
  EXPECT_EQ(count(blind, "removed"), 0);
  EXPECT_EQ(states().at("cy@acme.test"), "invited");
  const auto full = sync({"--full"});
  EXPECT_EQ(full.at("read").as_string(), "full");
  EXPECT_EQ(count(full, "removed"), 1);
  EXPECT_EQ(states().at("cy@acme.test"), "deactivated");
}

}  // namespace
}  // namespace rosterd::testing
