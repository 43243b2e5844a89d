// Group membership in the PATCH engine (apply_patch.h): operations on `members` turned
// into MemberSteps, so that the common forms never need the member list.
#pragma once

#include <functional>
#include <optional>
#include <vector>

#include <boost/json/value.hpp>

#include "core/error.h"
#include "scim/apply_patch.h"
#include "scim/patch_resolve_path.h"

namespace rosterd::scim {

class MemberPatch {
 public:
  using Loader = std::function<Result<std::vector<MemberRef>>()>;

  // `load` is borrowed and must outlive this object.
  explicit MemberPatch(const Loader& load) : load_(load) {}

  // `path` resolves to the Group's `members`.
  Result<void> apply(PatchOperation::Op op, const ResolvedPath& path,
                     const boost::json::value& value);

  std::vector<MemberStep> take_steps() { return std::move(steps_); }

 private:
  Result<void> remove_matching(const ResolvedPath& path);
  void record(MemberStep::Kind kind, std::vector<MemberRef> members);

  const Loader& load_;
  std::vector<MemberStep> steps_;
  // The members as the steps so far leave them, once load_ was needed.
  std::optional<std::vector<MemberRef>> view_;
};

}  // namespace rosterd::scim
