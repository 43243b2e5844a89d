// Reading a multi-valued attribute whole when the server sends it in ranges (Active
// Directory, see ranged_attribute.h): the values in an entry, whether sent plainly or as
// a first range, and the follow-up base searches for the rest.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "connectors/ldap/connection.h"
#include "connectors/ldap/entry.h"
#include "core/error.h"

namespace rosterd::ldap {

struct RangedValues {
  std::vector<std::string> values;
  std::optional<std::uint64_t> low;       // the range the server sent; nullopt if plain
  std::optional<std::uint64_t> next_low;  // where the rest begins; nullopt if none is left
};

// The values of `attribute` in `entry`, as "attribute" or "attribute;range=a-b".
RangedValues ranged_values(const EntryView& entry, const std::string& attribute);

// One answer to range_request(attribute, low) (ranged_attribute.h): the values the entry
// came back with, or nullopt when the entry itself was not returned.
using RangeFetch = std::function<Result<std::optional<RangedValues>>(std::uint64_t low)>;

// The range loop over any way of fetching one range: appends values from `low` on until
// an answer ends in '*' (or has no values left). An error, naming `subject`, when a fetch
// fails or an answer does not start where asked (which would lose or repeat values).
Result<void> follow_ranges(const RangeFetch& fetch, std::uint64_t low, const std::string& subject,
                           std::vector<std::string>& values);

// Appends the values of `attribute` of the entry `dn` from `low` on, asking for
// range_request(attribute, low) and the ranges after it until the server sends a range
// ending in '*'. An error names the DN, the range and the server when a request fails or
// the server answers a range that does not start where asked (which would lose or repeat
// values).
Result<void> read_remaining_values(Connection& connection, const std::string& dn,
                                   const std::string& attribute, std::uint64_t low,
                                   std::vector<std::string>& values);

}  // namespace rosterd::ldap
