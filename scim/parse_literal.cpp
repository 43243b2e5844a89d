#include "scim/parse_literal.h"

#include <charconv>
#include <string>
#include <system_error>

#include "core/try.h"
#include "scim/utf8.h"

namespace rosterd::scim {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Reads "uXXXX" at `offset` (the byte after a backslash); -1 when it is not there.
long read_hex4(std::string_view text, std::size_t offset) {
  if (offset + 5 > text.size() || text[offset] != 'u') return -1;
  long value = 0;
  for (std::size_t i = offset + 1; i < offset + 5; ++i) {
    const int digit = hex_value(text[i]);
    if (digit < 0) return -1;
    value = value * 16 + digit;
  }
  return value;
}

// \uXXXX, with a surrogate pair read as one code point. The cursor is on the backslash.
Result<void> parse_unicode_escape(FilterCursor& cursor, std::string& out) {
  const std::size_t start = cursor.offset();
  const auto text = cursor.text();
  long code_point = read_hex4(text, start + 1);
  if (code_point < 0) return cursor.fail(start, "expected four hexadecimal digits after '\\u'");
  std::size_t length = 6;
  if (code_point >= 0xDC00 && code_point <= 0xDFFF)
    return cursor.fail(start, "a low surrogate (\\u" + std::string(text.substr(start + 2, 4)) +
                                  ") must follow a high surrogate");
  if (code_point >= 0xD800 && code_point <= 0xDBFF) {
    const long low =
        start + 7 < text.size() && text[start + 6] == '\\' ? read_hex4(text, start + 7) : -1;
    if (low < 0xDC00 || low > 0xDFFF)
      return cursor.fail(start, "a high surrogate (\\u" + std::string(text.substr(start + 2, 4)) +
                                    ") must be followed by a low surrogate (\\uDC00 to \\uDFFF)");
    code_point = 0x10000 + ((code_point - 0xD800) << 10) + (low - 0xDC00);
    length = 12;
  }
  // PostgreSQL text cannot hold U+0000 and no directory attribute contains it.
  if (code_point == 0) return cursor.fail(start, "a string may not contain \\u0000");
  append_utf8(out, static_cast<char32_t>(code_point));
  cursor.advance(length);
  return {};
}

Result<void> parse_escape(FilterCursor& cursor, std::string& out) {
  const std::size_t start = cursor.offset();
  const auto text = cursor.text();
  const char c = start + 1 < text.size() ? text[start + 1] : '\0';
  char decoded = 0;
  switch (c) {
    case '"':
    case '\\':
    case '/':
      decoded = c;
      break;
    case 'b':
      decoded = '\b';
      break;
    case 'f':
      decoded = '\f';
      break;
    case 'n':
      decoded = '\n';
      break;
    case 'r':
      decoded = '\r';
      break;
    case 't':
      decoded = '\t';
      break;
    case 'u':
      return parse_unicode_escape(cursor, out);
    default:
      return cursor.fail(start,
                         "invalid escape in a string: expected one of \\\" \\\\ \\/ \\b \\f "
                         "\\n \\r \\t \\uXXXX after '\\', found " +
                             cursor.describe(start + 1));
  }
  out.push_back(decoded);
  cursor.advance(2);
  return {};
}

Result<Literal> parse_string(FilterCursor& cursor) {
  const std::size_t open = cursor.offset();
  cursor.advance();
  std::string out;
  while (!cursor.at_end()) {
    const char c = cursor.peek();
    if (c == '"') {
      cursor.advance();
      return Literal::of(std::move(out));
    }
    if (c == '\\') {
      ROSTERD_TRY(parse_escape(cursor, out));
      continue;
    }
    if (static_cast<unsigned char>(c) < 0x20)
      return cursor.fail(cursor.offset(), "a string may not contain " +
                                              cursor.describe(cursor.offset()) +
                                              ": write it as an escape such as \\n or \\u000A");
    const std::size_t length = utf8_sequence_length(cursor.text().substr(cursor.offset()));
    if (length == 0) return cursor.fail(cursor.offset(), "a string contains malformed UTF-8");
    out.append(cursor.text().substr(cursor.offset(), length));
    cursor.advance(length);
  }
  return cursor.fail(cursor.offset(), "expected '\"' to close the string that starts at position " +
                                          std::to_string(character_position(cursor.text(), open)) +
                                          ", found " + cursor.describe(cursor.offset()));
}

// Past the digits at `i`; `i` unchanged when there are none.
std::size_t skip_digits(std::string_view text, std::size_t i) {
  while (i < text.size() && is_digit(text[i])) ++i;
  return i;
}

// JSON's number grammar (RFC 8259 section 6): -? int frac? exp?, int without leading zeros.
std::size_t json_number_end(std::string_view text, std::size_t i) {
  if (i < text.size() && text[i] == '-') ++i;
  if (i < text.size() && text[i] == '0')
    ++i;
  else if (i < text.size() && is_digit(text[i]))
    i = skip_digits(text, i);
  else
    return std::string_view::npos;
  if (i < text.size() && text[i] == '.') {
    const std::size_t digits = skip_digits(text, i + 1);
    if (digits == i + 1) return std::string_view::npos;
    i = digits;
  }
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
    const std::size_t digits = skip_digits(text, i);
    if (digits == i) return std::string_view::npos;
    i = digits;
  }
  return i;
}

Result<Literal> parse_number(FilterCursor& cursor) {
  const auto text = cursor.text();
  const std::size_t start = cursor.offset();
  const std::size_t end = json_number_end(text, start);
  const bool at_boundary =
      end != std::string_view::npos &&
      (end == text.size() || is_space(text[end]) || text[end] == ')' || text[end] == ']');
  if (!at_boundary)
    return cursor.fail(
        start, "expected a JSON number (such as -1, 1.5 or 1e3), found " + cursor.describe(start));
  double value = 0;
  const auto [ptr, ec] = std::from_chars(text.data() + start, text.data() + end, value);
  if (ec != std::errc() || ptr != text.data() + end)
    return cursor.fail(start, "the number " + cursor.describe(start) + " is out of range");
  cursor.advance(end - start);
  return Literal::of_number(value, std::string(text.substr(start, end - start)));
}

}  // namespace

Result<Literal> parse_literal(FilterCursor& cursor, std::string_view op) {
  const char c = cursor.peek();
  if (!cursor.at_end() && c == '"') return parse_string(cursor);
  if (c == '-' || is_digit(c)) return parse_number(cursor);
  const std::string_view word = cursor.word();
  Literal literal;
  if (equals_ignoring_case(word, "true"))
    literal = Literal::of(true);
  else if (equals_ignoring_case(word, "false"))
    literal = Literal::of(false);
  else if (equals_ignoring_case(word, "null"))
    literal = Literal::null();
  else {
    const std::string hint = word.empty() ? "" : " (strings go in double quotes)";
    return cursor.fail(cursor.offset(),
                       "expected a value (a string in double quotes, a number, true, false or "
                       "null) after '" +
                           std::string(op) + "', found " + cursor.describe(cursor.offset()) + hint);
  }
  cursor.advance(word.size());
  return literal;
}

}  // namespace rosterd::scim
