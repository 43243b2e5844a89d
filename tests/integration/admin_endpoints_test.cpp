// /healthz, /metrics and /status of a real `rosterd serve`: on the SCIM listener when no
// admin listener is configured, on their own listener when one is; the metrics parsed by
// the strict parser, their counters moving with SCIM requests, no personal data in them.
#include <gtest/gtest.h>

#include <fstream>

#include "tests/integration/admin_test_support.h"
#include "tests/support/prometheus_text.h"

namespace rosterd::testing {
namespace {

constexpr const char* kAdminToken = "admin-token-5d1e9c";
constexpr const char* kSecretEmail = "zed.secret@acme.test";
constexpr const char* kSecretGiven = "Zedediah";
constexpr const char* kSecretFamily = "Quillfeather";

// Grants a seat to the user the test creates, so that a plan is made and applied.
constexpr const char* kRules = R"(rules:
  - name: managers
    space: acme
    when: {attribute: {title: {matches: "Manager$"}}}
    grant: {role: hiring_manager, licence: manager}
)";

std::string user_body() {
  return std::string(R"({"schemas":[")") + kUserSchema + R"("],"title":"Talent Manager","userName":")" + kSecretEmail +
         R"(","name":{"givenName":")" + kSecretGiven + R"(","familyName":")" + kSecretFamily +
         R"("},"emails":[{"value":")" + kSecretEmail + R"(","primary":true}],"active":true})";
}

class AdminEndpoints : public ::testing::Test {
 protected:
  void start(bool own_listener) {
    std::ofstream(service_.dir().file("admin.token")) << kAdminToken << "\n";
    service_.write_config({}, "admin_token_file: " + service_.dir().file("admin.token") + "\n" + kRules);
    std::vector<std::string> args;
    if (own_listener) args = {"--admin-listen", "127.0.0.1:0"};
    service_.start({}, args);
    ASSERT_TRUE(service_.wait_ready()) << service_.log();
    scim_port_ = listener_port(service_.log(), "scim");
    ASSERT_NE(scim_port_, 0) << service_.log();
    admin_port_ = own_listener ? listener_port(service_.log(), "admin") : scim_port_;
    ASSERT_NE(admin_port_, 0) << service_.log();
  }

  PromText scrape() {
    const Reply r = http(admin_port_, "GET", "/metrics");
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.header("content-type"), "text/plain; version=0.0.4; charset=utf-8");
    PromText parsed = parse_prometheus_text(r.body);
    EXPECT_EQ(parsed.error, "") << r.body;
    last_scrape_ = r.body;
    return parsed;
  }

  ServiceProcess service_;
  std::uint16_t scim_port_ = 0, admin_port_ = 0;
  std::string last_scrape_;
};

TEST_F(AdminEndpoints, HealthzAndMetricsNeedNoTokenAndStatusNeedsTheAdminToken) {
  start(false);
  EXPECT_EQ(http(admin_port_, "GET", "/healthz").status, 200);
  EXPECT_EQ(http(admin_port_, "GET", "/metrics").status, 200);
  EXPECT_EQ(http(admin_port_, "GET", "/status").status, 401);
  EXPECT_EQ(http(admin_port_, "GET", "/status", "Bearer not-the-token").status, 401);
  EXPECT_EQ(http(admin_port_, "GET", "/status", std::string("Bearer ") + kOktaToken).status, 401);
  const Reply page = http(admin_port_, "GET", "/status", std::string("Bearer ") + kAdminToken);
  EXPECT_EQ(page.status, 200);
  EXPECT_EQ(page.header("content-type"), "text/html; charset=utf-8");
  EXPECT_NE(page.body.find("data-source=\"okta\""), std::string::npos) << page.body;
  // The SCIM routes are still there, still behind their own tokens.
  EXPECT_EQ(http(scim_port_, "GET", "/scim/v2/Users").status, 401);
}

TEST_F(AdminEndpoints, CountersMoveWithScimRequestsAndMetricsCarryNoPersonalData) {
  start(false);
  PromText before = scrape();
  const std::map<std::string, std::string> created{{"route", "/scim/v2/Users"}, {"method", "POST"}, {"status", "201"}};
  EXPECT_FALSE(before.value("rosterd_http_requests_total", created).has_value());
  const Reply made = http(scim_port_, "POST", "/scim/v2/Users", std::string("Bearer ") + kOktaToken, user_body());
  ASSERT_EQ(made.status, 201) << made.body;
  const std::string id = str(json_of(made), "id");
  ASSERT_EQ(http(scim_port_, "GET", "/scim/v2/Users/" + id, std::string("Bearer ") + kOktaToken).status, 200);
  ASSERT_EQ(http(scim_port_, "GET", "/scim/v2/Users?filter=userName%20eq%20%22" + std::string(kSecretEmail) + "%22",
                 std::string("Bearer ") + kOktaToken)
                .status,
            200);

  PromText after = scrape();
  EXPECT_EQ(after.value("rosterd_http_requests_total", created), 1.0);
  EXPECT_EQ(after.value("rosterd_http_requests_total",
                        {{"route", "/scim/v2/Users/{id}"}, {"method", "GET"}, {"status", "200"}}),
            1.0);
  EXPECT_EQ(after.value("rosterd_scim_operations_total", {{"resource", "User"}, {"operation", "create"}, {"status", "201"}}),
            1.0);
  EXPECT_EQ(after.value("rosterd_scim_operations_total", {{"resource", "User"}, {"operation", "list"}, {"status", "200"}}),
            1.0);
  EXPECT_EQ(after.value("rosterd_http_request_duration_seconds_count", {{"route", "/scim/v2/Users"}}), 2.0);
  // The scrape before this one was counted too.
  EXPECT_GE(after.sum("rosterd_http_requests_total", {{"route", "/metrics"}}), 1.0);
  // Stored state, read at the scrape: the configured quotas and the new identity.
  EXPECT_EQ(after.value("rosterd_licences_total", {{"space", "acme"}, {"licence", "recruiter"}}), 5.0);
  EXPECT_EQ(after.value("rosterd_licences_total", {{"space", "globex"}, {"licence", "recruiter"}}), 5.0);
  EXPECT_EQ(after.value("rosterd_identities", {{"source", "okta"}}), 1.0);
  EXPECT_EQ(after.value("rosterd_identities", {{"source", "entra"}}), 0.0);
  EXPECT_TRUE(after.value("rosterd_outbox_depth").has_value());
  EXPECT_EQ(after.value("rosterd_store_up"), 1.0);

  // The reconciler made the person an account with a manager seat: a plan planned and
  // applied, one create operation, one seat in use.
  ASSERT_TRUE(eventually([&] {
    return scrape().value("rosterd_plan_operations_total", {{"operation", "create"}, {"state", "applied"}}) == 1.0;
  })) << last_scrape_ << service_.log();
  after = scrape();
  EXPECT_EQ(after.value("rosterd_plan_operations_total", {{"operation", "create"}, {"state", "planned"}}), 1.0);
  EXPECT_FALSE(after.value("rosterd_plan_operations_total", {{"operation", "create"}, {"state", "blocked"}}).has_value());
  EXPECT_EQ(after.value("rosterd_plans_total", {{"space", "acme"}, {"state", "applied"}}), 1.0);
  EXPECT_EQ(after.value("rosterd_licences_used", {{"space", "acme"}, {"licence", "manager"}}), 1.0);
  EXPECT_EQ(after.value("rosterd_licences_used", {{"space", "acme"}, {"licence", "recruiter"}}), 0.0);

  for (const std::string& personal : {std::string("zed.secret"), std::string(kSecretGiven), std::string(kSecretFamily),
                                      std::string("acme.test"), std::string("Talent"), id})
    EXPECT_EQ(last_scrape_.find(personal), std::string::npos) << personal << " in\n" << last_scrape_;
}

TEST_F(AdminEndpoints, AnAdminListenerServesTheAdminRoutesAndTheScimListenerNoLonger) {
  start(true);
  ASSERT_NE(admin_port_, scim_port_);
  EXPECT_EQ(http(admin_port_, "GET", "/healthz").status, 200);
  scrape();
  EXPECT_EQ(http(admin_port_, "GET", "/status", std::string("Bearer ") + kAdminToken).status, 200);
  EXPECT_EQ(http(admin_port_, "GET", "/scim/v2/Users", std::string("Bearer ") + kOktaToken).status, 404);
  const Reply on_scim = http(scim_port_, "GET", "/metrics");
  EXPECT_NE(on_scim.status, 200);
  EXPECT_EQ(on_scim.body.find("# TYPE"), std::string::npos);
  // Requests on the SCIM listener are still counted, and shown on the admin one.
  ASSERT_EQ(http(scim_port_, "GET", "/scim/v2/Users", std::string("Bearer ") + kOktaToken).status, 200);
  EXPECT_EQ(scrape().value("rosterd_http_requests_total", {{"route", "/scim/v2/Users"}, {"method", "GET"}, {"status", "200"}}),
            1.0);
}

}  // namespace
}  // namespace rosterd::testing
