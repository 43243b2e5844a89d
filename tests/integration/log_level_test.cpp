// The log of `rosterd serve`: one JSON object per line on stderr with ts, level and event;
// --log-level keeps the lines below it out; a bad value is a usage error (exit 2) that
// names the accepted ones.
#include <gtest/gtest.h>

#include "core/timestamp.h"
#include "tests/integration/service_fixture.h"

namespace rosterd::testing {
namespace {

std::vector<boost::json::object> log_lines(const std::string& log) {
  std::vector<boost::json::object> out;
  std::istringstream lines(log);
  for (std::string line; std::getline(lines, line);) {
    boost::system::error_code ec;
    const auto value = boost::json::parse(line, ec);
    EXPECT_FALSE(ec) << "not JSON: " << line;
    EXPECT_TRUE(!ec && value.is_object()) << "not an object: " << line;
    if (!ec && value.is_object()) out.push_back(value.as_object());
  }
  return out;
}

TEST(ServeLog, ABadValueIsAUsageErrorNamingTheAcceptedValues) {
  TempDir dir;
  for (const std::vector<std::string>& argv :
       {std::vector<std::string>{ROSTERD_BINARY, "--log-level", "verbose", "licences", "--config", dir.file("x.yaml")},
        std::vector<std::string>{ROSTERD_BINARY, "serve", "--log-level=verbose", "--config", dir.file("x.yaml")}}) {
    const auto r = run(argv);
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_NE(r.err.find("--log-level: expected debug, info, warning or error, not 'verbose'"), std::string::npos)
        << r.err;
  }
  const auto missing = run({ROSTERD_BINARY, "serve", "--config", dir.file("x.yaml"), "--log-level"});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("--log-level needs a value"), std::string::npos) << missing.err;
}

TEST(ServeLog, EveryLineIsAJsonObjectWithTimeLevelAndEvent) {
  ServiceProcess service;
  service.start();
  ASSERT_TRUE(service.wait_ready()) << service.log();
  service.child().signal(SIGTERM);
  ASSERT_EQ(service.child().wait(), 0);
  const auto lines = log_lines(service.log());
  ASSERT_GE(lines.size(), 3u) << service.log();  // listening, stopping, stopped at least
  for (const auto& line : lines) {
    ASSERT_TRUE(line.contains("ts") && line.contains("level") && line.contains("event")) << line;
    const std::string ts(line.at("ts").as_string());
    EXPECT_TRUE(parse_timestamp(ts).has_value() && ts.back() == 'Z') << line;
  }
  EXPECT_TRUE(std::any_of(lines.begin(), lines.end(), [](const auto& l) { return l.at("event") == "listening"; }));
}

TEST(ServeLog, ErrorKeepsInfoLinesOutButNotErrors) {
  ServiceProcess service;
  service.start({}, {"--log-level", "error"});
  ASSERT_TRUE(service.wait_ready()) << service.log();
  service.write_raw_config("store: [unclosed\n");  // a reload that fails: an error line
  service.child().signal(SIGHUP);
  ASSERT_TRUE(service.notify().until("RELOADING=1"));
  ASSERT_TRUE(service.notify().until("READY=1"));
  service.child().signal(SIGTERM);
  ASSERT_EQ(service.child().wait(), 0);
  const auto lines = log_lines(service.log());
  ASSERT_FALSE(lines.empty()) << "the error line is missing";
  for (const auto& line : lines) EXPECT_EQ(line.at("level"), "error") << line;
  EXPECT_EQ(lines.front().at("event"), "reload_refused");
}

TEST(ServeLog, WarningKeepsInfoOutAndDebugKeepsEverything) {
  ServiceProcess quiet;
  quiet.start({}, {"--log-level=warning"});
  ASSERT_TRUE(quiet.wait_ready()) << quiet.log();
  ServiceProcess chatty;
  chatty.start({}, {"--log-level", "debug"});
  ASSERT_TRUE(chatty.wait_ready()) << chatty.log();
  for (ServiceProcess* s : {&quiet, &chatty}) {
    s->child().signal(SIGTERM);
    ASSERT_EQ(s->child().wait(), 0);
  }
  EXPECT_EQ(quiet.log().find(R"("level":"info")"), std::string::npos) << quiet.log();
  EXPECT_NE(chatty.log().find(R"("event":"listening")"), std::string::npos) << chatty.log();
  EXPECT_NE(chatty.log().find(R"("event":"stopped")"), std::string::npos) << chatty.log();
}

}  // namespace
}  // namespace rosterd::testing
