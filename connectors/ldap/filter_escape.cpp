#include "connectors/ldap/filter_escape.h"

#include "connectors/ldap/utf8.h"

namespace rosterd::ldap {
namespace {

void append_escaped(std::string& out, unsigned char byte) {
  constexpr char kHex[] = "0123456789abcdef";
  out += '\\';
  out += kHex[byte >> 4];
  out += kHex[byte & 0x0F];
}

}  // namespace

std::string escape_filter_value(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  while (!value.empty()) {
    const char c = value.front();
    const std::size_t n = utf8_sequence_length(value);
    if (n == 0 || c == '*' || c == '(' || c == ')' || c == '\\' || c == '\0') {
      append_escaped(out, static_cast<unsigned char>(c));
      value.remove_prefix(1);
      continue;
    }
    out.append(value.substr(0, n));
    value.remove_prefix(n);
  }
  return out;
}

}  // namespace rosterd::ldap
