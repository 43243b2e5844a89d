#include "config/value_checks.h"

namespace rosterd::config_detail {
namespace {

bool is_lower_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }
bool is_lower_hex(char c) { return (c >= 'a' && c <= 'f') || (c >= '0' && c <= '9'); }

}  // namespace

bool is_identifier(std::string_view text) {
  if (text.empty() || !is_lower_alnum(text.front())) return false;
  for (const char c : text)
    if (!is_lower_alnum(c) && c != '_' && c != '-') return false;
  return true;
}

bool is_attribute_name(std::string_view text) {
  if (text.empty()) return false;
  for (const char c : text) {
    const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    if (!letter && !(c >= '0' && c <= '9') && c != '.' && c != ':' && c != '-' && c != '_')
      return false;
  }
  return true;
}

bool is_token_hash(std::string_view text) {
  constexpr std::string_view kPrefix = "sha256:";
  constexpr std::size_t kHexDigits = 64;
  if (!text.starts_with(kPrefix) || text.size() != kPrefix.size() + kHexDigits) return false;
  for (const char c : text.substr(kPrefix.size()))
    if (!is_lower_hex(c)) return false;
  return true;
}

}  // namespace rosterd::config_detail
