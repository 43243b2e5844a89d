// The admin endpoints as values (no socket): readiness from the stored source states,
// the status page's token check and escaping, metrics from the store.
#include "daemon/admin/admin_routes.h"

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <fstream>

#include "daemon/admin/admin_token.h"
#include "daemon/admin/status_page.h"
#include "store/sqlite/open_sqlite_identity_store.h"
#include "store/sqlite/open_sqlite_store.h"
#include "tests/support/prometheus_text.h"
#include "tests/support/temp_dir.h"

namespace rosterd::admin {
namespace {

using rosterd::testing::TempDir;

scim::HttpRequest get(std::string target, std::string authorization = "") {
  scim::HttpRequest r;
  r.method = "GET";
  r.target = std::move(target);
  if (!authorization.empty()) r.headers.emplace_back("Authorization", std::move(authorization));
  return r;
}

std::string basic(const std::string& in) {
  static const char* kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  for (std::size_t i = 0; i < in.size(); i += 3) {
    const std::size_t n = std::min<std::size_t>(3, in.size() - i);
    std::uint32_t v = 0;
    for (std::size_t k = 0; k < 3; ++k) v = (v << 8) | (k < n ? static_cast<unsigned char>(in[i + k]) : 0U);
    for (std::size_t k = 0; k < 4; ++k) out += k <= n ? kAlphabet[(v >> (18 - 6 * k)) & 63] : '=';
  }
  return "Basic " + out;
}

class AdminRoutesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string file = dir_.file("store.db");
    auto accounts = open_sqlite_store(file, {});
    ASSERT_TRUE(accounts) << accounts.error().message;
    const std::vector<Space> spaces{Space{"acme", {{"recruiter", 5}, {"manager", 2}}, ""}};
    ASSERT_TRUE((*accounts)->configure_spaces(spaces));
    accounts_ = accounts->get();
    auto identities = open_sqlite_identity_store(file, {});
    ASSERT_TRUE(identities) << identities.error().message;
    identities_ = std::move(*identities);
    routes_ = std::make_unique<AdminRoutes>(
        AdminParts{registry_, metrics_, *identities_, std::move(*accounts), nullptr, {}},
        AdminSettings{{{"okta", "scim", "acme"}, {"corp", "ldap", "acme"}}, "s3cret-token"});
    routes_->set_listener_up(true);
  }

  void set_state(const std::string& status, const std::string& error) {
    SourceState state;
    state.source = "corp";
    state.status = status;
    state.error = error;
    state.last_attempt_at = Timestamp(std::chrono::milliseconds(1700000000000));
    if (status == "ok") state.last_success_at = state.last_attempt_at;
    ASSERT_TRUE(accounts_->reconcile().set_source_state(state));
  }

  TempDir dir_;
  metrics::Registry registry_;
  metrics::DaemonMetrics metrics_{registry_};
  AccountStore* accounts_ = nullptr;
  std::unique_ptr<IdentityStore> identities_;
  std::unique_ptr<AdminRoutes> routes_;
};

TEST_F(AdminRoutesTest, HealthzAnswersWithoutAnyToken) {
  EXPECT_EQ(routes_->handle(get("/healthz")).status, 200);
  EXPECT_EQ(routes_->handle(get("/nowhere")).status, 404);
  auto post = get("/healthz");
  post.method = "POST";
  EXPECT_EQ(routes_->handle(post).status, 405);
}

TEST_F(AdminRoutesTest, ReadyzIs503UntilTheDirectoryWasReadThen200ThenNamesTheFailingSourceAndSince) {
  auto r = routes_->handle(get("/readyz"));
  EXPECT_EQ(r.status, 503) << r.body;  // never read yet
  set_state("ok", "");
  r = routes_->handle(get("/readyz"));
  EXPECT_EQ(r.status, 200) << r.body;
  const Timestamp failed_at(std::chrono::milliseconds(1700000123000));
  routes_->source_read("corp", false, failed_at);
  set_state("failed", "cannot connect to ldap://127.0.0.1:1/");
  r = routes_->handle(get("/readyz"));
  ASSERT_EQ(r.status, 503) << r.body;
  const auto body = boost::json::parse(r.body).as_object();
  ASSERT_EQ(body.at("unhealthy").as_array().size(), 1U) << r.body;
  const auto& bad = body.at("unhealthy").as_array()[0].as_object();
  EXPECT_EQ(bad.at("source").as_string(), "corp");
  EXPECT_EQ(bad.at("since").as_string(), format_timestamp(failed_at));
  EXPECT_EQ(bad.at("error").as_string(), "cannot connect to ldap://127.0.0.1:1/");
  routes_->source_read("corp", true, failed_at);
  set_state("ok", "");
  EXPECT_EQ(routes_->handle(get("/readyz")).status, 200);
  routes_->set_listener_up(false);
  EXPECT_EQ(routes_->handle(get("/readyz")).status, 503);
}

TEST_F(AdminRoutesTest, StatusNeedsTheAdminTokenAsBearerOrBasicPassword) {
  EXPECT_EQ(routes_->handle(get("/status")).status, 401);
  EXPECT_EQ(routes_->handle(get("/status", "Bearer wrong")).status, 401);
  EXPECT_EQ(routes_->handle(get("/status", "Bearer s3cret-token-and-more")).status, 401);
  EXPECT_EQ(routes_->handle(get("/status", "Bearer s3cret-toke")).status, 401);
  EXPECT_EQ(routes_->handle(get("/status", basic("admin:wrong"))).status, 401);
  const auto unauthorised = routes_->handle(get("/status"));
  bool challenges = false;
  for (const auto& [k, v] : unauthorised.headers) challenges = challenges || (k == "WWW-Authenticate" && v.rfind("Basic ", 0) == 0);
  EXPECT_TRUE(challenges);
  const auto page = routes_->handle(get("/status", "Bearer s3cret-token"));
  EXPECT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("<table id=\"licences\">"), std::string::npos);
  EXPECT_EQ(routes_->handle(get("/status", basic("admin:s3cret-token"))).status, 200);
}

TEST_F(AdminRoutesTest, StatusIsClosedToEveryoneWithoutAConfiguredToken) {
  routes_->configure(AdminSettings{{}, ""});
  EXPECT_EQ(routes_->handle(get("/status", "Bearer ")).status, 401);
  EXPECT_EQ(routes_->handle(get("/status", basic("admin:"))).status, 401);
}

TEST_F(AdminRoutesTest, MetricsShowLicencesFromTheStoreAndSourceHealth) {
  set_state("failed", "down");
  const auto r = routes_->handle(get("/metrics"));
  ASSERT_EQ(r.status, 200);
  const auto parsed = rosterd::testing::parse_prometheus_text(r.body);
  ASSERT_EQ(parsed.error, "") << r.body;
  EXPECT_EQ(parsed.value("rosterd_licences_total", {{"space", "acme"}, {"licence", "recruiter"}}), 5.0);
  EXPECT_EQ(parsed.value("rosterd_licences_total", {{"space", "acme"}, {"licence", "manager"}}), 2.0);
  EXPECT_EQ(parsed.value("rosterd_licences_used", {{"space", "acme"}, {"licence", "recruiter"}}), 0.0);
  EXPECT_EQ(parsed.value("rosterd_source_up", {{"source", "corp"}}), 0.0);
  EXPECT_EQ(parsed.value("rosterd_source_up", {{"source", "okta"}}), 1.0);
  EXPECT_EQ(parsed.value("rosterd_store_up"), 1.0);
}

TEST_F(AdminRoutesTest, ReadyzAndMetricsSayWhetherThisInstanceLeadsAndAStandbyIsStillReady) {
  set_state("ok", "");
  auto leader_of = [](const scim::HttpResponse& r) { return boost::json::parse(r.body).at("leader").as_bool(); };
  auto gauge = [this] {
    const auto r = routes_->handle(get("/metrics"));
    const auto parsed = rosterd::testing::parse_prometheus_text(r.body);
    EXPECT_EQ(parsed.error, "") << r.body;
    return parsed.value("rosterd_leader");
  };
  // No leadership given: a lone instance, which leads.
  auto r = routes_->handle(get("/readyz"));
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(leader_of(r)) << r.body;
  EXPECT_EQ(gauge(), 1.0);

  bool leading = false;
  routes_->set_leader_check([&leading] { return leading; });
  r = routes_->handle(get("/readyz"));
  EXPECT_EQ(r.status, 200) << "a standby serves SCIM: ready all the same; " << r.body;
  EXPECT_FALSE(leader_of(r)) << r.body;
  EXPECT_EQ(gauge(), 0.0);
  const auto standby_page = routes_->handle(get("/status", "Bearer s3cret-token"));
  EXPECT_NE(standby_page.body.find("id=\"role\" data-leader=\"false\""), std::string::npos) << standby_page.body;
  leading = true;
  EXPECT_TRUE(leader_of(routes_->handle(get("/readyz"))));
  EXPECT_EQ(gauge(), 1.0);
  const auto leader_page = routes_->handle(get("/status", "Bearer s3cret-token"));
  EXPECT_NE(leader_page.body.find("id=\"role\" data-leader=\"true\""), std::string::npos) << leader_page.body;
}

TEST(StatusPage, EscapesEveryValueItShows) {
  SourceView source;
  source.source = {"<script>alert(1)</script>", "ldap", "a&b"};
  source.status = "failed";
  source.error = "bad \"quote\" 'single'";
  AccountsView accounts;
  accounts.licences.push_back(LicenceUsage{"acme", "<b>", 1, 2, 0});
  AuditEntry e;
  e.email = "<img src=x onerror=alert(1)>@acme.test";
  e.event = "account.created";
  accounts.audit.push_back(e);
  StoredPlan plan;
  plan.blocked_reason = "would delete </pre><script>x</script>";
  accounts.last_blocked = plan;
  const std::string html = render_status_page({source}, accounts, Timestamp{});
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("<img"), std::string::npos);
  EXPECT_EQ(html.find("<b>"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(html.find("bad &quot;quote&quot; &#39;single&#39;"), std::string::npos);
  EXPECT_NE(html.find("a&amp;b"), std::string::npos);
  EXPECT_EQ(html.find("http"), std::string::npos);  // no external asset
  EXPECT_EQ(html_escape("&<>\"'"), "&amp;&lt;&gt;&quot;&#39;");
}

TEST(AdminToken, IsTheFilesFirstLineTrimmedAndAnEmptyFileIsAnError) {
  TempDir dir;
  std::ofstream(dir.file("token")) << "  abc123 \n";
  EXPECT_EQ(read_admin_token(dir.file("token")).value_or(""), "abc123");
  std::ofstream(dir.file("empty")) << "\n";
  EXPECT_FALSE(read_admin_token(dir.file("empty")));
  EXPECT_FALSE(read_admin_token(dir.file("missing")));
}

}  // namespace
}  // namespace rosterd::admin
