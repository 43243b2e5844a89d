// libFuzzer target for parse_patch_path(): any bytes give either a path or an
// InvalidPath error with a positioned UTF-8 message. A path rendered back to text parses
// to the same path, and its value filter evaluates against every element of an attribute.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "scim/filter_evaluator.h"
#include "scim/filter_parser.h"
#include "tests/fuzz/fuzz_support.h"

using namespace rosterd;
using namespace rosterd::scim;

namespace {

std::string render_path(const PatchPath& path) {
  std::string out = path.attribute.to_string();
  if (path.value_filter) out += "[" + fuzz::render(*path.value_filter) + "]";
  if (!path.sub_attribute.empty()) out += "." + path.sub_attribute;
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto parsed = parse_patch_path(text);
  if (!parsed) {
    fuzz::check_error(parsed.error(), ErrorCode::InvalidPath, "invalid path at position ", text);
    return 0;
  }
  fuzz::require(parsed->value_filter || parsed->sub_attribute.empty(),
                "sub-attribute only after a filter");
  const std::string rendered = render_path(*parsed);
  const FilterLimits roomy{
      .max_length = 1 << 20, .max_depth = kMaxFilterDepth, .max_terms = kMaxFilterTerms};
  const auto reparsed = parse_patch_path(rendered, roomy);
  fuzz::require(reparsed.has_value(), "rendered path parses", rendered);
  fuzz::require(render_path(*reparsed) == rendered, "round trip keeps the path", rendered);

  if (!parsed->value_filter) return 0;
  const CaseExactFn never_exact;
  for (const auto& element : fuzz::resource().at("emails").as_array())
    if (const auto* object = element.if_object())
      matches_element(*parsed->value_filter, *object, parsed->attribute, never_exact);
  return 0;
}
