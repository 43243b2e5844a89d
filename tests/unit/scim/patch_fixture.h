// Helpers of the PATCH engine tests: a PatchOp body (as JSON text) run through
// parse_patch_request() and apply_patch() on a stored resource (as JSON text).
#pragma once

#include <gtest/gtest.h>

#include <functional>

#include <string>
#include <string_view>
#include <vector>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include "core/try.h"
#include "scim/apply_patch.h"
#include "scim/patch_request.h"

namespace rosterd::scim::testing {

inline constexpr const char* kEnterprise = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

inline boost::json::value json(std::string_view text) { return boost::json::parse(text); }

// A PatchOp body around the operations given as a JSON array.
inline std::string body(std::string_view operations) {
  return R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":)" +
         std::string(operations) + "}";
}

inline Result<PatchTarget> patch(ResourceType type, std::string_view resource,
                                 std::string_view request,
                                 std::function<Result<std::vector<MemberRef>>()> load = {}) {
  ROSTERD_ASSIGN(const std::vector<PatchOperation> ops, parse_patch_request(json(request)));
  PatchTarget target{type, json(resource).as_object(), {}, std::move(load)};
  ROSTERD_TRY(apply_patch(ops, target));
  return target;
}

// The patched resource, or "error <scimType name>: message".
inline boost::json::value patched(ResourceType type, std::string_view resource,
                                  std::string_view request) {
  auto result = patch(type, resource, request);
  if (!result) return boost::json::value(std::string(traits(result.error().code).name) + ": " +
                                         result.error().message);
  return result->resource;
}

// "clear; add a b(Group); remove c" — member steps in one comparable line.
inline std::string steps(const std::vector<MemberStep>& member_steps) {
  std::string out;
  for (const MemberStep& step : member_steps) {
    if (!out.empty()) out += "; ";
    out += step.kind == MemberStep::Kind::Clear ? "clear"
           : step.kind == MemberStep::Kind::Add ? "add"
                                                : "remove";
    for (const MemberRef& member : step.members)
      out += " " + member.id + (member.type == ResourceType::Group ? "(Group)" : "");
  }
  return out;
}

// The error code of a request that must fail, with its message for the failure output.
inline ErrorCode error_of(ResourceType type, std::string_view resource, std::string_view request) {
  auto result = patch(type, resource, request);
  if (result) {
    ADD_FAILURE() << "applied: " << request;
    return ErrorCode::Internal;
  }
  return result.error().code;
}

}  // namespace rosterd::scim::testing
