// --log-level: its values, and the threshold applied to log lines.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <string>

#include "daemon/log.h"

namespace rosterd {
namespace {

TEST(LogLevel, ParsesTheFourNames) {
  EXPECT_EQ(parse_log_level("debug"), LogLevel::Debug);
  EXPECT_EQ(parse_log_level("info"), LogLevel::Info);
  EXPECT_EQ(parse_log_level("warning"), LogLevel::Warning);
  EXPECT_EQ(parse_log_level("error"), LogLevel::Error);
}

TEST(LogLevel, RefusesAnythingElseNamingTheAcceptedValues) {
  for (const char* bad : {"", "INFO", "warn", "verbose", "debug "}) {
    const auto r = parse_log_level(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().code, ErrorCode::Usage);
    EXPECT_EQ(r.error().message, "--log-level: expected debug, info, warning or error, not '" + std::string(bad) + "'");
  }
}

// Runs `write` with stderr going to a temporary file, and returns what it wrote.
template <class F>
std::string captured_stderr(F write) {
  std::FILE* file = std::tmpfile();
  const int saved = ::dup(STDERR_FILENO);
  ::dup2(::fileno(file), STDERR_FILENO);
  write();
  ::dup2(saved, STDERR_FILENO);
  ::close(saved);
  std::string text;
  std::rewind(file);
  for (int c; (c = std::fgetc(file)) != EOF;) text += static_cast<char>(c);
  std::fclose(file);
  return text;
}

TEST(LogLevel, LinesBelowTheThresholdAreNotWritten) {
  const LogLevel before = log_level();
  const std::string text = captured_stderr([] {
    set_log_level(LogLevel::Warning);
    log_event("debug", "d");
    log_event("info", "i");
    log_event("warning", "w", {{"source", "corp"}});
    log_event("error", "e");
  });
  set_log_level(before);
  EXPECT_EQ(text.find(R"("event":"d")"), std::string::npos) << text;
  EXPECT_EQ(text.find(R"("event":"i")"), std::string::npos) << text;
  EXPECT_NE(text.find(R"("level":"warning","event":"w","source":"corp"})"), std::string::npos) << text;
  EXPECT_NE(text.find(R"("level":"error","event":"e"})"), std::string::npos) << text;
}

TEST(LogLevel, InfoIsTheDefaultAndDebugShowsEverything) {
  EXPECT_EQ(log_level(), LogLevel::Info);
  const std::string text = captured_stderr([] {
    log_event("debug", "hidden");
    set_log_level(LogLevel::Debug);
    log_event("debug", "shown");
    set_log_level(LogLevel::Info);
  });
  EXPECT_EQ(text.find("hidden"), std::string::npos) << text;
  EXPECT_NE(text.find(R"("level":"debug","event":"shown")"), std::string::npos) << text;
}

}  // namespace
}  // namespace rosterd
