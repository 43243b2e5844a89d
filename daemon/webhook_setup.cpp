#include "daemon/webhook_setup.h"

#include "daemon/log.h"
#include "daemon/open_store.h"

namespace rosterd {
namespace {

Result<webhook::WebhookTarget> target_of(const SpaceConfig& space) {
  const WebhookConfig& w = *space.webhook;
  auto secret = webhook::read_webhook_secret(w.secret_file);
  if (!secret)
    return fail(ErrorCode::Config, "space " + space.space.id + ": " + secret.error().message);
  webhook::WebhookTarget t;
  t.space = space.space.id;
  t.url = w.url;
  t.secret = std::move(*secret);
  t.limits.connect_timeout = std::min(w.connect_timeout, w.timeout);
  t.limits.total_timeout = w.timeout;
  t.limits.allow_http = w.allow_http_loopback;
  t.limits.ca_file = w.ca_file;
  t.retry.initial = w.retry_initial;
  t.retry.max = std::max(w.retry_max, w.retry_initial);
  t.retry.max_attempts = w.max_attempts;
  return t;
}

void log_sender(std::string_view level, std::string_view event, std::string_view space,
                std::string_view event_id, std::string_view message) {
  log_event(level, event, {{"space", std::string(space)}, {"event_id", std::string(event_id)},
                           {"message", std::string(message)}});
}

}  // namespace

Result<std::vector<webhook::WebhookTarget>> webhook_targets(const Config& config) {
  std::vector<webhook::WebhookTarget> out;
  for (const SpaceConfig& space : config.spaces) {
    if (!space.webhook) continue;
    auto target = target_of(space);
    if (!target) return tl::unexpected(target.error());
    out.push_back(std::move(*target));
  }
  return out;
}

std::vector<LintFinding> webhook_findings(const Config& config) {
  std::vector<LintFinding> out;
  for (const SpaceConfig& space : config.spaces)
    if (space.webhook)
      if (auto target = target_of(space); !target)
        out.push_back({LintFinding::Severity::Error, space.location, target.error().message});
  return out;
}

Result<std::unique_ptr<webhook::WebhookSender>> start_webhook_sender(const Config& config,
                                                                     std::function<bool()> is_leader) {
  auto targets = webhook_targets(config);
  if (!targets) return tl::unexpected(targets.error());
  auto outbox = open_outbox_store(config);
  if (!outbox) return tl::unexpected(outbox.error());
  const std::size_t spaces = targets->size();
  webhook::SenderOptions options;
  options.is_leader = std::move(is_leader);
  auto sender = std::make_unique<webhook::WebhookSender>(std::move(*outbox), std::move(*targets),
                                                         std::move(options), log_sender);
  sender->start();
  log_event("info", "webhook_sender_started", {{"spaces", std::to_string(spaces)}});
  return sender;
}

}  // namespace rosterd
