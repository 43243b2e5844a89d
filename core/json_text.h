// Writing JSON text by hand where speed matters (SCIM pages splicing stored canonical
// JSON, directory entries turned into records): string escaping per RFC 8259, the same
// as Boost.JSON's serialiser. The input is well-formed UTF-8 (it came through Boost.JSON,
// a directory read that checked it, or rosterd itself), which passes through unchanged.
#pragma once

#include <string>
#include <string_view>

namespace rosterd {

// Appends `text` as a JSON string literal, quotes included.
void append_json_string(std::string& out, std::string_view text);

}  // namespace rosterd
