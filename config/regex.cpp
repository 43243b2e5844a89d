#define PCRE2_CODE_UNIT_WIDTH 8
#include "config/regex.h"

#include <pcre2.h>

namespace rosterd {

struct Regex::Code {
  pcre2_code* code = nullptr;
  ~Code() { pcre2_code_free(code); }
};

namespace {

struct MatchDataFree {
  void operator()(pcre2_match_data* data) const { pcre2_match_data_free(data); }
};

// An empty std::string_view may carry a null pointer, which pcre2_compile (10.42) refuses
// even with a length of 0.
PCRE2_SPTR code_units(std::string_view text) {
  return reinterpret_cast<PCRE2_SPTR>(text.data() ? text.data() : "");
}

}  // namespace

Result<Regex> Regex::compile(std::string_view pattern) {
  int error = 0;
  PCRE2_SIZE offset = 0;
  auto code = std::make_shared<Code>();
  // PCRE2_MATCH_INVALID_UTF: a subject that is not valid UTF-8 (a directory can hold
  // anything) is searched in its valid parts instead of failing as a whole.
  code->code =
      pcre2_compile(code_units(pattern), pattern.size(),
                    PCRE2_UTF | PCRE2_UCP | PCRE2_MATCH_INVALID_UTF, &error, &offset, nullptr);
  if (!code->code) {
    PCRE2_UCHAR message[256];
    pcre2_get_error_message(error, message, sizeof message);
    return fail(ErrorCode::InvalidValue, "invalid regular expression '" + std::string(pattern) +
                                             "': " + reinterpret_cast<const char*>(message) +
                                             " at offset " + std::to_string(offset));
  }
  // JIT is an optimisation only: without it (an unsupported CPU) matching still works.
  pcre2_jit_compile(code->code, PCRE2_JIT_COMPLETE);
  return Regex(std::string(pattern), std::move(code));
}

bool Regex::search(std::string_view text) const {
  // Match data per call: a few dozen bytes, and it keeps search() thread-safe.
  std::unique_ptr<pcre2_match_data, MatchDataFree> data(
      pcre2_match_data_create_from_pattern(code_->code, nullptr));
  if (!data) return false;
  const int rc = pcre2_match(code_->code, code_units(text), text.size(), 0, 0, data.get(), nullptr);
  return rc >= 0;
}

}  // namespace rosterd
