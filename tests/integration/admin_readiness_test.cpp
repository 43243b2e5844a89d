// /readyz of a real `rosterd serve` reading a real directory (slapd started by the test):
// 200 once the directory has been read, 503 naming the source and since when after the
// directory went away, 200 again once it is back; /metrics shows the failed reads.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <fstream>

#include "core/timestamp.h"
#include "tests/integration/admin_test_support.h"
#include "tests/support/prometheus_text.h"
#include "tests/support/slapd_fixture.h"

namespace rosterd::testing {
namespace {

std::string directory(const std::string& suffix) {
  return "dn: ou=people," + suffix + "\nobjectClass: organizationalUnit\nou: people\n\n" +
         "dn: ou=groups," + suffix + "\nobjectClass: organizationalUnit\nou: groups\n\n" +
         "dn: uid=annika7,ou=people," + suffix +
         "\nobjectClass: inetOrgPerson\nuid: annika7\ncn: Annika Sevenfold\nsn: Sevenfold\ngivenName: Annika\n"
         "mail: annika7@acme.test\n\n";
}

std::string ldap_source(const Slapd& slapd, const std::string& password_file) {
  return "  - id: corp\n    kind: ldap\n    space: acme\n    dialect: openldap\n    urls: [\"" + slapd.url() +
         "\"]\n    bind_dn: \"" + slapd.reader_dn() + "\"\n    bind_password_file: " + password_file +
         "\n    users: {base: \"ou=people," + slapd.suffix() + "\", filter: \"(objectClass=inetOrgPerson)\"}\n" +
         "    groups: {base: \"ou=groups," + slapd.suffix() + "\"}\n" +
         "    attributes: {userName: uid, email: mail, givenName: givenName, familyName: sn}\n" +
         "    interval: 1s\n";
}

TEST(AdminReadiness, ReadyzTurns503WhenTheDirectoryFailsAndBack200WhenItRecovers) {
  if (!Slapd::available()) GTEST_SKIP() << "slapd or ldap-utils is not installed (scripts/deps.sh installs them)";
  Slapd slapd;
  ASSERT_EQ(slapd.error(), "");
  const RunResult added = slapd.add(directory(slapd.suffix()));
  ASSERT_EQ(added.exit_code, 0) << added.err;

  ServiceProcess service;
  std::ofstream(service.dir().file("password")) << kReaderPassword << "\n";
  service.write_config({}, ldap_source(slapd, service.dir().file("password")));
  service.start({}, {"--admin-listen", "127.0.0.1:0"});
  ASSERT_TRUE(service.wait_ready()) << service.log();
  const std::uint16_t port = listener_port(service.log(), "admin");
  ASSERT_NE(port, 0) << service.log();

  Reply last;
  ASSERT_TRUE(eventually([&] { return (last = http(port, "GET", "/readyz")).status == 200; }))
      << last.status << " " << last.body << "\n" << service.log();
  EXPECT_EQ(boost::json::parse(last.body).at("unhealthy").as_array().size(), 0U);

  slapd.stop();
  ASSERT_TRUE(eventually([&] { return (last = http(port, "GET", "/readyz")).status == 503; }))
      << last.status << " " << last.body;
  const auto body = boost::json::parse(last.body).as_object();
  ASSERT_EQ(body.at("unhealthy").as_array().size(), 1U) << last.body;
  const auto& bad = body.at("unhealthy").as_array()[0].as_object();
  EXPECT_EQ(bad.at("source").as_string(), "corp");
  EXPECT_TRUE(bad.contains("since")) << last.body;
  EXPECT_TRUE(parse_timestamp(std::string(bad.at("since").as_string())).has_value()) << last.body;
  EXPECT_EQ(body.at("store").at("ok").as_bool(), true);
  // The SCIM sources are not blamed.
  for (const auto& s : body.at("sources").as_array())
    if (s.at("source").as_string() != "corp") {
      EXPECT_TRUE(s.at("healthy").as_bool()) << last.body;
    }

  const Reply scraped = http(port, "GET", "/metrics");
  const PromText metrics = parse_prometheus_text(scraped.body);
  ASSERT_EQ(metrics.error, "") << scraped.body;
  EXPECT_EQ(metrics.value("rosterd_source_up", {{"source", "corp"}}), 0.0);
  EXPECT_GE(metrics.value("rosterd_sync_failures_total", {{"source", "corp"}}).value_or(0), 1.0);
  EXPECT_GE(metrics.value("rosterd_sync_runs_total", {{"source", "corp"}}).value_or(0), 2.0);
  EXPECT_GT(metrics.value("rosterd_sync_last_success_timestamp_seconds", {{"source", "corp"}}).value_or(0), 1.6e9);
  EXPECT_EQ(metrics.value("rosterd_identities", {{"source", "corp"}}), 1.0);
  for (const char* personal : {"annika7", "Annika", "Sevenfold"})
    EXPECT_EQ(scraped.body.find(personal), std::string::npos) << scraped.body;

  ASSERT_TRUE(slapd.start()) << slapd.error();
  ASSERT_TRUE(eventually([&] { return (last = http(port, "GET", "/readyz")).status == 200; }))
      << last.status << " " << last.body << "\n" << service.log();
  EXPECT_EQ(parse_prometheus_text(http(port, "GET", "/metrics").body).value("rosterd_source_up", {{"source", "corp"}}),
            1.0);
}

}  // namespace
}  // namespace rosterd::testing
