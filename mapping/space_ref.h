// A name for an identity or a group of a space that IncrementalMapper can keep across
// Directories: the source's precedence rank and the id, as one string ("1:u42"). The
// rank's digits end at the first ':', so two different pairs never give the same text.
#pragma once

#include <charconv>
#include <string>
#include <string_view>

namespace rosterd {

// Writes the ref of (rank, id) into `out`, reusing its buffer; returns it.
inline const std::string& space_ref(std::string& out, int rank, std::string_view id) {
  char digits[16];
  const auto end = std::to_chars(digits, digits + sizeof digits, rank).ptr;
  out.assign(digits, end);
  out += ':';
  out.append(id);
  return out;
}

}  // namespace rosterd
