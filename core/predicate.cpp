#include "core/predicate.h"

namespace rosterd {

std::string AttributePath::to_string() const {
  std::string out;
  if (!schema.empty()) out = schema + ":";
  out += attribute;
  if (!sub_attribute.empty()) out += "." + sub_attribute;
  return out;
}

std::string_view to_string(CompareOp op) {
  switch (op) {
    case CompareOp::Eq: return "eq";
    case CompareOp::Ne: return "ne";
    case CompareOp::Co: return "co";
    case CompareOp::Sw: return "sw";
    case CompareOp::Ew: return "ew";
    case CompareOp::Gt: return "gt";
    case CompareOp::Ge: return "ge";
    case CompareOp::Lt: return "lt";
    case CompareOp::Le: return "le";
    case CompareOp::Pr: return "pr";
  }
  return "?";
}

}  // namespace rosterd
