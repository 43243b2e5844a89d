#include "connectors/webhook/invitation_sender.h"

#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include "connectors/webhook/smtp_message.h"
#include "core/try.h"

namespace rosterd::webhook {
namespace {

Timestamp default_clock() {
  return std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
}

std::string string_at(const boost::json::object& o, const char* key) {
  const auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

// The recipient and the role, from the event's payload (store/sql/account_rows.cpp:
// {"account": {"email", "role", ...}, "details": {"role", ...}}).
Result<InvitationMail> mail_of(const Invitation& invitation) {
  if (invitation.payload.empty())
    return fail(ErrorCode::NotFound, "the outbox event is gone (dropped): no address to send to");
  boost::system::error_code ec;
  const auto v = boost::json::parse(invitation.payload, ec);
  if (ec || !v.is_object()) return fail(ErrorCode::InvalidValue, "the outbox event's payload is not a JSON object");
  InvitationMail mail;
  if (const auto* account = v.as_object().if_contains("account"); account && account->is_object()) {
    mail.to = string_at(account->as_object(), "email");
    mail.role = string_at(account->as_object(), "role");
  }
  if (const auto* details = v.as_object().if_contains("details"); mail.role.empty() && details && details->is_object())
    mail.role = string_at(details->as_object(), "role");
  if (mail.to.empty()) return fail(ErrorCode::InvalidValue, "the outbox event names no email address");
  mail.space = invitation.space;
  mail.event_id = invitation.event_id;
  return mail;
}

}  // namespace

InvitationSender::InvitationSender(std::unique_ptr<OutboxStore> outbox, std::unique_ptr<InvitationStore> store,
                                   std::vector<InvitationTarget> targets, InvitationSenderOptions options,
                                   SenderLog log)
    : outbox_(std::move(outbox)),
      store_(std::move(store)),
      options_(std::move(options)),
      log_(std::move(log)),
      targets_(std::make_shared<const std::vector<InvitationTarget>>(std::move(targets))) {
  if (!options_.clock) options_.clock = default_clock;
  targets_since_ = options_.clock();
  if (!log_) log_ = [](auto, auto, auto, auto, auto) {};
  options_.batch = std::max<std::size_t>(options_.batch, 1);
  options_.feed = std::max<std::size_t>(options_.feed, 1);
}

InvitationSender::~InvitationSender() { stop(); }

void InvitationSender::start() {
  std::lock_guard lock(mutex_);
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] { loop(); });
}

void InvitationSender::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wakeup_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void InvitationSender::replace_targets(std::vector<InvitationTarget> targets) {
  {
    std::lock_guard lock(mutex_);
    targets_ = std::make_shared<const std::vector<InvitationTarget>>(std::move(targets));
    targets_since_ = options_.clock();
    woken_ = true;
  }
  wakeup_.notify_all();
}

InvitationCounts InvitationSender::counts() const {
  return {sent_.load(), retried_.load(), dead_.load(), store_errors_.load()};
}

bool InvitationSender::stopping() const {
  std::lock_guard lock(mutex_);
  return stopping_;
}

void InvitationSender::loop() {
  while (!stopping()) {
    const auto attempted = run_once();
    if (attempted && *attempted > 0) continue;
    std::unique_lock lock(mutex_);
    const auto wait = attempted ? options_.idle_poll : std::chrono::milliseconds(1000);
    wakeup_.wait_for(lock, wait, [this] { return stopping_ || woken_; });
    woken_ = false;
  }
}

Result<std::size_t> InvitationSender::run_once() {
  if (!leads()) return std::size_t{0};  // a standby: the leader sends (and keeps the starts)
  std::shared_ptr<const std::vector<InvitationTarget>> targets;
  std::optional<Timestamp> since;
  {
    std::lock_guard lock(mutex_);
    targets = targets_;
    since.swap(targets_since_);
  }
  if (since) {
    std::vector<std::string> spaces;
    for (const InvitationTarget& t : *targets) spaces.push_back(t.space);
    if (auto kept = store_->keep_starts(spaces, *since); !kept) {
      ++store_errors_;
      log_("error", "invitation_store_error", "", "", kept.error().message);
      std::lock_guard lock(mutex_);
      if (!targets_since_) targets_since_ = since;  // again on the next pass
      return tl::unexpected(kept.error());
    }
  }
  std::size_t attempted = 0;
  std::optional<Error> failure;
  for (const InvitationTarget& target : *targets) {
    if (!leads()) break;
    auto sent = serve_space(target);
    if (sent) {
      attempted += *sent;
      continue;
    }
    ++store_errors_;
    log_("error", "invitation_store_error", target.space, "", sent.error().message);
    failure = sent.error();
  }
  if (attempted == 0 && failure) return tl::unexpected(*failure);
  return attempted;
}

Result<std::size_t> InvitationSender::serve_space(const InvitationTarget& target) {
  const Timestamp now = options_.clock();
  ROSTERD_ASSIGN(const std::int64_t seen, store_->last_seen_seq(target.space));
  ROSTERD_ASSIGN(const auto events, outbox_->events_after(target.space, "account.created", seen, options_.feed));
  ROSTERD_TRY(store_->add_invitations(events, now));
  // Sent one after the other: the lease covers the whole batch at its longest.
  const auto per_email = target.server.total_timeout + std::chrono::seconds(2);
  const Timestamp lease = now + per_email * static_cast<int>(options_.batch);
  ROSTERD_ASSIGN(const auto due, store_->claim_due(target.space, now, lease, options_.batch));
  std::vector<AttemptOutcome> outcomes;
  for (const Invitation& invitation : due) {
    // The rest goes out after the lease, from this or the next process (or leader).
    if (stopping() || !leads()) break;
    outcomes.push_back(send_one(target, invitation));
  }
  ROSTERD_TRY(store_->record_sends(outcomes));
  return outcomes.size();
}

AttemptOutcome InvitationSender::send_one(const InvitationTarget& target, const Invitation& invitation) {
  AttemptOutcome o{invitation.event_id, AttemptResult::Dead, options_.clock(), {}, {}};
  auto mail = mail_of(invitation);
  Result<std::string> message = mail ? Result<std::string>() : tl::unexpected(mail.error());
  if (mail) {
    mail->from = target.from;
    mail->date = o.attempted_at;
    message = invitation_message(*mail);
  }
  if (!message) {
    ++dead_;
    o.error = message.error().message;
    log_("error", "invitation_dead", target.space, invitation.event_id, o.error);
    return o;
  }
  const SmtpAttempt attempt = send_mail(target.server, mail->from, mail->to, *message);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  const AttemptDecision d = decide_smtp_attempt(attempt, invitation.attempts, target.retry, unit(jitter_));
  o.attempted_at = options_.clock();
  o.result = d.result;
  o.error = d.error;
  o.next_attempt_at = o.attempted_at + d.delay;
  const std::string attempt_no = "attempt " + std::to_string(invitation.attempts + 1);
  if (d.result == AttemptResult::Delivered) {
    ++sent_;
    log_("info", "invitation_sent", target.space, invitation.event_id, attempt_no);
  } else if (d.result == AttemptResult::Retry) {
    ++retried_;
    log_("warning", "invitation_retry", target.space, invitation.event_id,
         d.error + "; " + attempt_no + ", next in " + std::to_string(d.delay.count()) + " ms");
  } else {
    ++dead_;
    log_("error", "invitation_dead", target.space, invitation.event_id, d.error + "; " + attempt_no);
  }
  return o;
}

}  // namespace rosterd::webhook
