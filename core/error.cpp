#include "core/error.h"

#include <array>
#include <cassert>
#include <cstddef>

namespace rosterd {
namespace {

// One row per ErrorCode, in declaration order.
constexpr std::array<ErrorTraits, 20> kTraits{{
    {2, 400, "invalidValue", "invalid-value"},
    {2, 400, "invalidSyntax", "invalid-syntax"},
    {2, 400, "invalidFilter", "invalid-filter"},
    {2, 400, "invalidPath", "invalid-path"},
    {2, 400, "noTarget", "no-target"},
    {2, 400, "mutability", "mutability"},
    {2, 400, "tooMany", "too-many"},
    {2, 400, "invalidVers", "invalid-version"},
    {2, 400, "", "usage"},
    {2, 500, "", "config"},
    {1, 404, "", "not-found"},
    {1, 409, "uniqueness", "uniqueness"},
    {1, 409, "", "invariant"},
    {1, 412, "", "precondition-failed"},
    {2, 401, "", "unauthorized"},
    {1, 403, "", "forbidden"},
    {2, 413, "", "payload-too-large"},
    {3, 503, "", "unavailable"},
    {3, 500, "", "storage"},
    {3, 500, "", "internal"},
}};

static_assert(kTraits.size() == static_cast<std::size_t>(ErrorCode::Internal) + 1,
              "every ErrorCode needs a row");

}  // namespace

const ErrorTraits& traits(ErrorCode code) {
  const auto index = static_cast<std::size_t>(code);
  assert(index < kTraits.size());
  return kTraits[index];
}

}  // namespace rosterd
