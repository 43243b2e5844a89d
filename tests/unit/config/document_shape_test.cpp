// The file as a whole: YAML syntax, empty files, the top level, unknown and duplicate keys,
// and reporting every problem at once.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config_test_support.h"

namespace rosterd {
namespace {

using ::testing::ElementsAre;
using testing::error_lines;
using testing::errors_of;
using testing::yaml_lines;

TEST(DocumentShape, YamlSyntaxErrorIsReportedWithOneBasedLineAndColumn) {
  const auto yaml = yaml_lines({
      "spaces:",                               // 1
      "  acme:",                               // 2
      "    licences: {recruiter: 5, manager",  // 3: unclosed flow map
      "store: x",                              // 4
  });
  // yaml-cpp points at the token where it gave up; one line, no other problem.
  EXPECT_EQ(errors_of(yaml), "rosterd.yaml:3:30: YAML syntax error: end of map flow not found");
}

TEST(DocumentShape, BadIndentationPointsAtTheOffendingColumn) {
  const auto yaml = yaml_lines({
      "store: sqlite:/x.db",  // 1
      "  listen: 1",          // 2: column 9 is the illegal ':'
  });
  EXPECT_EQ(errors_of(yaml), "rosterd.yaml:2:9: YAML syntax error: illegal map value");
}

TEST(DocumentShape, EmptyFileIsRefused) {
  EXPECT_THAT(errors_of(""), ::testing::StartsWith("rosterd.yaml:1:1: the file is empty"));
  EXPECT_THAT(errors_of("# only a comment\n"),
              ::testing::StartsWith("rosterd.yaml:1:1: the file is empty"));
}

TEST(DocumentShape, TopLevelListIsRefused) {
  EXPECT_EQ(errors_of("- store\n- spaces\n"),
            "rosterd.yaml:1:1: expected a map of settings at the top level (store, listen, "
            "admin_token_file, spaces, roles, sources, rules), got a list");
}

TEST(DocumentShape, TopLevelScalarIsRefused) {
  EXPECT_THAT(errors_of("hello\n"), ::testing::EndsWith("got 'hello'"));
}

TEST(DocumentShape, SecondYamlDocumentIsRefused) {
  const auto yaml = yaml_lines({
      "store: sqlite:/a.db",  // 1
      "---",                  // 2
      "store: sqlite:/b.db",  // 3
  });
  EXPECT_THAT(errors_of(yaml),
              ::testing::StartsWith("rosterd.yaml:3:1: a configuration file holds one "
                                    "YAML document"));
}

TEST(DocumentShape, UnknownTopLevelKeySuggestsTheNearestKey) {
  const auto yaml = yaml_lines({
      "store: sqlite:/x.db",  // 1
      "space:",               // 2
      "  acme: {}",           // 3
  });
  EXPECT_EQ(errors_of(yaml),
            "rosterd.yaml:2:1: space: unknown key 'space'; did you mean 'spaces'?");
}

TEST(DocumentShape, UnknownNestedKeySuggestsTheNearestKeyWithItsPath) {
  const auto yaml = yaml_lines({
      "spaces:",                       // 1
      "  acme:",                       // 2
      "    licenses: {recruiter: 5}",  // 3
  });
  EXPECT_THAT(error_lines(yaml),
              ElementsAre("rosterd.yaml:2:3: spaces.acme.licences: is required",
                          "rosterd.yaml:3:5: spaces.acme.licenses: unknown key 'licenses'; did you "
                          "mean 'licences'?"));
}

TEST(DocumentShape, UnknownKeyFarFromEveryKeyListsTheAcceptedKeys) {
  const auto yaml = yaml_lines({
      "listen:",                  // 1
      "  metrics: 0.0.0.0:9100",  // 2
  });
  EXPECT_EQ(errors_of(yaml),
            "rosterd.yaml:2:3: listen.metrics: unknown key 'metrics' (expected one "
            "of: scim, admin, tls)");
}

TEST(DocumentShape, DuplicateKeyIsRefusedNamingTheFirstOne) {
  const auto yaml = yaml_lines({
      "store: sqlite:/a.db",  // 1
      "store: sqlite:/b.db",  // 2
  });
  EXPECT_EQ(errors_of(yaml), "rosterd.yaml:2:1: store: duplicate key (first given at line 1)");
}

TEST(DocumentShape, EveryProblemIsReportedAtOnceInFileOrder) {
  const auto yaml = yaml_lines({
      "rules: []",                                     // 1
      "spaces:",                                       // 2
      "  acme:",                                       // 3
      "    licences: {recruiter: lots, manager: -1}",  // 4
      "    resolution: highest_rank",                  // 5
      "listen: {scim: 127.0.0.1:0}",                   // 6
      "admin_token_fil: /x",                           // 7
  });
  EXPECT_THAT(
      error_lines(yaml),
      ElementsAre(
          "rosterd.yaml:4:27: spaces.acme.licences.recruiter: expected a whole number >= 0, got "
          "'lots'",
          "rosterd.yaml:4:42: spaces.acme.licences.manager: expected a whole number >= 0, got '-1'",
          "rosterd.yaml:5:17: spaces.acme.resolution: expected one of highest-rank, first-match, "
          "got "
          "'highest_rank'; did you mean 'highest-rank'?",
          "rosterd.yaml:6:16: listen.scim: expected host:port with a port from 1 to 65535 (e.g. "
          "127.0.0.1:8080 or [::1]:8080), got '127.0.0.1:0'",
          "rosterd.yaml:7:1: admin_token_fil: unknown key 'admin_token_fil'; did you mean "
          "'admin_token_file'?"));
}

TEST(DocumentShape, MapWhereAStringIsExpectedIsAWrongType) {
  EXPECT_EQ(errors_of("admin_token_file: {path: /x}\n"),
            "rosterd.yaml:1:19: admin_token_file: expected a non-empty string, got a map");
  // store may be a map ({url, password_file}): its keys are checked instead.
  EXPECT_EQ(errors_of("store: {sqlite: /x.db}\n"),
            "rosterd.yaml:1:1: store.url: is required\n"
            "rosterd.yaml:1:9: store.sqlite: unknown key 'sqlite' (expected one of: url, password_file)");
  EXPECT_EQ(errors_of("admin_token_file: [a, b]\n"),
            "rosterd.yaml:1:19: admin_token_file: expected a non-empty string, got a list");
}

TEST(DocumentShape, KeyWithNothingAfterItPointsAtTheKey) {
  const auto yaml = yaml_lines({
      "store:",      // 1
      "spaces: {}",  // 2
  });
  EXPECT_EQ(errors_of(yaml), "rosterd.yaml:1:1: store: expected a non-empty string, got nothing");
}

TEST(DocumentShape, MessagesNameTheFileAsGiven) {
  EXPECT_THAT(errors_of("stor: x\n", "/etc/rosterd/prod.yaml"),
              ::testing::StartsWith("/etc/rosterd/prod.yaml:1:1: stor: unknown key"));
}

}  // namespace
}  // namespace rosterd
