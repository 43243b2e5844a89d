// The status page in a real browser: headless Chromium (Debian's `chromium`) loads /status
// from a running `rosterd serve`, with the admin token as the HTTP Basic password, and
// dumps the DOM it rendered; its licence numbers must be those of `rosterd licences
// --json` on the same store.
#include <gtest/gtest.h>
#include <unistd.h>

#include <boost/json/parse.hpp>
#include <fstream>
#include <regex>

#include "tests/integration/admin_test_support.h"
#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"

namespace rosterd::testing {
namespace {

constexpr const char* kChromium = "/usr/bin/chromium";
constexpr const char* kAdminToken = "status-token-83ab";

RunResult dump_dom(const std::string& url) {
  TempDir profile;  // a fresh profile: nothing from another run, nothing written elsewhere
  return run({"/usr/bin/timeout", "120", kChromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
              "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
              "--user-data-dir=" + profile.path().string(), "--dump-dom", url});
}

struct Row {
  long used = -1, total = -1, pending = -1;
};

// The licence rows of the rendered DOM, by "space/licence".
std::map<std::string, Row> licence_rows(const std::string& dom) {
  std::map<std::string, Row> out;
  static const std::regex row(
      R"re(<tr data-space="([^"]*)" data-licence="([^"]*)"[^>]*>(.*?)</tr>)re");
  static const std::regex used(R"re(<td class="num used">(\d+)</td>)re");
  static const std::regex total(R"re(<td class="num total">(\d+)</td>)re");
  static const std::regex pending(R"re(<td class="num pending">(\d+)</td>)re");
  for (std::sregex_iterator it(dom.begin(), dom.end(), row), end; it != end; ++it) {
    const std::string cells = (*it)[3];
    Row r;
    std::smatch m;
    if (std::regex_search(cells, m, used)) r.used = std::stol(m[1]);
    if (std::regex_search(cells, m, total)) r.total = std::stol(m[1]);
    if (std::regex_search(cells, m, pending)) r.pending = std::stol(m[1]);
    out[std::string((*it)[1]) + "/" + std::string((*it)[2])] = r;
  }
  return out;
}

TEST(StatusPageInChromium, RendersAndItsLicenceNumbersMatchRosterdLicencesJson) {
  if (::access(kChromium, X_OK) != 0)
    GTEST_SKIP() << "chromium is not installed (scripts/deps.sh installs it): the status page is not checked in a browser";
  ServiceProcess service;
  std::ofstream(service.dir().file("admin.token")) << kAdminToken << "\n";
  // A rule that gives a manager seat to managers: acme has 5, six managers arrive.
  service.write_config({}, "admin_token_file: " + service.dir().file("admin.token") + R"(
rules:
  - name: managers
    space: acme
    when: {attribute: {title: {matches: "Manager$"}}}
    grant: {role: hiring_manager, licence: manager}
)");
  service.start({}, {"--admin-listen", "127.0.0.1:0"});
  ASSERT_TRUE(service.wait_ready()) << service.log();
  const std::uint16_t port = listener_port(service.log(), "admin");
  ASSERT_NE(port, 0) << service.log();

  // Seats in use, through the administrator's CLI on the same store.
  const auto cli = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {ROSTERD_BINARY, "--config", service.config()});
    return run(args);
  };
  for (const std::string who : {"rita", "remy", "rosa"}) {
    const RunResult made = cli({"accounts", "create", "--space", "acme", "--email", who + "@acme.test", "--given-name",
                                who, "--family-name", "Test", "--role", "recruiter", "--licence", "recruiter"});
    ASSERT_EQ(made.exit_code, 0) << made.out << made.err;
  }
  for (int i = 1; i <= 6; ++i) {
    const std::string name = "mgr" + std::to_string(i);
    const Reply r = http(listener_port(service.log(), "scim"), "POST", "/scim/v2/Users",
                         std::string("Bearer ") + kOktaToken,
                         std::string(R"({"schemas":[")") + kUserSchema + R"("],"userName":")" + name +
                             R"(@acme.test","title":"Hiring Manager","emails":[{"value":")" + name +
                             R"(@acme.test","primary":true}],"name":{"givenName":"M","familyName":")" + name + R"("}})");
    ASSERT_EQ(r.status, 201) << r.body;
  }
  // The reconciler gives five seats and queues the sixth person.
  RunResult licences;
  ASSERT_TRUE(eventually([&] {
    licences = cli({"licences", "--json"});
    if (licences.exit_code != 0) return false;
    const boost::json::value parsed = boost::json::parse(licences.out);
    for (const auto& e : parsed.as_array())
      if (str(e, "space") == "acme" && str(e, "licence") == "manager") return e.at("used").to_number<long>() == 5;
    return false;
  })) << licences.out << service.log();
  const RunResult made = cli({"accounts", "create", "--space", "globex", "--email", "gus@globex.test", "--given-name",
                              "Gus", "--family-name", "Test", "--role", "recruiter", "--licence", "recruiter"});
  ASSERT_EQ(made.exit_code, 0) << made.out << made.err;

  const RunResult dumped = dump_dom("http://admin:" + std::string(kAdminToken) + "@127.0.0.1:" + std::to_string(port) +
                                    "/status");
  ASSERT_EQ(dumped.exit_code, 0) << dumped.err;
  const std::string& dom = dumped.out;
  ASSERT_NE(dom.find("<title>rosterd status</title>"), std::string::npos) << dom << "\n" << dumped.err;
  EXPECT_NE(dom.find("<tr data-source=\"okta\">"), std::string::npos) << dom;
  EXPECT_NE(dom.find("<tr data-source=\"entra\">"), std::string::npos) << dom;

  licences = cli({"licences", "--json"});
  ASSERT_EQ(licences.exit_code, 0) << licences.err;
  const auto expected = boost::json::parse(licences.out).as_array();
  const auto rows = licence_rows(dom);
  ASSERT_EQ(rows.size(), expected.size()) << dom << "\n" << licences.out;
  long seats = 0;
  for (const auto& entry : expected) {
    const std::string key = str(entry, "space") + "/" + str(entry, "licence");
    ASSERT_TRUE(rows.count(key)) << key << " not on the page:\n" << dom;
    const Row& row = rows.at(key);
    EXPECT_EQ(row.used, entry.at("used").to_number<long>()) << key;
    EXPECT_EQ(row.total, entry.at("total").to_number<long>()) << key;
    EXPECT_EQ(row.pending, entry.at("pending").to_number<long>()) << key;
    seats += row.used;
  }
  EXPECT_EQ(rows.at("acme/recruiter").used, 3);
  EXPECT_EQ(rows.at("globex/recruiter").used, 1);
  EXPECT_EQ(rows.at("acme/manager").used, 5);
  EXPECT_EQ(rows.at("acme/manager").pending, 1);
  EXPECT_EQ(seats, 9);
  // The sixth manager waits for a seat, and the page says so.
  const auto queued = dom.find("<table id=\"pending\">");
  ASSERT_NE(queued, std::string::npos) << dom;
  EXPECT_NE(dom.find("manager", queued), std::string::npos) << dom;
  // The audit section shows the accounts just created, newest first.
  EXPECT_LT(dom.find("gus@globex.test"), dom.find("rita@acme.test")) << dom;

  // Without the token the browser gets no page.
  const RunResult refused = dump_dom("http://127.0.0.1:" + std::to_string(port) + "/status");
  EXPECT_EQ(refused.out.find("data-licence"), std::string::npos) << refused.out;
}

}  // namespace
}  // namespace rosterd::testing
