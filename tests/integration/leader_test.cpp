// Two `rosterd serve` on one database (issue 7, item 3): both serve SCIM, exactly one
// leads (/readyz "leader") and runs the reconciler and the webhook sender; a SCIM write
// through the standby is reconciled by the leader and its event delivered once; SIGKILL
// of the leader -> the other leads within 15 s (the requirement) and carries on; SIGTERM of
// the leader hands over at once (the lease is released, not left to run out).
//
// The store is the test's parameter: SQLite (two processes on one file) and PostgreSQL
// (a fresh database on the test server, tests/support/postgres_fixture.h; skipped, saying
// why, where it cannot run).
#include <gtest/gtest.h>
#include <signal.h>

#include <boost/json/parse.hpp>
#include <chrono>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "tests/integration/admin_test_support.h"
#include "tests/integration/webhook_receiver.h"
#include "tests/support/postgres_fixture.h"
#include "tests/support/subprocess.h"
#include "tests/support/tcp_proxy.h"
#include "tests/support/temp_dir.h"

namespace rosterd::testing {
namespace {

using namespace std::chrono_literals;

// The issue's bound: a dead leader is replaced within 15 s.
constexpr auto kFailoverBound = 15s;
// A clean stop releases the lease, so the standby takes it at its next attempt (every 2 s);
// a lease left to run out would take at least ttl − renew period = 8 s after the stop.
constexpr auto kHandoverBound = 5s;

struct StoreKind {
  std::string name;
  // The configuration's `store:` lines for a database of the test's own (files in `dir`);
  // "" when this machine cannot run it, with the reason in `why`.
  std::function<std::string(const TempDir& dir, std::string& why)> store;
};
// Names the parameter in test output (instead of its bytes).
void PrintTo(const StoreKind& kind, std::ostream* os) { *os << kind.name; }

std::string sqlite_store(const TempDir& dir, std::string&) { return "store: sqlite:" + dir.file("store.db") + "\n"; }

std::string postgres_store(const TempDir& dir, std::string& why) {
  why = postgres_unavailable();
  if (!why.empty()) return "";
  PostgresServer& server = PostgresServer::shared();
  const PostgresTarget target = server.target(fresh_postgres_database());
  std::ofstream(dir.file("pg.password")) << *target.password << "\n";
  return "store:\n  url: '" + target.url + "'\n  password_file: " + dir.file("pg.password") + "\n";
}

std::string email_of(const std::string& body) {
  boost::system::error_code ec;
  const auto v = boost::json::parse(body, ec);
  if (ec || !v.is_object() || !v.as_object().contains("account")) return "";
  const auto* email = v.at("account").as_object().if_contains("email");
  return email && email->is_string() ? std::string(email->as_string()) : "";
}

// One `rosterd serve` of the test, its log in a file of its own.
class Instance {
 public:
  Instance(const TempDir& dir, std::string name, std::string config = "rosterd.yaml")
      : dir_(dir), name_(std::move(name)), config_(std::move(config)) {}
  ~Instance() { stop(); }

  void start() {
    const std::size_t from = log().size();
    child_.emplace(std::vector<std::string>{ROSTERD_BINARY, "serve", "--config", dir_.file(config_),
                                            "--listen", "127.0.0.1:0"},
                   std::vector<std::pair<std::string, std::string>>{}, log_path());
    ASSERT_TRUE(wait_for_log("\"event\":\"listening\"", from)) << log();
    port_ = listener_port(log().substr(from), "scim");
    ASSERT_NE(port_, 0) << log();
  }
  void stop() {
    if (child_ && child_->running()) {
      child_->signal(SIGTERM);
      EXPECT_EQ(child_->wait(), 0) << name_ << ":\n" << log();
    }
  }
  void kill() { child_->kill_now(); }

  // /readyz's "leader"; nullopt when the instance does not answer.
  std::optional<bool> leader() const {
    const Reply r = http(port_, "GET", "/readyz");
    if (r.status != 200 && r.status != 503) return std::nullopt;
    boost::system::error_code ec;
    const auto body = boost::json::parse(r.body, ec);
    if (ec || !body.is_object() || !body.as_object().contains("leader")) return std::nullopt;
    return body.at("leader").as_bool();
  }
  bool leads() const { return leader().value_or(false); }

  Reply create_user(const std::string& name) const {
    const std::string body =
        std::string(R"({"schemas":[")") + kUserSchema + R"("],"userName":")" + name + R"(@acme.example",)" +
        R"("name":{"givenName":")" + name + R"(","familyName":"Test"},)" + R"("emails":[{"value":")" + name +
        R"(@acme.example","type":"work","primary":true}],"title":"Sales Manager","active":true})";
    return http(port_, "POST", "/scim/v2/Users", std::string("Bearer ") + kOktaToken, body);
  }

  std::string log_path() const { return dir_.file(name_ + ".log"); }
  std::string log() const {
    std::ifstream in(log_path());
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
  }
  bool wait_for_log(const std::string& needle, std::size_t from = 0, std::chrono::seconds limit = 30s) {
    return eventually([&] { return log().find(needle, from) != std::string::npos || child_->try_wait(); }, limit) &&
           log().find(needle, from) != std::string::npos;
  }
  Child& child() { return *child_; }

 private:
  const TempDir& dir_;
  std::string name_;
  std::string config_;
  std::optional<Child> child_;
  std::uint16_t port_ = 0;
};

class TwoInstances : public ::testing::TestWithParam<StoreKind> {
 protected:
  void SetUp() override {
    std::ofstream(dir_.file("secret")) << "whsec_leader\n";
    std::string why;
    const std::string store = GetParam().store(dir_, why);
    if (store.empty()) GTEST_SKIP() << why;
    std::ofstream(dir_.file("rosterd.yaml"))
        << store << R"(spaces:
  acme:
    licences: {manager: 20}
    webhook: {url: )" << receiver_.url()
        << ", secret_file: " << dir_.file("secret")
        << R"(, allow_http_loopback: true, timeout: 1s, connect_timeout: 1s, retry: {initial: 100ms, max: 400ms, attempts: 8}}
sources:
  - id: okta
    kind: scim
    space: acme
    tokens: [")" << kOktaDigest << R"("]
rules:
  - name: managers
    space: acme
    when: {attribute: {title: {matches: "Manager$"}}}
    grant: {role: hiring_manager, licence: manager}
)";
  }

  // Starts `instance` as the standby of a running leader: it has seen the lease held.
  void start_standby(Instance& instance) {
    instance.start();
    ASSERT_TRUE(instance.wait_for_log("\"event\":\"leadership_standby\"")) << instance.log();
  }

  // A user created through `through` (201), then its account.created event acknowledged
  // by the receiver.
  void create_and_deliver(const Instance& through, const std::string& name) {
    const Reply created = through.create_user(name);
    ASSERT_EQ(created.status, 201) << created.body;
    ASSERT_TRUE(eventually([&] { return created_events(name + "@acme.example") > 0; }, 60s))
        << name << " never delivered";
  }

  // Every outbox event delivered and recorded so (`rosterd outbox list`): a leader killed
  // between the receiver's answer and that record sends the event again after a takeover,
  // with the same id (webhook_test covers it); this test's kill is not meant to hit it.
  bool nothing_pending() {
    const auto r = run({ROSTERD_BINARY, "--config", dir_.file("rosterd.yaml"), "outbox", "list", "--state", "pending",
                        "--json"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    boost::system::error_code ec;
    const auto list = boost::json::parse(r.out, ec);
    return !ec && list.is_array() && list.as_array().empty();
  }

  // account.created events acknowledged for `email` (distinct event ids).
  std::size_t created_events(const std::string& email) {
    std::set<std::string> ids;
    for (const auto& r : receiver_.requests())
      if (r.answered == 200 && r.headers.at("x-rosterd-event-type") == "account.created" && email_of(r.body) == email)
        ids.insert(r.headers.at("x-rosterd-event-id"));
    return ids.size();
  }

  // Every event id acknowledged once, and one account.created per person.
  void expect_each_event_once(const std::vector<std::string>& people) {
    std::map<std::string, int> acknowledged;
    for (const auto& r : receiver_.requests()) {
      EXPECT_TRUE(r.signature_ok);
      if (r.answered == 200) ++acknowledged[r.headers.at("x-rosterd-event-id")];
    }
    for (const auto& [id, n] : acknowledged) EXPECT_EQ(n, 1) << "event " << id << " delivered " << n << " times";
    for (const std::string& name : people)
      EXPECT_EQ(created_events(name + "@acme.example"), 1u) << name << ": one account, one account.created event";
  }

  TempDir dir_;
  WebhookReceiver receiver_{"whsec_leader"};
};

TEST_P(TwoInstances, ExactlyOneLeadsTheStandbysWritesAreReconciledAndAKilledLeaderIsReplacedWithin15s) {
  Instance first(dir_, "first"), second(dir_, "second");
  first.start();
  ASSERT_TRUE(eventually([&] { return first.leads(); }, kFailoverBound)) << first.log();
  start_standby(second);
  // Exactly one: looked at a few times, never both and never neither.
  for (int i = 0; i < 10; ++i) {
    EXPECT_EQ(first.leader(), std::optional<bool>(true));
    EXPECT_EQ(second.leader(), std::optional<bool>(false));
    std::this_thread::sleep_for(100ms);  // paces the samples
  }

  // Written through the standby, reconciled and delivered by the leader alone.
  create_and_deliver(second, "ann");
  EXPECT_NE(first.log().find("\"event\":\"plan_applied\""), std::string::npos) << first.log();
  EXPECT_EQ(second.log().find("\"event\":\"plan_applied\""), std::string::npos) << second.log();

  ASSERT_TRUE(eventually([&] { return nothing_pending(); }, 60s));
  first.kill();
  const auto killed = std::chrono::steady_clock::now();
  ASSERT_TRUE(eventually([&] { return second.leads(); }, kFailoverBound))
      << "no leader " << std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - killed).count()
      << " s after the leader was killed\n" << second.log();
  EXPECT_NE(second.log().find("\"event\":\"leadership_gained\""), std::string::npos);

  // The new leader reconciles and delivers; the old one, back, is a standby whose writes
  // it reconciles too.
  create_and_deliver(second, "ben");
  Instance again(dir_, "again");
  start_standby(again);
  EXPECT_EQ(again.leader(), std::optional<bool>(false));
  create_and_deliver(again, "cat");
  EXPECT_EQ(again.log().find("\"event\":\"plan_applied\""), std::string::npos) << again.log();
  expect_each_event_once({"ann", "ben", "cat"});
}

TEST_P(TwoInstances, ACleanStopOfTheLeaderHandsTheLeadershipOverAtOnce) {
  Instance first(dir_, "first"), second(dir_, "second");
  first.start();
  ASSERT_TRUE(eventually([&] { return first.leads(); }, kFailoverBound)) << first.log();
  start_standby(second);
  first.child().signal(SIGTERM);
  ASSERT_EQ(first.child().wait(), 0) << first.log();
  EXPECT_NE(first.log().find("\"event\":\"leadership_released\""), std::string::npos) << first.log();
  ASSERT_TRUE(eventually([&] { return second.leads(); }, kHandoverBound)) << second.log();
  create_and_deliver(second, "dan");
  expect_each_event_once({"dan"});
}

// The time of the first log line holding `needle` ("" if none): log times are ISO 8601 UTC
// with milliseconds, so they compare as text.
std::string logged_at(const std::string& log, const std::string& needle) {
  const auto at = log.find(needle);
  if (at == std::string::npos) return "";
  const auto line = log.rfind('\n', at);
  const auto ts = log.find("\"ts\":\"", line == std::string::npos ? 0 : line);
  return ts == std::string::npos ? "" : log.substr(ts + 6, 24);
}

// The network between the leader and the database fails (its connections cut, new ones
// refused) while the leader itself runs on: it must stop leading before the standby can
// take the lease, the standby takes over within the bound, and once the network is back
// the old leader serves as a standby. PostgreSQL only: there is no network to a SQLite file.
TEST_P(TwoInstances, ALeaderCutOffFromTheDatabaseStopsLeadingBeforeAnotherStarts) {
  if (GetParam().name != "postgres") GTEST_SKIP() << "no network between an instance and a SQLite file";
  std::string yaml;
  {
    std::ifstream in(dir_.file("rosterd.yaml"));
    std::ostringstream text;
    text << in.rdbuf();
    yaml = text.str();
  }
  const std::string direct = "127.0.0.1:" + PostgresServer::shared().port() + "/";
  TcpProxy network(static_cast<std::uint16_t>(std::stoi(PostgresServer::shared().port())));
  ASSERT_NE(yaml.find(direct), std::string::npos) << yaml;
  yaml.replace(yaml.find(direct), direct.size(), "127.0.0.1:" + std::to_string(network.port()) + "/");
  std::ofstream(dir_.file("through-proxy.yaml")) << yaml;

  Instance first(dir_, "first", "through-proxy.yaml"), second(dir_, "second");
  first.start();
  ASSERT_TRUE(eventually([&] { return first.leads(); }, kFailoverBound)) << first.log();
  start_standby(second);
  create_and_deliver(second, "eve");
  ASSERT_TRUE(eventually([&] { return nothing_pending(); }, 60s));

  network.block();
  const auto cut = std::chrono::steady_clock::now();
  bool both = false;
  ASSERT_TRUE(eventually([&] {
    const bool second_leads = second.leads();
    both = both || (second_leads && first.leads());
    return second_leads;
  }, kFailoverBound))
      << "no new leader " << std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - cut).count()
      << " s after the network failed\n" << second.log();
  EXPECT_FALSE(both) << "both instances reported leading at once";
  EXPECT_EQ(first.leader(), std::optional<bool>(false)) << first.log();
  const std::string lost = logged_at(first.log(), "\"event\":\"leadership_lost\"");
  const std::string gained = logged_at(second.log(), "\"event\":\"leadership_gained\"");
  ASSERT_FALSE(lost.empty()) << first.log();
  ASSERT_FALSE(gained.empty()) << second.log();
  EXPECT_LT(lost, gained) << "the cut-off leader stopped after the other had started";

  // The network is back: the old leader is a standby, and its writes are the new leader's work.
  const std::size_t from = first.log().size();
  network.unblock();
  ASSERT_TRUE(first.wait_for_log("\"event\":\"leadership_standby\"", from)) << first.log();
  create_and_deliver(first, "fay");
  expect_each_event_once({"eve", "fay"});
}

std::string store_kind_name(const ::testing::TestParamInfo<StoreKind>& kind) { return kind.param.name; }

INSTANTIATE_TEST_SUITE_P(Stores, TwoInstances,
                         ::testing::Values(StoreKind{"sqlite", sqlite_store}, StoreKind{"postgres", postgres_store}),
                         store_kind_name);

}  // namespace
}  // namespace rosterd::testing
