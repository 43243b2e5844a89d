// The webhook sender as `rosterd serve` runs it: targets built from the configuration's
// spaces (each secret_file read here, at start and at every reload), the outbox opened on
// a connection of its own, the log wired in. check-config reports the same problems.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "config/config.h"
#include "connectors/webhook/webhook_sender.h"
#include "mapping/lint.h"

namespace rosterd {

// One target per space with a webhook. ErrorCode::Config naming the space and the file
// when a secret cannot be read.
Result<std::vector<webhook::WebhookTarget>> webhook_targets(const Config& config);

// check-config: an error at the space's line for each secret that cannot be read.
std::vector<LintFinding> webhook_findings(const Config& config);

// Reads the secrets, opens the outbox of the configuration's store and starts the sender.
// `is_leader`: it sends only while this instance leads (daemon/service/leadership.h).
Result<std::unique_ptr<webhook::WebhookSender>> start_webhook_sender(const Config& config,
                                                                     std::function<bool()> is_leader = {});

}  // namespace rosterd
