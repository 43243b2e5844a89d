// Invitation emails end to end: `rosterd serve` with a space that asks rosterd to send its
// invitations over SMTP, against an SMTP sink in the test (smtp_sink.h, plain SMTP on
// 127.0.0.1 with allow_plain_loopback). One email per created account, to its address; a
// 451 answered once is retried; a restart sends no second email for the same event; an
// SMTP password file that cannot be read refuses the start and a reload. The SMTP client
// itself is also driven against the sink: a body line starting with "." arrives intact.
// No assertion is about time.
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <fstream>
#include <functional>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "connectors/webhook/smtp_client.h"
#include "connectors/webhook/smtp_message.h"
#include "tests/integration/smtp_sink.h"
#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"

namespace rosterd::testing {
namespace {

class Invitations : public ::testing::Test {
 protected:
  void SetUp() override { write_config(); }
  void TearDown() override {
    if (serve_ && serve_->running()) {
      serve_->signal(SIGTERM);
      EXPECT_EQ(serve_->wait(), 0) << log();
    }
  }

  // acme asks rosterd to send its invitations; beta does not.
  void write_config(const std::string& credentials = "", bool smtp = true) {
    std::ofstream out(dir_.file("rosterd.yaml"));
    out << "store: sqlite:" << dir_.file("store.db") << "\nspaces:\n"
        << "  acme:\n    licences: {recruiter: 50}\n";
    if (smtp)
      out << "    invitations:\n      smtp: {url: \"" << sink_.url() << "\", starttls: false,"
          << " allow_plain_loopback: true, from: rosterd@acme.example, timeout: 5s, connect_timeout: 2s"
          << credentials << "}\n";
    out << "  beta:\n    licences: {recruiter: 50}\n";
  }
  RunResult cli(std::vector<std::string> args) {
    args.insert(args.begin(), {ROSTERD_BINARY, "--config", dir_.file("rosterd.yaml")});
    return run(args);
  }
  void create(const std::string& name, const std::string& space = "acme") {
    const auto r = cli({"accounts", "create", "--space", space, "--email", name + "@" + space + ".example",
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
  std::size_t count_in_log(const std::string& event) const {
    const std::string text = log(), key = "\"event\":\"" + event + "\"";
    std::size_t n = 0;
    for (auto at = text.find(key); at != std::string::npos; at = text.find(key, at + 1)) ++n;
    return n;
  }
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
  void stop() {
    serve_->signal(SIGTERM);
    ASSERT_EQ(serve_->wait(), 0) << log();
    serve_.reset();
  }
  bool eventually(const std::function<bool()>& done, int seconds = 60) {
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
    while (std::chrono::steady_clock::now() < give_up) {
      if (done()) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
  }
  std::vector<ReceivedMail> mails_to(const std::string& address) {
    std::vector<ReceivedMail> out;
    for (const auto& m : sink_.mails())
      if (m.to.size() == 1 && m.to[0] == address) out.push_back(m);
    return out;
  }

  TempDir dir_;
  SmtpSink sink_;
  std::optional<Child> serve_;
};

TEST_F(Invitations, ACreatedAccountGetsExactlyOneEmailFromTheConfiguredSender) {
  start();
  create("alice");
  create("bob", "beta");  // beta does not ask for invitations
  ASSERT_TRUE(eventually([&] { return count_in_log("invitation_sent") >= 1; })) << log();
  const auto mails = sink_.mails();
  ASSERT_EQ(mails.size(), 1u) << log();
  const ReceivedMail& m = mails[0];
  EXPECT_EQ(m.from, "rosterd@acme.example");
  EXPECT_EQ(m.to, (std::vector<std::string>{"alice@acme.example"}));
  EXPECT_EQ(m.header("From"), "rosterd@acme.example");
  EXPECT_EQ(m.header("To"), "alice@acme.example");
  EXPECT_EQ(m.header("Subject"), "Your invitation to acme");
  EXPECT_FALSE(m.header("Date").empty());
  EXPECT_TRUE(m.header("Message-ID").starts_with("<invitation.")) << m.header("Message-ID");
  EXPECT_NE(m.body().find("\"recruiter\""), std::string::npos) << m.body();
  // The event id in the log is the one the Message-ID was derived from.
  EXPECT_EQ(count_in_log("invitation_sent"), 1u);
  EXPECT_EQ(count_in_log("invitation_retry"), 0u);
}

TEST_F(Invitations, ATransientRefusalIsRetriedAndTheEmailDeliveredOnce) {
  sink_.refuse_next_mail(1);
  start();
  create("carol");
  ASSERT_TRUE(eventually([&] { return count_in_log("invitation_sent") >= 1; })) << log();
  EXPECT_EQ(sink_.refused(), 1);
  EXPECT_EQ(count_in_log("invitation_retry"), 1u) << log();
  EXPECT_NE(log().find("SMTP 451"), std::string::npos) << log();
  EXPECT_EQ(mails_to("carol@acme.example").size(), 1u);
  EXPECT_EQ(sink_.mails().size(), 1u);
}

TEST_F(Invitations, ARestartSendsNoSecondEmailForTheSameEvent) {
  start();
  create("dave");
  ASSERT_TRUE(eventually([&] { return count_in_log("invitation_sent") >= 1; })) << log();
  stop();
  start();
  create("erin");
  ASSERT_TRUE(eventually([&] { return count_in_log("invitation_sent") >= 2; })) << log();
  EXPECT_EQ(mails_to("dave@acme.example").size(), 1u);
  EXPECT_EQ(mails_to("erin@acme.example").size(), 1u);
  EXPECT_EQ(sink_.mails().size(), 2u);
}

// Turning invitations on must not mail every account that already exists; invitations
// are sent oldest first, so once the new account's has arrived the old one's never will.
// Turning them off and on again starts afresh as well.
TEST_F(Invitations, AccountsCreatedBeforeInvitationsWereTurnedOnGetNoEmail) {
  write_config("", false);
  create("before");
  write_config();
  start();
  create("after");
  ASSERT_TRUE(eventually([&] { return count_in_log("invitation_sent") >= 1; })) << log();
  EXPECT_EQ(mails_to("before@acme.example").size(), 0u) << log();
  EXPECT_EQ(mails_to("after@acme.example").size(), 1u);

  stop();
  write_config("", false);
  start();  // no space asks: the starts are forgotten
  stop();
  create("while-off");
  write_config();
  start();
  create("again");
  ASSERT_TRUE(eventually([&] { return count_in_log("invitation_sent") >= 2; })) << log();
  EXPECT_EQ(mails_to("while-off@acme.example").size(), 0u) << log();
  EXPECT_EQ(mails_to("again@acme.example").size(), 1u);
  EXPECT_EQ(sink_.mails().size(), 2u);
}

TEST_F(Invitations, AReloadThatAddsSmtpStartsTheSenderWhichWasNotRunning) {
  write_config("", false);
  start();
  EXPECT_EQ(count_in_log("invitation_sender_started"), 0u);
  write_config();
  const auto from = log().size();
  serve_->signal(SIGHUP);
  wait_for_log("invitations_reloaded", from);
  EXPECT_EQ(count_in_log("invitation_sender_started"), 1u) << log();
  create("frank");
  ASSERT_TRUE(eventually([&] { return count_in_log("invitation_sent") >= 1; })) << log();
  EXPECT_EQ(mails_to("frank@acme.example").size(), 1u);
}

TEST_F(Invitations, AnUnreadablePasswordFileRefusesTheStartAndAReload) {
  std::ofstream(dir_.file("smtp-password")) << "s3cret-password\n";
  // A password file needs a server that offers AUTH; the sink does not, so no account is
  // created here: only the reading of the file is checked.
  write_config(", username: rosterd, password_file: " + dir_.file("missing-password"));
  const auto refused = run({ROSTERD_BINARY, "serve", "--config", dir_.file("rosterd.yaml"), "--listen", "127.0.0.1:0"});
  EXPECT_NE(refused.exit_code, 0);
  EXPECT_NE(refused.err.find("cannot read the SMTP password_file " + dir_.file("missing-password")),
            std::string::npos) << refused.err;
  const auto check = cli({"check-config", dir_.file("rosterd.yaml")});
  EXPECT_NE(check.exit_code, 0);
  EXPECT_NE((check.out + check.err).find("SMTP password_file"), std::string::npos) << check.out << check.err;

  write_config(", username: rosterd, password_file: " + dir_.file("smtp-password"));
  start();
  write_config(", username: rosterd, password_file: " + dir_.file("missing-password"));
  const auto from = log().size();
  serve_->signal(SIGHUP);
  wait_for_log("reload_refused", from);
  EXPECT_NE(log().find("SMTP password_file", from), std::string::npos) << log();
  EXPECT_EQ(log().find("s3cret-password"), std::string::npos) << "the password is never logged";
}

TEST(SmtpClient, ABodyLineStartingWithADotArrivesIntactAndTheEnvelopeIsTheOneGiven) {
  SmtpSink sink;
  webhook::SmtpServer server;
  server.url = sink.url();
  server.starttls = false;
  server.connect_timeout = std::chrono::seconds(5);
  server.total_timeout = std::chrono::seconds(10);
  const std::string message =
      "From: rosterd@acme.example\r\nTo: alice@acme.example\r\nSubject: dots\r\n\r\n"
      ".hidden line\r\n..two dots\r\n.\r\nlast\r\n";
  const auto attempt = webhook::send_mail(server, "rosterd@acme.example", "alice@acme.example", message);
  ASSERT_TRUE(attempt.accepted) << attempt.error;
  ASSERT_EQ(sink.mails().size(), 1u);
  EXPECT_EQ(sink.mails()[0].data, message);
  EXPECT_EQ(sink.mails()[0].from, "rosterd@acme.example");
  EXPECT_EQ(sink.mails()[0].to, (std::vector<std::string>{"alice@acme.example"}));
}

TEST(SmtpClient, A451IsRetriedAndA5xxIsDead) {
  SmtpSink sink;
  sink.refuse_next_mail(1);
  webhook::SmtpServer server;
  server.url = sink.url();
  server.starttls = false;
  const auto refused = webhook::send_mail(server, "rosterd@acme.example", "alice@acme.example", "Subject: x\r\n\r\nx\r\n");
  EXPECT_FALSE(refused.accepted);
  EXPECT_EQ(refused.reply, 451) << refused.error;
  const webhook::RetryPolicy policy;
  EXPECT_EQ(webhook::decide_smtp_attempt(refused, 0, policy, 0.5).result, AttemptResult::Retry);
  webhook::SmtpAttempt rejected{false, 550, "RCPT failed"};
  EXPECT_EQ(webhook::decide_smtp_attempt(rejected, 0, policy, 0.5).result, AttemptResult::Dead);
  webhook::SmtpAttempt unreachable{false, 0, "Couldn't connect to server"};
  EXPECT_EQ(webhook::decide_smtp_attempt(unreachable, 0, policy, 0.5).result, AttemptResult::Retry);
  EXPECT_EQ(webhook::decide_smtp_attempt(unreachable, policy.max_attempts - 1, policy, 0.5).result,
            AttemptResult::Dead);
}

}  // namespace
}  // namespace rosterd::testing
