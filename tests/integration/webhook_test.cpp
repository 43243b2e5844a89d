// Webhooks end to end: `rosterd serve` delivering the outbox to a receiver in the test
// (webhook_receiver.h, plain HTTP on 127.0.0.1 with allow_http_loopback) that drops
// connections, hangs, answers 500, 429 with Retry-After, 400 and a huge body; a SIGKILL in
// the middle of a delivery; a reload that removes the webhook and one that rotates the
// secret; `rosterd outbox`; the configuration errors. The sender's backoff is shortened
// by the configuration (retry: {initial: 100ms, max: 400ms}) so that the suite stays fast;
// no assertion is about time. The suite Webhooks runs on SQLite and on PostgreSQL (its
// parameter: tests/integration/test_store.h), WebhooksTest on SQLite.
#include <gtest/gtest.h>
#include <signal.h>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <fstream>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "tests/integration/test_store.h"
#include "tests/integration/webhook_receiver.h"
#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"

namespace rosterd::testing {
namespace {

using Kind = ReceiverAnswer::Kind;

std::string email_of(const std::string& body) {
  boost::system::error_code ec;
  const auto v = boost::json::parse(body, ec);
  if (ec || !v.is_object() || !v.as_object().contains("account")) return "";
  const auto* email = v.at("account").as_object().if_contains("email");
  return email && email->is_string() ? std::string(email->as_string()) : "";
}

std::string text(const boost::json::value& v, const char* key) {
  const auto* found = v.as_object().if_contains(key);
  return found && found->is_string() ? std::string(found->as_string()) : "";
}

class WebhooksTest : public ::testing::Test {
 protected:
  explicit WebhooksTest(StoreKind store = StoreKind::Sqlite) : store_(store, dir_) {}

  void SetUp() override {
    if (!store_.available()) GTEST_SKIP() << store_.why_unavailable();
    std::ofstream(dir_.file("secret")) << "whsec_first\n";
    write_config();
  }
  void TearDown() override {
    if (serve_ && serve_->running()) {
      serve_->signal(SIGTERM);
      EXPECT_EQ(serve_->wait(), 0) << log();
    }
  }

  void write_config(bool webhook = true, const std::string& secret = "secret",
                    const std::string& url = "", const std::string& extra = "",
                    const std::string& sources = "") {
    std::ofstream out(dir_.file("rosterd.yaml"));
    out << store_.yaml() << "spaces:\n  acme:\n    licences: {recruiter: 50}\n";
    if (webhook)
      out << "    webhook: {url: " << (url.empty() ? receiver_.url() : url) << ", secret_file: "
          << dir_.file(secret) << ", allow_http_loopback: true, timeout: 1s, connect_timeout: 1s,"
          << " retry: {initial: 100ms, max: 400ms, attempts: 8}" << extra << "}\n";
    out << sources;
  }

  RunResult cli(std::vector<std::string> args) {
    args.insert(args.begin(), {ROSTERD_BINARY, "--config", dir_.file("rosterd.yaml")});
    return run(args);
  }
  void create(const std::string& name) {
    const auto r = cli({"accounts", "create", "--space", "acme", "--email", name + "@acme.example",
                        "--given-name", name, "--family-name", "Test", "--role", "recruiter",
                        "--licence", "recruiter"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  std::string log() const {
    std::ifstream in(dir_.file("rosterd.log"));
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
  }
  // Waits for a log line with `event` written after byte `from`.
  void wait_for_log(const std::string& event, std::size_t from = 0) {
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (std::chrono::steady_clock::now() < give_up) {
      if (log().find("\"event\":\"" + event + "\"", from) != std::string::npos) return;
      if (serve_ && serve_->try_wait()) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    FAIL() << "no '" << event << "' in the log:\n" << log();
  }
  void start() {
    const auto from = log().size();
    serve_.emplace(std::vector<std::string>{ROSTERD_BINARY, "serve", "--config", dir_.file("rosterd.yaml"),
                                            "--listen", "127.0.0.1:0"},
                   std::vector<std::pair<std::string, std::string>>{}, dir_.file("rosterd.log"));
    wait_for_log("listening", from);
  }
  boost::json::array outbox(const std::string& state = "") {
    std::vector<std::string> args{"outbox", "list", "--json"};
    if (!state.empty()) args.insert(args.end(), {"--state", state});
    const auto r = cli(args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    boost::system::error_code ec;
    auto v = boost::json::parse(r.out, ec);
    if (ec || !v.is_array()) {
      ADD_FAILURE() << "not a JSON array: " << r.out;
      return {};
    }
    return v.as_array();
  }
  // Polls `done` (generous deadline; the sender's own pace decides how soon).
  bool eventually(const std::function<bool()>& done, int seconds = 60) {
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
    while (std::chrono::steady_clock::now() < give_up) {
      if (done()) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
  }
  bool nothing_pending() { return outbox("pending").empty(); }
  // event id -> number of 2xx answers the receiver gave for it.
  std::map<std::string, int> acknowledged() {
    std::map<std::string, int> out;
    for (const auto& r : receiver_.requests())
      if (r.answered >= 200 && r.answered < 300) ++out[r.headers.at("x-rosterd-event-id")];
    return out;
  }

  TempDir dir_;
  TestStore store_;
  WebhookReceiver receiver_{"whsec_first"};
  std::optional<Child> serve_;
};

// The tests where the store matters (the outbox: order through failures, the
// administrator's view), on SQLite and on PostgreSQL; the configuration's and transport's
// on SQLite, and the SIGKILL one too: after a kill the new process waits some 10 s for the
// dead one's leader lease to run out, and a killed leader on PostgreSQL is leader_test's.
class Webhooks : public WebhooksTest, public ::testing::WithParamInterface<StoreKind> {
 protected:
  Webhooks() : WebhooksTest(GetParam()) {}
};
INSTANTIATE_TEST_SUITE_P(Stores, Webhooks, kBothStores, store_test_name);

TEST_P(Webhooks, EveryEventIsDeliveredOnceInOrderPerAccountThroughFailuresAndBadOnesAreDead) {
  receiver_.set_script([](const ReceivedRequest& r, int nth) {
    const std::string who = email_of(r.body);
    ReceiverAnswer a;
    if (who.starts_with("flaky@") && nth <= 2) a.kind = Kind::Drop;
    else if (who.starts_with("slow@") && nth == 1) a.kind = Kind::Hang;
    else if (who.starts_with("busy@") && nth == 1) a.status = 500;
    else if (who.starts_with("limited@") && nth == 1) a = {Kind::Respond, 429, "Retry-After: 1\r\n", "slow down"};
    else if (who.starts_with("bad@")) a = {Kind::Respond, 400, "", "{\"error\":\"unknown space\"}"};
    else if (who.starts_with("huge@")) a.kind = Kind::Huge;
    return a;
  });
  for (const char* name : {"flaky", "slow", "busy", "limited", "bad", "huge", "plain"}) create(name);
  // Later events of the same accounts: they must arrive after the earlier ones.
  ASSERT_EQ(cli({"accounts", "update", "flaky@acme.example", "--team", "Ops"}).exit_code, 0);
  ASSERT_EQ(cli({"accounts", "suspend", "slow@acme.example"}).exit_code, 0);
  ASSERT_EQ(cli({"accounts", "update", "bad@acme.example", "--team", "Ops"}).exit_code, 0);
  start();
  ASSERT_TRUE(eventually([&] { return nothing_pending(); })) << log();

  const auto events = outbox();
  const auto requests = receiver_.requests();
  const auto acks = acknowledged();
  std::map<std::string, std::vector<std::string>> expected_order;  // account email -> ids by seq
  std::map<std::string, const boost::json::value*> by_id;
  for (const auto& e : events) {
    const std::string id = text(e, "event_id");
    by_id[id] = &e;
    const std::string who(e.at("payload").at("account").at("email").as_string());
    const int attempts = static_cast<int>(e.at("attempts").as_int64());
    if (who.starts_with("bad@")) {
      EXPECT_EQ(text(e, "state"), "dead") << id;
      EXPECT_EQ(attempts, 1) << id;  // a 400 is not retried
      EXPECT_NE(text(e, "last_error").find("HTTP 400"), std::string::npos) << text(e, "last_error");
      EXPECT_EQ(acks.count(id), 0u);
      continue;
    }
    EXPECT_EQ(text(e, "state"), "delivered") << id << " " << who;
    EXPECT_EQ(acks.count(id) ? acks.at(id) : 0, 1) << "delivered exactly once: " << id << " " << who;
    expected_order[who].push_back(id);
  }
  // The first event of each troubled account needed the attempts its script asked for.
  auto first_attempts = [&](const std::string& who) {
    return static_cast<int>(by_id.at(expected_order.at(who).front())->at("attempts").as_int64());
  };
  // Two connections dropped without an answer: libcurl itself sends a request again, once,
  // when a reused keep-alive connection turns out dead, so the receiver saw three requests
  // in two or three of rosterd's attempts.
  const std::string flaky_first = expected_order.at("flaky@acme.example").front();
  EXPECT_EQ(std::count_if(requests.begin(), requests.end(),
                          [&](const ReceivedRequest& r) { return r.headers.at("x-rosterd-event-id") == flaky_first; }),
            3);
  EXPECT_GE(first_attempts("flaky@acme.example"), 2);
  EXPECT_LE(first_attempts("flaky@acme.example"), 3);
  EXPECT_GE(first_attempts("slow@acme.example"), 2);
  EXPECT_EQ(first_attempts("busy@acme.example"), 2);
  EXPECT_EQ(first_attempts("limited@acme.example"), 2);
  EXPECT_EQ(first_attempts("huge@acme.example"), 1);
  EXPECT_GE(expected_order.at("flaky@acme.example").size(), 2u);

  std::map<std::string, std::vector<std::string>> acked_order;
  for (const auto& r : requests) {
    const std::string id = r.headers.at("x-rosterd-event-id");
    EXPECT_TRUE(r.signature_ok) << "signature of " << id;
    EXPECT_EQ(r.headers.at("idempotency-key"), id);
    EXPECT_EQ(r.headers.at("content-type"), "application/json");
    ASSERT_TRUE(by_id.count(id)) << "a request for an event the outbox does not hold: " << id;
    EXPECT_EQ(boost::json::parse(r.body), by_id.at(id)->at("payload")) << "the stored payload, as sent";
    EXPECT_EQ(r.headers.at("x-rosterd-event-type"), text(*by_id.at(id), "type"));
    if (r.answered >= 200 && r.answered < 300) acked_order[email_of(r.body)].push_back(id);
  }
  for (const auto& [who, ids] : expected_order) EXPECT_EQ(acked_order[who], ids) << "order for " << who;
}

TEST_F(WebhooksTest, ASigkillInTheMiddleOfADeliveryLosesNothingAndRepeatsOnlyTheSameEventIds) {
  std::atomic<bool> answering{false};
  receiver_.set_script([&answering](const ReceivedRequest&, int) {
    ReceiverAnswer a;
    if (!answering) a.kind = Kind::Hang;
    return a;
  });
  for (int i = 0; i < 6; ++i) create("p" + std::to_string(i));
  start();
  ASSERT_TRUE(eventually([&] { return receiver_.in_flight() > 0; }, 30)) << log();
  serve_->kill_now();  // SIGKILL, with requests on the wire and nothing recorded
  answering = true;
  start();
  ASSERT_TRUE(eventually([&] { return nothing_pending(); })) << log();

  std::set<std::string> ids;
  std::map<std::string, std::string> payloads;
  for (const auto& e : outbox()) {
    ids.insert(text(e, "event_id"));
    EXPECT_EQ(text(e, "state"), "delivered");
  }
  EXPECT_GE(ids.size(), 6u);
  const auto acks = acknowledged();
  for (const auto& id : ids) EXPECT_GE(acks.count(id) ? acks.at(id) : 0, 1) << "lost: " << id;
  for (const auto& r : receiver_.requests()) {
    const std::string id = r.headers.at("x-rosterd-event-id");
    EXPECT_TRUE(ids.count(id)) << "unknown event id " << id;
    // A repeat is the same event: same id, same body.
    const auto [it, fresh] = payloads.emplace(id, r.body);
    if (!fresh) {
      EXPECT_EQ(it->second, r.body) << id;
    }
  }
}

TEST_F(WebhooksTest, AReloadWithoutTheWebhookKeepsEventsWaitingAndANewSecretSignsThemWhenItReturns) {
  start();
  create("first");
  ASSERT_TRUE(eventually([&] { return nothing_pending(); })) << log();
  write_config(/*webhook=*/false);
  auto from = log().size();
  serve_->signal(SIGHUP);
  wait_for_log("webhook_reloaded", from);
  create("waiting");
  // Nothing can prove a negative at once: give the sender several of its looks.
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  ASSERT_EQ(outbox("pending").size(), 1u);
  for (const auto& r : receiver_.requests()) EXPECT_NE(email_of(r.body), "waiting@acme.example");

  // A secret that cannot be read: the whole reload is refused, nothing sent.
  write_config(true, "missing-secret");
  from = log().size();
  serve_->signal(SIGHUP);
  wait_for_log("reload_refused", from);
  EXPECT_NE(log().find(dir_.file("missing-secret"), from), std::string::npos);

  std::ofstream(dir_.file("rotated")) << "whsec_second\n";
  receiver_.set_secret("whsec_second");
  write_config(true, "rotated");
  from = log().size();
  serve_->signal(SIGHUP);
  wait_for_log("webhook_reloaded", from);
  ASSERT_TRUE(eventually([&] { return nothing_pending(); })) << log();
  const auto requests = receiver_.requests();
  ASSERT_FALSE(requests.empty());
  EXPECT_EQ(email_of(requests.back().body), "waiting@acme.example");
  EXPECT_TRUE(requests.back().signature_ok) << "signed with the new secret";
  EXPECT_EQ(log().find("whsec_"), std::string::npos) << "a secret in the log";
}

// Events belong to the space, not to the source whose changes made them: a reload that
// removes a source while its space's events wait for the receiver loses none of them.
TEST_F(WebhooksTest, AReloadThatRemovesASourceKeepsItsSpacesPendingEvents) {
  const std::string okta =
      "sources:\n  - {id: okta, kind: scim, space: acme, tokens: [\"sha256:" + std::string(64, 'a') + "\"]}\n";
  write_config(true, "secret", "", "", okta);
  std::atomic<bool> down{true};
  receiver_.set_script([&down](const ReceivedRequest&, int) {
    return down ? ReceiverAnswer{Kind::Respond, 503, "", "down"} : ReceiverAnswer{};
  });
  start();
  create("kept1");
  create("kept2");
  ASSERT_TRUE(eventually([&] { return !receiver_.requests().empty(); })) << log();
  ASSERT_EQ(outbox("pending").size(), 2u);

  write_config(true, "secret", "", "", "");  // the source is gone
  const auto from = log().size();
  serve_->signal(SIGHUP);
  wait_for_log("reloaded", from);
  EXPECT_EQ(log().find("\"event\":\"reload_refused\"", from), std::string::npos) << log();
  EXPECT_EQ(outbox("pending").size(), 2u) << "nothing dropped by the reload";
  down = false;
  ASSERT_TRUE(eventually([&] { return nothing_pending(); })) << log();
  std::set<std::string> delivered;
  for (const auto& r : receiver_.requests())
    if (r.answered == 200) delivered.insert(email_of(r.body));
  EXPECT_EQ(delivered, (std::set<std::string>{"kept1@acme.example", "kept2@acme.example"}));
}

TEST_P(Webhooks, TheAdministratorListsRetriesAndDropsEvents) {
  std::atomic<bool> refuse{true};
  receiver_.set_script([&refuse](const ReceivedRequest&, int) {
    return refuse ? ReceiverAnswer{Kind::Respond, 422, "", "no"} : ReceiverAnswer{};
  });
  create("alice");
  start();
  ASSERT_TRUE(eventually([&] { return outbox("pending").empty(); })) << log();
  const auto dead = outbox("dead");
  ASSERT_EQ(dead.size(), 1u);
  const std::string id = text(dead[0], "event_id");
  refuse = false;
  const auto retried = cli({"outbox", "retry", id});
  EXPECT_EQ(retried.exit_code, 0) << retried.err;
  ASSERT_TRUE(eventually([&] { return outbox("delivered").size() == 1; })) << log();
  // A delivered event cannot be retried or dropped; an unknown one is not found.
  EXPECT_EQ(cli({"outbox", "retry", id}).exit_code, 1);
  EXPECT_EQ(cli({"outbox", "drop", id}).exit_code, 1);
  EXPECT_EQ(cli({"outbox", "drop", "no-such-event"}).exit_code, 1);
  EXPECT_EQ(cli({"outbox", "frobnicate"}).exit_code, 2);
  EXPECT_EQ(cli({"outbox", "list", "--state", "lost"}).exit_code, 2);

  serve_->signal(SIGTERM);
  ASSERT_EQ(serve_->wait(), 0) << log();
  create("bob");
  const auto pending = outbox("pending");
  ASSERT_EQ(pending.size(), 1u);
  EXPECT_EQ(cli({"outbox", "drop", text(pending[0], "event_id")}).exit_code, 0);
  EXPECT_TRUE(outbox("pending").empty());
  const auto listed = cli({"outbox", "list"});
  EXPECT_NE(listed.out.find(id + "  account.created  space=acme  delivered  attempts=1"), std::string::npos)
      << listed.out;
  const auto none = cli({"outbox", "retry", "--dead", "--json"});
  EXPECT_EQ(none.exit_code, 0);
  EXPECT_NE(none.out.find("\"count\":0"), std::string::npos) << none.out;
}

TEST_F(WebhooksTest, PlainHttpUnreadableSecretsAndNonLoopbackHostsAreRefusedWithTheirReason) {
  const std::string file = dir_.file("rosterd.yaml");
  auto check = [&] { return run({ROSTERD_BINARY, "check-config", file}); };
  {
    std::ofstream(file) << "spaces:\n  acme:\n    licences: {recruiter: 1}\n"
                        << "    webhook: {url: http://platform.example/hooks, secret_file: " << dir_.file("secret") << "}\n";
    const auto r = check();
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("http:// is refused"), std::string::npos) << r.err;
  }
  {
    std::ofstream(file) << "spaces:\n  acme:\n    licences: {recruiter: 1}\n"
                        << "    webhook: {url: http://platform.example/hooks, allow_http_loopback: true, secret_file: "
                        << dir_.file("secret") << "}\n";
    const auto r = check();
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("only to 127.0.0.1, ::1 or localhost, not 'platform.example'"), std::string::npos) << r.err;
  }
  write_config(true, "no-such-secret");
  {
    const auto r = check();
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("cannot read the webhook secret_file " + dir_.file("no-such-secret")), std::string::npos)
        << r.err;
  }
  // serve refuses to start, naming the file.
  const auto serve = run({ROSTERD_BINARY, "serve", "--config", file, "--listen", "127.0.0.1:0"});
  EXPECT_EQ(serve.exit_code, 2) << serve.err;
  EXPECT_NE(serve.err.find(dir_.file("no-such-secret")), std::string::npos) << serve.err;
  write_config(true, "secret");
  EXPECT_EQ(check().exit_code, 0) << check().err;
}

TEST_F(WebhooksTest, OverHttpsTheReceiversCertificateMustBeTrustedByTheCaFile) {
  // A self-signed certificate for 127.0.0.1, its own CA.
  const std::string cert = dir_.file("receiver.crt"), key = dir_.file("receiver.key");
  const auto made = run({"/usr/bin/openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                         "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key, "-out", cert, "-days", "1",
                         "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"});
  ASSERT_EQ(made.exit_code, 0) << made.err;
  WebhookReceiver https("whsec_first", cert, key);
  ASSERT_EQ(https.url().rfind("https://", 0), 0u);
  write_config(true, "secret", https.url());
  start();
  create("tls");
  // Not trusted (the system's CAs do not know it): the handshake fails and the event waits.
  ASSERT_TRUE(eventually([&] {
    const auto pending = outbox("pending");
    return pending.size() == 1 && pending[0].at("attempts").as_int64() >= 1;
  })) << log();
  const std::string error = text(outbox("pending")[0], "last_error");
  EXPECT_NE(error.find("certificate"), std::string::npos) << error;
  EXPECT_TRUE(https.requests().empty());
  EXPECT_GE(https.tls_refused(), 1);

  write_config(true, "secret", https.url(), ", ca_file: " + cert);
  const auto from = log().size();
  serve_->signal(SIGHUP);
  wait_for_log("webhook_reloaded", from);
  ASSERT_TRUE(eventually([&] { return nothing_pending(); })) << log();
  const auto requests = https.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_TRUE(requests[0].signature_ok);
  EXPECT_EQ(requests[0].answered, 200);
  EXPECT_EQ(email_of(requests[0].body), "tls@acme.example");
}

}  // namespace
}  // namespace rosterd::testing
