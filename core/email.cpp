#include "core/email.h"

namespace rosterd {

std::string ascii_lower(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

std::string email_key(std::string_view email) { return ascii_lower(email); }

std::optional<std::string> email_problem(std::string_view email) {
  if (email.empty()) return "is empty";
  if (email.size() > 254) return "is longer than 254 characters";
  const auto at = email.find('@');
  if (at == std::string_view::npos) return "has no '@'";
  if (email.find('@', at + 1) != std::string_view::npos) return "has more than one '@'";
  const auto local = email.substr(0, at);
  const auto domain = email.substr(at + 1);
  if (local.empty()) return "has nothing before the '@'";
  if (local.size() > 64) return "has a local part longer than 64 characters";
  if (domain.empty()) return "has no domain after the '@'";
  for (const unsigned char c : email)
    if (c <= 0x20 || c == 0x7f || c == '<' || c == '>' || c == ',' || c == ';' || c == '"' ||
        c == '(' || c == ')' || c == '[' || c == ']' || c == '\\')
      return "contains a space, a control character or a character not allowed in an address";
  if (local.front() == '.' || local.back() == '.' || local.find("..") != std::string_view::npos)
    return "has a misplaced '.' before the '@'";
  if (domain.find('.') == std::string_view::npos) return "has a domain without a '.'";
  // Each dot-separated label of the domain: 1 to 63 characters, no '-' at either end.
  for (std::size_t begin = 0; begin <= domain.size();) {
    std::size_t end = domain.find('.', begin);
    if (end == std::string_view::npos) end = domain.size();
    const auto label = domain.substr(begin, end - begin);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-')
      return "has a malformed domain";
    begin = end + 1;
  }
  return std::nullopt;
}

}  // namespace rosterd
