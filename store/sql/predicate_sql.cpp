#include "store/sql/predicate_sql.h"

#include <array>
#include <cassert>
#include <optional>
#include <span>
#include <string_view>

#include "core/email.h"
#include "core/resource_schema.h"
#include "store/sql/filter_dialect.h"
#include "store/sql/filter_target.h"

namespace rosterd::sql {
namespace {

// How an indexed column holds an attribute.
enum class Style { Exact, ExactNullable, Key, Lower, DateTime, Flag };

struct Column {
  std::string_view attribute;  // canonical name
  std::string_view column;
  Style style;
};

// A multi-valued attribute kept as rows of its own table rather than in the document.
struct RowSource {
  std::string_view attribute;
  std::string_view from_where;  // correlated to the outer row
  std::array<Column, 2> members;
};

// The values of one member of a multi-valued attribute, also kept ASCII lower-cased in a
// table of their own so that equality on them is an index search rather than a walk
// through every document. The document stays the reference for every other operator.
struct ValueIndex {
  std::string_view attribute;  // canonical name of the member ("emails.value"); empty: none
  std::string_view rows_equal_to;  // the row has a value equal to the placeholder appended
};

struct Table {
  std::string_view alias;
  const ResourceSchema& schema;
  std::span<const Column> columns;
  RowSource rows;
  ValueIndex index;
};

constexpr Column kUserColumns[] = {
    {"id", "i.id", Style::Exact},
    {"externalId", "i.external_id", Style::ExactNullable},
    {"userName", "i.user_name_key", Style::Key},  // ascii_lower(userName), uniquely indexed
    {"displayName", "i.display_name", Style::Lower},
    {"active", "i.active", Style::Flag},
    {"meta.created", "i.created_at", Style::DateTime},
    {"meta.lastModified", "i.updated_at", Style::DateTime},
};
constexpr Column kGroupColumns[] = {
    {"id", "g.id", Style::Exact},
    {"externalId", "g.external_id", Style::ExactNullable},
    {"displayName", "g.display_name", Style::Lower},
    {"meta.created", "g.created_at", Style::DateTime},
    {"meta.lastModified", "g.updated_at", Style::DateTime},
};
constexpr RowSource kUserGroups{
    "groups", "group_members m WHERE m.source = i.source AND m.member_id = i.id",
    {Column{"value", "m.group_id", Style::Exact}, Column{"", "", Style::Exact}}};
constexpr RowSource kGroupMembers{
    "members", "group_members m WHERE m.source = g.source AND m.group_id = g.id",
    {Column{"value", "m.member_id", Style::Exact}, Column{"type", "m.member_type", Style::Lower}}};

// Kept in step with the identity's emails by the identity store (migration 2).
constexpr ValueIndex kUserEmails{
    "emails.value",
    "i.id IN (SELECT ie.identity_id FROM identity_emails ie WHERE ie.source = i.source AND "
    "ie.email_key = "};

const Table& table_for(ResourceKind kind) {
  static const Table kUsers{"i", ResourceSchema::user(), kUserColumns, kUserGroups, kUserEmails};
  static const Table kGroups{"g", ResourceSchema::group(), kGroupColumns, kGroupMembers, {}};
  return kind == ResourceKind::User ? kUsers : kGroups;
}

Target column_target(const AttributeSpec& spec, std::string_view column, Style style) {
  const std::string expr(column);
  assert(is_safe_key(expr));
  if (style == Style::Flag)
    return Target{spec.name, BoolTarget{expr + " = 1", expr + " = 0", false},
                  Fragment{expr + " IS NOT NULL", false, true}};
  const bool nullable = style == Style::ExactNullable;
  TextTarget text{expr, style == Style::Lower, style == Style::Lower || style == Style::Key,
                  style == Style::DateTime, nullable};
  Fragment present = nullable ? Fragment{expr + " IS NOT NULL AND " + expr + " <> ''", false, false}
                              : Fragment{expr + " <> ''", false, true};
  return Target{spec.name, std::move(text), std::move(present)};
}

Target json_target(const AttributeSpec& spec, const JsonPlace& place, const FilterDialect& d) {
  Fragment present{d.present(place), false, true};
  switch (spec.type) {
    case AttributeSpec::Type::Boolean:
      return Target{spec.name, BoolTarget{d.is_bool(place, true), d.is_bool(place, false), true},
                    std::move(present)};
    case AttributeSpec::Type::Integer:
    case AttributeSpec::Type::Decimal:
      return Target{spec.name, NumberTarget{d.number(place)}, std::move(present)};
    case AttributeSpec::Type::Complex:
      return Target{spec.name, PresenceOnly{}, std::move(present)};
    default:
      break;
  }
  const bool fold = !spec.case_exact;
  return Target{spec.name,
                TextTarget{d.text(place), fold, fold, spec.type == AttributeSpec::Type::DateTime, true},
                std::move(present)};
}

// Where paths resolve: the row, the members of a complex attribute (parent[...]), or
// one element of a multi-valued attribute (a JSON array element or a row of `rows`).
struct Scope {
  const AttributeSpec* parent = nullptr;
  JsonPlace base;
  const RowSource* rows = nullptr;
};

std::string member_name(const AttributeSpec& spec, const AttributeSpec& parent) {
  return spec.name.substr(parent.name.size() + 1);
}

class Compiler {
 public:
  Compiler(const Table& table, const FilterDialect& dialect, int first_param)
      : table_(table), dialect_(dialect), params_(first_param) {}

  Result<Fragment> node(const Predicate& p, const Scope& scope) {
    return std::visit([&](const auto& n) { return visit(n, scope); }, p.node);
  }
  Scope row_scope() const { return Scope{nullptr, JsonPlace{document(), "", {}}, nullptr}; }
  std::vector<std::string> take_params() { return params_.take(); }

 private:
  std::string document() const { return std::string(table_.alias) + ".attributes"; }

  Result<Fragment> visit(const Comparison& c, const Scope& scope);
  Result<Fragment> visit(const ValuePathFilter& f, const Scope& scope);
  Result<Fragment> visit(const And& n, const Scope& scope) { return both(n.left, "AND", n.right, scope); }
  Result<Fragment> visit(const Or& n, const Scope& scope) { return both(n.left, "OR", n.right, scope); }
  Result<Fragment> visit(const Not& n, const Scope& scope) {
    auto inner = node(*n.inner, scope);
    if (!inner) return inner;
    return negate(*inner);
  }
  Result<Fragment> both(const PredicatePtr& l, std::string_view op, const PredicatePtr& r,
                        const Scope& scope) {
    auto left = node(*l, scope);
    if (!left) return left;
    auto right = node(*r, scope);
    if (!right) return right;
    return combine(*left, op, *right);
  }

  Result<Fragment> leaf(const AttributePath& path, CompareOp op, const Literal& value,
                        const Scope& scope);
  Result<const AttributeSpec*> resolve(const AttributePath& path, const Scope& scope) const;
  Result<Target> target_in(const AttributeSpec& spec, const Scope& scope) const;
  Scope element_scope(const AttributeSpec& multi) const;
  Fragment exists(const AttributeSpec& multi, const Scope& inner, const Fragment& where) const;
  Fragment any_element(const AttributeSpec& multi) const;
  bool indexed(const AttributeSpec& member) const {
    return !table_.index.attribute.empty() && member.name == table_.index.attribute;
  }
  Fragment index_lookup(const std::string& literal) {
    return Fragment{std::string(table_.index.rows_equal_to) + params_.bind(ascii_lower(literal)) + ")",
                    false, true};
  }
  const Literal* indexed_equality(const Predicate& p, const AttributeSpec& owner) const;

  const Table& table_;
  const FilterDialect& dialect_;
  FilterParams params_;
};

// `ne` is the negation of `eq` and `eq null` the negation of `pr`, as in the evaluator:
// an absent attribute is `ne` anything.
Result<Fragment> Compiler::visit(const Comparison& c, const Scope& scope) {
  const bool null_eq = c.op == CompareOp::Eq && c.value.kind == Literal::Kind::Null;
  const bool null_ne = c.op == CompareOp::Ne && c.value.kind == Literal::Kind::Null;
  if (null_ne) return leaf(c.path, CompareOp::Pr, c.value, scope);
  if (c.op != CompareOp::Ne && !null_eq) return leaf(c.path, c.op, c.value, scope);
  auto positive = leaf(c.path, null_eq ? CompareOp::Pr : CompareOp::Eq, c.value, scope);
  if (!positive) return positive;
  return negate(*positive);
}

Result<Fragment> Compiler::leaf(const AttributePath& path, CompareOp op, const Literal& value,
                                const Scope& scope) {
  auto spec = resolve(path, scope);
  if (!spec) return tl::unexpected(spec.error());
  const AttributeSpec* multi = nullptr;
  const AttributeSpec* member = *spec;
  if (!scope.parent && (*spec)->multi_valued) {
    if (op == CompareOp::Pr) return any_element(**spec);
    multi = *spec;  // `emails eq "x"` compares the elements' value
    member = table_.schema.find_member(*multi, "value");
    if (!member) return fail(ErrorCode::InvalidFilter, "attribute '" + multi->name + "' has no value");
  } else if (!scope.parent && !path.sub_attribute.empty()) {
    const auto* owner = table_.schema.find(AttributePath{path.schema, path.attribute, {}});
    if (owner && owner->multi_valued) multi = owner;  // `emails.value co "x"`
  }
  if (multi && op == CompareOp::Eq && value.kind == Literal::Kind::String && indexed(*member))
    return index_lookup(value.text);
  const Scope inner = multi ? element_scope(*multi) : scope;
  auto target = target_in(*member, inner);
  if (!target) return tl::unexpected(target.error());
  auto compared = compare(*target, op, value, params_, dialect_);
  if (!compared || !multi) return compared;
  return exists(*multi, inner, *compared);
}

Result<Fragment> Compiler::visit(const ValuePathFilter& f, const Scope& scope) {
  if (scope.parent)
    return fail(ErrorCode::InvalidFilter, "a value filter cannot be nested inside another");
  auto spec = resolve(f.path, scope);
  if (!spec) return tl::unexpected(spec.error());
  const AttributeSpec& owner = **spec;
  if (owner.type != AttributeSpec::Type::Complex)
    return fail(ErrorCode::InvalidFilter,
                "attribute '" + owner.name + "' has no sub-attributes to filter on");
  if (!f.filter) return never_matches();
  if (!owner.multi_valued) {  // name[familyName eq "x"]: the object must exist
    auto inner = node(*f.filter, Scope{&owner, row_scope().base, nullptr});
    if (!inner) return inner;
    const Fragment present{dialect_.present(JsonPlace{document(), "", json_keys(owner.name)}), false, true};
    return combine(present, "AND", *inner);
  }
  // emails[type eq "work" and value eq "x"]: the index narrows the rows to those with
  // the value; the document still decides that one element matches the whole filter.
  std::optional<Fragment> narrowed;
  if (const Literal* value = indexed_equality(*f.filter, owner)) narrowed = index_lookup(value->text);
  const Scope inner = element_scope(owner);
  auto where = node(*f.filter, inner);
  if (!where) return where;
  const Fragment matched = exists(owner, inner, *where);
  return narrowed ? combine(*narrowed, "AND", matched) : matched;
}

// A string equality on the indexed member among the top-level conjuncts of a value filter.
const Literal* Compiler::indexed_equality(const Predicate& p, const AttributeSpec& owner) const {
  if (const auto* both = std::get_if<And>(&p.node)) {
    if (const Literal* l = indexed_equality(*both->left, owner)) return l;
    return indexed_equality(*both->right, owner);
  }
  const auto* c = std::get_if<Comparison>(&p.node);
  if (!c || c->op != CompareOp::Eq || c->value.kind != Literal::Kind::String) return nullptr;
  if (!c->path.schema.empty() || !c->path.sub_attribute.empty()) return nullptr;
  const AttributeSpec* member = table_.schema.find_member(owner, c->path.attribute);
  return member && indexed(*member) ? &c->value : nullptr;
}

Result<const AttributeSpec*> Compiler::resolve(const AttributePath& path, const Scope& scope) const {
  const AttributeSpec* spec = nullptr;
  if (!scope.parent) spec = table_.schema.find(path);
  else if (path.sub_attribute.empty()) spec = table_.schema.find_member(*scope.parent, path.attribute);
  if (!spec) {
    const std::string shown = scope.parent ? scope.parent->name + "[" + path.to_string() + "]"
                                           : path.to_string();
    return fail(ErrorCode::InvalidFilter, "unknown attribute '" + shown + "' in filter");
  }
  return spec;
}

Result<Target> Compiler::target_in(const AttributeSpec& spec, const Scope& scope) const {
  if (scope.rows) {
    const std::string member = member_name(spec, *scope.parent);
    for (const Column& c : scope.rows->members)
      if (!c.attribute.empty() && c.attribute == member)
        return column_target(spec, c.column, spec.case_exact ? Style::Exact : c.style);
    return fail(ErrorCode::InvalidFilter, "attribute '" + spec.name + "' cannot be filtered on");
  }
  if (!scope.base.element.empty())
    return json_target(spec, JsonPlace{scope.base.doc, scope.base.element, {member_name(spec, *scope.parent)}},
                       dialect_);
  for (const Column& c : table_.columns)
    if (c.attribute == spec.name) return column_target(spec, c.column, c.style);
  return json_target(spec, JsonPlace{scope.base.doc, "", json_keys(spec.name)}, dialect_);
}

Scope Compiler::element_scope(const AttributeSpec& multi) const {
  if (multi.name == table_.rows.attribute) return Scope{&multi, JsonPlace{}, &table_.rows};
  return Scope{&multi, JsonPlace{document(), "e", {}}, nullptr};
}

Fragment Compiler::exists(const AttributeSpec& multi, const Scope& inner, const Fragment& where) const {
  const std::string condition = where.atomic ? where.sql : "(" + where.sql + ")";
  if (inner.rows)
    return Fragment{"EXISTS (SELECT 1 FROM " + std::string(inner.rows->from_where) + " AND " +
                        condition + ")", false, true};
  const JsonPlace array{document(), "", json_keys(multi.name)};
  return Fragment{"EXISTS (SELECT 1 FROM " + dialect_.elements(array, "e") + " WHERE " + where.sql + ")",
                  false, true};
}

Fragment Compiler::any_element(const AttributeSpec& multi) const {
  if (multi.name == table_.rows.attribute)
    return Fragment{"EXISTS (SELECT 1 FROM " + std::string(table_.rows.from_where) + ")", false, true};
  return Fragment{dialect_.array_not_empty(JsonPlace{document(), "", json_keys(multi.name)}), false, true};
}

}  // namespace

Result<CompiledFilter> compile_filter(const Predicate& p, ResourceKind kind, Dialect dialect,
                                      int first_param) {
  Compiler compiler(table_for(kind), filter_dialect(dialect), first_param);
  auto where = compiler.node(p, compiler.row_scope());
  if (!where) return tl::unexpected(where.error());
  return CompiledFilter{std::move(where->sql), compiler.take_params()};
}

}  // namespace rosterd::sql
