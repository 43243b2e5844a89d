// The StateView the lifecycle rules read, answered from the open transaction. Spaces are
// cached for the life of the view (one batch): operations never change them.
#pragma once

#include <map>
#include <string>

#include "core/state_view.h"
#include "store/sql/sql_connection.h"

namespace rosterd::sql {

class SqlStateView final : public StateView {
 public:
  explicit SqlStateView(SqlConnection& conn) : conn_(conn) {}

  Result<std::optional<Space>> space(std::string_view id) override;
  Result<std::optional<Account>> account(std::string_view id) override;
  Result<std::optional<Account>> account_by_email(std::string_view space,
                                                  std::string_view email) override;
  Result<std::int64_t> seats_used(std::string_view space, std::string_view licence) override;
  Result<std::int64_t> enabled_owners(std::string_view space) override;

 private:
  SqlConnection& conn_;
  std::map<std::string, std::optional<Space>, std::less<>> spaces_;
};

Result<std::optional<Space>> load_space(SqlConnection& conn, std::string_view id);

}  // namespace rosterd::sql
