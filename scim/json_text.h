// Writing JSON text by hand where speed matters (rendering pages of resources by splicing
// stored canonical JSON): string escaping per RFC 8259. The input is well-formed UTF-8
// (it came through Boost.JSON or from rosterd itself), which passes through unchanged.
#pragma once

#include <string>
#include <string_view>

namespace rosterd::scim {

// Appends `text` as a JSON string literal, quotes included.
void append_json_string(std::string& out, std::string_view text);

}  // namespace rosterd::scim
