// The administrator's status page (/status): one small HTML document, inline CSS, no
// script and no external asset. Every value from the store or the configuration is
// HTML-escaped. Elements carry data-* attributes so that tests read the numbers.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/timestamp.h"
#include "daemon/admin/admin_snapshot.h"

namespace rosterd::admin {

// & < > " ' as entities.
std::string html_escape(std::string_view text);

// `leader`: whether this instance leads (several instances on one database), said under
// the title (id="role", data-leader="true|false").
std::string render_status_page(const std::vector<SourceView>& sources, const AccountsView& accounts, Timestamp now,
                               bool leader = true);

}  // namespace rosterd::admin
