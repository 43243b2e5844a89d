#include "connectors/webhook/webhook_sender.h"

#include <algorithm>

#include "connectors/webhook/signature.h"
#include "core/try.h"

namespace rosterd::webhook {
namespace {

Timestamp default_clock() {
  return std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
}

// A header value taken from the store: no line breaks can sneak into the request.
std::string header_value(std::string_view text) {
  std::string out;
  for (const char c : text) out += (c == '\r' || c == '\n') ? ' ' : c;
  return out;
}

}  // namespace

WebhookSender::WebhookSender(std::unique_ptr<OutboxStore> store, std::vector<WebhookTarget> targets,
                             SenderOptions options, SenderLog log)
    : store_(std::move(store)),
      options_(std::move(options)),
      log_(std::move(log)),
      http_(std::max<std::size_t>(options_.batch, 1)),
      targets_(std::make_shared<const std::vector<WebhookTarget>>(std::move(targets))) {
  if (!options_.clock) options_.clock = default_clock;
  if (!log_) log_ = [](auto, auto, auto, auto, auto) {};
  options_.batch = std::max<std::size_t>(options_.batch, 1);
}

WebhookSender::~WebhookSender() { stop(); }

void WebhookSender::start() {
  std::lock_guard lock(mutex_);
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] { loop(); });
}

void WebhookSender::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wakeup_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void WebhookSender::replace_targets(std::vector<WebhookTarget> targets) {
  {
    std::lock_guard lock(mutex_);
    targets_ = std::make_shared<const std::vector<WebhookTarget>>(std::move(targets));
    woken_ = true;
  }
  wakeup_.notify_all();
}

void WebhookSender::wake() {
  {
    std::lock_guard lock(mutex_);
    woken_ = true;
  }
  wakeup_.notify_all();
}

SenderCounts WebhookSender::counts() const {
  return {delivered_.load(), retried_.load(), dead_.load(), store_errors_.load()};
}

void WebhookSender::loop() {
  for (;;) {
    {
      std::lock_guard lock(mutex_);
      if (stopping_) return;
    }
    const auto started = std::chrono::steady_clock::now();
    const auto attempted = run_once();
    // Nothing due (or the store failed, logged by run_once): wait for the next poll. A
    // pass that found nothing but took long (a large backlog waiting out its backoff
    // while the receiver is down) is not repeated more than a tenth of the time.
    if (!attempted || *attempted == 0) {
      const auto spent = std::chrono::duration_cast<std::chrono::milliseconds>(
          std::chrono::steady_clock::now() - started);
      std::unique_lock lock(mutex_);
      const auto wait = attempted ? std::max(options_.idle_poll, 10 * spent) : std::chrono::milliseconds(1000);
      wakeup_.wait_for(lock, wait, [this] { return stopping_ || woken_; });
      woken_ = false;
    }
  }
}

Result<std::size_t> WebhookSender::run_once() {
  std::shared_ptr<const std::vector<WebhookTarget>> targets;
  {
    std::lock_guard lock(mutex_);
    targets = targets_;
  }
  std::size_t attempted = 0;
  std::optional<Error> failure;
  for (const WebhookTarget& target : *targets) {
    if (options_.is_leader && !options_.is_leader()) break;  // a standby sends nothing
    auto sent = send_batch(target);
    if (sent) {
      attempted += *sent;
      continue;
    }
    ++store_errors_;
    log_("error", "webhook_store_error", target.space, "", sent.error().message);
    failure = sent.error();
  }
  if (attempted == 0 && failure) return tl::unexpected(*failure);
  return attempted;
}

std::vector<HttpPost> WebhookSender::requests(const WebhookTarget& target,
                                              const std::vector<OutboxEvent>& events) {
  const auto unix_seconds =
      std::chrono::duration_cast<std::chrono::seconds>(options_.clock().time_since_epoch()).count();
  std::vector<HttpPost> out;
  out.reserve(events.size());
  for (const OutboxEvent& e : events) {
    HttpPost post;
    post.url = target.url;
    post.limits = target.limits;
    post.body = e.payload;
    const std::string id = header_value(e.event_id);
    post.headers = {"Content-Type: application/json",
                    "X-Rosterd-Event-Id: " + id,
                    "Idempotency-Key: " + id,
                    "X-Rosterd-Event-Type: " + header_value(e.type),
                    "X-Rosterd-Signature: " + signature_header(target.secret, unix_seconds, e.payload)};
    out.push_back(std::move(post));
  }
  return out;
}

Result<std::size_t> WebhookSender::send_batch(const WebhookTarget& target) {
  const Timestamp now = options_.clock();
  // The lease outlasts the attempt: the batch's requests run in parallel, each bounded
  // by the total timeout.
  const Timestamp lease = now + target.limits.total_timeout + std::chrono::seconds(2);
  ROSTERD_ASSIGN(const auto events, store_->claim_due(target.space, now, lease, options_.batch));
  if (events.empty()) return std::size_t{0};
  const auto posts = requests(target, events);
  const auto attempts = http_.post_all(posts);
  const Timestamp after = options_.clock();
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  std::vector<AttemptOutcome> outcomes;
  outcomes.reserve(events.size());
  for (std::size_t i = 0; i < events.size(); ++i) {
    const OutboxEvent& e = events[i];
    const auto d = decide_attempt(attempts[i], e.attempts, target.retry, after, unit(jitter_));
    outcomes.push_back({e.event_id, d.result, after, after + d.delay, d.error});
    if (d.result == AttemptResult::Delivered) {
      ++delivered_;
    } else if (d.result == AttemptResult::Retry) {
      ++retried_;
      log_("warning", "webhook_retry", target.space, e.event_id,
           d.error + "; attempt " + std::to_string(e.attempts + 1) + ", next in " +
               std::to_string(d.delay.count()) + " ms");
    } else {
      ++dead_;
      log_("error", "webhook_dead_letter", target.space, e.event_id,
           d.error + "; attempt " + std::to_string(e.attempts + 1) +
               " (rosterd outbox retry " + e.event_id + " sends it again)");
    }
  }
  ROSTERD_TRY(store_->record_attempts(outcomes));
  return events.size();
}

}  // namespace rosterd::webhook
