// A read position in a SCIM filter or PATCH path, and the one place that words their
// errors, so that every message has the same shape: "invalid filter at position 14:
// expected ..., found 'equals'". Positions are 1-based and count characters, not bytes.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "core/error.h"
#include "scim/ascii_case.h"

namespace rosterd::scim {

class FilterCursor {
 public:
  // `subject` names what is parsed in messages: "filter" or "path". `code` is the error
  // code of every failure (InvalidFilter or InvalidPath).
  FilterCursor(std::string_view text, ErrorCode code, std::string_view subject);

  std::string_view text() const { return text_; }
  std::string_view subject() const { return subject_; }
  std::size_t offset() const { return offset_; }
  bool at_end() const { return offset_ >= text_.size(); }
  // The byte at the cursor, or '\0' at the end (check at_end() where a NUL matters).
  char peek() const { return at_end() ? '\0' : text_[offset_]; }
  void advance(std::size_t bytes = 1);
  // Back to an offset read earlier from offset(), after looking ahead.
  void seek(std::size_t offset);
  // Skips spaces and tabs; tells whether there was at least one.
  bool skip_spaces();

  // The word at the cursor: bytes up to a space, a control character, one of ()[]" or
  // the end. Empty when the cursor is on one of those.
  std::string_view word() const;

  // "'equals'", "'('", "the end of the filter", "a control character (0x0A)".
  std::string describe(std::size_t offset) const;

  tl::unexpected<Error> fail(std::size_t offset, std::string_view message) const;
  // "expected <what>, found <what is at the cursor>".
  tl::unexpected<Error> expected(std::string_view what) const;

 private:
  std::string_view text_;
  std::size_t offset_ = 0;
  ErrorCode code_;
  std::string_view subject_;
};

bool is_space(char c);
bool is_control(char c);

}  // namespace rosterd::scim
