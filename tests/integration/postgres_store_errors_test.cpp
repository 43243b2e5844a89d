// A PostgreSQL store that cannot be used (issue 7, "Bad input"): a wrong password, an
// unreachable host, a server certificate that does not verify against sslrootcert, a
// database whose schema is newer than this rosterd. `rosterd check-config` reports each
// as an error at the store: key (exit 1), `rosterd serve` refuses to start (non-zero
// exit), each message names the host and database and never the password, and the
// database is left exactly as it was. And the database going away under a running
// `rosterd serve`: SCIM answers 503 with Retry-After, stores nothing, and recovers by itself.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "store/sql/migrations.h"
#include "tests/support/http_client.h"
#include "tests/support/postgres_fixture.h"
#include "tests/support/temp_dir.h"

namespace rosterd::testing {
namespace {

const std::string kBody = R"(
spaces:
  acme:
    licences: {recruiter: 5}
    default_owner: olga@acme.example
)";

// The database's tables and rows as pg_dump prints them (without its \restrict lines,
// whose key is new at each run).
std::string database_dump(const PostgresTarget& target) {
  const auto r = run({"/usr/lib/postgresql/15/bin/pg_dump", "--no-owner", "--dbname=" + target.url},
                     {{"PGPASSWORD", target.password.value_or("")}});
  if (r.exit_code != 0) return "pg_dump failed: " + r.err;
  std::istringstream in(r.out);
  std::string out;
  for (std::string line; std::getline(in, line);)
    if (!line.starts_with("\\restrict") && !line.starts_with("\\unrestrict")) out += line + "\n";
  return out;
}

class PostgresStoreErrors : public ::testing::Test {
 protected:
  void SetUp() override {
    ROSTERD_REQUIRE_POSTGRES();
    database_ = fresh_postgres_database();
    target_ = PostgresServer::shared().target(database_);
    password_file_ = write("pg.password", *target_.password + "\n");
  }

  std::string write(const std::string& name, const std::string& text) {
    const std::string path = dir_.file(name);
    std::ofstream(path) << text;
    return path;
  }
  std::string config(const std::string& url, const std::string& password_file) {
    return write("rosterd.yaml", "store:\n  url: '" + url + "'\n  password_file: " + password_file + "\n" + kBody);
  }
  RunResult check(const std::string& file) { return run({ROSTERD_BINARY, "check-config", file}); }
  RunResult serve(const std::string& file) {
    // `timeout`: a serve that starts anyway fails the test instead of hanging it.
    return run({"/usr/bin/timeout", "30", ROSTERD_BINARY, "serve", "--config", file, "--listen", "127.0.0.1:0"});
  }
  // The message of a refusal: names the store, never the password.
  void expect_refused(const std::string& file, const std::string& mentions) {
    const auto checked = check(file);
    EXPECT_EQ(checked.exit_code, 1) << checked.out << checked.err;
    EXPECT_NE(checked.err.find(dir_.file("rosterd.yaml") + ":1:1: error: "), std::string::npos) << checked.err;
    EXPECT_NE(checked.err.find(mentions), std::string::npos) << checked.err;
    const auto served = serve(file);
    EXPECT_NE(served.exit_code, 0);
    EXPECT_NE(served.exit_code, 124) << "serve started";
    EXPECT_NE(served.err.find(mentions), std::string::npos) << served.err;
    for (const std::string& text : {checked.out, checked.err, served.out, served.err})
      EXPECT_EQ(text.find(*target_.password), std::string::npos) << "the password is shown: " << text;
  }

  TempDir dir_;
  std::string database_, password_file_;
  PostgresTarget target_;
};

TEST_F(PostgresStoreErrors, AWrongPasswordIsRefusedNamingHostAndDatabase) {
  const std::string file = config(target_.url, write("wrong.password", "not-the-password\n"));
  expect_refused(file, "password authentication failed");
  expect_refused(file, "127.0.0.1:" + PostgresServer::shared().port() + "/" + database_);
  EXPECT_EQ(database_dump(target_).find("CREATE TABLE"), std::string::npos) << "nothing was created";
}

TEST_F(PostgresStoreErrors, AnUnreachableHostIsRefused) {
  // Port 1 on loopback: nothing listens there, the connection is refused at once.
  const std::string url = "postgresql://rosterd@127.0.0.1:1/" + database_;
  expect_refused(config(url, password_file_), url);
}

TEST_F(PostgresStoreErrors, AnUnreadablePasswordFileIsRefusedNamingTheFile) {
  const std::string missing = dir_.file("no-such.password");
  const auto checked = check(config(target_.url, missing));
  EXPECT_EQ(checked.exit_code, 1);
  EXPECT_NE(checked.err.find("cannot read the store's password_file " + missing), std::string::npos) << checked.err;
}

TEST_F(PostgresStoreErrors, ANewerSchemaIsRefusedAndTheDatabaseIsLeftAsItWas) {
  const std::string file = config(target_.url, password_file_);
  const auto first = check(file);
  EXPECT_EQ(first.exit_code, 0) << first.err;  // an empty database: serve will create the schema
  EXPECT_EQ(database_dump(target_).find("CREATE TABLE"), std::string::npos) << "check-config created nothing";
  {
    auto conn = sql::PgConnection::connect(target_);
    ASSERT_TRUE(conn.has_value()) << conn.error().message;
    ASSERT_TRUE(sql::migrate(**conn).has_value());
    ASSERT_TRUE((*conn)->execute("UPDATE schema_version SET version = 99", {}).has_value());
  }
  const std::string before = database_dump(target_);
  expect_refused(file, "the database has schema version 99, newer than this rosterd knows");
  EXPECT_TRUE(database_dump(target_) == before) << "the database changed";
}

TEST_F(PostgresStoreErrors, ACertificateThatDoesNotVerifyAgainstSslrootcertIsRefused) {
  // A private server with TLS on, its certificate signed by one CA; rosterd trusts another.
  auto server = PostgresServer::start_private();
  if (!server->available()) GTEST_SKIP() << server->why_unavailable();
  const std::string certs = dir_.file("certs");
  std::filesystem::create_directories(certs);
  const auto openssl = [&](const std::string& args) {
    return std::system(("cd " + certs + " && openssl " + args + " >/dev/null 2>&1").c_str());
  };
  ASSERT_EQ(openssl("req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=server-ca -keyout ca.key -out ca.pem"), 0);
  ASSERT_EQ(openssl("req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=other-ca -keyout other.key -out other.pem"),
            0);
  ASSERT_EQ(openssl("req -newkey rsa:2048 -nodes -subj /CN=127.0.0.1 -keyout server.key -out server.csr"), 0);
  ASSERT_EQ(openssl("x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 1 -out server.pem"), 0);
  if (::geteuid() == 0) std::system(("chown postgres " + certs + "/server.key " + certs + "/server.pem").c_str());
  std::filesystem::permissions(certs + "/server.key",
                               std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  std::filesystem::permissions(dir_.file(""), std::filesystem::perms::others_exec, std::filesystem::perm_options::add);
  std::filesystem::permissions(certs, std::filesystem::perms::others_exec | std::filesystem::perms::others_read,
                               std::filesystem::perm_options::add);
  // One statement per call: ALTER SYSTEM cannot run in the transaction of a multi-statement script.
  for (const std::string& setting : {std::string("ssl = on"), "ssl_cert_file = '" + certs + "/server.pem'",
                                     "ssl_key_file = '" + certs + "/server.key'"})
    ASSERT_EQ(server->admin("ALTER SYSTEM SET " + setting), "");
  ASSERT_TRUE(server->restart());
  const PostgresTarget tls = server->target("postgres");
  std::ofstream(password_file_) << *tls.password << "\n";
  target_.password = tls.password;
  const std::string trusted = tls.url + "?sslmode=verify-full&sslrootcert=" + certs + "/ca.pem";
  ASSERT_EQ(check(config(trusted, password_file_)).exit_code, 0) << "the right CA verifies";
  const std::string wrong = tls.url + "?sslmode=verify-full&sslrootcert=" + certs + "/other.pem";
  expect_refused(config(wrong, password_file_), "certificate verify failed");
}

// The SCIM port of a `rosterd serve` from its "listening" line in `log`, or 0.
std::uint16_t scim_port(Child& child, const std::string& log) {
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  const std::string marker = R"("event":"listening","listener":"scim","address":"127.0.0.1:)";
  while (std::chrono::steady_clock::now() < give_up) {
    std::ifstream in(log);
    for (std::string line; std::getline(in, line);)
      if (const auto at = line.find(marker); at != std::string::npos)
        return static_cast<std::uint16_t>(std::stoi(line.substr(at + marker.size())));
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

TEST_F(PostgresStoreErrors, TheDatabaseGoingAwayIsA503WithRetryAfterAndServeRecovers) {
  auto server = PostgresServer::start_private();
  if (!server->available()) GTEST_SKIP() << server->why_unavailable();
  const PostgresTarget pg = server->target("postgres");
  std::ofstream(password_file_) << *pg.password << "\n";
  target_.password = pg.password;
  // The SCIM token "t": its digest.
  const std::string file = write(
      "rosterd.yaml", "store:\n  url: '" + pg.url + "'\n  password_file: " + password_file_ + "\n" + kBody +
                          "sources:\n  - {id: idp, kind: scim, space: acme, tokens: "
                          "['sha256:e3b98a4da31a127d4bde6e43033f66ba274cab0eb7eb1c70ec41402bf6273dd8']}\n");
  const std::string log = dir_.file("serve.log");
  Child serve({ROSTERD_BINARY, "serve", "--config", file, "--listen", "127.0.0.1:0", "--admin-listen", "127.0.0.1:0"},
              {}, log);
  const std::uint16_t port = scim_port(serve, log);
  ASSERT_NE(port, 0);
  const auto scim = [&](const std::string& method, const std::string& path, const std::string& body = "") {
    HttpClient client(port);
    std::string request = method + " /scim/v2" + path +
                          " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nAuthorization: Bearer t\r\n";
    if (!body.empty())
      request += "Content-Type: application/scim+json\r\nContent-Length: " + std::to_string(body.size()) + "\r\n";
    client.send(request + "\r\n" + body);
    return client.read_reply().value_or(HttpClient::Reply{});
  };
  const auto user = [](const std::string& name) {
    return R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":")" + name + R"("})";
  };
  const auto stored = [&](const std::string& name) {
    const auto r = scim("GET", "/Users?filter=userName%20eq%20%22" + name + "%22");
    EXPECT_EQ(r.status, 200) << r.body;
    return r.body.find(R"("totalResults":1)") != std::string::npos;
  };
  ASSERT_EQ(scim("POST", "/Users", user("before@acme.example")).status, 201);

  ASSERT_TRUE(server->stop_server());
  const auto refused_write = scim("POST", "/Users", user("during@acme.example"));
  EXPECT_EQ(refused_write.status, 503) << refused_write.body;
  EXPECT_EQ(refused_write.header("retry-after"), "5");
  const auto refused_read = scim("GET", "/Users");
  EXPECT_EQ(refused_read.status, 503) << refused_read.body;
  EXPECT_EQ(refused_read.header("retry-after"), "5");

  ASSERT_TRUE(server->start_server());
  // A request after the restart may still meet an old connection (503); rosterd reconnects
  // by itself. Polled, with a deadline, until the write goes through.
  int status = 0;
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(15);
  while (status != 201 && std::chrono::steady_clock::now() < give_up) {
    status = scim("POST", "/Users", user("after@acme.example")).status;
    if (status == 503) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    else EXPECT_EQ(status, 201);
  }
  EXPECT_EQ(status, 201);
  EXPECT_TRUE(stored("before@acme.example"));
  EXPECT_TRUE(stored("after@acme.example"));
  EXPECT_FALSE(stored("during@acme.example")) << "answered 503, so not stored";
  serve.signal(SIGTERM);
  EXPECT_EQ(serve.wait(), 0);
}

}  // namespace
}  // namespace rosterd::testing
