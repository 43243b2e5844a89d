// `rosterd outbox list [--state S] [--json] | retry EVENT_ID | retry --dead | drop EVENT_ID`:
// the webhook outbox for the administrator. A running `rosterd serve` picks up a retried
// event at its next look (within a second); a dropped one is never sent (the audit log
// still records the change it described).
#include <ostream>

#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "daemon/commands.h"
#include "daemon/open_store.h"
#include "store/store_options.h"

namespace rosterd::cli {
namespace {

boost::json::object event_json(const OutboxEvent& e) {
  boost::system::error_code ec;
  boost::json::value payload = boost::json::parse(e.payload, ec);
  if (ec) payload = e.payload;
  return boost::json::object{
      {"seq", e.seq},
      {"event_id", e.event_id},
      {"type", e.type},
      {"space", e.space},
      {"account_id", e.account_id},
      {"state", e.state},
      {"attempts", e.attempts},
      {"created_at", format_timestamp(e.created_at)},
      {"next_attempt_at", e.state == "pending" ? boost::json::value(format_timestamp(e.next_attempt_at))
                                               : boost::json::value(nullptr)},
      {"last_attempt_at", e.last_attempt_at ? boost::json::value(format_timestamp(*e.last_attempt_at))
                                            : boost::json::value(nullptr)},
      {"last_error", e.last_error},
      {"payload", std::move(payload)}};
}

void print_events(std::ostream& out, const std::vector<OutboxEvent>& events, bool json) {
  if (json) {
    boost::json::array items;
    for (const OutboxEvent& e : events) items.push_back(event_json(e));
    out << boost::json::serialize(items) << "\n";
    return;
  }
  for (const OutboxEvent& e : events) {
    out << e.event_id << "  " << e.type << "  space=" << e.space << "  " << e.state
        << "  attempts=" << e.attempts;
    if (e.state == "pending") out << "  next=" << format_timestamp(e.next_attempt_at);
    if (e.last_attempt_at) out << "  last=" << format_timestamp(*e.last_attempt_at);
    if (!e.last_error.empty()) out << "  error=" << e.last_error;
    out << "\n";
  }
  if (events.empty()) out << "no events\n";
}

void print_done(std::ostream& out, bool json, const std::string& what, std::size_t count) {
  if (json)
    out << boost::json::serialize(boost::json::object{{"result", what}, {"count", count}}) << "\n";
  else
    out << what << ": " << count << (count == 1 ? " event\n" : " events\n");
}

int run_sub(OutboxStore& outbox, const Args& args, bool json, std::ostream& out, std::ostream& err) {
  const auto& words = args.positionals();
  const std::string sub = words.empty() ? "list" : words.front();
  const auto usage = [&](const std::string& message) {
    return report_error(Error{ErrorCode::Usage, "outbox: " + message, {}}, json, out, err);
  };
  if (sub == "list") {
    if (words.size() > 1) return usage("list takes no argument");
    const auto state = args.value("state");
    if (state && *state != "pending" && *state != "delivered" && *state != "dead")
      return usage("--state is pending, delivered or dead, not '" + *state + "'");
    auto events = outbox.outbox_events(state ? std::optional<std::string_view>(*state) : std::nullopt, 0);
    if (!events) return report_error(events.error(), json, out, err);
    print_events(out, *events, json);
    return 0;
  }
  if (sub == "retry" && args.flag("dead") && words.size() == 1) {
    auto count = outbox.retry_dead(system_now());
    if (!count) return report_error(count.error(), json, out, err);
    print_done(out, json, "retried", *count);
    return 0;
  }
  if ((sub == "retry" || sub == "drop") && words.size() == 2 && !args.flag("dead")) {
    auto done = sub == "retry" ? outbox.retry_event(words[1], system_now()) : outbox.drop_event(words[1]);
    if (!done) return report_error(done.error(), json, out, err);
    print_done(out, json, sub == "retry" ? "retried" : "dropped", 1);
    return 0;
  }
  if (sub == "retry") return usage("retry EVENT_ID, or retry --dead");
  if (sub == "drop") return usage("drop EVENT_ID");
  return usage("unknown operation '" + sub + "' (list, retry, drop)");
}

}  // namespace

OptionSpec outbox_options() { return OptionSpec{{"state"}, {"dead"}}; }

int run_outbox(const Args& args, std::ostream& out, std::ostream& err) {
  auto ctx = open_context(args, out, err);
  if (!ctx) return report_error(ctx.error(), args.flag("json"), out, err);
  auto outbox = open_outbox_store((*ctx)->config);
  if (!outbox) return report_error(outbox.error(), (*ctx)->json, out, err);
  return run_sub(**outbox, args, (*ctx)->json, out, err);
}

}  // namespace rosterd::cli
