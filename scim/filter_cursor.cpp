#include "scim/filter_cursor.h"

#include <cstdio>

#include "scim/utf8.h"

namespace rosterd::scim {
namespace {

// Long enough to recognise the token, short enough to keep messages readable.
constexpr std::size_t kMaxQuoted = 32;

bool ends_word(char c) {
  return is_space(c) || is_control(c) || c == '(' || c == ')' || c == '[' || c == ']' || c == '"';
}

std::string hex_byte(unsigned char c) {
  char buffer[8];
  std::snprintf(buffer, sizeof buffer, "0x%02X", static_cast<unsigned>(c));
  return buffer;
}

// Quotes `token` for a message: cut at kMaxQuoted bytes, malformed UTF-8 and control
// bytes written as \xNN, because the message ends up in a JSON error response.
std::string quote(std::string_view token) {
  std::string out = "'";
  std::size_t i = 0;
  while (i < token.size() && i < kMaxQuoted) {
    const auto c = static_cast<unsigned char>(token[i]);
    const std::size_t length = utf8_sequence_length(token.substr(i));
    if (length == 0 || is_control(token[i])) {
      out += "\\x" + hex_byte(c).substr(2);
      i += 1;
    } else {
      out.append(token.substr(i, length));
      i += length;
    }
  }
  if (i < token.size()) out += "...";
  return out + "'";
}

}  // namespace

bool is_space(char c) { return c == ' ' || c == '\t'; }

bool is_control(char c) {
  const auto u = static_cast<unsigned char>(c);
  return u < 0x20 || u == 0x7F;
}

FilterCursor::FilterCursor(std::string_view text, ErrorCode code, std::string_view subject)
    : text_(text), code_(code), subject_(subject) {}

void FilterCursor::advance(std::size_t bytes) {
  offset_ = offset_ + bytes > text_.size() ? text_.size() : offset_ + bytes;
}

void FilterCursor::seek(std::size_t offset) {
  offset_ = offset > text_.size() ? text_.size() : offset;
}

bool FilterCursor::skip_spaces() {
  const std::size_t start = offset_;
  while (!at_end() && is_space(text_[offset_])) ++offset_;
  return offset_ != start;
}

std::string_view FilterCursor::word() const {
  std::size_t end = offset_;
  while (end < text_.size() && !ends_word(text_[end])) ++end;
  return text_.substr(offset_, end - offset_);
}

std::string FilterCursor::describe(std::size_t offset) const {
  if (offset >= text_.size()) return "the end of the " + std::string(subject_);
  const char c = text_[offset];
  if (is_control(c)) return "a control character (" + hex_byte(static_cast<unsigned char>(c)) + ")";
  if (c == ' ' || c == '\t') return c == ' ' ? "a space" : "a tab";
  if (c == '"') {
    // The whole string literal, when it is closed, tells more than its first quote.
    const auto close = text_.find('"', offset + 1);
    const auto end = close == std::string_view::npos ? text_.size() : close + 1;
    return quote(text_.substr(offset, end - offset));
  }
  if (ends_word(c)) return quote(text_.substr(offset, 1));
  std::size_t end = offset;
  while (end < text_.size() && !ends_word(text_[end])) ++end;
  return quote(text_.substr(offset, end - offset));
}

tl::unexpected<Error> FilterCursor::fail(std::size_t offset, std::string_view message) const {
  return rosterd::fail(code_, "invalid " + std::string(subject_) + " at position " +
                                  std::to_string(character_position(text_, offset)) + ": " +
                                  std::string(message));
}

tl::unexpected<Error> FilterCursor::expected(std::string_view what) const {
  return fail(offset_, "expected " + std::string(what) + ", found " + describe(offset_));
}

}  // namespace rosterd::scim
