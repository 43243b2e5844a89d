// SIGHUP in `rosterd serve`: the whole file staged and checked, then swapped in.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "config/config.h"
#include "daemon/admin/admin_routes.h"
#include "daemon/reconcile/reconciler.h"
#include "daemon/serve_setup.h"
#include "daemon/service/leadership.h"
#include "daemon/service/service_status.h"
#include "daemon/sources/source_pollers.h"
#include "daemon/webhook_setup.h"
#include "daemon/invitation_setup.h"
#include "scim/scim_service.h"
#include "store/account_store.h"
#include "store/identity_store.h"

namespace rosterd::cli {

// What the running daemon needs from its configuration besides the staged parts.
struct Running {
  std::string file;
  std::string store;
  ListenConfig listen;
  scim::ScimServiceOptions scim_options;
};

// SIGHUP: load and check the file again; only a wholly valid one replaces the rules, the
// SCIM sources and tokens, and the directory pollers (restarted with the new sources, a
// read in progress finished first). The store and the listeners are opened at start
// only: a change there is logged as needing a restart, and the rest is applied.
void reload(const Running& running, Reconciler& reconciler, SourcePollers& pollers, ScimSlot& scim,
            ServiceStatus& status, AccountStore& accounts, IdentityStore& identities,
            admin::AdminRoutes& admin, webhook::WebhookSender& webhooks,
            std::unique_ptr<webhook::InvitationSender>& invitations, const Leadership& leadership);

}  // namespace rosterd::cli
