#include "store/sql/filter_target.h"

#include <cassert>

#include "core/email.h"
#include "core/timestamp.h"

namespace rosterd::sql {
namespace {

std::string_view sql_operator(CompareOp op) {
  switch (op) {
    case CompareOp::Eq: return " = ";
    case CompareOp::Gt: return " > ";
    case CompareOp::Ge: return " >= ";
    case CompareOp::Lt: return " < ";
    case CompareOp::Le: return " <= ";
    default: break;
  }
  assert(false && "not an ordering operator");
  return " = ";
}

bool is_substring_op(CompareOp op) {
  return op == CompareOp::Co || op == CompareOp::Sw || op == CompareOp::Ew;
}

tl::unexpected<Error> not_applicable(CompareOp op, const Target& target, std::string_view type) {
  return fail(ErrorCode::InvalidFilter, "operator '" + std::string(to_string(op)) +
                                            "' does not apply to " + std::string(type) +
                                            " attribute '" + target.name + "'");
}

Result<Fragment> compare_text(const Target& target, const TextTarget& text, CompareOp op,
                              const Literal& literal, FilterParams& params,
                              const FilterDialect& dialect) {
  if (text.datetime && is_substring_op(op)) return not_applicable(op, target, "dateTime");
  if (literal.kind != Literal::Kind::String) return never_matches();
  std::string value = text.lower_literal ? ascii_lower(literal.text) : literal.text;
  if (text.datetime) {
    const auto t = parse_timestamp(literal.text);
    if (!t)
      return fail(ErrorCode::InvalidFilter, "'" + literal.text + "' is not a dateTime (attribute '" +
                                                target.name + "')");
    value = format_timestamp(*t);
  }
  const std::string expr = text.lower_expr ? "lower(" + text.expr + ")" : text.expr;
  if (!is_substring_op(op))
    return Fragment{expr + std::string(sql_operator(op)) + params.bind(std::move(value)),
                    text.nullable, true};
  if (text.lower_literal || text.lower_expr)
    return Fragment{expr + " LIKE " + params.bind(like_pattern(op, value)) + " ESCAPE '!'",
                    text.nullable, true};
  return Fragment{dialect.exact_match(expr, params.bind(dialect.exact_pattern(op, value))),
                  text.nullable, true};
}

Result<Fragment> compare_bool(const Target& target, const BoolTarget& flag, CompareOp op,
                              const Literal& literal) {
  if (op != CompareOp::Eq) return not_applicable(op, target, "boolean");
  if (literal.kind != Literal::Kind::Boolean) return never_matches();
  return Fragment{literal.boolean ? flag.when_true : flag.when_false, flag.nullable, true};
}

Result<Fragment> compare_number(const Target& target, const NumberTarget& number, CompareOp op,
                                const Literal& literal, FilterParams& params,
                                const FilterDialect& dialect) {
  if (is_substring_op(op)) return not_applicable(op, target, "numeric");
  if (literal.kind != Literal::Kind::Number) return never_matches();
  return Fragment{"(" + number.expr + ")" + std::string(sql_operator(op)) +
                      dialect.number_param(params.bind(literal.text)),
                  true, true};
}

}  // namespace

Fragment never_matches() { return Fragment{"1 = 0", false, true}; }

Fragment negate(const Fragment& f) {
  if (!f.nullable) return Fragment{"NOT (" + f.sql + ")", false, true};
  return Fragment{"NOT COALESCE(" + f.sql + ", FALSE)", false, true};
}

Fragment combine(const Fragment& left, std::string_view op, const Fragment& right) {
  const auto side = [](const Fragment& f) { return f.atomic ? f.sql : "(" + f.sql + ")"; };
  return Fragment{side(left) + " " + std::string(op) + " " + side(right),
                  left.nullable || right.nullable, false};
}

std::string FilterParams::bind(std::string value) {
  values_.push_back(std::move(value));
  return "$" + std::to_string(next_++);
}

Result<Fragment> compare(const Target& target, CompareOp op, const Literal& literal,
                         FilterParams& params, const FilterDialect& dialect) {
  assert(op != CompareOp::Ne);
  if (op == CompareOp::Pr) return target.present;
  if (literal.kind == Literal::Kind::Null) return never_matches();
  if (const auto* text = std::get_if<TextTarget>(&target.read))
    return compare_text(target, *text, op, literal, params, dialect);
  if (const auto* flag = std::get_if<BoolTarget>(&target.read))
    return compare_bool(target, *flag, op, literal);
  if (const auto* number = std::get_if<NumberTarget>(&target.read))
    return compare_number(target, *number, op, literal, params, dialect);
  return fail(ErrorCode::InvalidFilter, "attribute '" + target.name +
                                            "' is complex: compare one of its sub-attributes");
}

}  // namespace rosterd::sql
