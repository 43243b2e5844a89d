// `rosterd store migrate`: a store filled the way a real one is (identities and groups
// pushed over SCIM to `rosterd serve`, accounts created by `rosterd sync`, one by hand,
// pending webhook events) copied to another database. SQLite -> SQLite, and SQLite ->
// PostgreSQL -> SQLite (every row comes back as it was, audit hashes included); the audit
// chain verifies on each target; a target that holds data is refused and left as it was.
#include <gtest/gtest.h>

#include <fstream>

#include "tests/integration/scim_server_fixture.h"
#include "tests/support/postgres_fixture.h"

namespace rosterd::testing {
namespace {

const std::string kSpaces = R"(spaces:
  acme:
    licences: {recruiter: 5, manager: 5, administrator: 2}
    default_owner: olga@acme.example
    webhook: {url: "http://127.0.0.1:9/hook", secret_file: SECRET, allow_http_loopback: true}
sources:
  - id: okta
    kind: scim
    space: acme
    tokens: ["sha256:0509b2afae9fc3afd4965386a30d12f9c5f044470321650865bfbc62e7f4ce8e"]
)";

const std::string kRules = R"(rules:
  - name: owners
    space: acme
    when: {group: "Owners"}
    grant: {role: owner, licence: administrator}
  - name: recruiters
    space: acme
    when: {group: "Recruiting"}
    grant: {role: recruiter, licence: recruiter, team: Talent}
)";

// Every table a store has, in a stable order (schema_version and the leader lease are the
// target's own, but equal here too).
const std::initializer_list<const char*> kTables{
    "spaces",     "licence_pools",   "accounts",        "audit",      "audit_head",
    "outbox",     "identities",      "identity_emails", "external_groups", "group_members",
    "sync_state", "reconcile_queue", "plans",           "plan_bodies", "seat_queue",
    "invitations", "invitation_starts", "schema_version"};

// Waits for the "listening" line of the SCIM listener in `log`; its port, or 0.
std::uint16_t scim_port(Child& child, const std::string& log) {
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (std::chrono::steady_clock::now() < give_up) {
    std::ifstream in(log);
    for (std::string line; std::getline(in, line);) {
      if (line.find(R"("event":"listening","listener":"scim")") == std::string::npos) continue;
      const std::string address(boost::json::parse(line).at("address").as_string());
      return static_cast<std::uint16_t>(std::stoi(address.substr(address.rfind(':') + 1)));
    }
    if (auto code = child.try_wait()) {
      ADD_FAILURE() << "rosterd serve exited " << *code << " before listening";
      return 0;
    }
    // Polling the log file: the line is the readiness signal, this only paces the checks.
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ADD_FAILURE() << "rosterd serve did not log 'listening' within 30 s";
  return 0;
}

class StoreMigrate : public ::testing::Test {
 protected:
  StoreMigrate() : server_(with_secret(kSpaces)) {
    const std::string olga = user("olga"), ann = user("ann"), ben = user("ben");
    server_.create_group("Owners", {olga});
    server_.create_group("Recruiting", {ann, ben});
    EXPECT_EQ(server_.stop(), 0);
    server_.write_config_body(with_secret(kSpaces) + kRules);
    const auto synced = cli({"sync", "--once"});
    EXPECT_EQ(synced.exit_code, 0) << synced.out << synced.err;
    const auto created = cli({"accounts", "create", "--space", "acme", "--email", "dora@acme.example",
                              "--given-name", "Dora", "--family-name", "Test", "--role", "recruiter", "--licence",
                              "recruiter", "--reason", "hired by hand"});
    EXPECT_EQ(created.exit_code, 0) << created.out << created.err;
  }

  std::string with_secret(std::string body) {
    const std::string secret = dir_.file("webhook.secret");
    std::ofstream(secret) << "s3cret\n";
    body.replace(body.find("SECRET"), 6, secret);
    return body;
  }

  std::string user(const std::string& name) {
    const auto r = server_.call("POST", "/Users",
                                R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":")" + name +
                                    R"(@acme.example","name":{"givenName":")" + name +
                                    R"(","familyName":"Test"},"emails":[{"value":")" + name +
                                    R"(@acme.example","primary":true}],"active":true})");
    EXPECT_EQ(r.status, 201) << r.body;
    return str(json_of(r), "id");
  }

  RunResult cli(std::vector<std::string> args, const std::string& config = "") {
    args.insert(args.begin(), {ROSTERD_BINARY, "--config", config.empty() ? server_.config() : config});
    return run(args);
  }
  RunResult migrate(const std::string& from, const std::string& to, std::vector<std::string> more = {}) {
    std::vector<std::string> args{ROSTERD_BINARY, "store", "migrate", "--from", from, "--to", to};
    args.insert(args.end(), more.begin(), more.end());
    return run(args);
  }
  // A configuration like the source's, on another store.
  std::string config_on(const std::string& store, const std::string& password_file = "") {
    const std::string path = dir_.file("on-" + std::to_string(++configs_) + ".yaml");
    std::ofstream out(path);
    if (password_file.empty()) out << "store: " << store << "\n";
    else out << "store: {url: '" << store << "', password_file: " << password_file << "}\n";
    out << with_secret(kSpaces) << kRules;
    return path;
  }
  std::string source() const { return "sqlite:" + server_.database(); }
  std::string dump(const std::string& file) const { return dump_tables(file, kTables); }

  TempDir dir_;
  ScimServer server_;
  int configs_ = 0;
};

TEST_F(StoreMigrate, SqliteToSqliteCopiesEveryRowAndTheAuditChainVerifies) {
  const std::string before = dump(server_.database());
  ASSERT_NE(before.find("dora@acme.example"), std::string::npos) << before;
  ASSERT_NE(before.find("pending"), std::string::npos) << "the webhook events are still pending";
  const std::string target = dir_.file("copy/target.db");
  const auto r = migrate(source(), "sqlite:" + target);
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("the audit log verifies"), std::string::npos) << r.out;
  EXPECT_EQ(dump(target), before);
  EXPECT_EQ(dump(server_.database()), before) << "the source is not changed";
  const auto verified = cli({"audit", "verify"}, config_on("sqlite:" + target));
  EXPECT_EQ(verified.exit_code, 0) << verified.out << verified.err;
  // The copy is a working store: the next audit row chains onto the copied ones.
  const auto more =
      cli({"accounts", "suspend", "dora@acme.example", "--space", "acme"}, config_on("sqlite:" + target));
  EXPECT_EQ(more.exit_code, 0) << more.out << more.err;
  EXPECT_EQ(cli({"audit", "verify"}, config_on("sqlite:" + target)).exit_code, 0);
}

TEST_F(StoreMigrate, ATargetThatHoldsDataIsRefusedAndLeftAsItWas) {
  const std::string target = dir_.file("target.db");
  ASSERT_EQ(migrate(source(), "sqlite:" + target).exit_code, 0);
  ASSERT_EQ(cli({"accounts", "suspend", "dora@acme.example", "--space", "acme"}, config_on("sqlite:" + target)).exit_code, 0);
  const std::string before = dump(target);
  const auto again = migrate(source(), "sqlite:" + target);
  EXPECT_EQ(again.exit_code, 1) << again.out << again.err;
  EXPECT_NE(again.err.find("the target store is not empty: table spaces has rows"), std::string::npos) << again.err;
  EXPECT_EQ(dump(target), before);
}

TEST_F(StoreMigrate, BadArgumentsAreUsageErrors) {
  EXPECT_EQ(migrate(source(), source()).exit_code, 2);
  EXPECT_EQ(migrate("sqlite:" + dir_.file("missing.db"), "sqlite:" + dir_.file("t.db")).exit_code, 1);
  const auto with_password = migrate(source(), "postgresql://rosterd:hunter2@127.0.0.1:1/r");
  EXPECT_EQ(with_password.exit_code, 2);
  EXPECT_EQ(with_password.err.find("hunter2"), std::string::npos) << with_password.err;
  EXPECT_EQ(run({ROSTERD_BINARY, "store", "migrate", "--from", source()}).exit_code, 2);
}

TEST_F(StoreMigrate, SqliteToPostgresKeepsEveryRowAndPendingEvent) {
  ROSTERD_REQUIRE_POSTGRES();
  const std::string database = fresh_postgres_database();
  const PostgresTarget pg = PostgresServer::shared().target(database);
  const std::string password_file = dir_.file("pg.password");
  std::ofstream(password_file) << *pg.password << "\n";
  const auto r = migrate(source(), pg.url, {"--to-password-file", password_file});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(r.out.find(*pg.password), std::string::npos);

  // Everything came across: back to SQLite, every row is as it was, hashes included.
  const std::string back = dir_.file("back.db");
  const auto returned = migrate(pg.url, "sqlite:" + back, {"--from-password-file", password_file});
  ASSERT_EQ(returned.exit_code, 0) << returned.out << returned.err;
  EXPECT_EQ(dump(back), dump(server_.database()));

  // On PostgreSQL itself: the chain verifies and the pending events are there.
  const std::string on_pg = config_on(pg.url, password_file);
  const auto verified = cli({"audit", "verify"}, on_pg);
  EXPECT_EQ(verified.exit_code, 0) << verified.out << verified.err;
  // `rosterd outbox` on PostgreSQL lists the same pending events as on the source.
  const auto pending_pg = cli({"outbox", "list", "--state", "pending", "--json"}, on_pg);
  const auto pending_sqlite = cli({"outbox", "list", "--state", "pending", "--json"});
  EXPECT_EQ(pending_pg.exit_code, 0) << pending_pg.err;
  EXPECT_EQ(pending_pg.out, pending_sqlite.out);
  auto conn = sql::PgConnection::connect(pg);
  ASSERT_TRUE(conn.has_value()) << conn.error().message;
  auto pending = (*conn)->query("SELECT event_id FROM outbox WHERE state = 'pending' ORDER BY seq", {});
  ASSERT_TRUE(pending.has_value()) << pending.error().message;
  EXPECT_EQ(pending->size(), 4u) << "ann, ben and olga by sync, dora by hand";
  const std::string source_outbox = dump_tables(server_.database(), {"outbox"});
  for (const sql::SqlRow& row : *pending)
    EXPECT_NE(source_outbox.find(row.text(0)), std::string::npos) << row.text(0) << " keeps its id";
  // The next event gets a new seq: the identity sequence was moved past the copied ones.
  auto next = (*conn)->query("SELECT nextval(pg_get_serial_sequence('outbox', 'seq'))", {});
  ASSERT_TRUE(next.has_value()) << next.error().message;
  EXPECT_EQ(next->front().integer(0), 5);
  // A second copy into the same database is refused.
  EXPECT_EQ(migrate(source(), pg.url, {"--to-password-file", password_file}).exit_code, 1);

  // The copy serves SCIM (on PostgreSQL, off the I/O threads): the users pushed to the
  // SQLite store are there, and a new one can be written.
  const std::string log = dir_.file("serve-pg.log");
  Child serve({ROSTERD_BINARY, "serve", "--config", on_pg, "--listen", "127.0.0.1:0", "--admin-listen", "127.0.0.1:0"},
              {}, log);
  const std::uint16_t port = scim_port(serve, log);
  ASSERT_NE(port, 0);
  const auto scim = [&](const std::string& method, const std::string& path, const std::string& body = "") {
    HttpClient client(port);
    std::string request = method + " /scim/v2" + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n" +
                          "Authorization: Bearer " + kOktaToken + "\r\n";
    if (!body.empty())
      request += "Content-Type: application/scim+json\r\nContent-Length: " + std::to_string(body.size()) + "\r\n";
    client.send(request + "\r\n" + body);
    return client.read_reply().value_or(Reply{});
  };
  const Reply users = scim("GET", "/Users?sortBy=userName");
  EXPECT_EQ(users.status, 200) << users.body;
  std::vector<std::string> names;
  const boost::json::value listed = json_of(users);
  for (const auto& u : listed.at("Resources").as_array()) names.push_back(str(u, "userName"));
  EXPECT_EQ(names, (std::vector<std::string>{"ann@acme.example", "ben@acme.example", "olga@acme.example"}));
  const Reply created = scim("POST", "/Users",
                             R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"eve@acme.example"})");
  EXPECT_EQ(created.status, 201) << created.body;
  serve.signal(SIGTERM);
  EXPECT_EQ(serve.wait(), 0);
}

}  // namespace
}  // namespace rosterd::testing
