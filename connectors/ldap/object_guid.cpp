#include "connectors/ldap/object_guid.h"

#include <array>
#include <cstddef>

namespace rosterd::ldap {

std::optional<std::string> guid_to_string(std::string_view bytes) {
  if (bytes.size() != 16) return std::nullopt;
  // Byte order of the text: Data1 (4 bytes, reversed), Data2 and Data3 (2 bytes each,
  // reversed), then Data4 (8 bytes in order); the dashes after 4, 6, 8 and 10 bytes.
  constexpr std::array<std::size_t, 16> kOrder{3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15};
  constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(36);
  for (std::size_t i = 0; i < kOrder.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
    const auto byte = static_cast<unsigned char>(bytes[kOrder[i]]);
    out += kHex[byte >> 4];
    out += kHex[byte & 0x0F];
  }
  return out;
}

}  // namespace rosterd::ldap
