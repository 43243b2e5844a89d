// InvitationStore over the SQL seam, on a connection of its own (the invitation sender's
// thread). Not thread-safe: one per thread.
#pragma once

#include <memory>

#include "store/invitation_store.h"
#include "store/sql/sql_connection.h"

namespace rosterd::sql {

class SqlInvitationStore final : public InvitationStore {
 public:
  // Migrates the database to the latest schema first (the invitations table is in it).
  static Result<std::unique_ptr<SqlInvitationStore>> open(std::unique_ptr<SqlConnection> conn);

  Result<void> keep_starts(std::span<const std::string> spaces, Timestamp enabled_at) override;
  Result<std::int64_t> last_seen_seq(std::string_view space) override;
  Result<void> add_invitations(std::span<const OutboxEvent> events, Timestamp now) override;
  Result<std::vector<Invitation>> claim_due(std::string_view space, Timestamp now, Timestamp lease_until,
                                            std::size_t limit) override;
  Result<void> record_sends(std::span<const AttemptOutcome> outcomes) override;
  Result<std::vector<Invitation>> invitations() override;

 private:
  explicit SqlInvitationStore(std::unique_ptr<SqlConnection> conn) : conn_(std::move(conn)) {}
  std::unique_ptr<SqlConnection> conn_;
};

}  // namespace rosterd::sql
