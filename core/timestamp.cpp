#include "core/timestamp.h"

#include <cstdio>

namespace rosterd {
namespace {

bool read_digits(std::string_view text, std::size_t pos, std::size_t count, int& out) {
  if (pos + count > text.size()) return false;
  int value = 0;
  for (std::size_t i = pos; i < pos + count; ++i) {
    const char c = text[i];
    if (c < '0' || c > '9') return false;
    value = value * 10 + (c - '0');
  }
  out = value;
  return true;
}

std::optional<std::chrono::sys_days> make_day(int y, int m, int d) {
  const std::chrono::year_month_day ymd{std::chrono::year{y}, std::chrono::month{unsigned(m)},
                                        std::chrono::day{unsigned(d)}};
  if (!ymd.ok()) return std::nullopt;
  return std::chrono::sys_days{ymd};
}

}  // namespace

// Hand-written rather than snprintf: every stored row carries two or three of these,
// and formatting them was a tenth of the cost of applying an operation.
std::string format_timestamp(Timestamp t) {
  using namespace std::chrono;
  const auto day = floor<days>(t);
  const year_month_day ymd{day};
  const hh_mm_ss hms{t - day};
  std::string out = "0000-00-00T00:00:00.000Z";
  auto put = [&out](std::size_t pos, unsigned value, std::size_t width) {
    for (std::size_t i = 0; i < width; ++i, value /= 10) out[pos + width - 1 - i] = char('0' + value % 10);
  };
  put(0, unsigned(int(ymd.year())), 4);
  put(5, unsigned(ymd.month()), 2);
  put(8, unsigned(ymd.day()), 2);
  put(11, unsigned(hms.hours().count()), 2);
  put(14, unsigned(hms.minutes().count()), 2);
  put(17, unsigned(hms.seconds().count()), 2);
  put(20, unsigned(hms.subseconds().count()), 3);
  return out;
}

std::optional<std::chrono::sys_days> parse_date(std::string_view text) {
  int y = 0, m = 0, d = 0;
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  if (!read_digits(text, 0, 4, y) || !read_digits(text, 5, 2, m) || !read_digits(text, 8, 2, d))
    return std::nullopt;
  return make_day(y, m, d);
}

std::string format_date(std::chrono::sys_days day) {
  const std::chrono::year_month_day ymd{day};
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", int(ymd.year()), unsigned(ymd.month()),
                unsigned(ymd.day()));
  return buf;
}

std::optional<Timestamp> parse_timestamp(std::string_view text) {
  using namespace std::chrono;
  const auto day = parse_date(text.substr(0, 10));
  if (!day) return std::nullopt;
  if (text.size() == 10) return Timestamp{*day};
  int hh = 0, mm = 0, ss = 0;
  if (text.size() < 20 || (text[10] != 'T' && text[10] != 't' && text[10] != ' ') ||
      text[13] != ':' || text[16] != ':' || !read_digits(text, 11, 2, hh) ||
      !read_digits(text, 14, 2, mm) || !read_digits(text, 17, 2, ss) || hh > 23 || mm > 59 ||
      ss > 60)
    return std::nullopt;
  std::size_t pos = 19;
  int millis = 0;
  if (text[pos] == '.') {
    ++pos;
    int digits = 0;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      if (digits < 3) millis = millis * 10 + (text[pos] - '0');
      ++digits;
      ++pos;
    }
    if (digits == 0) return std::nullopt;
    for (; digits < 3; ++digits) millis *= 10;
  }
  minutes offset{0};
  const std::string_view zone = text.substr(pos);
  if (zone == "Z" || zone == "z") {
  } else if (zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') && zone[3] == ':') {
    int oh = 0, om = 0;
    if (!read_digits(zone, 1, 2, oh) || !read_digits(zone, 4, 2, om) || oh > 23 || om > 59)
      return std::nullopt;
    offset = hours{oh} + minutes{om};
    if (zone[0] == '-') offset = -offset;
  } else {
    return std::nullopt;
  }
  return Timestamp{*day} + hours{hh} + minutes{mm} + seconds{ss} + milliseconds{millis} - offset;
}

}  // namespace rosterd
