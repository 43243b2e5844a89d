// The text exposition format as rendered, read back by the strict parser of the tests.
#include "daemon/metrics/exposition.h"

#include <gtest/gtest.h>

#include <cmath>

#include "tests/support/prometheus_text.h"

namespace rosterd::metrics {
namespace {

using rosterd::testing::parse_prometheus_text;

TEST(Exposition, WritesHelpAndTypeBeforeTheSamples) {
  const std::string text = render_exposition(
      {MetricFamily{"rosterd_requests_total", "Requests", MetricType::Counter, {Sample{"", {{"route", "/a"}}, 3}}}});
  EXPECT_EQ(text,
            "# HELP rosterd_requests_total Requests\n"
            "# TYPE rosterd_requests_total counter\n"
            "rosterd_requests_total{route=\"/a\"} 3\n");
  const auto parsed = parse_prometheus_text(text);
  ASSERT_EQ(parsed.error, "");
  EXPECT_EQ(parsed.families.at("rosterd_requests_total").type, "counter");
  EXPECT_EQ(parsed.families.at("rosterd_requests_total").help, "Requests");
}

TEST(Exposition, EscapesBackslashQuoteAndNewlineInLabelValuesSoTheyReadBackUnchanged) {
  const std::string nasty = "a\\b\"c\nd}e,f=\"g";
  EXPECT_EQ(escape_label_value(nasty), "a\\\\b\\\"c\\nd}e,f=\\\"g");
  const std::string text =
      render_exposition({MetricFamily{"m", "h", MetricType::Gauge, {Sample{"", {{"x", nasty}, {"y", "plain"}}, 1}}}});
  const auto parsed = parse_prometheus_text(text);
  ASSERT_EQ(parsed.error, "") << text;
  EXPECT_EQ(parsed.value("m", {{"x", nasty}, {"y", "plain"}}), 1.0);
}

TEST(Exposition, EscapesBackslashAndNewlineInHelpButNotQuotes) {
  EXPECT_EQ(escape_help("a\\b\nc\"d"), "a\\\\b\\nc\"d");
  const auto parsed = parse_prometheus_text(render_exposition({MetricFamily{"m", "two\nlines \\ \"q\"", MetricType::Gauge, {}}}));
  ASSERT_EQ(parsed.error, "");
  EXPECT_EQ(parsed.families.at("m").help, "two\nlines \\ \"q\"");
}

TEST(Exposition, FormatsIntegersPlainlyAndSpecialValuesAsPrometheusSpellsThem) {
  EXPECT_EQ(format_value(0), "0");
  EXPECT_EQ(format_value(1234567), "1234567");
  EXPECT_EQ(format_value(-2), "-2");
  EXPECT_EQ(format_value(HUGE_VAL), "+Inf");
  EXPECT_EQ(format_value(-HUGE_VAL), "-Inf");
  EXPECT_EQ(format_value(std::nan("")), "NaN");
  EXPECT_EQ(format_value(0.1), "0.1");
  EXPECT_EQ(format_value(0.0025), "0.0025");
  EXPECT_EQ(std::stod(format_value(1.0 / 3)), 1.0 / 3);
}

// The parser must be strict, or the tests that use it prove nothing.
TEST(StrictParser, RejectsWhatAScraperWouldRefuse) {
  const char* bad[] = {
      "m 1",                                          // no final newline
      "m{a=\"x} 1\n",                                 // unterminated value
      "m{a=\"\\q\"} 1\n",                             // unknown escape
      "m{a=\"x\",} 1\n",                              // trailing comma
      "m{a=\"x\",a=\"y\"} 1\n",                       // label twice
      "m 1\nm 2\n",                                   // series twice
      "# TYPE m counter\n# TYPE m counter\nm 1\n",    // TYPE twice
      "m 1\n# TYPE m counter\n",                      // TYPE after samples
      "# TYPE m counter\nm -1\n",                     // negative counter
      "m one\n",                                      // bad value
      "a 1\nb 1\na{x=\"1\"} 1\n",                     // a family split
      "1m 1\n",                                       // bad name
      "m  1\n",                                       // two spaces
      "\n",                                           // empty line
      "# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 1\nh_sum 1\nh_count 1\n",  // not cumulative
      "# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_bucket{le=\"+Inf\"} 2\nh_sum 1\nh_count 3\n",  // +Inf != count
      "# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_sum 1\nh_count 1\n",                          // no +Inf
      "# TYPE h histogram\nh_bucket{le=\"+Inf\"} 1\nh_count 1\n",                                // no _sum
      "# TYPE h histogram\nh_bucket 1\nh_sum 1\nh_count 1\n",                                    // bucket without le
  };
  for (const char* text : bad) EXPECT_NE(parse_prometheus_text(text).error, "") << text;
  EXPECT_EQ(parse_prometheus_text("# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_bucket{le=\"+Inf\"} 2\n"
                                  "h_sum 3.5\nh_count 2\n# other comment\nm{a=\"\"} NaN 1700000000000\n")
                .error,
            "");
}

}  // namespace
}  // namespace rosterd::metrics
