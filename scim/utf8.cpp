#include "scim/utf8.h"

namespace rosterd::scim {
namespace {

bool is_continuation(unsigned char c) { return (c & 0xC0) == 0x80; }

}  // namespace

void append_utf8(std::string& out, char32_t code_point) {
  const auto put = [&](unsigned value) { out.push_back(static_cast<char>(value)); };
  const auto cp = static_cast<unsigned>(code_point);
  if (cp < 0x80) {
    put(cp);
  } else if (cp < 0x800) {
    put(0xC0 | (cp >> 6));
    put(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    put(0xE0 | (cp >> 12));
    put(0x80 | ((cp >> 6) & 0x3F));
    put(0x80 | (cp & 0x3F));
  } else {
    put(0xF0 | (cp >> 18));
    put(0x80 | ((cp >> 12) & 0x3F));
    put(0x80 | ((cp >> 6) & 0x3F));
    put(0x80 | (cp & 0x3F));
  }
}

std::size_t character_position(std::string_view text, std::size_t offset) {
  if (offset > text.size()) offset = text.size();
  std::size_t position = 1;
  for (std::size_t i = 0; i < offset; ++i)
    if (!is_continuation(static_cast<unsigned char>(text[i]))) ++position;
  return position;
}

}  // namespace rosterd::scim
