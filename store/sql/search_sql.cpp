#include "store/sql/search_sql.h"

#include <span>

#include "core/resource_schema.h"
#include "core/try.h"
#include "store/sql/filter_dialect.h"
#include "store/sql/identity_statements.h"

namespace rosterd::sql {
namespace {

// Attributes kept in columns, as sortable expressions. `nullable`: can be absent.
struct SortColumn {
  std::string_view attribute;
  std::string_view expr;
  bool nullable;
};

constexpr SortColumn kUserSort[] = {
    {"id", "i.id", false},
    {"externalId", "i.external_id", true},
    {"userName", "i.user_name_key", false},
    {"displayName", "NULLIF(lower(i.display_name), '')", true},
    {"meta.created", "i.created_at", false},
    {"meta.lastModified", "i.updated_at", false},
    {"emails", "NULLIF(i.email_key, '')", true},  // the primary (first) email
    {"emails.value", "NULLIF(i.email_key, '')", true},
};
constexpr SortColumn kGroupSort[] = {
    {"id", "g.id", false},
    {"externalId", "g.external_id", true},
    {"displayName", "NULLIF(lower(g.display_name), '')", true},
    {"meta.created", "g.created_at", false},
    {"meta.lastModified", "g.updated_at", false},
};

struct Kind {
  std::string_view alias;
  std::string_view table;
  std::string_view columns;
  std::string_view memberships;  // kept as rows: no value in the document to sort by
  const ResourceSchema& schema;
  std::span<const SortColumn> sort;
};

const Kind& kind_of(ResourceKind kind) {
  static const Kind kUsers{"i", "identities i", stmt::kUserColumns, "groups",
                           ResourceSchema::user(), kUserSort};
  static const Kind kGroups{"g", "external_groups g", stmt::kGroupColumns, "members",
                            ResourceSchema::group(), kGroupSort};
  return kind == ResourceKind::User ? kUsers : kGroups;
}

bool is_text(const AttributeSpec& spec) {
  return spec.type == AttributeSpec::Type::String || spec.type == AttributeSpec::Type::Reference;
}

// A value read from the document (or from one element when place.element is set).
std::string json_value(const AttributeSpec& spec, const JsonPlace& place, const FilterDialect& d) {
  if (spec.type == AttributeSpec::Type::Integer || spec.type == AttributeSpec::Type::Decimal)
    return d.number(place);
  std::string text = d.text(place);
  if (is_text(spec) && !spec.case_exact) text = "lower(" + text + ")";
  return "NULLIF(" + text + ", '')";
}

// A member of a multi-valued attribute: the primary element's, else the first one's.
// The element is read as a document of its own (se.value): SQLite does not resolve the
// outer row's columns inside a subquery's ORDER BY.
std::string element_value(const AttributeSpec& member, const AttributeSpec& multi,
                          const std::string& doc, const FilterDialect& d) {
  const std::string key = member.name.substr(multi.name.size() + 1);
  const JsonPlace array{doc, "", json_keys(multi.name)};
  return "(SELECT " + json_value(member, JsonPlace{"se.value", "", {key}}, d) + " FROM " +
         d.elements(array, "se") + " ORDER BY COALESCE(" +
         d.is_bool(JsonPlace{"se.value", "", {"primary"}}, true) + ", FALSE) DESC LIMIT 1)";
}

tl::unexpected<Error> unsortable(std::string_view sort_by, std::string_view why) {
  return fail(ErrorCode::InvalidValue,
              "cannot sort by '" + std::string(sort_by) + "': " + std::string(why));
}

// The expression to sort by, and whether it may be NULL.
Result<std::pair<std::string, bool>> sort_expression(const Kind& k, std::string_view sort_by,
                                                     const FilterDialect& d) {
  const AttributePath path = path_of_name(sort_by);
  const AttributeSpec* spec = k.schema.find(path);
  if (!spec) return unsortable(sort_by, "unknown attribute");
  for (const SortColumn& c : k.sort)
    if (c.attribute == spec->name) return std::pair{std::string(c.expr), c.nullable};
  const std::string doc = std::string(k.alias) + ".attributes";
  const AttributeSpec* owner =
      path.sub_attribute.empty() ? spec : k.schema.find(AttributePath{path.schema, path.attribute, {}});
  if (owner && owner->name == k.memberships) return unsortable(sort_by, "memberships have no order");
  if (spec->type == AttributeSpec::Type::Complex) {
    const AttributeSpec* value = spec->multi_valued ? k.schema.find_member(*spec, "value") : nullptr;
    if (!value) return unsortable(sort_by, "it is complex: sort by one of its sub-attributes");
    return std::pair{element_value(*value, *spec, doc, d), true};
  }
  if (owner && owner != spec && owner->multi_valued)
    return std::pair{element_value(*spec, *owner, doc, d), true};
  return std::pair{json_value(*spec, JsonPlace{doc, "", json_keys(spec->name)}, d), true};
}

}  // namespace

Result<std::string> compile_sort(ResourceKind kind, std::string_view sort_by, bool descending,
                                 Dialect dialect) {
  const Kind& k = kind_of(kind);
  const std::string id = std::string(k.alias) + ".id";
  if (sort_by.empty()) return std::string(k.alias) + ".created_at, " + id;
  ROSTERD_ASSIGN(const auto expr, sort_expression(k, sort_by, filter_dialect(dialect)));
  const std::string direction = descending ? " DESC" : "";
  std::string out;
  if (expr.second) out = "(" + expr.first + ") IS NULL" + direction + ", ";
  out += expr.first + direction;
  if (expr.first != id) out += ", " + id;
  return out;
}

Result<SearchSql> compile_search(const ResourceQuery& q, Dialect dialect) {
  const ResourceKind kind = q.type == ResourceType::User ? ResourceKind::User : ResourceKind::Group;
  const Kind& k = kind_of(kind);
  SearchSql out;
  std::string where = std::string(k.alias) + ".source = $1";
  if (q.filter) {
    ROSTERD_ASSIGN(auto f, compile_filter(*q.filter, kind, dialect, 2));
    where += " AND (" + f.where + ")";
    out.params = std::move(f.params);
  }
  ROSTERD_ASSIGN(const std::string order, compile_sort(kind, q.sort_by, q.descending, dialect));
  const std::size_t limit = out.params.size() + 2;
  // The page is chosen on row keys alone, so that OFFSET walks an index (source,
  // created_at, id for the default order) instead of reading every skipped row, and only
  // the page's rows are read whole. SQLite's rowid, PostgreSQL's id (unique per source).
  const std::string key = std::string(k.alias) + (dialect == Dialect::Sqlite ? ".rowid" : ".id");
  // (rowid is unique in the table; PostgreSQL's id only within the source.)
  const std::string outer = dialect == Dialect::Sqlite ? std::string() : std::string(k.alias) + ".source = $1 AND ";
  out.page = "SELECT " + std::string(k.columns) + " FROM " + std::string(k.table) + " WHERE " +
             outer + key + " IN (SELECT " + key + " FROM " +
             std::string(k.table) + " WHERE " + where + " ORDER BY " + order + " LIMIT $" +
             std::to_string(limit) + " OFFSET $" + std::to_string(limit + 1) + ") ORDER BY " + order;
  out.count = "SELECT COUNT(*) FROM " + std::string(k.table) + " WHERE " + where;
  return out;
}

}  // namespace rosterd::sql
