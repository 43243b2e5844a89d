// Active Directory's range retrieval: a multi-valued attribute larger than the server's
// MaxValRange (1,500 on current Windows) comes back as "member;range=0-1499", and the
// rest must be asked for with "member;range=1500-2999" and so on until a range that ends
// in '*'. The pure part: reading and writing those attribute descriptions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace rosterd::ldap {

struct AttributeRange {
  std::string attribute;              // the description without the range option ("member")
  std::uint64_t low = 0;
  std::optional<std::uint64_t> high;  // nullopt: '*', the last values
};

// "member;range=0-1499" -> {member, 0, 1499}; "member;range=1500-*" -> {member, 1500, *}.
// Other options stay in `attribute` ("member;binary;range=0-9" -> "member;binary"). The
// option name is matched ignoring case. nullopt when there is no well-formed range option
// (plain "member", "member;range=", "member;range=9-2").
std::optional<AttributeRange> parse_attribute_range(std::string_view description);

// How many values one range request asks for: Windows' default MaxValRange. A bounded
// window rather than "<low>-*", because Samba answers "member;range=0-*" with every value
// at once: asked this way it sends ranges as Windows does, so the follow-up requests run
// against every AD server. A server with a smaller limit answers a shorter range, which
// the loop follows the same way.
inline constexpr std::uint64_t kRangeWindow = 1500;

// "member;range=<low>-<low + kRangeWindow - 1>": the request for the next values from
// `low` on. The server answers "member;range=<low>-*" when they are the last ones.
std::string range_request(std::string_view attribute, std::uint64_t low);

}  // namespace rosterd::ldap
