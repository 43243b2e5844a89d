// How the CLI prints accounts, operation results, audit rows and licence usage, as text
// for people and as stable JSON (--json) for programs. docs: README "Machine-readable output".
#pragma once

#include <iosfwd>
#include <vector>

#include "core/account.h"
#include "core/space.h"
#include "store/account_store.h"

namespace rosterd::cli {

void print_accounts(std::ostream& out, const std::vector<Account>& accounts, bool json);
void print_account(std::ostream& out, const Account& account, bool json);
void print_applied(std::ostream& out, const Applied& applied, const Account* unchanged, bool json);
void print_audit(std::ostream& out, const std::vector<AuditEntry>& entries, bool json);
void print_licences(std::ostream& out, const std::vector<LicenceUsage>& usage, bool json);

}  // namespace rosterd::cli
