// The invitation sender as `rosterd serve` runs it: one target per space with
// invitations.smtp (each password_file read here, at start and at every reload), the
// outbox and the invitations table opened on connections of their own, the log wired in.
// check-config reports the same problems.
#pragma once

#include <functional>
#include <memory>
#include <vector>

#include "config/config.h"
#include "connectors/webhook/invitation_sender.h"
#include "mapping/lint.h"

namespace rosterd {

// One target per space with invitations.smtp. ErrorCode::Config naming the space and the
// file when a password cannot be read.
Result<std::vector<webhook::InvitationTarget>> invitation_targets(const Config& config);

// check-config: an error at the space's line for each password file that cannot be read.
std::vector<LintFinding> invitation_findings(const Config& config);

// Opens the store's outbox and invitations and starts the sender with `targets`.
// No space asks for invitations: forget where earlier ones started, so that turning them
// on again later does not mail the accounts created meanwhile. Failures are logged only.
void forget_invitation_starts(const Config& config);

// `is_leader`: it sends only while this instance leads (daemon/service/leadership.h).
Result<std::unique_ptr<webhook::InvitationSender>> start_invitation_sender(
    const Config& config, std::vector<webhook::InvitationTarget> targets, std::function<bool()> is_leader = {});

}  // namespace rosterd
