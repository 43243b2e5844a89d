// Timestamps: UTC text with milliseconds and a trailing 'Z'; parsing accepts dates, times
// with fractions and offsets, and refuses what is not a real time.
#include <gtest/gtest.h>

#include <chrono>
#include <iterator>
#include <string>

#include "core/timestamp.h"

namespace rosterd {
namespace {

using namespace std::chrono;

Timestamp utc(int y, unsigned m, unsigned d, int hh = 0, int mm = 0, int ss = 0, int ms = 0) {
  return Timestamp{sys_days{year{y} / month{m} / day{d}}} + hours{hh} + minutes{mm} + seconds{ss} +
         milliseconds{ms};
}

TEST(FormatTimestamp, WritesUtcWithMillisecondsAndZ) {
  EXPECT_EQ(format_timestamp(utc(2026, 11, 23, 19, 6, 0, 123)), "2026-11-23T19:06:00.123Z");
  EXPECT_EQ(format_timestamp(utc(2026, 1, 2, 3, 4, 5, 6)), "2026-01-02T03:04:05.006Z");
  EXPECT_EQ(format_timestamp(Timestamp{}), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(format_timestamp(utc(1969, 12, 31, 23, 59, 59, 999)), "1969-12-31T23:59:59.999Z");
  EXPECT_EQ(format_timestamp(utc(2024, 2, 29, 23, 59, 59, 999)), "2024-02-29T23:59:59.999Z");
}

TEST(ParseTimestamp, RoundTripsWhatFormatWrites) {
  for (const Timestamp t : {utc(2026, 11, 23, 19, 6, 0, 123), utc(1999, 12, 31, 23, 59, 59, 999),
                            utc(2000, 2, 29), utc(1969, 7, 20, 20, 17, 40, 1), Timestamp{},
                            utc(9999, 12, 31, 23, 59, 59, 999)}) {
    const std::string text = format_timestamp(t);
    const auto back = parse_timestamp(text);
    ASSERT_TRUE(back.has_value()) << text;
    EXPECT_EQ(*back, t) << text;
    EXPECT_EQ(format_timestamp(*back), text);
  }
}

TEST(ParseTimestamp, ADateAloneIsMidnightUtc) {
  EXPECT_EQ(parse_timestamp("2026-11-23"), utc(2026, 11, 23));
}

TEST(ParseTimestamp, AnOffsetIsSubtractedToGiveUtc) {
  EXPECT_EQ(parse_timestamp("2026-01-01T10:00:00+02:00"), utc(2026, 1, 1, 8));
  EXPECT_EQ(parse_timestamp("2026-01-01T10:00:00-05:30"), utc(2026, 1, 1, 15, 30));
  EXPECT_EQ(parse_timestamp("2026-01-01T10:00:00+00:00"), utc(2026, 1, 1, 10));
  EXPECT_EQ(parse_timestamp("2026-01-01T10:00:00-00:00"), utc(2026, 1, 1, 10));
  EXPECT_EQ(parse_timestamp("2026-01-01T10:00:00.250+01:00"), utc(2026, 1, 1, 9, 0, 0, 250));
}

TEST(ParseTimestamp, AnOffsetMayMoveTheDateAcrossMidnightAndYears) {
  EXPECT_EQ(parse_timestamp("2026-01-01T01:00:00+02:00"), utc(2025, 12, 31, 23));
  EXPECT_EQ(parse_timestamp("2025-12-31T22:30:00-01:45"), utc(2026, 1, 1, 0, 15));
  EXPECT_EQ(parse_timestamp("2024-02-28T23:00:00-02:00"), utc(2024, 2, 29, 1));
}

TEST(ParseTimestamp, FractionsArePaddedOrCutToMilliseconds) {
  EXPECT_EQ(parse_timestamp("2026-01-01T00:00:00.1Z"), utc(2026, 1, 1, 0, 0, 0, 100));
  EXPECT_EQ(parse_timestamp("2026-01-01T00:00:00.12Z"), utc(2026, 1, 1, 0, 0, 0, 120));
  EXPECT_EQ(parse_timestamp("2026-01-01T00:00:00.123456Z"), utc(2026, 1, 1, 0, 0, 0, 123));
  EXPECT_EQ(parse_timestamp("2026-01-01T00:00:00Z"), utc(2026, 1, 1));
}

TEST(ParseTimestamp, AcceptsALowerCaseTOrZAndASpace) {
  EXPECT_EQ(parse_timestamp("2026-01-01t10:00:00z"), utc(2026, 1, 1, 10));
  EXPECT_EQ(parse_timestamp("2026-01-01 10:00:00Z"), utc(2026, 1, 1, 10));
}

TEST(ParseTimestamp, RefusesDatesThatDoNotExist) {
  for (const char* text : {"2026-02-30", "2026-02-29", "2100-02-29", "2026-04-31", "2026-13-01",
                           "2026-00-10", "2026-01-00", "2026-01-32", "2026-02-30T10:00:00Z"})
    EXPECT_EQ(parse_timestamp(text), std::nullopt) << text;
  EXPECT_TRUE(parse_timestamp("2024-02-29").has_value());
  EXPECT_TRUE(parse_timestamp("2000-02-29").has_value());
}

TEST(ParseTimestamp, RefusesTimesThatDoNotExist) {
  for (const char* text : {"2026-01-01T24:00:00Z", "2026-01-01T10:60:00Z", "2026-01-01T10:00:61Z",
                           "2026-01-01T10:00:00+24:00", "2026-01-01T10:00:00+01:60"})
    EXPECT_EQ(parse_timestamp(text), std::nullopt) << text;
}

TEST(ParseTimestamp, RefusesMalformedText) {
  for (const char* text :
       {"", "2026", "2026-1-01", "2026-01-1", "26-01-01", "2026/01/01", "2026-01-01T",
        "2026-01-01T10:00Z", "2026-01-01T10:00:00", "2026-01-01T10:00:00.Z",
        "2026-01-01T10:00:00+0200", "2026-01-01T10:00:00+02", "2026-01-01T10:00:00 Z",
        "2026-01-01T10:00:00Zjunk", "2026-01-01X10:00:00Z", "2026-01-01T1a:00:00Z",
        "2026-01-01T10:00:00UTC", "2026-01-01junk", "+026-01-01", "2026-01-01T10:00:00.12a3Z"})
    EXPECT_EQ(parse_timestamp(text), std::nullopt) << "'" << text << "'";
}

TEST(ParseDate, AcceptsOnlyRealDatesInIsoForm) {
  EXPECT_EQ(parse_date("2026-12-01"), sys_days{year{2026} / 12 / 1});
  EXPECT_EQ(parse_date("2026-02-30"), std::nullopt);
  EXPECT_EQ(parse_date("2026-12-01T00:00:00Z"), std::nullopt);
  EXPECT_EQ(parse_date("2026-12-1"), std::nullopt);
  EXPECT_EQ(format_date(sys_days{year{2026} / 1 / 5}), "2026-01-05");
  EXPECT_EQ(format_date(*parse_date("1999-12-31")), "1999-12-31");
}

TEST(FormatTimestamp, TheTextSortsLikeTheTime) {
  const Timestamp times[] = {utc(1969, 12, 31, 23, 59, 59, 999), Timestamp{},
                             utc(1999, 12, 31, 23, 59, 59, 999), utc(2000, 1, 1),
                             utc(2026, 9, 30, 23, 59, 59, 999), utc(2026, 10, 1),
                             utc(2026, 10, 1, 0, 0, 0, 1)};
  for (std::size_t i = 0; i + 1 < std::size(times); ++i)
    EXPECT_LT(format_timestamp(times[i]), format_timestamp(times[i + 1])) << i;
}

}  // namespace
}  // namespace rosterd
