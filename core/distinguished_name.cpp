#include "core/distinguished_name.h"

namespace rosterd {
namespace {

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool is_separator(char c) { return c == ',' || c == '=' || c == '+'; }

}  // namespace

std::string normalise_dn(std::string_view dn) {
  std::string out;
  normalise_dn(dn, out);
  return out;
}

void normalise_dn(std::string_view dn, std::string& out) {
  out.clear();
  out.reserve(dn.size());
  std::size_t pending_spaces = 0;
  bool after_separator = true;  // the start behaves like a separator: leading spaces go
  for (std::size_t i = 0; i < dn.size(); ++i) {
    const char c = dn[i];
    if (c == ' ') {
      ++pending_spaces;
      continue;
    }
    const bool separator = is_separator(c);
    if (!separator && !after_separator) out.append(pending_spaces, ' ');
    pending_spaces = 0;
    if (c == '\\' && i + 1 < dn.size()) {
      out += '\\';
      out += lower(dn[++i]);
      after_separator = false;
      continue;
    }
    out += lower(c);
    after_separator = separator;
  }
  // Trailing spaces (unescaped) are dropped with pending_spaces.
}

}  // namespace rosterd
