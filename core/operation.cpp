#include "core/operation.h"

#include <type_traits>

namespace rosterd {
namespace {

template <typename T>
constexpr std::string_view name_of() {
  if constexpr (std::is_same_v<T, CreateOp>) return "create";
  else if constexpr (std::is_same_v<T, UpdateOp>) return "update";
  else if constexpr (std::is_same_v<T, SuspendOp>) return "suspend";
  else if constexpr (std::is_same_v<T, ResumeOp>) return "resume";
  else if constexpr (std::is_same_v<T, DeactivateOp>) return "deactivate";
  else if constexpr (std::is_same_v<T, ReactivateOp>) return "reactivate";
  else if constexpr (std::is_same_v<T, LockOp>) return "lock";
  else if constexpr (std::is_same_v<T, UnlockOp>) return "unlock";
  else if constexpr (std::is_same_v<T, ActivateOp>) return "activate";
  else if constexpr (std::is_same_v<T, ReassignOp>) return "reassign";
  else return "delete";
}

}  // namespace

std::string_view operation_name(const Operation& op) {
  return std::visit([](const auto& o) { return name_of<std::decay_t<decltype(o)>>(); }, op);
}

std::string_view operation_target(const Operation& op) {
  return std::visit(
      [](const auto& o) -> std::string_view {
        if constexpr (std::is_same_v<std::decay_t<decltype(o)>, CreateOp>) return {};
        else return o.account;
      },
      op);
}

std::string Actor::label() const {
  switch (kind) {
    case Kind::Operator: return "operator:" + id;
    case Kind::Account: return "account:" + id;
    case Kind::Source: return "source:" + id;
  }
  return id;
}

bool is_destructive_group(std::string_view group) {
  return group == "deactivate" || group == "suspend" || group == "delete" || group == "demote" ||
         group == "change-licence";
}

}  // namespace rosterd
