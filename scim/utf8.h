// The few UTF-8 operations the SCIM filter parser needs: string literals arrive as raw
// bytes from a URL or a JSON body, and must be well-formed UTF-8 before they reach a
// store (PostgreSQL refuses malformed text) or an error message (which is JSON).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "core/utf8.h"

namespace rosterd::scim {

using rosterd::utf8_sequence_length;  // core/utf8.h

// Appends `code_point` (at most U+10FFFF, not a surrogate) encoded as UTF-8.
void append_utf8(std::string& out, char32_t code_point);

// 1-based character position of the byte at `offset`: what a person counting the
// characters of the filter would call its position.
std::size_t character_position(std::string_view text, std::size_t offset);

}  // namespace rosterd::scim
