// store, listen and admin_token_file, and the value parsers they use.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "config/duration.h"
#include "config/host_port.h"
#include "config_test_support.h"

namespace rosterd {
namespace {

using testing::accepted;
using ::testing::ElementsAre;
using testing::error_lines;
using testing::errors_of;
using testing::yaml_lines;

TEST(Store, DefaultsToTheSystemSqliteDatabase) {
  EXPECT_EQ(accepted("spaces: {}\n").store, "sqlite:/var/lib/rosterd/rosterd.db");
}

TEST(Store, RelativeSqlitePathIsResolvedAgainstTheConfigDirectory) {
  EXPECT_EQ(accepted("store: sqlite:data/r.db\n", "/etc/rosterd/rosterd.yaml").store,
            "sqlite:/etc/rosterd/data/r.db");
  EXPECT_EQ(accepted("store: sqlite:../var/demo.db\n", "/srv/app/examples/demo.yaml").store,
            "sqlite:/srv/app/var/demo.db");
}

TEST(Store, AbsoluteSqlitePathAndMemoryAreKeptAsWritten) {
  EXPECT_EQ(accepted("store: sqlite:/data/r.db\n", "/etc/rosterd/rosterd.yaml").store,
            "sqlite:/data/r.db");
  EXPECT_EQ(accepted("store: 'sqlite::memory:'\n", "/etc/rosterd/rosterd.yaml").store,
            "sqlite::memory:");
}

TEST(Store, LoadConfigGivenARelativePathResolvesToAnAbsoluteDatabasePath) {
  const std::filesystem::path source_dir = ROSTERD_SOURCE_DIR;
  const auto relative = std::filesystem::relative(source_dir / "examples/demo.yaml");
  ASSERT_TRUE(relative.is_relative());
  const auto config = load_config(relative.string());
  ASSERT_TRUE(config.has_value()) << config.error().message;
  EXPECT_EQ(config->store, "sqlite:" + (source_dir / "var/demo.db").lexically_normal().string());
}

TEST(Store, PostgresUrlsAreAccepted) {
  EXPECT_EQ(accepted("store: postgresql://rosterd@db.internal/rosterd\n").store,
            "postgresql://rosterd@db.internal/rosterd");
  EXPECT_EQ(accepted("store: postgres://db/r\n").store, "postgres://db/r");
}

TEST(Store, OtherSchemesAreRefusedWithoutEchoingTheUrl) {
  const std::string message = errors_of("store: mysql://root:hunter2@db/r\n");
  EXPECT_EQ(message,
            "rosterd.yaml:1:8: store: expected 'sqlite:<path of the database file>' or "
            "'postgresql://<user>@<host>/<database>'");
  EXPECT_EQ(errors_of("store: 'sqlite:'\n"),
            "rosterd.yaml:1:8: store: expected a database file after 'sqlite:'");
}

TEST(Store, PostgresUrlQueryOptionsArePassedThroughUntouched) {
  const std::string url =
      "postgresql://rosterd@db.internal:5432/rosterd?sslmode=verify-full&sslrootcert=/etc/rosterd/db-ca.pem";
  EXPECT_EQ(accepted("store: " + url + "\n").store, url);
}

TEST(Store, MapFormGivesTheUrlAndAPasswordFileResolvedAgainstTheConfigDirectory) {
  const auto yaml = yaml_lines({
      "store:",
      "  url: postgresql://rosterd@db.internal/rosterd?sslmode=verify-full",
      "  password_file: secrets/db-password",
  });
  const auto config = accepted(yaml, "/etc/rosterd/rosterd.yaml");
  EXPECT_EQ(config.store, "postgresql://rosterd@db.internal/rosterd?sslmode=verify-full");
  EXPECT_EQ(config.store_password_file, "/etc/rosterd/secrets/db-password");
  EXPECT_EQ(accepted("store: {url: 'postgres://db/r', password_file: /run/pw}\n").store_password_file, "/run/pw");
}

TEST(Store, TheStringFormHasNoPasswordFile) {
  EXPECT_EQ(accepted("store: postgresql://rosterd@db/r\n").store_password_file, "");
  EXPECT_EQ(accepted("store: {url: postgresql://rosterd@db/r}\n").store_password_file, "");
}

TEST(Store, APasswordInTheUrlIsRefusedWithoutEchoingIt) {
  const std::string expected =
      "rosterd.yaml:1:8: store: the URL holds a password: secrets stay out of the configuration; put "
      "the password in a file named by store.password_file (or use libpq's PGPASSFILE / PGPASSWORD)";
  EXPECT_EQ(errors_of("store: postgresql://rosterd:hunter2@db/r\n"), expected);
  EXPECT_EQ(errors_of("store: postgresql://rosterd@db/r?sslmode=require&password=hunter2\n"), expected);
  EXPECT_EQ(errors_of("store: postgres://rosterd@db/r?pass%77ord=hunter2\n"), expected);
  const std::string in_map = errors_of("store: {url: 'postgresql://u:hunter2@db/r', password_file: /pw}\n");
  EXPECT_THAT(in_map, ::testing::HasSubstr("rosterd.yaml:1:14: store.url: the URL holds a password"));
  EXPECT_THAT(in_map, ::testing::Not(::testing::HasSubstr("hunter2")));
}

TEST(Store, AnAtSignInTheQueryOrAColonInTheHostIsNotAPassword) {
  EXPECT_EQ(accepted("store: postgresql://rosterd@db:5432/r?application_name=a@b\n").store,
            "postgresql://rosterd@db:5432/r?application_name=a@b");
  EXPECT_EQ(accepted("store: 'postgresql://rosterd@[::1]:5432/r?passfile=/etc/pgpass'\n").store,
            "postgresql://rosterd@[::1]:5432/r?passfile=/etc/pgpass");
}

TEST(Store, MapFormRefusesUnknownKeysAMissingUrlAndAPasswordFileForSqlite) {
  EXPECT_EQ(errors_of(yaml_lines({"store:", "  url: postgresql://rosterd@db/r", "  pasword_file: /pw"})),
            "rosterd.yaml:3:3: store.pasword_file: unknown key 'pasword_file'; did you mean 'password_file'?");
  EXPECT_EQ(errors_of(yaml_lines({"store:", "  password_file: /pw"})),
            "rosterd.yaml:1:1: store.url: is required");
  EXPECT_EQ(errors_of(yaml_lines({"store:", "  url: sqlite:/data/r.db", "  password_file: /pw"})),
            "rosterd.yaml:3:3: store.password_file: a sqlite: store has no password: password_file is for "
            "postgresql:// stores");
  EXPECT_EQ(accepted("store: {url: 'sqlite:data/r.db'}\n", "/etc/rosterd/rosterd.yaml").store,
            "sqlite:/etc/rosterd/data/r.db");
}

TEST(Listen, AddressesAreRead) {
  const auto config = accepted("listen: {scim: '[::1]:8443', admin: 0.0.0.0:9090}\n");
  EXPECT_EQ(config.listen.scim, "[::1]:8443");
  EXPECT_EQ(config.listen.admin, "0.0.0.0:9090");
  EXPECT_TRUE(config.listen.tls_cert.empty());
}

TEST(Listen, AddressesNeedAHostAndAPortFrom1To65535) {
  const auto yaml = yaml_lines({
      "listen:",                  // 1
      "  scim: 127.0.0.1:65536",  // 2
      "  admin: localhost",       // 3
  });
  EXPECT_THAT(
      error_lines(yaml),
      ElementsAre("rosterd.yaml:2:9: listen.scim: expected host:port with a port from 1 to 65535 "
                  "(e.g. 127.0.0.1:8080 or [::1]:8080), got '127.0.0.1:65536'",
                  "rosterd.yaml:3:10: listen.admin: expected host:port with a port from 1 to 65535 "
                  "(e.g. 127.0.0.1:8080 or [::1]:8080), got 'localhost'"));
  EXPECT_THAT(errors_of("listen: {scim: ':8080'}\n"), ::testing::HasSubstr("got ':8080'"));
  EXPECT_THAT(errors_of("listen: {scim: 'localhost:http'}\n"),
              ::testing::HasSubstr("got 'localhost:http'"));
  EXPECT_THAT(errors_of("listen: {scim: '::1:8080'}\n"), ::testing::HasSubstr("got '::1:8080'"));
}

TEST(Listen, ScimAndAdminCannotShareAnAddress) {
  EXPECT_EQ(
      errors_of("listen: {scim: 127.0.0.1:80, admin: 127.0.0.1:80}\n"),
      "rosterd.yaml:1:37: listen.admin: the admin listener cannot share the address of the scim "
      "listener");
}

TEST(Listen, TlsNeedsBothCertAndKey) {
  const auto yaml = yaml_lines({
      "listen:",                         // 1
      "  scim: 127.0.0.1:8443",          // 2
      "  tls:",                          // 3
      "    cert: /etc/rosterd/tls.crt",  // 4
  });
  EXPECT_EQ(errors_of(yaml),
            "rosterd.yaml:3:3: listen.tls: 'key' is missing: 'cert' and 'key' are "
            "required together");
  EXPECT_EQ(
      errors_of("listen: {tls: {key: /k}}\n"),
      "rosterd.yaml:1:10: listen.tls: 'cert' is missing: 'cert' and 'key' are required together");
  const auto config = accepted("listen: {tls: {cert: /c, key: /k}}\n");
  EXPECT_EQ(config.listen.tls_cert, "/c");
  EXPECT_EQ(config.listen.tls_key, "/k");
}

TEST(HostPort, SplitsHostAndPort) {
  const auto v4 = parse_host_port("127.0.0.1:8080");
  ASSERT_TRUE(v4);
  EXPECT_EQ(v4->host, "127.0.0.1");
  EXPECT_EQ(v4->port, 8080);
  const auto v6 = parse_host_port("[::1]:1");
  ASSERT_TRUE(v6);
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(v6->port, 1);
  EXPECT_TRUE(parse_host_port("scim.internal:65535"));
  EXPECT_FALSE(parse_host_port("host:0"));
  EXPECT_FALSE(parse_host_port("host:-1"));
  EXPECT_FALSE(parse_host_port("host:80x"));
  EXPECT_FALSE(parse_host_port("host:"));
  EXPECT_FALSE(parse_host_port("[]:80"));
  EXPECT_FALSE(parse_host_port("ho st:80"));
}

TEST(Duration, ParsesUnitsAndCombinations) {
  using std::chrono::seconds;
  EXPECT_EQ(parse_duration("30s"), seconds(30));
  EXPECT_EQ(parse_duration("5m"), seconds(300));
  EXPECT_EQ(parse_duration("6h"), seconds(21600));
  EXPECT_EQ(parse_duration("1d"), seconds(86400));
  EXPECT_EQ(parse_duration("1h30m"), seconds(5400));
  EXPECT_FALSE(parse_duration(""));
  EXPECT_FALSE(parse_duration("30"));
  EXPECT_FALSE(parse_duration("m"));
  EXPECT_FALSE(parse_duration("0s"));
  EXPECT_FALSE(parse_duration("-5m"));
  EXPECT_FALSE(parse_duration("5 m"));
  EXPECT_FALSE(parse_duration("5w"));
  EXPECT_FALSE(parse_duration("99999999999999999d"));
}

}  // namespace
}  // namespace rosterd
