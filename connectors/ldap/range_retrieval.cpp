#include "connectors/ldap/range_retrieval.h"

#include "connectors/ldap/ascii.h"
#include "connectors/ldap/ranged_attribute.h"
#include "connectors/ldap/search.h"

namespace rosterd::ldap {

RangedValues ranged_values(const EntryView& entry, const std::string& attribute) {
  RangedValues out;
  for (const std::string& name : entry.attribute_names()) {
    if (equal_ignoring_ascii_case(name, attribute)) {
      out.values = entry.values(name);
      return out;
    }
    const auto range = parse_attribute_range(name);
    if (!range || !equal_ignoring_ascii_case(range->attribute, attribute)) continue;
    out.values = entry.values(name);
    out.low = range->low;
    if (range->high) out.next_low = *range->high + 1;
    return out;
  }
  return out;
}

Result<void> follow_ranges(const RangeFetch& fetch, std::uint64_t low, const std::string& subject,
                           std::vector<std::string>& values) {
  for (;;) {
    auto part = fetch(low);
    if (!part) return tl::unexpected(std::move(part.error()));
    const std::string what = subject + ", values from " + std::to_string(low) + ": ";
    if (!*part) return fail(ErrorCode::Unavailable, what + "the entry was not returned");
    const RangedValues& answer = **part;
    // A range that does not start where asked would lose or repeat values; a plain
    // attribute would repeat the first range.
    if (answer.low && *answer.low != low)
      return fail(ErrorCode::Unavailable,
                  what + "the server answered a range starting at " + std::to_string(*answer.low));
    if (!answer.low && !answer.values.empty())
      return fail(ErrorCode::Unavailable, what + "the server answered without a range");
    // No values in the answer: nothing is left beyond what was read.
    values.insert(values.end(), answer.values.begin(), answer.values.end());
    if (!answer.next_low) return {};
    low = *answer.next_low;
  }
}

Result<void> read_remaining_values(Connection& connection, const std::string& dn,
                                   const std::string& attribute, std::uint64_t low,
                                   std::vector<std::string>& values) {
  const auto fetch = [&](std::uint64_t from) -> Result<std::optional<RangedValues>> {
    SearchRequest request;
    request.base = dn;
    request.scope = SearchScope::Base;
    request.attributes = {range_request(attribute, from)};
    request.purpose = attribute + " values from " + std::to_string(from);
    std::optional<RangedValues> part;
    SearchHandlers handlers;
    handlers.on_entry = [&part, &attribute](const Entry& entry) {
      part = ranged_values(entry, attribute);
      return true;
    };
    auto done = search(connection, request, handlers);
    if (!done) return tl::unexpected(std::move(done.error()));
    if (!done->success())
      return fail(ErrorCode::Unavailable, describe_search(connection, request) + ": " + done->message);
    return part;
  };
  return follow_ranges(fetch, low, attribute + " of '" + dn + "' at " + connection.url(), values);
}

}  // namespace rosterd::ldap
