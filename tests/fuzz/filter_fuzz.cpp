// libFuzzer target for parse_filter(): any bytes give either a tree or an InvalidFilter
// error with a positioned UTF-8 message — never a crash, a hang or a stack overflow. A
// tree rendered back to text parses to the same tree, and evaluates without failing.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "scim/filter_evaluator.h"
#include "scim/filter_parser.h"
#include "tests/fuzz/fuzz_support.h"

using namespace rosterd;
using namespace rosterd::scim;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto parsed = parse_filter(text);
  if (!parsed) {
    fuzz::check_error(parsed.error(), ErrorCode::InvalidFilter, "invalid filter at position ",
                      text);
    return 0;
  }
  const std::string rendered = fuzz::render(**parsed);
  // Rendering adds a pair of parentheses per and/or: give the re-parse room for them.
  const FilterLimits roomy{
      .max_length = 1 << 20, .max_depth = kMaxFilterDepth, .max_terms = kMaxFilterTerms};
  const auto reparsed = parse_filter(rendered, roomy);
  fuzz::require(reparsed.has_value(), "rendered filter parses", rendered);
  fuzz::require(fuzz::render(**reparsed) == rendered, "round trip keeps the tree", rendered);

  matches(**parsed, fuzz::resource(), {});
  matches(**parsed, fuzz::resource(),
          [](const AttributePath& path) { return path.attribute.size() % 2 == 0; });
  return 0;
}
