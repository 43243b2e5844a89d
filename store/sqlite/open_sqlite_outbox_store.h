#pragma once

#include <memory>
#include <string>

#include "store/invitation_store.h"
#include "store/outbox_store.h"

namespace rosterd {

// Opens the outbox of the SQLite store at `path` on a connection of its own (creating and
// migrating the file if needed).
Result<std::unique_ptr<OutboxStore>> open_sqlite_outbox_store(const std::string& path);

// The invitation emails' delivery state in the same file, on a connection of its own.
Result<std::unique_ptr<InvitationStore>> open_sqlite_invitation_store(const std::string& path);

}  // namespace rosterd
