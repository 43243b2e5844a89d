#include "daemon/invitation_setup.h"

#include "daemon/log.h"
#include "daemon/open_store.h"
#include "store/store_options.h"

namespace rosterd {
namespace {

Result<webhook::InvitationTarget> target_of(const SpaceConfig& space) {
  const SmtpConfig& smtp = *space.invitation_smtp;
  webhook::InvitationTarget t;
  t.space = space.space.id;
  t.from = smtp.from;
  t.server.url = smtp.url;
  t.server.starttls = smtp.url.starts_with("smtp://") && smtp.starttls;
  t.server.username = smtp.username;
  t.server.connect_timeout = std::min(smtp.connect_timeout, smtp.timeout);
  t.server.total_timeout = smtp.timeout;
  if (!smtp.password_file.empty()) {
    auto password = webhook::read_secret_file(smtp.password_file, "the SMTP password_file");
    if (!password) return fail(ErrorCode::Config, "space " + space.space.id + ": " + password.error().message);
    t.server.password = std::move(*password);
  }
  return t;  // retry: RetryPolicy's defaults (1 s doubling to 1 h, 25 attempts)
}

void log_sender(std::string_view level, std::string_view event, std::string_view space,
                std::string_view event_id, std::string_view message) {
  log_event(level, event, {{"space", std::string(space)}, {"event_id", std::string(event_id)},
                           {"message", std::string(message)}});
}

}  // namespace

Result<std::vector<webhook::InvitationTarget>> invitation_targets(const Config& config) {
  std::vector<webhook::InvitationTarget> out;
  for (const SpaceConfig& space : config.spaces) {
    if (!space.invitation_smtp) continue;
    auto target = target_of(space);
    if (!target) return tl::unexpected(target.error());
    out.push_back(std::move(*target));
  }
  return out;
}

std::vector<LintFinding> invitation_findings(const Config& config) {
  std::vector<LintFinding> out;
  for (const SpaceConfig& space : config.spaces)
    if (space.invitation_smtp)
      if (auto target = target_of(space); !target)
        out.push_back({LintFinding::Severity::Error, space.location, target.error().message});
  return out;
}

void forget_invitation_starts(const Config& config) {
  auto invitations = open_invitation_store(config);
  auto forgotten = invitations ? (*invitations)->keep_starts({}, system_now())
                               : Result<void>(tl::unexpected(invitations.error()));
  if (!forgotten) log_event("error", "invitation_store_error", {{"error", forgotten.error().message}});
}

Result<std::unique_ptr<webhook::InvitationSender>> start_invitation_sender(
    const Config& config, std::vector<webhook::InvitationTarget> targets, std::function<bool()> is_leader) {
  auto outbox = open_outbox_store(config);
  if (!outbox) return tl::unexpected(outbox.error());
  auto invitations = open_invitation_store(config);
  if (!invitations) return tl::unexpected(invitations.error());
  const std::size_t spaces = targets.size();
  webhook::InvitationSenderOptions options;
  options.is_leader = std::move(is_leader);
  auto sender = std::make_unique<webhook::InvitationSender>(std::move(*outbox), std::move(*invitations),
                                                            std::move(targets), std::move(options), log_sender);
  sender->start();
  log_event("info", "invitation_sender_started", {{"spaces", std::to_string(spaces)}});
  return sender;
}

}  // namespace rosterd
