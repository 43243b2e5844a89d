#include "connectors/ldap/ranged_attribute.h"

#include <charconv>

#include "connectors/ldap/ascii.h"

namespace rosterd::ldap {
namespace {

constexpr std::string_view kOption = "range=";

bool starts_with_ignoring_case(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (ascii_lower(text[i]) != prefix[i]) return false;
  }
  return true;
}

std::optional<std::uint64_t> parse_number(std::string_view text) {
  std::uint64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

}  // namespace

std::optional<AttributeRange> parse_attribute_range(std::string_view description) {
  // Options follow the attribute type, each after a ';' (RFC 4512 2.5).
  for (std::size_t at = description.find(';'); at != std::string_view::npos;
       at = description.find(';', at + 1)) {
    const std::string_view option = description.substr(at + 1, description.find(';', at + 1) - (at + 1));
    if (!starts_with_ignoring_case(option, kOption)) continue;
    const std::string_view bounds = option.substr(kOption.size());
    const std::size_t dash = bounds.find('-');
    if (dash == std::string_view::npos) return std::nullopt;
    const auto low = parse_number(bounds.substr(0, dash));
    const std::string_view high_text = bounds.substr(dash + 1);
    if (!low) return std::nullopt;
    AttributeRange range;
    range.low = *low;
    if (high_text != "*") {
      range.high = parse_number(high_text);
      if (!range.high || *range.high < *low) return std::nullopt;
    }
    range.attribute = std::string(description.substr(0, at));
    if (at + 1 + option.size() < description.size())
      range.attribute += description.substr(at + 1 + option.size());
    return range;
  }
  return std::nullopt;
}

std::string range_request(std::string_view attribute, std::uint64_t low) {
  return std::string(attribute) + ";range=" + std::to_string(low) + "-" + std::to_string(low + kRangeWindow - 1);
}

}  // namespace rosterd::ldap
