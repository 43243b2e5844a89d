#include <charconv>
#include <ostream>

#include "daemon/commands.h"
#include "daemon/output.h"
#include "store/store_options.h"

namespace rosterd::cli {
namespace {

// "2026-11-01", "2026-11-01T08:00:00Z", or a look-back such as "90m", "24h", "7d".
std::optional<Timestamp> parse_since(const std::string& text, Timestamp now) {
  if (auto t = parse_timestamp(text)) return t;
  if (text.size() < 2) return std::nullopt;
  long long n = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size() - 1, n);
  if (ec != std::errc() || end != text.data() + text.size() - 1 || n < 0) return std::nullopt;
  using namespace std::chrono;
  switch (text.back()) {
    case 'm': return now - minutes{n};
    case 'h': return now - hours{n};
    case 'd': return now - days{n};
    default: return std::nullopt;
  }
}

}  // namespace

OptionSpec audit_options() { return OptionSpec{{"since", "account", "limit"}, {}}; }

int run_audit(CommandContext& ctx, const Args& args) {
  AuditQuery q;
  q.space = args.value("space");
  if (auto since = args.value("since")) {
    q.since = parse_since(*since, system_now());
    if (!q.since)
      return report_error(Error{ErrorCode::Usage, "--since '" + *since +
                                                      "': give a date, a time (ISO 8601) or a look-back like 24h or 7d", {}},
                          ctx.json, ctx.out, ctx.err);
  }
  if (auto account = args.value("account")) {
    auto a = ctx.resolve(*account, q.space);
    if (!a) return report_error(a.error(), ctx.json, ctx.out, ctx.err);
    q.account_id = a->id;
  }
  if (auto limit = args.value("limit")) {
    std::size_t n = 0;
    const auto [end, ec] = std::from_chars(limit->data(), limit->data() + limit->size(), n);
    if (ec != std::errc() || end != limit->data() + limit->size())
      return report_error(Error{ErrorCode::Usage, "--limit needs a whole number", {}}, ctx.json,
                          ctx.out, ctx.err);
    q.limit = n;
  }
  auto entries = ctx.store->audit(q);
  if (!entries) return report_error(entries.error(), ctx.json, ctx.out, ctx.err);
  print_audit(ctx.out, *entries, ctx.json);
  return 0;
}

int run_licences(CommandContext& ctx, const Args& args) {
  auto usage = ctx.store->licence_usage();
  if (!usage) return report_error(usage.error(), ctx.json, ctx.out, ctx.err);
  if (auto space = args.value("space"))
    std::erase_if(*usage, [&](const LicenceUsage& u) { return u.space != *space; });
  print_licences(ctx.out, *usage, ctx.json);
  return 0;
}

}  // namespace rosterd::cli
